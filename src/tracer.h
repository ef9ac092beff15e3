/* SPDX-License-Identifier: MIT */
/*
 * tracer.h - the supervisor's event loop: one waitpid(-1, __WALL) loop over
 * every traced task, with a process table, signal forwarding, resource
 * accounting and limits, and the "no process outlives the run" guarantee.
 */
#ifndef SBX_TRACER_H
#define SBX_TRACER_H

#include <stdbool.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>

#include "sigstate.h"
#include "cgroup.h"
#include "isolate.h"
#include "paths.h"
#include "policy.h"
#include "learn.h"
#include "traceset.h"
#include "sandbox.h"

/*
 * The two ways a run begins; one loop runs both. TRACER_LAUNCH: the
 * sandbox started the program (a child seized before its exec, stopping at
 * seccomp stops of its filter). TRACER_ATTACH: --attach, the threads of a
 * running process were seized (attach.c); every call stops at its entry and
 * its exit (PTRACE_SYSCALL), a signal or |detach_after_ms| detaches every
 * task and leaves it running, and the end of the initial process ends
 * nothing (no kill phase, no limits, no accounting).
 */
enum tracer_mode {
	TRACER_LAUNCH,
	TRACER_ATTACH,
};

struct tracer_config {
	enum tracer_mode mode;
	struct tracer_signals *signals; /* armed by the caller, or NULL: the run's own; not owned */
	const struct policy *policy;	/* not owned */
	pid_t initial;	     /* the seized child: the program, or the init; the attached pid */
	const pid_t *seized; /* TRACER_ATTACH: the tasks seized and interrupted; not owned */
	size_t n_seized;
	uint64_t detach_after_ms; /* TRACER_ATTACH: detach after this long (0: on a signal only) */
	/*
	 * The sandbox's init (PID 1 of its namespace), or 0. Its first child
	 * is the program; the init itself is infrastructure: not counted,
	 * not measured, never judged.
	 */
	pid_t init;
	const struct isolation_plan *plan; /* the init's plan, to name a failed step; not owned */
	const int *tmpfs_fds; /* the private tmpfs mounts, measured for --memory; not owned */
	size_t n_tmpfs;
	bool pid_namespace;  /* signals cannot leave the sandbox: no target checks */
	bool own_netns;	     /* the network rule of "network": "off" is not needed */
	bool no_fileless;    /* memfds are never executable (memfd_create stops) */
	bool no_setid;	     /* no setuid/setgid mode on a file; openat2 refused (ENOSYS) */
	const char *program; /* its path, for messages; not owned */
	const char *workdir; /* the directory it starts in, as given (--chdir), for messages */
	int err_fd;	     /* read end of the child's error pipe; not owned */
	enum sbx_verbosity verbosity;
	int log_fd;
	bool log_broken;	       /* its reader went away during the set-up: no lines */
	uint64_t log_limit;	       /* bytes of lines on |log_fd| (UINT64_MAX: none) */
	struct sbx_limits limits;      /* merged: flags over the policy */
	const struct cgroup *cgroup;   /* the sandbox's cgroup, or NULL; not owned */
	struct timespec start;	       /* CLOCK_MONOTONIC when the child was started */
	struct rusage children_start;  /* RUSAGE_CHILDREN before the child was started */
	int output_fds[2];	       /* the program's stdout and stderr files, or -1; not owned */
	const struct pathcheck *paths; /* filesystem/network checks at stops, or NULL; not owned */
	const struct traceset *trace; /* calls traced to their exit (--trace), or NULL; not owned */
	int event_fd;		      /* JSON-lines event log (--log), or -1; not owned */
	struct learner *learn;	      /* --learn: calls are recorded here, or NULL; not owned */
	/*
	 * --summary: every call that stops is counted (tally.h) and the table
	 * is written at the end; |no_trace_lines|: the calls in |trace| stop
	 * to be timed, and get no --trace line (--summary without --trace).
	 */
	bool summary;
	bool no_trace_lines;
	/* --trace-output: with |trace_output|, --trace lines and the table go to |trace_fd|. */
	bool trace_output;
	int trace_fd; /* not owned */
	/*
	 * The child hands over a seccomp listener (notify.h): the calls its
	 * filter sends there are decided by a second thread (tracer.c).
	 */
	bool notify;
};

/*
 * Supervise until every traced task is gone, filling |ret| (status,
 * accounting). Returns 0, or -errno when the supervisor itself failed
 * (every tracee is killed and reaped before returning in that case too).
 */
int tracer_run(const struct tracer_config *cfg, struct sbx_result *ret);

/*
 * One run's signals (sigstate.h): what its handlers saw. Owned by whoever
 * arms them (supervisor.c, for the length of the run), never shared between
 * runs: each thread running a sandbox has its own.
 */
struct tracer_signals {
	struct sigstate st;
	volatile sig_atomic_t term_signals; /* SIGINT, SIGTERM, SIGHUP, SIGQUIT so far */
	volatile sig_atomic_t pidfd;	    /* where they are forwarded; -1: counted only */
	volatile sig_atomic_t pgid;	    /* and the program's process group, or 0 */
	volatile sig_atomic_t tick_pending; /* a SIGALRM of this run's timer came */
};

/*
 * Install the supervisor's handlers for SIGINT, SIGTERM, SIGHUP and SIGQUIT
 * into |s|: the first is forwarded to the program's initial process
 * (through |pidfd|, so a recycled pid can never be hit) and to its process
 * group |pgid| (the initial process's pid: child.c makes it a group leader;
 * 0: none yet), as a terminal sends them to its foreground job; a second
 * one kills them. Armed again with another |pidfd|, they go there from then
 * on. Pass -1 to disarm. The tracer forgets |pgid| when the initial process
 * exits (it may be recycled once the group is empty). (A TRACER_ATTACH run
 * arms its own: SIGINT, SIGTERM and SIGHUP detach.)
 */
void tracer_arm_signals(struct tracer_signals *s, int pidfd, pid_t pgid);

/*
 * The ptrace options of the initial process (PTRACE_SEIZE). Its children
 * drop PTRACE_O_TRACEEXIT when no memory or process limit needs their exit
 * stops (see on_attach_stop()).
 */
#define TRACER_PTRACE_OPTIONS                                                                      \
	(PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |    \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACESYSGOOD)

/*
 * The options of a task seized by --attach: no seccomp stops (no filter of
 * ours), no exit stops, and no PTRACE_O_EXITKILL: if the supervisor dies,
 * the kernel detaches the task and it runs on.
 */
#define TRACER_ATTACH_OPTIONS                                                                      \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |  \
	 PTRACE_O_TRACEEXEC)

#endif
