/* SPDX-License-Identifier: MIT */
/*
 * attach.c - the event loop of --attach (see attach.h).
 *
 * Attaching: every thread listed in /proc/PID/task is seized (no
 * PTRACE_O_EXITKILL: if we die, the kernel detaches it and it runs on) and
 * interrupted; the listing is repeated until it finds no new thread, so a
 * thread created meanwhile is not missed (the seized ones' children are
 * auto-attached from then on). Each task is resumed with PTRACE_SYSCALL from
 * its first stop.
 *
 * At a syscall-entry stop the policy decides, as at a seccomp stop. A
 * denied call is skipped (orig_rax = -1) and its result written at the
 * exit stop; a killed one ends the whole tree. The arguments a call reads
 * through pointers are read at entry and could be changed by another
 * thread before the kernel reads them: enforcement here is a check, not a
 * sandbox (docs/observability.md says so).
 *
 * Detaching: every task is interrupted, and each is detached at its next
 * stop (a pending signal is handed on with the detach); a skipped call's
 * result is written first if the stop is its exit.
 */
#include "attach.h"
#include "tally.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "decide.h"
#include "eventlog.h"
#include "procfs.h"
#include "report.h"
#include "sigstate.h"

#define ATTACH_OPTIONS                                                                             \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |  \
	 PTRACE_O_TRACEEXEC)

/* One traced task. */
struct atask {
	pid_t tid;
	pid_t tgid;	   /* its process; 0 until known */
	bool stopped_once; /* its first stop (attach or auto-attach) was seen */
	bool in_call;	   /* between an entry stop and its exit stop */
	bool skip;	   /* the call was denied: set |ret| at the exit stop */
	bool traced;	   /* --trace wants its line at the exit stop */
	int64_t ret;
	struct trapped_call call;
	struct decision d;
	char *text; /* decoded at entry, for the exit line */
};

struct attacher {
	const struct attach_config *cfg;
	struct sbx_result *result;
	struct atask *tasks;
	size_t n_tasks, cap_tasks;
	uint64_t *counts;
	struct eventlog log;
	struct sink out;      /* its lines (stderr) */
	uint64_t out_bytes;   /* written to |out| so far */
	uint64_t out_refused; /* lines not written: past the log limit */
	struct tally tally;   /* reported calls by kind (tally.h) */
	bool detaching;
	bool killing;
	bool leader_gone;
	int leader_status;
	int error;
};

#define TICK_MS 50 /* how soon a detach request is seen at the latest */

static volatile sig_atomic_t detach_requested;

static void on_detach_signal(int sig)
{
	(void)sig;
	detach_requested = 1;
}

static void on_tick(int sig)
{
	(void)sig;
}

/*
 * SIGINT, SIGTERM and SIGHUP ask to detach. A SIGALRM every TICK_MS
 * interrupts waitpid (no SA_RESTART), so a request that came just before
 * the loop blocked, or the --detach-after deadline, is seen within a tick
 * even when no task stops.
 */
static void arm_signals(bool on)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	static struct sigstate st;

	detach_requested = 0;
	if (!on) {
		sigstate_leave(&st);
		return;
	}
	/* Whatever mask and actions the caller had (sigstate.h). */
	if (sigstate_enter(&st, sigs, ARRAY_SIZE(sigs), on_detach_signal, on_tick) == 0)
		(void)sigstate_tick(&st, TICK_MS);
}

static struct atask *find(struct attacher *a, pid_t tid)
{
	for (size_t i = 0; i < a->n_tasks; i++)
		if (a->tasks[i].tid == tid)
			return &a->tasks[i];
	return NULL;
}

static struct atask *add(struct attacher *a, pid_t tid)
{
	struct atask *t = find(a, tid);

