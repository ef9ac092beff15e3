/* SPDX-License-Identifier: MIT */
/*
 * tracer.c - the event loop.
 *
 *	while (next_event(t, &ev) && dispatch_event(t, &ev))
 *		;
 *
 * next_event() waits for one status change of any task and classifies it;
 * dispatch_event() acts on it and resumes the task. The per-stop path of a
 * seccomp stop is: waitpid, PTRACE_GET_SYSCALL_INFO, decide (no system
 * call), PTRACE_CONT; plus two POKEUSERs when a call is skipped, and the
 * string reads of decoding when a line is printed.
 *
 * Once the program's initial process exits, or a violation is found, the
 * loop enters the kill phase: every task is sent SIGKILL, tasks that appear
 * later are killed on sight, and children reparented to the supervisor (a
 * subreaper) are swept from /proc every 50 ms until waitpid says ECHILD.
 */
#include "tracer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "child.h"
#include "decide.h"
#include "names.h"
#include "proctab.h"
#include "report.h"

enum event_kind {
	EV_GONE,	 /* no tracee left: the loop ends */
	EV_INTERRUPTED,	 /* a signal of the supervisor's own arrived */
	EV_EXIT,	 /* a task exited or was killed */
	EV_SECCOMP,	 /* PTRACE_EVENT_SECCOMP */
	EV_NEW_CHILD,	 /* PTRACE_EVENT_FORK / VFORK / CLONE */
	EV_EXEC,	 /* PTRACE_EVENT_EXEC */
	EV_ATTACH_STOP,	 /* first stop of an auto-attached task */
	EV_GROUP_STOP,	 /* job-control stop (PTRACE_EVENT_STOP with a stop signal) */
	EV_RESTART_STOP, /* other PTRACE_EVENT_STOP (after SIGCONT, interrupts) */
	EV_SIGNAL,	 /* signal-delivery stop */
	EV_OTHER_EVENT,	 /* an event we do not ask for; resume */
};

struct event {
	enum event_kind kind;
	pid_t pid;
	int status;
	int sig;
	int ptrace_event;
};

struct tracer {
	const struct tracer_config *cfg;
	struct sbx_result *result;
	struct proctab tasks;
	bool initial_exec_done;
	bool initial_gone;
	bool killing;
	bool violation; /* first cause wins: a violation is never relabelled */
	int error;	/* supervisor failure (-errno), reported at the end */
};

static volatile sig_atomic_t term_signals;
static volatile sig_atomic_t handler_pidfd = -1;

static void on_term_signal(int sig)
{
	int saved = errno;

	term_signals++;
	if (handler_pidfd >= 0)
		syscall(SYS_pidfd_send_signal, (int)handler_pidfd, term_signals > 1 ? SIGKILL : sig,
			NULL, 0);
	errno = saved;
}

static void on_alarm(int sig)
{
	(void)sig; /* only interrupts waitpid */
}

void tracer_arm_signals(int pidfd)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	struct sigaction sa = {.sa_handler = on_term_signal};

	handler_pidfd = pidfd;
	term_signals = 0;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], pidfd >= 0 ? &sa : &(struct sigaction){.sa_handler = SIG_DFL},
			  NULL);
}

