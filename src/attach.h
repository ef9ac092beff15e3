/* SPDX-License-Identifier: MIT */
/*
 * attach.h - --attach PID: enforce a policy on a process that is already
 * running. No filter can be installed into it, so every call of every one
 * of its threads (and of the children it makes from then on) stops twice,
 * at entry and at exit (PTRACE_SYSCALL), and is decided at the entry stop:
 * allowed, logged, denied with an errno (the call is skipped and its result
 * set at the exit stop), or the process tree is killed. On a signal
 * (SIGINT, SIGTERM, SIGHUP) or after |detach_after_ms| every task is
 * detached and left running. After the seize, the run is tracer.c's event
 * loop in its TRACER_ATTACH mode.
 */
#ifndef SBX_ATTACH_H
#define SBX_ATTACH_H

#include <stdint.h>
#include <sys/types.h>

#include "policy.h"
#include "sandbox.h"
#include "traceset.h"

struct attach_config {
	const struct policy *policy; /* not owned */
	pid_t pid;		     /* the process to seize, all its threads */
	enum sbx_verbosity verbosity;
	int log_fd;		      /* report lines */
	uint64_t log_limit;	      /* bytes of lines on |log_fd| (UINT64_MAX: none) */
	const struct traceset *trace; /* --trace, or NULL; not owned */
	int event_fd;		      /* --log, or -1 */
	uint64_t detach_after_ms;     /* 0: only a signal detaches */
	bool summary;		      /* --summary (tracer_config) */
	bool no_trace_lines;	      /* --summary without --trace */
	bool trace_output;	      /* --trace-output to |trace_fd| */
	int trace_fd;
};

/*
 * Supervise until the process is gone, killed, or detached. Fills |ret|:
 * SBX_STATUS_DETACHED (left running), EXITED, SIGNALED or VIOLATION.
 * Returns 0, or -errno when it could not attach (|ret| then holds the
 * error) or the supervisor failed.
 */
int attach_run(const struct attach_config *cfg, struct sbx_result *ret);

#endif