	if (t)
		return t;
	if (a->n_tasks == a->cap_tasks) {
		size_t cap = a->cap_tasks ? 2 * a->cap_tasks : 16;
		struct atask *grown = realloc(a->tasks, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		a->tasks = grown;
		a->cap_tasks = cap;
	}
	t = &a->tasks[a->n_tasks++];
	*t = (struct atask){.tid = tid};
	return t;
}

/* The task's process: learnt from /proc the first time it is needed. */
static pid_t tgid_of(struct atask *t)
{
	if (!t->tgid) {
		long tgid = proc_field(t->tid, "status", "\nTgid:");

		t->tgid = tgid > 0 ? (pid_t)tgid : 0;
	}
	return t->tgid ? t->tgid : t->tid;
}

static void drop(struct attacher *a, pid_t tid)
{
	struct atask *t = find(a, tid);

	if (!t)
		return;
	free(t->text);
	*t = a->tasks[--a->n_tasks];
}

/* A line on the log, unless past the log limit (but for |always| lines: the verdict's, the
 * summary). */
static bool say_line_always(struct attacher *a, struct strbuf *line, bool always)
{
	const char *s = strbuf_str(line);
	size_t len = strlen(s);

	if (a->cfg->verbosity < SBX_NORMAL || a->cfg->log_fd < 0)
		return false;
	if (!always && (a->out_refused || a->out_bytes + len > a->cfg->log_limit)) {
		if (!a->out_refused++) {
			char note[160];

			snprintf(note, sizeof(note),
				 "sandbox: log limit of %llu bytes reached: further lines are "
				 "counted, not written (--log-limit)\n",
				 (unsigned long long)a->cfg->log_limit);
			sink_write(&a->out, note, strlen(note));
		}
		return false;
	}
	a->out_bytes += len;
	sink_write(&a->out, s, len);
	return true;
}

static void say_line(struct attacher *a, struct strbuf *line)
{
	(void)say_line_always(a, line, false);
}

static void log_kind(const struct sbx_call_count *c, void *arg)
{
	eventlog_calls(arg, c);
}

/* The closing summary of the calls not shown (tally.h), the counts to the result. */
static void summarize_calls(struct attacher *a)
{
	_cleanup_strbuf_ struct strbuf lines = {0};

	tally_sort(&a->tally);
	tally_summary(&a->tally, &lines, 20, log_kind, &a->log);
	if (a->out_refused)
		strbuf_printf(&lines,
			      "sandbox: %llu lines were not written: past the log limit of %llu "
			      "bytes\n",
			      (unsigned long long)a->out_refused,
			      (unsigned long long)a->cfg->log_limit);
	say_line_always(a, &lines, true);
	a->result->log_lines_not_shown += a->out_refused;
	tally_move(&a->tally, a->result);
}

/* --- attaching -------------------------------------------------------------------- */

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

static bool traced_by_us(pid_t tid)
{
	char state;
	pid_t tracer;

	return task_status(tid, &state, &tracer) && tracer == getpid();
}

/* Seize and interrupt every thread of the process; true when a new one was found. */
static int seize_threads(struct attacher *a, bool *ret_new)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	*ret_new = false;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)a->cfg->pid);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);
		struct atask *t;

		if (tid <= 0 || find(a, tid))
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0L, (long)ATTACH_OPTIONS) < 0) {
			int e = errno;

			if (e == ESRCH || (e == EPERM && zombie(tid)))
				continue; /* gone meanwhile, or a thread that exited (a zombie
					     leader) */
			if (e == EPERM && traced_by_us(tid)) {
				/* Auto-attached meanwhile, as a child of a task we seized. */
				t = add(a, tid);
				if (!t) {
					closedir(d);
					return -ENOMEM;
				}
				continue;
			}
			closedir(d);
			return -e;
		}
		t = add(a, tid);
		if (!t) {
			closedir(d);
			return -ENOMEM;
		}
		t->tgid = a->cfg->pid;
		ptrace(PTRACE_INTERRUPT, tid, 0L, 0L);
		*ret_new = true;
	}
	closedir(d);
	return 0;
}

static int attach_all(struct attacher *a)
{
	bool found = true;
	int r = 0;

	for (int rounds = 0; found && r == 0 && rounds < 100; rounds++)
		r = seize_threads(a, &found);
	return r;
}

/* --- stops ------------------------------------------------------------------------- */