static void set_sweep_timer(bool on)
{
	struct itimerval it = {0};
	struct sigaction sa = {.sa_handler = on_alarm};

	if (on) {
		it.it_value.tv_usec = 50000;
		it.it_interval.tv_usec = 50000;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

static void emit(struct tracer *t, struct strbuf *line)
{
	const char *s = strbuf_str(line);
	size_t len = strlen(s);

	while (len > 0) {
		ssize_t n = write(t->cfg->log_fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		s += n;
		len -= (size_t)n;
	}
}

static void lifecycle(struct tracer *t, const char *fmt, ...) _printf_(2, 3);

static void lifecycle(struct tracer *t, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf line = {0};
	va_list ap;

	if (t->cfg->verbosity < SBX_VERBOSE)
		return;
	strbuf_append(&line, "sandbox: ");
	va_start(ap, fmt);
	strbuf_vprintf(&line, fmt, ap);
	va_end(ap);
	strbuf_append_char(&line, '\n');
	emit(t, &line);
}

/* Orphans reparented to us (we are a subreaper) that are not in the table. */
static void sweep_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t self = getpid();

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[64], buf[512], *p;
		pid_t pid = (pid_t)atoi(de->d_name);
		ssize_t n;
		int fd;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* "pid (comm) state ppid ...": comm may hold spaces and parens. */
		p = strrchr(buf, ')');
		if (p && atoi(p + 4) == self)
			kill(pid, SIGKILL);
	}
	closedir(d);
}

static void kill_all(struct tracer *t)
{
	if (!t->killing) {
		t->killing = true;
		set_sweep_timer(true);
	}
	proctab_foreach(&t->tasks, task) kill(task->tid, SIGKILL);
	sweep_children();
}

/* Resume a stopped task; a task that vanished meanwhile is not an error. */
static void resume(struct tracer *t, pid_t pid, int request, int sig)
{
	if (ptrace(request, pid, 0L, (long)sig) < 0 && errno != ESRCH) {
		t->error = t->error ? t->error : -errno;
		kill_all(t);
	}
}

static void classify_stop(struct tracer *t, struct event *ev)
{
	struct task *task = proctab_find(&t->tasks, ev->pid);
	bool is_new = false;

	ev->sig = WSTOPSIG(ev->status);
	ev->ptrace_event = ev->status >> 16;
	if (!task) {
		/* A new task's first stop can come before its parent's fork event. */
		task = proctab_add(&t->tasks, ev->pid, &is_new);
		if (task)
			task->flags |= TASK_AWAIT_ATTACH_STOP;
	}
	if (task && ev->ptrace_event != PTRACE_EVENT_STOP)
		task->flags &= ~TASK_AWAIT_ATTACH_STOP; /* it has run: no attach stop to come */
	switch (ev->ptrace_event) {
	case PTRACE_EVENT_SECCOMP:
		ev->kind = EV_SECCOMP;
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		ev->kind = EV_NEW_CHILD;
		break;
	case PTRACE_EVENT_EXEC:
		ev->kind = EV_EXEC;
		break;
	case PTRACE_EVENT_STOP:
		if (task && (task->flags & TASK_AWAIT_ATTACH_STOP))
			ev->kind = EV_ATTACH_STOP;
		else if (ev->sig == SIGSTOP || ev->sig == SIGTSTP || ev->sig == SIGTTIN ||
			 ev->sig == SIGTTOU)
			ev->kind = EV_GROUP_STOP;
		else
			ev->kind = EV_RESTART_STOP;
		break;
	case 0:
		ev->kind = EV_SIGNAL;
		break;
	default:
		ev->kind = EV_OTHER_EVENT;
		break;
	}
}

static bool next_event(struct tracer *t, struct event *ev)
{
	*ev = (struct event){0};
	ev->pid = waitpid(-1, &ev->status, __WALL);
	if (ev->pid < 0) {
		if (errno == EINTR) {
			ev->kind = EV_INTERRUPTED;
			return true;
		}
		if (errno != ECHILD)
			t->error = t->error ? t->error : -errno;
		ev->kind = EV_GONE;
		return false;
	}
	if (WIFEXITED(ev->status) || WIFSIGNALED(ev->status))
		ev->kind = EV_EXIT;
	else if (WIFSTOPPED(ev->status))
		classify_stop(t, ev);
	else
		ev->kind = EV_OTHER_EVENT; /* WIFCONTINUED: not asked for */
	return true;
}

/* The child never reached exec: read what it sent through the error pipe. */
static void record_start_failure(struct tracer *t)
{
	struct child_error msg = {0};
	ssize_t n = read(t->cfg->err_fd, &msg, sizeof(msg));
	struct strbuf text = {0};

	if (n != sizeof(msg))
		return;
	if (msg.stage == CHILD_STAGE_EXEC)
		strbuf_printf(&text, "%s: %s", t->cfg->program, strerror(msg.err));
	else
		strbuf_printf(&text, "%s: %s", child_stage_name(msg.stage), strerror(msg.err));
	t->result->status = SBX_STATUS_ERROR;
	t->result->error = strbuf_steal(&text);
	t->result->error_exit = msg.stage == CHILD_STAGE_EXEC && msg.err == ENOENT
					? SBX_EXIT_NOT_FOUND
					: SBX_EXIT_NOT_EXECUTABLE;
}

static void on_exit_event(struct tracer *t, const struct event *ev)
{
	bool known = proctab_find(&t->tasks, ev->pid) != NULL;

	proctab_remove(&t->tasks, ev->pid);
	if (known && WIFEXITED(ev->status))
		lifecycle(t, "[pid %d] exited with %d", ev->pid, WEXITSTATUS(ev->status));
	else if (known)
		lifecycle(t, "[pid %d] killed by %s", ev->pid,
			  signal_name(WTERMSIG(ev->status)) ?: "signal");
	if (ev->pid != t->cfg->initial)
		return;
	t->initial_gone = true;
	if (!t->violation) {
		t->result->status = WIFEXITED(ev->status) ? SBX_STATUS_EXITED : SBX_STATUS_SIGNALED;
		t->result->exit_code = WIFEXITED(ev->status) ? WEXITSTATUS(ev->status) : 0;
		t->result->signal = WIFSIGNALED(ev->status) ? WTERMSIG(ev->status) : 0;
		if (!t->initial_exec_done)
			record_start_failure(t);
	}
	kill_all(t);
}

static void record_violation(struct tracer *t, pid_t pid, const struct trapped_call *call,
			     const struct decision *d, const char *text)
{
	struct sbx_violation *v = &t->result->violation;
	struct strbuf reason = {0};

	t->violation = true;
	t->result->status = SBX_STATUS_VIOLATION;
	t->result->signal = SIGKILL;
	v->pid = pid;
	snprintf(v->syscall, sizeof(v->syscall), "%s", d->name);
	snprintf(v->arch, sizeof(v->arch), "%s", arch_abi_name(d->abi));
	v->nr = (long)call->nr;
	memcpy(v->args, call->args, sizeof(v->args));
	v->text = xstrdup(text);
	v->rule = d->rule >= 0 ? d->rule : -1;
	report_reason(&reason, d);
	v->reason = strbuf_steal(&reason);
}

static void on_seccomp(struct tracer *t, const struct event *ev)
{
	struct __ptrace_syscall_info info;
	struct trapped_call call;
	struct decision d;
	bool initial_exec = ev->pid == t->cfg->initial && !t->initial_exec_done;
	long n;
	int r;

	n = ptrace(PTRACE_GET_SYSCALL_INFO, ev->pid, sizeof(info), &info);
	if (n < 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		if (n >= 0 || errno != ESRCH)
			kill_all(t); /* cannot see the call: never let it run blind */
		return;
	}
	call.audit_arch = info.arch;
	call.nr = info.seccomp.nr;
	memcpy(call.args, info.seccomp.args, sizeof(call.args));
	decide(t->cfg->policy, &call, initial_exec, &d);

	if (d.report && (t->cfg->verbosity >= SBX_NORMAL || d.kind == DECIDE_KILL)) {
		_cleanup_strbuf_ struct strbuf text = {0};
		_cleanup_strbuf_ struct strbuf line = {0};

		report_call_text(&text, ev->pid, &d, call.args);
		if (d.kind == DECIDE_KILL && !t->violation)
			record_violation(t, ev->pid, &call, &d, strbuf_str(&text));
		if (t->cfg->verbosity >= SBX_NORMAL) {
			report_call_line(&line, ev->pid, &d, strbuf_str(&text));
			emit(t, &line);
		}
	}
	switch (d.kind) {
	case DECIDE_ALLOW:
	case DECIDE_LOG:
		resume(t, ev->pid, PTRACE_CONT, 0);
		break;
	case DECIDE_DENY:
	case DECIDE_RETURN:
		r = arch_skip_syscall(ev->pid, d.ret);
		if (r < 0 && r != -ESRCH)
			kill_all(t); /* the call must not run */
		else
			resume(t, ev->pid, PTRACE_CONT, 0);
		break;
	case DECIDE_KILL:
		kill_all(t);
		break;
	}
}

static void on_new_child(struct tracer *t, const struct event *ev)
{
	unsigned long msg = 0;
	struct task *child;
	bool is_new;

	if (ptrace(PTRACE_GETEVENTMSG, ev->pid, 0L, &msg) == 0 && msg) {
		child = proctab_add(&t->tasks, (pid_t)msg, &is_new);
		if (!child) {
			t->error = -ENOMEM;
			kill_all(t);
			return;
		}
		if (is_new)
			child->flags |= TASK_AWAIT_ATTACH_STOP;
		lifecycle(t, "[pid %d] spawned %s %lu", ev->pid,
			  ev->ptrace_event == PTRACE_EVENT_CLONE ? "thread or process" : "process",
			  msg);
	}
	resume(t, ev->pid, PTRACE_CONT, 0);
}

static void on_exec(struct tracer *t, const struct event *ev)
{
	unsigned long former = 0;

	/* A non-leader thread's exec takes over the leader's tid. */
	if (ptrace(PTRACE_GETEVENTMSG, ev->pid, 0L, &former) == 0 && (pid_t)former != ev->pid)
		proctab_remove(&t->tasks, (pid_t)former);
	if (ev->pid == t->cfg->initial)
		t->initial_exec_done = true;
	if (t->cfg->verbosity >= SBX_VERBOSE) {
		char link[64], exe[4096];
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/%d/exe", ev->pid);
		n = readlink(link, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		lifecycle(t, "[pid %d] exec \"%s\"", ev->pid, exe);
	}
	resume(t, ev->pid, PTRACE_CONT, 0);
}

static bool dispatch_event(struct tracer *t, const struct event *ev)
{
	struct task *task;

	if (ev->kind == EV_GONE)
		return false;
	if (ev->kind == EV_INTERRUPTED) {
		if (t->killing)
			kill_all(t);
		return true;
	}
	if (ev->kind == EV_EXIT) {
		on_exit_event(t, ev);
		return true;
	}
	if (t->killing) {
		/* Stopped before our SIGKILL arrived, or born since: it dies now. */
		kill(ev->pid, SIGKILL);
		return true;
	}
	switch (ev->kind) {
	case EV_SECCOMP:
		on_seccomp(t, ev);
		break;
	case EV_NEW_CHILD:
		on_new_child(t, ev);
		break;
	case EV_EXEC:
		on_exec(t, ev);
		break;
	case EV_ATTACH_STOP:
		task = proctab_find(&t->tasks, ev->pid);
		if (task)
			task->flags &= ~TASK_AWAIT_ATTACH_STOP;
		resume(t, ev->pid, PTRACE_CONT, 0);
		break;
	case EV_GROUP_STOP:
		/* Stay stopped, but keep reporting: SIGCONT will wake it. */
		resume(t, ev->pid, PTRACE_LISTEN, 0);
		break;
	case EV_SIGNAL:
		resume(t, ev->pid, PTRACE_CONT, ev->sig);
		break;
	case EV_RESTART_STOP:
	case EV_OTHER_EVENT:
		resume(t, ev->pid, PTRACE_CONT, 0);
		break;
	case EV_GONE:
	case EV_INTERRUPTED:
	case EV_EXIT:
		break;
	}
	return true;
}

int tracer_run(const struct tracer_config *cfg, struct sbx_result *ret)
{
	struct tracer t = {.cfg = cfg, .result = ret};
	struct event ev;
	bool is_new;

	if (!proctab_add(&t.tasks, cfg->initial, &is_new)) {
		kill(cfg->initial, SIGKILL);
		t.error = -ENOMEM;
		t.killing = true;
	}
	while (next_event(&t, &ev) && dispatch_event(&t, &ev))
		;
	set_sweep_timer(false);
	proctab_free(&t.tasks);
	if (!t.initial_gone && !t.error)
		t.error = -ECHILD;
	return t.error;
}
