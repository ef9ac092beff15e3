/* SPDX-License-Identifier: MIT */
/*
 * attach.c - --attach PID (see attach.h): what is particular to taking
 * over a process that runs already. Everything from the first stop on is
 * tracer.c's loop in its TRACER_ATTACH mode (the same task table, trace
 * lines, verdict and kill phase as a launched run).
 *
 * Attaching: every thread listed in /proc/PID/task is seized (no
 * PTRACE_O_EXITKILL: if we die, the kernel detaches it and it runs on) and
 * interrupted; the listing is repeated until it finds no new thread, so a
 * thread created meanwhile is not missed (the seized ones' children are
 * auto-attached from then on). The loop resumes each task with
 * PTRACE_SYSCALL from its first stop.
 *
 * At a syscall-entry stop the policy decides, as at a seccomp stop. A
 * denied call is cancelled (arch_cancel_syscall()) and its result written at
 * the exit stop; a killed one ends the whole tree. The arguments a call
 * reads through pointers are read at entry and could be changed by another
 * thread before the kernel reads them: enforcement here is a check, not a
 * sandbox (docs/observability.md says so).
 *
 * Detaching (SIGINT, SIGTERM, SIGHUP or --detach-after, seen by the loop's
 * tick): every task is interrupted, and each is detached at its next stop
 * (a pending signal is handed on with the detach); a cancelled call's
 * result is written first if the stop is its exit. If seizing fails, what
 * was seized is let go and the process runs on.
 */
#include "attach.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"
#include "tracer.h"

#define SEIZE_ROUNDS 100 /* listings of /proc/PID/task at most */

/* The tasks seized so far. */
struct seized {
	pid_t *tids;
	size_t n, cap;
};

static bool has(const struct seized *s, pid_t tid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->tids[i] == tid)
			return true;
	return false;
}

static int add(struct seized *s, pid_t tid)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		pid_t *grown = realloc(s->tids, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		s->tids = grown;
		s->cap = cap;
	}
	s->tids[s->n++] = tid;
	return 0;
}

/* "State" (its letter) and "TracerPid" of a task; false when it is gone. */
static bool task_status(pid_t tid, char *ret_state, pid_t *ret_tracer)
{
	char buf[2048];
	const char *p;

	if (proc_read(tid, "status", buf, sizeof(buf)) <= 0)
		return false;
	p = strstr(buf, "\nState:\t");
	*ret_state = p ? p[8] : '?';
	p = strstr(buf, "\nTracerPid:\t");
	*ret_tracer = p ? (pid_t)atoi(p + 12) : 0;
	return true;
}

static bool zombie(pid_t tid)
{
	char state;
	pid_t tracer;

	return !task_status(tid, &state, &tracer) || state == 'Z' || state == 'X';
}

/* TracerPid names the tracing thread: this one (sbx_run() supervises from a thread of its own). */
static bool traced_by_us(pid_t tid)
{
	char state;
	pid_t tracer;

	return task_status(tid, &state, &tracer) && tracer == gettid();
}

/* Seize and interrupt one thread; 0 also when it is not to be seized (gone, a zombie). */
static int seize(struct seized *s, pid_t tid, bool *ret_new)
{
	int e;

	if (ptrace(PTRACE_SEIZE, tid, 0L, (long)TRACER_ATTACH_OPTIONS) == 0) {
		ptrace(PTRACE_INTERRUPT, tid, 0L, 0L);
		*ret_new = true;
		return add(s, tid);
	}
	e = errno;
	if (e == ESRCH || (e == EPERM && zombie(tid)))
		return 0; /* gone meanwhile, or a thread that exited (a zombie leader) */
	if (e == EPERM && traced_by_us(tid))
		return add(s, tid); /* auto-attached meanwhile, as a child of a task we seized */
	return -e;
}

/* Seize every thread of |pid| not seized yet; |ret_new|: one was found. */
static int seize_threads(struct seized *s, pid_t pid, bool *ret_new)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int r = 0;

	*ret_new = false;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	while (r == 0 && (de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);

		if (tid > 0 && !has(s, tid))
			r = seize(s, tid, ret_new);
	}
	closedir(d);
	return r;
}

static int seize_all(struct seized *s, pid_t pid)
{
	bool found = true;
	int r = 0;

	for (int rounds = 0; found && r == 0 && rounds < SEIZE_ROUNDS; rounds++)
		r = seize_threads(s, pid, &found);
	return r;
}

int attach_run(const struct attach_config *cfg, struct sbx_result *ret)
{
	struct tracer_config tc = {
		.mode = TRACER_ATTACH,
		.policy = cfg->policy,
		.initial = cfg->pid,
		.detach_after_ms = cfg->detach_after_ms,
		.err_fd = -1,
		.verbosity = cfg->verbosity,
		.log_fd = cfg->log_fd,
		.log_limit = cfg->log_limit,
		.output_fds = {-1, -1},
		.trace = cfg->trace,
		.event_fd = cfg->event_fd,
		.summary = cfg->summary,
		.no_trace_lines = cfg->no_trace_lines,
		.trace_output = cfg->trace_output,
		.trace_fd = cfg->trace_fd,
	};
	struct seized s = {0};
	int r;

	*ret = (struct sbx_result){.status = SBX_STATUS_EXITED, .exit_code = -1};
	clock_gettime(CLOCK_MONOTONIC, &tc.start);
	r = seize_all(&s, cfg->pid);
	if (r < 0) {
		/* Let go of what was seized; the process runs on. */
		for (size_t i = 0; i < s.n; i++)
			ptrace(PTRACE_DETACH, s.tids[i], 0L, 0L);
		free(s.tids);
		ret->status = SBX_STATUS_ERROR;
		ret->error_exit = SBX_EXIT_ERROR;
		if (asprintf(&ret->error, "cannot attach to pid %d: %s", (int)cfg->pid,
			     strerror(-r)) < 0)
			ret->error = NULL;
		return 0; /* the error is in |ret| */
	}
	tc.seized = s.tids;
	tc.n_seized = s.n;
	r = tracer_run(&tc, ret);
	free(s.tids);
	return r;
}