static void resume(struct attacher *a, pid_t tid, int sig)
{
	if (a->detaching) {
		ptrace(PTRACE_DETACH, tid, 0L, (long)sig);
		drop(a, tid);
		return;
	}
	if (ptrace(PTRACE_SYSCALL, tid, 0L, (long)sig) < 0 && errno != ESRCH)
		a->error = a->error ? a->error : -errno;
}

static void kill_all(struct attacher *a)
{
	a->killing = true;
	for (size_t i = 0; i < a->n_tasks; i++)
		kill(a->tasks[i].tid, SIGKILL);
}

static void log_event(struct attacher *a, pid_t tid, struct atask *t, const char *text,
		      bool has_ret, int64_t ret)
{
	_cleanup_strbuf_ struct strbuf reason = {0};

	if (a->log.fd < 0)
		return;
	report_reason(&reason, &t->d);
	eventlog_call(&a->log, tgid_of(t), tid, &t->call, &t->d, text, strbuf_str(&reason), has_ret,
		      ret);
}

/*
 * The --trace line of |t|'s call, now that its result (|has_ret|) or its
 * end without one is known: to the log file when there is one.
 */
static void end_trace(struct attacher *a, struct atask *t, bool has_ret, int64_t ret)
{
	_cleanup_strbuf_ struct strbuf line = {0};

	if (!t->text)
		return;
	if (a->log.fd >= 0) {
		log_event(a, t->tid, t, t->text, has_ret, ret);
	} else {
		report_trace_line(&line, t->tid, &t->d, t->text, has_ret, ret);
		say_line(a, &line);
	}
	free(t->text);
	t->text = NULL;
	t->traced = false;
}

static void on_call_entry(struct attacher *a, struct atask *t,
			  const struct __ptrace_syscall_info *info)
{
	_cleanup_strbuf_ struct strbuf text = {0};
	_cleanup_strbuf_ struct strbuf line = {0};
	bool traced, first, shown;
	struct tally_entry *kind;

	t->call.audit_arch = info->arch;
	t->call.nr = info->entry.nr;
	memcpy(t->call.args, info->entry.args, sizeof(t->call.args));
	decide(a->cfg->policy, &t->call, 0, a->counts, &t->d);
	traced = a->cfg->trace && traceset_has(a->cfg->trace, t->d.native_nr);
	t->in_call = true;
	t->skip = false;
	t->traced = false;
	if (t->d.report || traced)
		report_call_text(&text, t->tid, &t->d, t->call.args);
	switch (t->d.kind) {
	case DECIDE_KILL:
		first = !a->killing && a->result->status != SBX_STATUS_VIOLATION;
		if (first) {
			a->result->status = SBX_STATUS_VIOLATION;
			report_fill_violation(&a->result->violation, t->tid, &t->call, &t->d,
					      strbuf_str(&text));
		}
		shown = tally_count(&a->tally, &t->call, &t->d, strbuf_str(&text), &kind) || first;
		report_call_line(&line, t->tid, &t->d, strbuf_str(&text));
		if (shown) {
			if (say_line_always(a, &line, first) || a->log.fd >= 0)
				kind->c.shown++;
			log_event(a, t->tid, t, strbuf_str(&text), false, 0);
		} else {
			a->result->log_lines_not_shown++;
		}
		kill_all(a);
		return;
	case DECIDE_DENY:
	case DECIDE_RETURN:
		t->skip = true;
		t->ret = t->d.ret;
		if (ptrace(PTRACE_POKEUSER, t->tid, offsetof(struct user_regs_struct, orig_rax),
			   -1L) < 0 &&
		    errno != ESRCH) {
			kill_all(a); /* the call must not run */
			return;
		}
		break;
	case DECIDE_ALLOW:
	case DECIDE_LOG:
		break;
	}
	if (traced) {
		/* One line at the exit stop, with the result. */
		free(t->text);
		t->text = strbuf_steal(&text);
		t->traced = true;
	} else if (t->d.report &&
		   tally_count(&a->tally, &t->call, &t->d, strbuf_str(&text), &kind)) {
		report_call_line(&line, t->tid, &t->d, strbuf_str(&text));
		if (say_line_always(a, &line, false) || a->log.fd >= 0)
			kind->c.shown++;
		log_event(a, t->tid, t, strbuf_str(&text), t->skip, t->ret);
	} else if (t->d.report) {
		a->result->log_lines_not_shown++;
	}
	resume(a, t->tid, 0);
}

static void on_call_exit(struct attacher *a, struct atask *t,
			 const struct __ptrace_syscall_info *info)
{
	int64_t ret = info->exit.rval;

	if (t->in_call && t->skip) {
		ret = t->ret;
		if (ptrace(PTRACE_POKEUSER, t->tid, offsetof(struct user_regs_struct, rax), ret) <
			    0 &&
		    errno != ESRCH)
			a->error = a->error ? a->error : -errno;
	}
	if (t->in_call && t->traced)
		end_trace(a, t, true, ret);
	t->in_call = t->skip = t->traced = false;
	resume(a, t->tid, 0);
}

static void on_syscall_stop(struct attacher *a, struct atask *t)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info), &info);

	if (n <= 0) {
		if (errno != ESRCH)
			kill_all(a); /* cannot see the call: never let it run blind */
		return;
	}
	if (info.op == PTRACE_SYSCALL_INFO_ENTRY && !a->detaching)
		on_call_entry(a, t, &info);
	else if (info.op == PTRACE_SYSCALL_INFO_EXIT)
		on_call_exit(a, t, &info);
	else
		resume(a, t->tid, 0);
}

/* The task ended: its last traced call never returned. */
static void on_gone(struct attacher *a, pid_t tid, int status)
{
	struct atask *t = find(a, tid);

	if (t && t->traced)
		end_trace(a, t, false, 0);
	eventlog_exit(&a->log, t ? tgid_of(t) : tid, tid, status);
	drop(a, tid);
	if (tid == a->cfg->pid) {
		a->leader_gone = true;
		a->leader_status = status;
	}
}

/*
 * A non-leader thread |former| exec'd and now has the leader's tid: the old
 * leader died unreported (inside a call, its line ends with "?"), and the
 * execing thread's state (its execve, entered under its old tid) moves to
 * the leader's entry. Returns that entry.
 */
static struct atask *take_over(struct attacher *a, struct atask *leader, pid_t former)
{
	struct atask *t = find(a, former);
	pid_t tid = leader->tid;

	if (leader->traced)
		end_trace(a, leader, false, 0); /* it died unreported, inside the call */
	if (!t) {
		*leader = (struct atask){.tid = tid, .tgid = tid, .stopped_once = true};
		return leader;
	}
	*leader = *t;
	leader->tid = tid;
	leader->tgid = tid;
	t->text = NULL; /* now the leader's */
	drop(a, former);
	return find(a, tid);
}

static void on_stop(struct attacher *a, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	struct atask *t = find(a, tid);
	unsigned long msg = 0;

	if (!t) {
		/* An auto-attached child whose parent's fork event is still to come. */
		t = add(a, tid);
		if (!t) {
			a->error = -ENOMEM;
			kill(tid, SIGKILL);
			return;
		}
	}
	if (a->killing) {
		kill(tid, SIGKILL);
		ptrace(PTRACE_CONT, tid, 0L, 0L);
		return;
	}
	if (sig == (SIGTRAP | 0x80)) {
		on_syscall_stop(a, t);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0L, &msg) == 0 && msg) {
			struct atask *child = add(a, (pid_t)msg);

			if (!child)
				a->error = -ENOMEM;
			else if (event != PTRACE_EVENT_CLONE)
				child->tgid = (pid_t)msg;
			eventlog_spawn(&a->log, tid, (pid_t)msg, event == PTRACE_EVENT_CLONE);
		}
		resume(a, tid, 0);
		return;
	case PTRACE_EVENT_EXEC:
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0L, &msg) == 0 && (pid_t)msg != tid)
			t = take_over(a, t, (pid_t)msg);
		eventlog_exec(&a->log, tid);
		resume(a, tid, 0);
		return;
	case PTRACE_EVENT_STOP:
		if (!t->stopped_once) {
			/* Its first stop: our interrupt, or an auto-attached child's start. */
			t->stopped_once = true;
			resume(a, tid, 0);
			return;
		}
		if (!a->detaching &&
		    (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)) {
			/* A job-control stop: it stays stopped, SIGCONT wakes it. */
			ptrace(PTRACE_LISTEN, tid, 0L, 0L);
			return;
		}
		resume(a, tid, 0);
		return;
	case 0:
		resume(a, tid, sig); /* a signal for it: delivered */
		return;
	default:
		resume(a, tid, 0);
		return;
	}
}

/* Interrupt every task: each is detached at its next stop. */
static void start_detach(struct attacher *a)
{
	a->detaching = true;
	for (size_t i = 0; i < a->n_tasks; i++)
		ptrace(PTRACE_INTERRUPT, a->tasks[i].tid, 0L, 0L);
}

int attach_run(const struct attach_config *cfg, struct sbx_result *ret)
{
	struct attacher a = {.cfg = cfg, .result = ret};
	uint64_t deadline;
	int r;

	eventlog_open(&a.log, cfg->event_fd);
	a.out = (struct sink){.fd = cfg->log_fd, .socket = fd_is_socket(cfg->log_fd)};
	*ret = (struct sbx_result){.status = SBX_STATUS_EXITED, .exit_code = -1};
	a.counts = calloc(policy_rule_count(cfg->policy) + 1, sizeof(*a.counts));
	if (!a.counts)
		return -ENOMEM;
	deadline = cfg->detach_after_ms ? monotonic_ms() + cfg->detach_after_ms : 0;
	arm_signals(true);
	r = attach_all(&a);
	if (r < 0) {
		/* Let go of what was seized; the process runs on. */
		for (size_t i = 0; i < a.n_tasks; i++)
			ptrace(PTRACE_DETACH, a.tasks[i].tid, 0L, 0L);
		a.n_tasks = 0;
		ret->status = SBX_STATUS_ERROR;
		ret->error_exit = SBX_EXIT_ERROR;
		if (asprintf(&ret->error, "cannot attach to pid %d: %s", (int)cfg->pid,
			     strerror(-r)) < 0)
			ret->error = NULL;
	}
	while (r == 0 && a.n_tasks > 0) {
		int status;
		pid_t tid;

		if ((detach_requested || (deadline && monotonic_ms() >= deadline)) &&
		    !a.detaching && !a.killing)
			start_detach(&a);
		tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				a.error = -errno;
			break;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			on_gone(&a, tid, status);
		else if (WIFSTOPPED(status))
			on_stop(&a, tid, status);
	}
	arm_signals(false);
	summarize_calls(&a);
	sink_drain(&a.out, SINK_DRAIN_MS);
	if (a.out.dropped) {
		char note[96];

		snprintf(note, sizeof(note),
			 "sandbox: %lu lines were dropped: their output was blocked\n",
			 a.out.dropped);
		sink_write(&a.out, note, strlen(note));
		sink_drain(&a.out, SINK_WAIT_MS); /* it was stuck: not long again */
	}
	sink_free(&a.out);
	eventlog_close(&a.log);
	for (size_t i = 0; i < a.n_tasks; i++)
		free(a.tasks[i].text);
	free(a.tasks);
	free(a.counts);
	if (r < 0)
		return 0; /* the error is in |ret| */
	if (ret->status != SBX_STATUS_VIOLATION) {
		if (a.detaching && !a.leader_gone)
			ret->status = SBX_STATUS_DETACHED;
		else if (a.leader_gone && WIFSIGNALED(a.leader_status))
			ret->status = SBX_STATUS_SIGNALED;
	}
	if (a.leader_gone && WIFEXITED(a.leader_status))
		ret->exit_code = WEXITSTATUS(a.leader_status);
	if (a.leader_gone && WIFSIGNALED(a.leader_status))
		ret->signal = WTERMSIG(a.leader_status);
	return a.error;
}
