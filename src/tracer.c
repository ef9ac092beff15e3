/* SPDX-License-Identifier: MIT */
/*
 * tracer.c - the event loop.
 *
 *	while (next_event(t, &ev) && dispatch_event(t, &ev))
 *		;
 *
 * next_event() waits for one status change of any task and classifies it;
 * dispatch_event() acts on it and resumes the task. One loop, two ways in
 * (tracer.h): TRACER_LAUNCH, a child the sandbox started, stopping at its
 * filter's seccomp stops; TRACER_ATTACH (--attach, attach.c seizes the
 * tasks), every call stopping at its entry and exit, where on_call() judges
 * it at the entry as it would at a seccomp stop, and a detach request lets
 * each task go at its next stop (resume()). The per-stop path of a
 * seccomp stop is: waitpid, PTRACE_GET_SYSCALL_INFO, decide (no system
 * call), PTRACE_CONT; plus two POKEUSERs when a call is skipped, and the
 * string reads of decoding when a line is printed.
 *
 * Limits. A periodic SIGALRM (every TICK_MS while a CPU, wall or memory
 * limit is set) interrupts waitpid; each tick checks the wall clock and
 * samples the tree: CPU = what our reaped children used (RUSAGE_CHILDREN,
 * which the kernel folds every descendant's time into as parents reap) plus,
 * for every live process, its own and its reaped children's time from
 * /proc/PID/stat; RSS = the sum of live processes' resident sets. Each
 * task's exit stop (PTRACE_EVENT_EXIT) reads the peak RSS of its process
 * (VmHWM), so a peak between ticks is not lost. The final CPU figure is
 * exact: once every process is reaped, RUSAGE_CHILDREN holds all of it.
 *
 * Verdicts. The first cause wins and is never relabelled: a violation, or
 * a limit seen by a tick, a refused fork, or an output-limit signal. With
 * no cause recorded during the run, the final figures decide (CPU used
 * over the limit, then memory peak over the limit), else the way the
 * program ended.
 *
 * Once the program's initial process exits, a violation is found or a
 * limit is hit, the loop enters the kill phase: every task is sent
 * SIGKILL, tasks that appear later are killed on sight, and children
 * reparented to the supervisor (a subreaper) are swept from /proc every
 * 50 ms until waitpid says ECHILD.
 */
#include "tracer.h"
#include "tally.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "child.h"
#include "account.h"
#include "decode.h"
#include "eventlog.h"
#include "decide.h"
#include "names.h"
#include "notify.h"
#include "proctab.h"
#include "procfs.h"
#include "report.h"
#include "sigstate.h"
#include "syscalls.h"
#include "targets.h"

#define TICK_MS		 10	     /* limit checks while the program runs */
#define DETACH_TICK_MS	 50	     /* --attach: how soon a detach request is seen at the latest */
#define SWEEP_MS	 50	     /* orphan sweeps during the kill phase */
#define SPIN_NS		 (50 * 1000) /* longest poll for a stop before sleeping */
#define SPIN_BACKOFF_MAX 64	     /* most waits skipped after fruitless spins */

enum event_kind {
	EV_GONE,	 /* no tracee left: the loop ends */
	EV_INTERRUPTED,	 /* a signal of the supervisor's own arrived (a tick) */
	EV_EXIT,	 /* a task exited or was killed */
	EV_SECCOMP,	 /* PTRACE_EVENT_SECCOMP */
	EV_NEW_CHILD,	 /* PTRACE_EVENT_FORK / VFORK / CLONE */
	EV_EXEC,	 /* PTRACE_EVENT_EXEC */
	EV_EXIT_STOP,	 /* PTRACE_EVENT_EXIT: about to exit, still inspectable */
	EV_ATTACH_STOP,	 /* first stop of an auto-attached task */
	EV_GROUP_STOP,	 /* job-control stop (PTRACE_EVENT_STOP with a stop signal) */
	EV_RESTART_STOP, /* other PTRACE_EVENT_STOP (after SIGCONT, interrupts) */
	EV_SIGNAL,	 /* signal-delivery stop */
	EV_SYSCALL_STOP, /* syscall-exit stop of a traced call, or (--attach) any syscall stop */
	EV_OTHER_EVENT,	 /* an event we do not ask for; resume */
};

struct event {
	enum event_kind kind;
	pid_t pid;
	int status;
	long maxrss_kb; /* exit events: peak RSS of the task's process (wait4) */
	int sig;
	int ptrace_event;
};

/*
 * A call that needs its exit stop: a traced call let run (its --trace line
 * is written there, with the result), or with --attach a call cancelled at
 * its entry stop (its result is set there).
 */
struct traced_call {
	pid_t tid;
	struct trapped_call call;
	struct decision d;
	char *text;	/* decoded call, strings read at entry */
	bool line;	/* its --trace line is written at the exit stop */
	bool cancelled; /* skipped at its entry stop: it returns |ret| */
	int64_t ret;
	long summary_row;      /* --summary: its row (summary_count()), or -1 */
	struct timespec entry; /* --summary: when its entry stop was seen */
};

struct tracer {
	const struct tracer_config *cfg;
	struct tracer_signals *sig; /* cfg->signals, or |own_signals| */
	struct tracer_signals own_signals;
	struct sbx_result *result;
	struct proctab tasks;
	/*
	 * The program's initial process: the seized child, or with a PID
	 * namespace the init's child (0 until it appears). "initial" below
	 * means this process.
	 */
	pid_t program;
	bool init_gone;
	int program_pidfd; /* where SIGINT and friends go once it is known, or -1 */
	bool initial_exec_done;
	bool initial_gone;
	int initial_status;  /* wait status of the initial process */
	struct timespec end; /* when the initial process ended */
	bool killing;
	bool detaching;	       /* --attach: each task is let go at its next stop */
	uint64_t detach_at_ms; /* --attach: monotonic_ms() of --detach-after, or 0 */
	long clk_tck, page_kb; /* sysconf(): /proc/PID/stat's units */
	/*
	 * Causes of the verdict, each the first of its kind: a fatal one ended
	 * the run (a violation, a CPU, wall or memory limit); a soft one did
	 * not (a refused fork, the output limit: the program is told and may
	 * go on). |hits| has a bit (1 << status) for every limit hit.
	 */
	bool have_fatal, have_soft;
	enum sbx_status fatal, soft;
	unsigned int hits;
	/*
	 * The initial process died of a signal before its exec event with
	 * nothing on the error pipe: the exec passed its point of no return
	 * and the kernel killed it while loading the program (a data segment
	 * over RLIMIT_DATA, a stack over RLIMIT_STACK). The program did start;
	 * with a memory limit that is the limit's doing.
	 */
	bool died_loading;
	int error; /* supervisor failure (-errno), reported at the end */

	unsigned int created;	 /* tasks created, the first included */
	unsigned int tombstones; /* entries of tasks already gone (TASK_DEAD) */
	unsigned int exiting;	 /* threads past their exit stop, not yet reaped (TASK_EXITING) */
	unsigned int pending_forks; /* allowed into a creating call, child not seen yet */
	uint64_t cpu_sample_us;	    /* highest CPU total a tick saw */
	uint64_t dead_cpu_ns;	    /* CPU clocks of the processes gone, read at their exit stops */
	uint64_t init_cpu_ns; /* the init's own CPU, not the program's (RUSAGE_CHILDREN has it) */
	uint64_t shared_kb;   /* memory on them and in memfds, last measured */
	unsigned int ticks;
	uint64_t rss_sum_peak_kb; /* highest sum of live RSS a tick saw (shared pages once) */
	unsigned int pss_ticks;	  /* samples of several processes, for the PSS pace */
	uint64_t hwm_peak_kb;	  /* highest per-process VmHWM seen at exit stops */
	uint64_t *counts;	  /* matches of count-limited rules so far */
	pid_t *zombies;		  /* exited, not reaped by their parent yet (note_zombie()) */
	size_t n_zombies;
	struct eventlog log;	    /* --log */
	struct sink out;	    /* the log lines (stderr) */
	uint64_t out_bytes;	    /* written to |out| (or kept for it) so far */
	uint64_t out_refused;	    /* lines not written: past the log limit */
	struct tally tally;	    /* reported calls by kind (tally.h) */
	struct summary summary;	    /* --summary: the calls that stopped, by syscall */
	struct sink trace_out;	    /* --trace-output, or fd -1: --trace lines go to |out| */
	struct traced_call **calls; /* traced calls running, each waiting for its exit stop */
	size_t n_calls, cap_calls;
	bool spin_cpus;		   /* more than one CPU to run on: spin_wait() may spin */
	unsigned int spin_backoff; /* waits to skip after the next fruitless spin */
	unsigned int spin_skip;	   /* waits left that do not spin */
	bool spin_pass;		   /* the next wait does not spin, nor counts as a fruitless spin */
	/*
	 * The seccomp listener (cfg->notify, notify.h) once the child handed
	 * it over, else -1. From then on a second thread, the notifier,
	 * decides the calls that reach it (notifier_main()); |lock| guards
	 * everything in this struct, held by the tracer thread but while it
	 * waits for an event. Only the tracer thread makes ptrace requests.
	 */
	int listener;
	bool listener_sync;  /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP took */
	bool threaded;	     /* the notifier runs: |lock| is in use */
	bool notifier_polls; /* it polls before each receive (notifier_main()) */
	pthread_t notifier;
	pthread_mutex_t lock;
	int notifier_stop; /* eventfd: the notifier returns when it is written */
	uint64_t notified; /* calls decided through the listener */
};

/* |lock|, once there is a notifier to share the tracer with. */
static void lock_tracer(struct tracer *t)
{
	if (t->threaded)
		pthread_mutex_lock(&t->lock);
}

static void unlock_tracer(struct tracer *t)
{
	if (t->threaded)
		pthread_mutex_unlock(&t->lock);
}

/*
 * Without a memory, process, CPU or output limit, tasks other than the
 * initial process have no exit stop (on_attach_stop()); their peak RSS
 * comes from wait4, and the tree's CPU from RUSAGE_CHILDREN.
 */
static bool exit_stops_dropped(const struct tracer *t)
{
	return !t->cfg->limits.memory_bytes && !t->cfg->limits.processes &&
	       !t->cfg->limits.cpu_time_ms && !t->cfg->limits.output_bytes;
}

/*
 * Whether every exec is reported as a stop (PTRACE_O_TRACEEXEC): for
 * --attach, the -v line and the event log's "exec" record. Otherwise only
 * the program's own first exec stops (it ends the set-up), and threads
 * that are not their process's leader (task_options()).
 */
static bool exec_stops_wanted(const struct tracer *t)
{
	return t->cfg->mode == TRACER_ATTACH || t->cfg->verbosity >= SBX_VERBOSE || t->log.fd >= 0;
}

/* The options every task inherits from the program once it has exec'd. */
static long inherited_options(const struct tracer *t)
{
	return exec_stops_wanted(t) ? TRACER_PTRACE_OPTIONS
				    : TRACER_PTRACE_OPTIONS & ~PTRACE_O_TRACEEXEC;
}

/*
 * Whether |tid|, stopped, leads its thread group: tgkill() with signal 0
 * finds a task only when its thread group id matches (EPERM: found, but
 * not ours to signal). Fills |task|'s tgid when it does.
 */
static bool is_leader(struct task *task, pid_t tid)
{
	if (syscall(SYS_tgkill, tid, tid, 0) < 0 && errno != EPERM)
		return false;
	if (task)
		task->tgid = tid;
	return true;
}

/*
 * The options of a new task of a launch, set at its attach stop. The
 * program keeps every stop. Another task has no exit stop unless a limit
 * reads it (exit_stops_dropped()), and no exec stop unless one is wanted
 * (exec_stops_wanted()), but for a thread that is not its process's
 * leader: its exec takes over the leader's tid, and only the exec event
 * (its former tid, PTRACE_GETEVENTMSG) tells which entry of the table went
 * away.
 */
static long task_options(const struct tracer *t, struct task *task, pid_t tid)
{
	long options = TRACER_PTRACE_OPTIONS;

	if (tid == t->program)
		return options;
	if (exit_stops_dropped(t))
		options &= ~PTRACE_O_TRACEEXIT;
	if (!exec_stops_wanted(t) && is_leader(task, tid))
		options &= ~PTRACE_O_TRACEEXEC;
	return options;
}

/*
 * Whether SIGXFSZ waits in |status| (/proc/TID/status), pending for the
 * thread or its process: a write past RLIMIT_FSIZE while the program
 * blocked it (a blocked signal never stops the tracee).
 */
static bool xfsz_pending(const char *status)
{
	static const char *const keys[] = {"\nSigPnd:", "\nShdPnd:"};

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *at = strstr(status, keys[i]);
		unsigned long long mask;

		if (at && sscanf(at + strlen(keys[i]), " %llx", &mask) == 1 &&
		    (mask & (1ULL << (SIGXFSZ - 1))))
			return true;
	}
	return false;
}

/*
 * With every exit stop, CPU is exact: each process's CPU clock, read at its
 * threads' exit stops, whoever reaps it (a child reaped automatically
 * because its parent ignores SIGCHLD is in nobody's RUSAGE_CHILDREN).
 */
static bool cpu_by_clocks(const struct tracer *t)
{
	return !exit_stops_dropped(t);
}

static void on_term_signal(int sig, void *data)
{
	struct tracer_signals *s = data;
	int saved = errno;

	s->term_signals++;
	if (s->term_signals > 1)
		sig = SIGKILL;
	if (s->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, (int)s->pidfd, sig, NULL, 0);
	/* The whole job: a shell's children, its pipeline (it may have left the group). */
	if (s->pgid > 0)
		kill(-(pid_t)s->pgid, sig);
	errno = saved;
}

/*
 * A tick. It interrupts a blocked waitpid; when events keep the loop busy
 * (waitpid never blocks), the flag makes next_event() deliver it anyway.
 */
static void on_alarm(void *data)
{
	((struct tracer_signals *)data)->tick_pending = 1;
}

void tracer_arm_signals(struct tracer_signals *s, int pidfd, pid_t pgid)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

	if (pidfd < 0) {
		sigstate_leave(&s->st);
	} else if (!s->st.entered) {
		s->term_signals = 0;
		s->tick_pending = 0;
		(void)sigstate_enter(&s->st, sigs, ARRAY_SIZE(sigs), on_term_signal, on_alarm, s);
	}
	s->pgid = pidfd < 0 ? 0 : pgid;
	s->pidfd = pidfd;
}

/*
 * --attach: SIGINT, SIGTERM and SIGHUP are counted, not forwarded; the next
 * tick (DETACH_TICK_MS) sees them and lets every task go.
 */
static int arm_detach_signals(struct tracer_signals *s)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};

	s->term_signals = 0;
	s->tick_pending = 0;
	s->pidfd = -1;
	s->pgid = 0;
	return sigstate_enter(&s->st, sigs, ARRAY_SIZE(sigs), on_term_signal, on_alarm, s);
}

/*
 * A periodic SIGALRM to this thread every |ms| (0: off), whatever mask the
 * caller had (tracer_arm_signals() unblocked it). It interrupts waitpid.
 */
static void set_timer(struct tracer *t, unsigned int ms)
{
	(void)sigstate_tick(&t->sig->st, ms);
}

/*
 * Write a whole line, never waiting long on an output the program may have
 * stalled, and never past the log limit (cfg->log_limit bytes) but for the
 * lines that are |always| written: the verdict's and the closing summary.
 */
static bool emit_line(struct tracer *t, struct strbuf *line, bool always)
{
	const char *s = strbuf_str(line);
	size_t len = strlen(s);

	/* Once one line was held back, all are (but |always|): no shorter one slips in. */
	if (!always && (t->out_refused || t->out_bytes + len > t->cfg->log_limit)) {
		if (!t->out_refused++) {
			_cleanup_strbuf_ struct strbuf note = {0};

			strbuf_printf(&note,
				      "sandbox: log limit of %llu bytes reached: further lines are "
				      "counted, not written (--log-limit)\n",
				      (unsigned long long)t->cfg->log_limit);
			sink_write(&t->out, strbuf_str(&note), strlen(strbuf_str(&note)));
		}
		return false;
	}
	t->out_bytes += len;
	sink_write(&t->out, s, len);
	return true;
}

static void emit(struct tracer *t, struct strbuf *line)
{
	(void)emit_line(t, line, false);
}

static void say(struct tracer *t, enum sbx_verbosity level, const char *fmt, ...) _printf_(3, 4);
static void say_always(struct tracer *t, const char *fmt, ...) _printf_(2, 3);
static void vsay(struct tracer *t, enum sbx_verbosity level, bool always, const char *fmt,
		 va_list ap) _printf_(4, 0);

/* "sandbox: " and the text, at |level| or above; |always|: past the log limit too. */
static void vsay(struct tracer *t, enum sbx_verbosity level, bool always, const char *fmt,
		 va_list ap)
{
	_cleanup_strbuf_ struct strbuf line = {0};

	if (t->cfg->verbosity < level)
		return;
	strbuf_append(&line, "sandbox: ");
	strbuf_vprintf(&line, fmt, ap);
	strbuf_append_char(&line, '\n');
	(void)emit_line(t, &line, always);
}

static void say(struct tracer *t, enum sbx_verbosity level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(t, level, false, fmt, ap);
	va_end(ap);
}

/* A line at SBX_NORMAL that the log limit does not hold back (the closing summary). */
static void say_always(struct tracer *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(t, SBX_NORMAL, true, fmt, ap);
	va_end(ap);
}

/* Whether the stat line from |after_comm| (the ')') says session |sid|. */
static bool in_session(const char *after_comm, pid_t sid)
{
	char state;
	int ppid, pgrp, session;

	return sscanf(after_comm + 1, " %c %d %d %d", &state, &ppid, &pgrp, &session) == 4 &&
	       session == sid;
}

/*
 * Orphans reparented to us (we are a subreaper) that are not in the table.
 * A child of this process is the run's only when it is in the program's
 * session (the program made it, child.c step 3), so that another run's
 * program, or the caller's own children, are never hit.
 */
static void sweep_children(const struct tracer *t)
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
		/* "pid (comm) state ppid pgrp session ...": comm may hold spaces and parens. */
		p = strrchr(buf, ')');
		if (p && atoi(p + 4) == self && in_session(p, t->cfg->initial))
			kill(pid, SIGKILL);
	}
	closedir(d);
}

static void kill_all(struct tracer *t)
{
	if (!t->killing) {
		t->killing = true;
		set_timer(t, SWEEP_MS);
		/* The init's own CPU, all but the last microseconds of it (it has no exit stop). */
		if (t->cfg->init && !t->init_gone)
			t->init_cpu_ns = account_process_cpu_ns(t->cfg->init);
		if (t->cfg->cgroup)
			cgroup_kill(t->cfg->cgroup);
	}
	proctab_foreach(&t->tasks, task)
	{
		if (!(task->flags & TASK_DEAD))
			kill(task->tid, SIGKILL);
	}
}

static bool is_soft(enum sbx_status cause)
{
	return cause == SBX_STATUS_PROCESS_LIMIT || cause == SBX_STATUS_OUTPUT_LIMIT;
}

/* Record |cause| unless one of its kind already was; true when it was recorded. */
static bool set_cause(struct tracer *t, enum sbx_status cause)
{
	bool *have = is_soft(cause) ? &t->have_soft : &t->have_fatal;

	if (cause != SBX_STATUS_VIOLATION && !(t->hits & (1u << cause)))
		eventlog_limit(&t->log, sbx_status_name(cause));
	if (cause != SBX_STATUS_VIOLATION)
		t->hits |= 1u << cause;
	if (*have)
		return false;
	*have = true;
	*(is_soft(cause) ? &t->soft : &t->fatal) = cause;
	return true;
}

/* Resume a stopped task; a task that vanished meanwhile is not an error. */
static struct traced_call *find_call(const struct tracer *t, pid_t tid, size_t *ret_index)
{
	for (size_t i = 0; i < t->n_calls; i++) {
		if (t->calls[i]->tid == tid) {
			if (ret_index)
				*ret_index = i;
			return t->calls[i];
		}
	}
	return NULL;
}

static void detach(struct tracer *t, pid_t pid, int sig);

static void resume(struct tracer *t, pid_t pid, int request, int sig)
{
	if (t->detaching) {
		detach(t, pid, sig);
		return;
	}
	/*
	 * A task inside a traced call keeps its syscall-exit stop, whatever
	 * stopped it meanwhile; with --attach every call stops at its entry.
	 */
	if (request == PTRACE_CONT &&
	    (t->cfg->mode == TRACER_ATTACH || (t->n_calls && find_call(t, pid, NULL))))
		request = PTRACE_SYSCALL;
	if (ptrace(request, pid, 0L, (long)sig) < 0 && errno != ESRCH) {
		t->error = t->error ? t->error : -errno;
		/* --attach watches a process it did not start: an error is reported, not fatal. */
		if (t->cfg->mode != TRACER_ATTACH)
			kill_all(t);
	}
}

/* --- accounting ------------------------------------------------------------- */

static uint64_t tv_us(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000 + (uint64_t)tv->tv_usec;
}

/* CPU our reaped children used since the run started (with their reaped descendants). */
static uint64_t reaped_cpu_us(const struct tracer *t)
{
	const struct rusage *b = &t->cfg->children_start;
	struct rusage ru;

	if (getrusage(RUSAGE_CHILDREN, &ru) < 0)
		return 0;
	return tv_us(&ru.ru_utime) + tv_us(&ru.ru_stime) - tv_us(&b->ru_utime) -
	       tv_us(&b->ru_stime);
}

static uint64_t sub_floor(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static uint64_t elapsed_ms(const struct tracer *t, const struct timespec *now)
{
	const struct timespec *s = &t->cfg->start;

	return (uint64_t)(now->tv_sec - s->tv_sec) * 1000 +
	       (uint64_t)((now->tv_nsec - s->tv_nsec) / 1000000);
}

static pid_t task_tgid(struct task *task)
{
	if (task->tgid == 0) {
		long tgid = proc_field(task->tid, "status", "\nTgid:");

		task->tgid = tgid > 0 ? (pid_t)tgid : 0;
	}
	return task->tgid;
}

/*
 * From /proc/PID/stat: own + reaped children's CPU (µs), RSS (KiB), and
 * the state letter ('Z' for a zombie).
 */
static bool process_usage(const struct tracer *t, pid_t pid, uint64_t *ret_cpu_us,
			  uint64_t *ret_rss_kb, char *ret_state)
{
	unsigned long long utime, stime, rss;
	long long cutime, cstime;
	char buf[1024], state;
	const char *p;

	if (proc_read(pid, "stat", buf, sizeof(buf)) <= 0)
		return false;
	p = strrchr(buf, ')'); /* comm may hold anything */
	/* Fields 3..: state ppid pgrp session tty tpgid flags minflt cminflt majflt
	 * cmajflt utime stime cutime cstime priority nice threads itrealvalue
	 * starttime vsize rss */
	if (!p || sscanf(p + 2,
			 "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld "
			 "%*d %*d %*d %*d %*u %*u %llu",
			 &state, &utime, &stime, &cutime, &cstime, &rss) != 6)
		return false;
	*ret_cpu_us = (utime + stime + (unsigned long long)cutime + (unsigned long long)cstime) *
		      1000000ULL / (unsigned long long)t->clk_tck;
	*ret_rss_kb = rss * (unsigned long long)t->page_kb;
	*ret_state = state;
	return true;
}

/*
 * Memory a process holds that the limit counts: resident pages plus its
 * page tables (VmPTE), which a program can make huge with little RSS by
 * touching one byte in every 2 MiB of a vast sparse mapping.
 */
static uint64_t process_memory_kb(pid_t pid, uint64_t rss_kb)
{
	long pte = proc_field(pid, "status", "\nVmPTE:");

	return rss_kb + (pte > 0 ? (uint64_t)pte : 0);
}

/*
 * Zombies: processes that exited but that their parent has not reaped yet.
 * They still hold a pid, and their CPU time is in nobody's figure until the
 * reap; so while a CPU or process limit is set, they are remembered, and
 * counted until they are gone.
 */
static bool tracking_zombies(const struct tracer *t)
{
	return t->cfg->limits.cpu_time_ms || t->cfg->limits.processes;
}

static void note_zombie(struct tracer *t, pid_t pid)
{
	uint64_t c, r;
	char state;
	pid_t *grown;

	if (!tracking_zombies(t) || !process_usage(t, pid, &c, &r, &state) || state != 'Z')
		return;
	grown = realloc(t->zombies, (t->n_zombies + 1) * sizeof(*grown));
	if (!grown)
		return; /* uncounted is the only cost */
	t->zombies = grown;
	t->zombies[t->n_zombies++] = pid;
}

/* Drop reaped zombies; add the CPU of those still there to |*cpu| when given. */
static void prune_zombies(struct tracer *t, uint64_t *cpu)
{
	size_t kept = 0;

	for (size_t i = 0; i < t->n_zombies; i++) {
		uint64_t c, r;
		char state;

		if (!process_usage(t, t->zombies[i], &c, &r, &state) || state != 'Z')
			continue;
		if (cpu)
			*cpu += c;
		t->zombies[kept++] = t->zombies[i];
	}
	t->n_zombies = kept;
}

/*
 * Memory held outside every process (only with a memory limit): files on
 * the private tmpfs mounts, each tick; memfds, whose count takes a walk of
 * every process's descriptors, every tenth tick.
 */
static uint64_t shared_memory_kb(struct tracer *t)
{
	pid_t pids[512];
	size_t n = 0;

	if (!t->cfg->limits.memory_bytes)
		return 0;
	if (t->ticks++ % 10 == 0) {
		proctab_foreach(&t->tasks, task)
		{
			if (!(task->flags & TASK_DEAD) && task->tid != t->cfg->init &&
			    task_tgid(task) == task->tid && n < ARRAY_SIZE(pids))
				pids[n++] = task->tid;
		}
		t->shared_kb = account_memfd_bytes(pids, n) / 1024;
	}
	return t->shared_kb + account_tmpfs_bytes(t->cfg->tmpfs_fds, t->cfg->n_tmpfs) / 1024;
}

/*
 * The tree's memory with shared pages counted once: each process's
 * proportional set size (smaps_rollup's Pss: a page mapped by k processes
 * counts 1/k in each, so a fork's copy-on-write pages and shared file
 * mappings add up to what they are) plus its page tables. A process gone
 * meanwhile counts nothing.
 */
static uint64_t tree_pss_kb(struct tracer *t)
{
	uint64_t sum = 0;

	proctab_foreach(&t->tasks, task)
	{
		long pss;

		if ((task->flags & TASK_DEAD) || task_tgid(task) != task->tid ||
		    task->tid == t->cfg->init)
			continue;
		pss = proc_field(task->tid, "smaps_rollup", "\nPss:");
		if (pss < 0)
			continue; /* gone meanwhile: it holds nothing any more */
		sum += t->cfg->limits.memory_bytes ? process_memory_kb(task->tid, (uint64_t)pss)
						   : (uint64_t)pss;
	}
	return sum;
}

/* One sample of the tree: CPU so far and memory now. */
static void sample(struct tracer *t)
{
	bool clocks = cpu_by_clocks(t);
	uint64_t cpu = clocks ? t->dead_cpu_ns / 1000 : reaped_cpu_us(t), mem = 0, c, r, pss;
	size_t n_procs = 0;
	char state;

	/* Before its exec the child is a copy of the supervisor: not the program's memory. */
	if (!t->initial_exec_done)
		return;
	proctab_foreach(&t->tasks, task)
	{
		if ((task->flags & TASK_DEAD) || task_tgid(task) != task->tid ||
		    task->tid == t->cfg->init || !process_usage(t, task->tid, &c, &r, &state))
			continue;
		cpu += clocks ? account_process_cpu_ns(task->tid) / 1000 : c;
		mem += t->cfg->limits.memory_bytes ? process_memory_kb(task->tid, r) : r;
		n_procs++;
	}
	/*
	 * Several processes may share pages (a fork's copy-on-write memory, a
	 * shared file): the RSS sum counts them in each. When that sum is over
	 * the limit, or would be a new peak, the proportional sizes decide (a
	 * walk of each process's pages: only then, at most every tenth tick
	 * for a peak); a peak the RSS sum alone shows is not recorded.
	 */
	if (n_procs > 1) {
		bool over = t->cfg->limits.memory_bytes &&
			    (mem + t->shared_kb) * 1024 > t->cfg->limits.memory_bytes;

		if (!over && (mem <= t->rss_sum_peak_kb || t->pss_ticks++ % 10 != 0))
			mem = 0;
		else if ((pss = tree_pss_kb(t)) < mem)
			mem = pss;
	}
	mem += shared_memory_kb(t);
	/*
	 * Zombies after the live processes: one reaped between the two reads
	 * is then counted at most once (in its parent, or not at all). With
	 * CPU clocks, a zombie's CPU is already among the dead.
	 */
	prune_zombies(t, clocks ? NULL : &cpu);
	if (t->cfg->cgroup && cgroup_cpu_usec(t->cfg->cgroup, &c) == 0)
		cpu = c;
	if (cpu > t->cpu_sample_us)
		t->cpu_sample_us = cpu;
	if (mem > t->rss_sum_peak_kb)
		t->rss_sum_peak_kb = mem;
}

static void limit_hit(struct tracer *t, enum sbx_status cause, const char *fmt, ...) _printf_(3, 4);

static void limit_hit(struct tracer *t, enum sbx_status cause, const char *fmt, ...)
{
	va_list ap;

	/* Recorded only if first, but the run ends either way. */
	set_cause(t, cause);
	va_start(ap, fmt);
	vsay(t, SBX_NORMAL, true, fmt, ap);
	va_end(ap);
	kill_all(t);
}

static void on_tick(struct tracer *t)
{
	const struct sbx_limits *l = &t->cfg->limits;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (l->wall_time_ms && elapsed_ms(t, &now) >= l->wall_time_ms) {
		limit_hit(t, SBX_STATUS_WALL_TIME_LIMIT, "wall time limit of %llu ms reached",
			  (unsigned long long)l->wall_time_ms);
		return;
	}
	if (!l->cpu_time_ms && !l->memory_bytes)
		return;
	sample(t);
	if (l->cpu_time_ms && t->cpu_sample_us >= l->cpu_time_ms * 1000)
		limit_hit(t, SBX_STATUS_CPU_TIME_LIMIT,
			  "cpu time limit of %llu ms reached (%llu ms used)",
			  (unsigned long long)l->cpu_time_ms,
			  (unsigned long long)(t->cpu_sample_us / 1000));
	else if (l->memory_bytes && !t->cfg->cgroup && t->rss_sum_peak_kb * 1024 > l->memory_bytes)
		limit_hit(t, SBX_STATUS_MEMORY_LIMIT,
			  "memory limit of %llu KiB exceeded (%llu KiB resident)",
			  (unsigned long long)(l->memory_bytes / 1024),
			  (unsigned long long)t->rss_sum_peak_kb);
}

/* Drop |pid| from the table, and from the exiting threads when it was one. */
static void forget_task(struct tracer *t, pid_t pid)
{
	struct task *task = proctab_find(&t->tasks, pid);

	if (task && (task->flags & TASK_EXITING))
		t->exiting--;
	proctab_remove(&t->tasks, pid);
}

/* --- events ------------------------------------------------------------------ */

static void classify_stop(struct tracer *t, struct event *ev)
{
	struct task *task = proctab_find(&t->tasks, ev->pid);
	bool is_new = false;

	ev->sig = WSTOPSIG(ev->status);
	ev->ptrace_event = ev->status >> 16;
	if (task && (task->flags & TASK_DEAD)) {
		/* A tombstone's pid, reused by a new task of the sandbox. */
		forget_task(t, ev->pid);
		t->tombstones--;
		task = NULL;
	}
	if (!task) {
		/* A new task's first stop can come before its parent's fork event. */
		task = proctab_add(&t->tasks, ev->pid, &is_new);
		if (task) {
			task->flags |= TASK_AWAIT_ATTACH_STOP | TASK_AWAIT_PARENT;
			t->created++;
		}
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
	case PTRACE_EVENT_EXIT:
		ev->kind = EV_EXIT_STOP;
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
		ev->kind = ev->sig == (SIGTRAP | 0x80) ? EV_SYSCALL_STOP : EV_SIGNAL;
		break;
	default:
		ev->kind = EV_OTHER_EVENT;
		break;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Poll for the next stop for a short while before sleeping in waitpid. A
 * tracer asleep on another CPU than its tracee pays for two cross-CPU
 * wake-ups per stop (on the project VM several times the cost of the stop
 * itself); a tracer that is still running when the stop comes pays for
 * none of its own. Spinning only pays when stops come in quick succession,
 * so it is adaptive: a spin that sees nothing doubles the number of waits
 * that will not spin, up to SPIN_BACKOFF_MAX, and a spin that catches a
 * stop resets it. Never on one CPU, and each poll yields: a tracee
 * runnable on the spinner's CPU gets it at once.
 */
static pid_t spin_wait(struct tracer *t, bool killing, int *status, struct rusage *ru)
{
	uint64_t deadline;
	pid_t pid;

	if (!t->spin_cpus || killing)
		return 0;
	if (t->spin_pass) {
		t->spin_pass = false;
		return 0;
	}
	if (t->spin_skip) {
		t->spin_skip--;
		return 0;
	}
	deadline = now_ns() + SPIN_NS;
	do {
		pid = wait4(-1, status, __WALL | __WNOTHREAD | WNOHANG, ru);
		if (pid != 0) {
			if (pid > 0)
				t->spin_backoff = 0;
			return pid;
		}
		/* A tracee that shares our CPU runs now, not after the spin. */
		sched_yield();
	} while (now_ns() < deadline && !t->sig->tick_pending);
	t->spin_backoff = t->spin_backoff ? t->spin_backoff * 2 : 1;
	if (t->spin_backoff > SPIN_BACKOFF_MAX)
		t->spin_backoff = SPIN_BACKOFF_MAX;
	t->spin_skip = t->spin_backoff;
	return 0;
}

/* What next_event()'s wait4 returned (ev->pid, ev->status, |ru|) as an event. */
static bool classify_event(struct tracer *t, struct event *ev, const struct rusage *ru)
{
	if (ev->pid < 0) {
		if (errno == EINTR) {
			t->sig->tick_pending = 0;
			ev->kind = EV_INTERRUPTED;
			return true;
		}
		if (errno != ECHILD)
			t->error = t->error ? t->error : -errno;
		ev->kind = EV_GONE;
		return false;
	}
	if (WIFEXITED(ev->status) || WIFSIGNALED(ev->status)) {
		ev->kind = EV_EXIT;
		ev->maxrss_kb = ru->ru_maxrss;
	} else if (WIFSTOPPED(ev->status))
		classify_stop(t, ev);
	else
		ev->kind = EV_OTHER_EVENT; /* WIFCONTINUED: not asked for */
	return true;
}

static bool next_event(struct tracer *t, struct event *ev)
{
	struct rusage ru = {0};
	/* wait4's rusage costs a sum over the task's threads: only when on_exit_event() uses it. */
	struct rusage *want_ru = exit_stops_dropped(t) ? &ru : NULL;
	bool killing;

	*ev = (struct event){0};
	/* --attach: every task let go or gone (the target may be a child of ours: no ECHILD). */
	if (t->cfg->mode == TRACER_ATTACH && t->tasks.live == t->tombstones) {
		ev->kind = EV_GONE;
		return false;
	}
	if (t->sig->tick_pending) {
		/*
		 * A tick is due, but an event that is already there comes first:
		 * a tick's work (a /proc walk in the kill phase, reading every
		 * task's CPU time) can take longer than its period on a slow or
		 * crowded machine, and a tick handled before every wait would
		 * then never let the run end (seen under emulation: the kill
		 * phase's sweeps, 50 ms apart, each longer than 50 ms).
		 */
		ev->pid = wait4(-1, &ev->status, __WALL | __WNOTHREAD | WNOHANG, want_ru);
		if (ev->pid == 0 || (ev->pid < 0 && errno == EINTR)) {
			t->sig->tick_pending = 0;
			ev->kind = EV_INTERRUPTED;
			return true;
		}
		return classify_event(t, ev, &ru);
	}
	/* The notifier may decide calls while we wait (never across a ptrace request). */
	killing = t->killing;
	unlock_tracer(t);
	ev->pid = spin_wait(t, killing, &ev->status, want_ru);
	if (ev->pid == 0 && t->sig->tick_pending) {
		lock_tracer(t);
		t->sig->tick_pending = 0; /* it came during the spin: no blocking past it */
		ev->kind = EV_INTERRUPTED;
		return true;
	}
	if (ev->pid == 0)
		ev->pid = wait4(-1, &ev->status, __WALL | __WNOTHREAD, want_ru);
	lock_tracer(t);
	return classify_event(t, ev, &ru);
}

/* The task's fork, if one was pending, is over: it either made its child or failed. */
static void settle_fork(struct tracer *t, pid_t pid)
{
	struct task *task = t->pending_forks ? proctab_find(&t->tasks, pid) : NULL;

	if (task && (task->flags & TASK_FORK_PENDING)) {
		task->flags &= ~TASK_FORK_PENDING;
		t->pending_forks--;
	}
}

/* The child never reached exec: read what it sent through the error pipe. */
static void record_start_failure(struct tracer *t)
{
	struct child_error msg = {0};
	ssize_t n = read(t->cfg->err_fd, &msg, sizeof(msg));
	struct strbuf text = {0};
	char op[PATH_MAX + 64];

	if (n != sizeof(msg) && WIFSIGNALED(t->initial_status)) {
		t->died_loading = true; /* see struct tracer */
		return;
	}
	if (n != sizeof(msg)) {
		/* The policy made even the error report fail: only the exit status is left. */
		int st = t->initial_status;

		t->result->status = SBX_STATUS_ERROR;
		t->result->error =
			xstrdup("the program could not be started (no reason was received)");
		t->result->error_exit = WIFEXITED(st) && WEXITSTATUS(st) == SBX_EXIT_NOT_FOUND
						? SBX_EXIT_NOT_FOUND
						: SBX_EXIT_NOT_EXECUTABLE;
		return;
	}
	if (msg.stage == CHILD_STAGE_EXEC)
		strbuf_printf(&text, "%s: %s", t->cfg->program, strerror(msg.err));
	else if (msg.stage == CHILD_STAGE_MOUNT && t->cfg->plan && msg.detail >= 0 &&
		 (size_t)msg.detail < t->cfg->plan->n_ops)
		strbuf_printf(&text, "%s: %s: %s", child_stage_name(msg.stage),
			      isolate_describe_op(&t->cfg->plan->ops[msg.detail], op, sizeof(op)),
			      strerror(msg.err));
	else if (msg.stage == CHILD_STAGE_CHDIR && t->cfg->workdir)
		strbuf_printf(&text, "%s to %s: %s", child_stage_name(msg.stage), t->cfg->workdir,
			      strerror(msg.err));
	else if (msg.stage == CHILD_STAGE_RLIMIT)
		strbuf_printf(&text, "%s %s: %s%s", child_stage_name(msg.stage),
			      child_rlimit_name(msg.detail), strerror(msg.err),
			      msg.err == EPERM
				      ? " (above the hard limit, which only root may raise)"
				      : "");
	else
		strbuf_printf(&text, "%s: %s", child_stage_name(msg.stage), strerror(msg.err));
	t->result->status = SBX_STATUS_ERROR;
	t->result->error = strbuf_steal(&text);
	t->result->error_exit = msg.stage == CHILD_STAGE_EXEC && msg.err == ENOENT
					? SBX_EXIT_NOT_FOUND
				: msg.stage == CHILD_STAGE_EXEC ? SBX_EXIT_NOT_EXECUTABLE
								: SBX_EXIT_ERROR;
}

/* --- --trace and --log ---------------------------------------------------------- */

static pid_t pid_of(struct tracer *t, pid_t tid)
{
	struct task *task = proctab_find(&t->tasks, tid);

	return task ? task_tgid(task) : tid;
}

/* The call's event in the --log file. */
static void log_call(struct tracer *t, pid_t tid, const struct trapped_call *call,
		     const struct decision *d, const char *text, bool has_ret, int64_t ret)
{
	_cleanup_strbuf_ struct strbuf reason = {0};

	if (t->log.fd < 0)
		return;
	report_reason(&reason, d);
	eventlog_call(&t->log, pid_of(t, tid), tid, call, d, text, strbuf_str(&reason), has_ret,
		      ret);
}

/*
 * The --trace line of a call: "sandbox: [pid 42] openat(AT_FDCWD, "/etc/x",
 * O_RDONLY) = -1 ENOENT (No such file or directory) [allowed by the default
 * action]", or "= ?" when the task never returned from it. With --log the
 * event goes to the log file instead.
 */
static void trace_line(struct tracer *t, pid_t tid, const struct trapped_call *call,
		       const struct decision *d, const char *text, bool has_ret, int64_t ret)
{
	_cleanup_strbuf_ struct strbuf line = {0};

	/* --trace-output: the text there, whole (no log limit), and the event in --log too. */
	if (t->trace_out.fd >= 0) {
		report_trace_line(&line, tid, d, text, has_ret, ret);
		sink_write(&t->trace_out, strbuf_str(&line), strlen(strbuf_str(&line)));
		log_call(t, tid, call, d, text, has_ret, ret);
		return;
	}
	if (t->log.fd >= 0) {
		log_call(t, tid, call, d, text, has_ret, ret);
		return;
	}
	report_trace_line(&line, tid, d, text, has_ret, ret);
	emit(t, &line);
}

/* A call that needs its exit stop (struct traced_call); NULL when out of memory. */
static struct traced_call *start_call(struct tracer *t, pid_t tid, const struct trapped_call *call,
				      const struct decision *d)
{
	struct traced_call *c;

	if (t->n_calls == t->cap_calls) {
		size_t cap = t->cap_calls ? 2 * t->cap_calls : 8;
		struct traced_call **grown = realloc(t->calls, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		t->calls = grown;
		t->cap_calls = cap;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->tid = tid;
	c->call = *call;
	c->d = *d;
	c->summary_row = -1;
	t->calls[t->n_calls++] = c;
	return c;
}

/*
 * A traced call the policy lets run: keep its entry until its exit stop,
 * with its decoded text when it gets a |line|, with its start time for
 * --summary (row |summary_row|, or -1).
 */
static bool start_traced_call(struct tracer *t, pid_t tid, const struct trapped_call *call,
			      const struct decision *d, bool line, long summary_row)
{
	_cleanup_strbuf_ struct strbuf text = {0};
	struct traced_call *c = start_call(t, tid, call, d);

	if (!c)
		return false;
	if (line) {
		report_call_text(&text, tid, d, call->args);
		c->text = strbuf_steal(&text);
		c->line = true;
	}
	c->summary_row = summary_row;
	if (summary_row >= 0)
		clock_gettime(CLOCK_MONOTONIC, &c->entry);
	return true;
}

/* Its line, now that its result (|has_ret|) or its end without one is known. */
static void end_traced_call(struct tracer *t, size_t i, bool has_ret, int64_t ret)
{
	struct traced_call *c = t->calls[i];

	if (c->summary_row >= 0) {
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		summary_exit(&t->summary, c->summary_row,
			     (uint64_t)((now.tv_sec - c->entry.tv_sec) * 1000000000LL +
					(now.tv_nsec - c->entry.tv_nsec)),
			     has_ret, ret);
	}
	if (c->line)
		trace_line(t, c->tid, &c->call, &c->d, c->text ? c->text : "?", has_ret, ret);
	t->calls[i] = t->calls[--t->n_calls];
	free(c->text);
	free(c);
}

/* --attach: let |pid| go (with its pending signal |sig|); it runs on untraced. */
static void detach(struct tracer *t, pid_t pid, int sig)
{
	size_t i;

	if (find_call(t, pid, &i))
		end_traced_call(t, i, false, 0);
	ptrace(PTRACE_DETACH, pid, 0L, (long)sig);
	forget_task(t, pid);
}

/* --attach: interrupt every task; each is let go at its next stop (resume()). */
static void start_detach(struct tracer *t)
{
	t->detaching = true;
	proctab_foreach(&t->tasks, task)
	{
		if (!(task->flags & TASK_DEAD))
			ptrace(PTRACE_INTERRUPT, task->tid, 0L, 0L);
	}
}

/* --attach, at each tick: a signal came (arm_detach_signals()) or --detach-after is up. */
static void check_detach(struct tracer *t)
{
	if (!t->detaching &&
	    (t->sig->term_signals || (t->detach_at_ms && monotonic_ms() >= t->detach_at_ms)))
		start_detach(t);
}

static void on_call(struct tracer *t, pid_t pid, const struct trapped_call *call);

/*
 * A syscall stop (PTRACE_SYSCALL). The exit stop of a call kept by
 * start_call(): its result set if it was cancelled, its --trace line.
 * With --attach, also every call's entry stop: the call is judged there,
 * as at a seccomp stop (but not while detaching: it runs on, unseen).
 */
static void on_syscall_stop(struct tracer *t, const struct event *ev)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, ev->pid, sizeof(info), &info);
	bool attach = t->cfg->mode == TRACER_ATTACH, is_exit;
	struct traced_call *c;
	size_t i;
	int r;

	if (attach && n <= 0 && errno != ESRCH) {
		kill_all(t); /* cannot see the call: never let it run blind */
		return;
	}
	if (attach && n > 0 && info.op == PTRACE_SYSCALL_INFO_ENTRY && !t->detaching) {
		struct trapped_call call = {.audit_arch = info.arch, .nr = info.entry.nr};

		memcpy(call.args, info.entry.args, sizeof(call.args));
		on_call(t, ev->pid, &call);
		return;
	}
	is_exit = n > 0 && info.op == PTRACE_SYSCALL_INFO_EXIT;
	c = find_call(t, ev->pid, &i);
	if (c && c->cancelled && is_exit) {
		r = arch_set_return(ev->pid, c->ret);
		if (r < 0 && r != -ESRCH)
			t->error = t->error ? t->error : r;
	}
	if (c)
		end_traced_call(t, i, is_exit,
				c->cancelled ? c->ret
				: is_exit    ? info.exit.rval
					     : 0);
	resume(t, ev->pid, PTRACE_CONT, 0);
}

/* The program's initial process is gone: the run ends (with --attach, its children go on). */
static void initial_ended(struct tracer *t, int status)
{
	t->initial_gone = true;
	t->initial_status = status;
	clock_gettime(CLOCK_MONOTONIC, &t->end);
	if (!t->initial_exec_done)
		record_start_failure(t);
	/* --attach: its children are followed until they end or are let go. */
	if (t->cfg->mode != TRACER_ATTACH)
		kill_all(t);
}

/*
 * A task of the sandbox whose exit we saw as its tracer. If it was an
 * orphan, reparented to this process (a subreaper), its parent is the
 * thread the kernel picked, usually the caller's first, not this one
 * (sbx_run() supervises from a thread of its own): its zombie is ours to
 * reap, by its pid, which our wait just reported and which its zombie still
 * holds. The initial process and the init are this thread's own children,
 * reaped by the wait itself. A task whose parent is another of the
 * sandbox's processes is not this process's child: ECHILD, nothing done.
 */
static void reap_orphan(const struct tracer *t, pid_t pid)
{
	siginfo_t info;

	if (t->cfg->mode == TRACER_ATTACH || pid == t->cfg->initial || pid == t->cfg->init)
		return;
	(void)waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | __WALL);
}

static void on_exit_event(struct tracer *t, const struct event *ev)
{
	struct task *task = proctab_find(&t->tasks, ev->pid);
	/* The init is the sandbox's own: no line or event of the program's. */
	bool known = task && !(task->flags & TASK_DEAD) && ev->pid != t->cfg->init;
	size_t i;

	/* Reaped: its pid, the group's id, may be recycled once the group is empty. */
	if (ev->pid == t->program)
		t->sig->pgid = 0;
	reap_orphan(t, ev->pid);
	/* Gone inside a traced call (exit_group, a kill): it never returned. */
	if (find_call(t, ev->pid, &i))
		end_traced_call(t, i, false, 0);
	if (known && t->log.fd >= 0)
		eventlog_exit(&t->log, task_tgid(task) ? task->tgid : ev->pid, ev->pid, ev->status);

	settle_fork(t, ev->pid);
	/*
	 * Tasks without exit stops (on_attach_stop()) report their process's
	 * peak here. Not the initial process's threads: its figure would count
	 * its life as a copy of the supervisor before its exec.
	 */
	if (exit_stops_dropped(t) && task && task->tgid != 0 && task->tgid != t->program &&
	    task->tgid != t->cfg->init && ev->maxrss_kb > 0 &&
	    (uint64_t)ev->maxrss_kb > t->hwm_peak_kb)
		t->hwm_peak_kb = (uint64_t)ev->maxrss_kb;
	/* A process gone: its CPU clock as its last thread left it (not the init's). */
	if (known && (task->tgid == ev->pid || task->tgid == 0))
		t->dead_cpu_ns += task->cpu_ns;
	if (task && (task->flags & TASK_AWAIT_PARENT) && !(task->flags & TASK_DEAD)) {
		/*
		 * Gone before its parent's fork event was handled: keep a
		 * tombstone, or that event would bring it back to life, and a
		 * later kill could hit whatever process reuses the pid.
		 */
		if (task->flags & TASK_EXITING) {
			task->flags &= ~TASK_EXITING;
			t->exiting--;
		}
		task->flags |= TASK_DEAD;
		t->tombstones++;
	} else if (task && !(task->flags & TASK_DEAD)) {
		if (task->tgid == ev->pid || task->tgid == 0)
			note_zombie(t, ev->pid);
		forget_task(t, ev->pid);
	}
	if (known && WIFEXITED(ev->status))
		say(t, SBX_VERBOSE, "[pid %d] exited with %d", ev->pid, WEXITSTATUS(ev->status));
	else if (known)
		say(t, SBX_VERBOSE, "[pid %d] killed by %s", ev->pid,
		    signal_name(WTERMSIG(ev->status)) ?: "signal");
	if (ev->pid == t->cfg->init)
		t->init_gone = true;
	/* The init gone before it started the program: the start failed. */
	if (ev->pid == t->cfg->init && !t->program) {
		/* It stands for the program that never came: its end is the run's. */
		initial_ended(t, ev->status); /* no exec yet: record_start_failure() */
		t->died_loading = false;      /* killed from outside, not while loading a program */
		return;
	}
	if (ev->pid == t->program)
		initial_ended(t, ev->status);
}

static bool creates_task(const struct decision *d)
{
	const struct syscall_row *row;

	if (d->native_nr >= 0)
		return syscall_has(d->native_nr, SYSCALL_TASK);
	/* A foreign ABI's call this CPU lacks (AArch32's fork, vfork): by its name. */
	row = d->abi != ABI_NATIVE ? syscall_by_name(d->name) : NULL;
	return row && (row->traits & SYSCALL_TASK);
}

/*
 * With a process limit, a call that would create a task past it fails with
 * EAGAIN instead (the first refusal is the run's cause). Tasks in flight
 * (allowed into the call, child not seen yet) count, so two tasks forking
 * at once cannot both slip under the limit.
 */
static void apply_process_limit(struct tracer *t, pid_t pid, struct decision *d)
{
	uint64_t max = t->cfg->limits.processes;
	struct task *task;

	if (!max || (d->kind != DECIDE_ALLOW && d->kind != DECIDE_LOG) || !creates_task(d))
		return;
	prune_zombies(t, NULL);
	/* The init holds a task of the namespace but is not the program's. */
	if (t->tasks.live - t->tombstones - t->exiting - (t->cfg->init && !t->init_gone) +
		    t->pending_forks + t->n_zombies >=
	    max) {
		if (set_cause(t, SBX_STATUS_PROCESS_LIMIT))
			say(t, SBX_NORMAL,
			    "[pid %d] process limit of %llu reached: %s fails with EAGAIN", pid,
			    (unsigned long long)max, d->name);
		d->kind = DECIDE_DENY;
		d->ret = -EAGAIN;
		return;
	}
	task = proctab_find(&t->tasks, pid);
	if (task && !(task->flags & TASK_FORK_PENDING)) {
		task->flags |= TASK_FORK_PENDING;
		t->pending_forks++;
	}
}

/*
 * Signals, prlimit and the like aimed at another process, for a call the
 * policy lets run (targets.h): one outside the sandbox (the supervisor
 * above all) is refused with EPERM and named, or kills the run when the
 * policy's "isolation.outside" says "kill"; a target that is gone, or a
 * zombie of the sandbox's, gets the kernel's own answer without the call
 * ever running (a pid may be reused by then).
 */
static void apply_targets(struct tracer *t, pid_t pid, const struct trapped_call *call,
			  struct decision *d)
{
	enum target_where where;
	uint64_t args[6];
	pid_t target;
	/* i386's fcntl64 is fcntl with a 64-bit lock: the same F_SETOWN */
	int nr = d->native_nr < 0 && strcmp(d->name, "fcntl64") == 0 ? __NR_fcntl : d->native_nr;

	/* A PID namespace leaves nothing outside to aim at: the kernel sees to it. */
	if (t->cfg->pid_namespace || nr < 0 || d->rule == DECIDE_RULE_SETUP ||
	    (d->kind != DECIDE_ALLOW && d->kind != DECIDE_LOG))
		return;
	if (!syscall_has(nr, SYSCALL_TARGET))
		return;
	decide_args(call, d, args);
	where = target_where(&t->tasks, pid, nr, args, &target);
	switch (where) {
	case TARGET_INSIDE:
		return;
	case TARGET_GONE:
	case TARGET_ZOMBIE:
		d->kind = DECIDE_DENY;
		d->ret = where == TARGET_ZOMBIE && syscall_has(nr, SYSCALL_SIGNAL) ? 0 : -ESRCH;
		d->rule = DECIDE_RULE_OUTSIDE;
		d->report = false;
		snprintf(d->note, sizeof(d->note), "no such process: the kernel's answer");
		return;
	case TARGET_OUTSIDE:
	case TARGET_UNSEEN:
		break;
	}
	if (where == TARGET_UNSEEN)
		snprintf(d->note, sizeof(d->note),
			 "its target is in memory, where another thread could change it after a "
			 "look; F_SETOWN names one in a register");
	else if (target == -1)
		snprintf(d->note, sizeof(d->note),
			 "it is aimed at every process (pid -1, or all of a user's)");
	else if (target < 0)
		snprintf(d->note, sizeof(d->note),
			 "its target, process group %d, is outside the sandbox", (int)-target);
	else
		snprintf(d->note, sizeof(d->note), "its target, pid %d, is outside the sandbox",
			 (int)target);
	if (t->cfg->policy->isolation.outside == POLICY_OUTSIDE_KILL) {
		d->kind = DECIDE_KILL;
	} else {
		d->kind = DECIDE_DENY;
		d->ret = -EPERM;
	}
	d->rule = DECIDE_RULE_OUTSIDE;
	d->report = true;
}

#define MFD_NOEXEC_SEAL_FLAG 0x8u  /* Linux 6.3 */
#define MFD_EXEC_FLAG	     0x10u /* Linux 6.3 */

/*
 * No fileless execution: a memfd is code that never touched a disk. One
 * asked for with MFD_EXEC is refused; any other gets MFD_NOEXEC_SEAL added
 * to its flags register, so that nothing can ever execute it, through
 * execve("/proc/self/fd/N") or otherwise. A register, not memory: no
 * thread can change it after the look, and the kernel filters the changed
 * call again before it runs it.
 */
static void apply_fileless(struct tracer *t, const struct trapped_call *call, struct decision *d)
{
	uint64_t args[6];

	if (!t->cfg->no_fileless || d->native_nr != __NR_memfd_create ||
	    d->rule == DECIDE_RULE_SETUP || (d->kind != DECIDE_ALLOW && d->kind != DECIDE_LOG))
		return;
	decide_args(call, d, args);
	if ((args[1] & MFD_EXEC_FLAG) || d->abi != ABI_NATIVE) {
		snprintf(d->note, sizeof(d->note),
			 "the sandbox's isolation: an executable memfd would run code that never "
			 "touched a disk");
		d->kind = DECIDE_DENY;
		d->ret = -EPERM;
		d->rule = DECIDE_RULE_ISOLATION;
		d->report = true;
		return;
	}
	d->set_arg = !(args[1] & MFD_NOEXEC_SEAL_FLAG);
	d->set_index = 1;
	d->set_value = (uint32_t)args[1] | MFD_NOEXEC_SEAL_FLAG;
}

/* The mode a call gives a file, or 0 when it gives none (open without O_CREAT, mknod of a device).
 */
static uint64_t mode_given(int nr, const uint64_t args[6])
{
	const struct syscall_row *row = syscall_by_nr(nr);
	uint64_t mode;

	if (!row || row->setid_arg < 0)
		return 0;
	mode = args[row->setid_arg];
	switch (row->setid_when) {
	case SETID_CREATES: /* the open flags are the argument before the mode */
		return args[row->setid_arg - 1] & (O_CREAT | __O_TMPFILE) ? mode : 0;
	case SETID_REGULAR:
		return (mode & S_IFMT) == 0 || (mode & S_IFMT) == S_IFREG ? mode : 0;
	}
	return mode;
}

/*
 * No setuid or setgid file where the host can see it: the program writes a
 * host directory (a root caller's through an idmapped mount, as root), and
 * a setuid-root file there would make anyone on the host root. The mode is
 * a register: no thread can change it after the look. openat2's is in
 * memory, so openat2 fails with ENOSYS and libc falls back to openat.
 */
static void apply_setid(struct tracer *t, const struct trapped_call *call, struct decision *d)
{
	uint64_t args[6];

	if (!t->cfg->no_setid || d->native_nr < 0 || d->rule == DECIDE_RULE_SETUP ||
	    (d->kind != DECIDE_ALLOW && d->kind != DECIDE_LOG))
		return;
	decide_args(call, d, args);
	if (d->native_nr == __NR_openat2) {
		d->kind = DECIDE_DENY;
		d->ret = -ENOSYS;
		snprintf(d->note, sizeof(d->note),
			 "the sandbox's isolation: openat2's mode is out of sight (ENOSYS: use "
			 "openat)");
	} else if (mode_given(d->native_nr, args) & (S_ISUID | S_ISGID)) {
		d->kind = DECIDE_DENY;
		d->ret = -EPERM;
		snprintf(
			d->note, sizeof(d->note),
			"the sandbox's isolation: no setuid or setgid file where the host sees it");
	} else {
		return;
	}
	d->rule = DECIDE_RULE_ISOLATION;
	d->report = true;
}

/*
 * Filesystem and network rules, for a call the policy lets run: a path the
 * rules forbid is refused here with EACCES and a line naming it (Landlock
 * would refuse it anyway; this is the report, and an early no).
 */
static void apply_paths(struct tracer *t, pid_t pid, const struct trapped_call *call,
			struct decision *d)
{
	_cleanup_strbuf_ struct strbuf note = {0};
	uint64_t args[6];
	enum path_verdict v;

	if (!t->cfg->paths || d->native_nr < 0 || d->rule == DECIDE_RULE_SETUP ||
	    (d->kind != DECIDE_ALLOW && d->kind != DECIDE_LOG))
		return;
	decide_args(call, d, args);
	v = paths_check(t->cfg->paths, pid, d->native_nr, args, &note);
	if (v == PATH_PASS)
		return;
	snprintf(d->note, sizeof(d->note), "%s", strbuf_str(&note));
	d->rule = DECIDE_RULE_PATHS;
	d->report = true;
	if (v == PATH_DENY) {
		d->kind = DECIDE_DENY;
		d->ret = -EACCES;
	} else {
		d->kind = DECIDE_LOG;
	}
}

/*
 * A reported call's line and --log event, unless the same line was written
 * SBX_LOG_BURST times already (then it is counted: tally.h); the first
 * violation's always.
 */
static void report_call(struct tracer *t, pid_t pid, const struct trapped_call *call,
			const struct decision *d)
{
	_cleanup_strbuf_ struct strbuf text = {0};
	_cleanup_strbuf_ struct strbuf line = {0};
	bool first_violation = d->kind == DECIDE_KILL && set_cause(t, SBX_STATUS_VIOLATION);
	bool talk = t->cfg->verbosity >= SBX_NORMAL, written = false;
	struct tally_entry *kind;

	/* -q silences stderr, not the --log file. */
	if (!first_violation && !talk && t->log.fd < 0) {
		(void)tally_count(&t->tally, call, d, NULL, &kind);
		return;
	}
	report_call_text(&text, pid, d, call->args);
	if (!tally_count(&t->tally, call, d, strbuf_str(&text), &kind) && !first_violation) {
		t->result->log_lines_not_shown++; /* a line, an event or both */
		return;
	}
	if (first_violation)
		report_fill_violation(&t->result->violation, pid, call, d, strbuf_str(&text));
	if (talk) {
		report_call_line(&line, pid, d, strbuf_str(&text));
		written = emit_line(t, &line, first_violation);
	}
	if (t->log.fd >= 0) {
		log_call(t, pid, call, d, strbuf_str(&text),
			 d->kind == DECIDE_DENY || d->kind == DECIDE_RETURN, d->ret);
		written = true;
	}
	if (written)
		kind->c.shown++;
}

/* The "calls" event of a kind with events not written (tally_summary()). */
static void log_kind(const struct sbx_call_count *c, void *arg)
{
	eventlog_calls(arg, c);
}

/*
 * The closing summary: each kind of call with lines not shown (the most
 * frequent TALLY_SUMMARY_LINES of them), the lines the log limit held
 * back; then the counts go to the result.
 */
#define TALLY_SUMMARY_LINES 20

static void summarize_calls(struct tracer *t)
{
	_cleanup_strbuf_ struct strbuf lines = {0};
	bool talk = t->cfg->verbosity >= SBX_NORMAL;

	tally_sort(&t->tally);
	tally_summary(&t->tally, talk ? &lines : NULL, TALLY_SUMMARY_LINES, log_kind, &t->log);
	if (talk && t->out_refused)
		strbuf_printf(&lines,
			      "sandbox: %llu lines were not written: past the log limit of %llu "
			      "bytes\n",
			      (unsigned long long)t->out_refused,
			      (unsigned long long)t->cfg->log_limit);
	if (talk)
		emit_line(t, &lines, true);
	t->result->log_lines_not_shown += t->out_refused;
	tally_move(&t->tally, t->result);
}

/*
 * --summary: the table, where the --trace lines go (--trace-output, else the
 * log), whatever the verbosity and the log limit: it was asked for.
 */
static void write_summary(struct tracer *t)
{
	_cleanup_strbuf_ struct strbuf table = {0};

	if (!t->cfg->summary)
		return;
	strbuf_printf(&table, "sandbox: %s calls that stopped in the supervisor (--summary)\n",
		      t->summary.n ? "the" : "no");
	summary_format(&t->summary, &table);
	if (t->trace_out.fd >= 0)
		sink_write(&t->trace_out, strbuf_str(&table), strlen(strbuf_str(&table)));
	else
		(void)emit_line(t, &table, true);
	/* Out of memory: the table was written; the report's "summary" stays null. */
	(void)summary_move(&t->summary, t->result);
}

/*
 * --learn: the call by its native number, arguments as the kernel reads
 * them; a dangerous one's text too, for the comment of its refusal.
 */
static void learn_call(struct learner *l, pid_t pid, const struct trapped_call *call,
		       const struct decision *d)
{
	uint64_t args[6];

	decide_args(call, d, args);
	learn_record(l, d->native_nr, args);
	if (learn_wants_example(l, d->native_nr, args)) {
		_cleanup_strbuf_ struct strbuf text = {0};

		report_call_text(&text, pid, d, call->args);
		learn_example(l, d->native_nr, args, strbuf_str(&text));
	}
}

/*
 * --learn -p BASE: a call the base would kill, by a rule or its default, or
 * refuse by its default is one it lacks: it runs, to be recorded. The
 * answers of the base's errno and return rules stand, and so do the
 * sandbox's own checks, applied after this. True when |d| was such a call.
 */
static bool base_lacks(const struct tracer *t, struct decision *d)
{
	bool by_default = d->rule == DECIDE_RULE_DEFAULT;

	if (!t->cfg->learn || !t->cfg->learn->has_base || (d->rule < 0 && !by_default))
		return false;
	if (d->kind != DECIDE_KILL &&
	    !(by_default && (d->kind == DECIDE_DENY || d->kind == DECIDE_RETURN)))
		return false;
	d->kind = DECIDE_ALLOW;
	d->report = false;
	return true;
}

/*
 * What the policy makes of a call, and then the sandbox's own checks; with
 * --attach the policy alone: a check, not a sandbox (observability.md).
 * |ret_lacks|: see base_lacks().
 */
static void judge(struct tracer *t, pid_t pid, const struct trapped_call *call, bool setup,
		  struct decision *d, bool *ret_lacks)
{
	decide(t->cfg->policy, call,
	       (setup ? DECIDE_SETUP : 0) | (t->cfg->own_netns ? DECIDE_OWN_NETNS : 0), t->counts,
	       d);
	*ret_lacks = base_lacks(t, d);
	if (t->cfg->mode == TRACER_ATTACH)
		return;
	apply_process_limit(t, pid, d);
	apply_targets(t, pid, call, d);
	apply_paths(t, pid, call, d);
	apply_fileless(t, call, d);
	apply_setid(t, call, d);
}

/*
 * A denied call does not run and returns d->ret: at a seccomp stop both at
 * once; at a syscall-entry stop (--attach) it is cancelled now and its
 * result set at its exit stop (on_syscall_stop()). Returns 0 or -errno.
 */
static int skip_call(struct tracer *t, pid_t pid, const struct trapped_call *call,
		     const struct decision *d)
{
	struct traced_call *c;
	int r;

	if (t->cfg->mode != TRACER_ATTACH)
		return arch_skip_syscall(pid, d->ret);
	r = arch_cancel_syscall(pid);
	if (r < 0)
		return r;
	c = start_call(t, pid, call, d);
	if (!c)
		return -ENOMEM;
	c->cancelled = true;
	c->ret = d->ret;
	return 0;
}

/*
 * The line of a call: at its exit stop when traced and let run, else now.
 * A traced call is followed to its exit for its --trace line, or (--summary
 * without --trace) for its time alone: then its line is the ordinary one.
 */
static void show_call(struct tracer *t, pid_t pid, const struct trapped_call *call,
		      const struct decision *d, bool *ret_waits)
{
	bool stops = t->cfg->trace && traceset_has(t->cfg->trace, d->native_nr) &&
		     d->kind != DECIDE_KILL;
	bool traced = stops && !t->cfg->no_trace_lines;
	long row = t->cfg->summary ? summary_count(&t->summary, call, d) : -1;

	*ret_waits = false;
	if (stops && (d->kind == DECIDE_ALLOW || d->kind == DECIDE_LOG)) {
		/* One line at its exit stop, with the result; PTRACE_SYSCALL asks for that stop. */
		*ret_waits = start_traced_call(t, pid, call, d, traced, row);
		if (*ret_waits && !traced && d->report)
			report_call(t, pid, call, d);
		if (*ret_waits)
			return;
		/* out of memory: the ordinary line, without a result */
	}
	if (traced) {
		_cleanup_strbuf_ struct strbuf text = {0};

		report_call_text(&text, pid, d, call->args);
		trace_line(t, pid, call, d, strbuf_str(&text), true, d->ret);
	} else if (d->report) {
		report_call(t, pid, call, d);
	}
}

/* A call stopped before it runs (a seccomp stop; with --attach a syscall-entry stop). */
static void on_call(struct tracer *t, pid_t pid, const struct trapped_call *call)
{
	struct decision d;
	bool setup = pid == t->program && !t->initial_exec_done;
	bool waits, lacks;
	int r;

	judge(t, pid, call, setup, &d, &lacks);
	/* --learn records what the policy let run; with a base, what the base lacks. */
	if (t->cfg->learn && !setup && (d.kind == DECIDE_ALLOW || d.kind == DECIDE_LOG) &&
	    (lacks || !t->cfg->learn->has_base))
		learn_call(t->cfg->learn, pid, call, &d);
	/* A call let run with a changed argument: changed now, or it does not run. */
	if (d.set_arg && (d.kind == DECIDE_ALLOW || d.kind == DECIDE_LOG)) {
		r = arch_set_arg(pid, d.set_index, d.set_value);
		if (r < 0) {
			if (r != -ESRCH)
				kill_all(t);
			return;
		}
	}
	show_call(t, pid, call, &d, &waits);
	switch (d.kind) {
	case DECIDE_ALLOW:
	case DECIDE_LOG:
		resume(t, pid, waits ? PTRACE_SYSCALL : PTRACE_CONT, 0);
		break;
	case DECIDE_DENY:
	case DECIDE_RETURN:
		r = skip_call(t, pid, call, &d);
		if (r < 0 && r != -ESRCH)
			kill_all(t); /* the call must not run */
		else
			resume(t, pid, PTRACE_CONT, 0);
		break;
	case DECIDE_KILL:
		kill_all(t);
		break;
	}
}

/* --- the seccomp listener (notify.h) ------------------------------------------- */

/* A reply to the listener; the caller gone meanwhile (ENOENT) is no error. */
static void respond(struct tracer *t, struct seccomp_notif_resp *resp)
{
	if (ioctl(t->listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT) {
		t->error = t->error ? t->error : -errno;
		kill_all(t);
	}
}

/*
 * Whether judging or showing |d|'s call may have read the caller's memory
 * (a path, a string, a structure): only arguments shown from their
 * register alone are known not to.
 */
static bool reads_memory(const struct decision *d)
{
	const struct syscall_row *row = d->native_nr >= 0 ? syscall_by_nr(d->native_nr) : NULL;

	if (!row || row->n_paths)
		return true;
	for (unsigned int i = 0; i < row->n; i++) {
		switch (row->arg[i]) {
		case A_INT:
		case A_UINT:
		case A_LONG:
		case A_ULONG:
		case A_HEX:
		case A_HEX32:
		case A_PTR:
		case A_FD:
		case A_SIGNAL:
		case A_MODE:
			break;
		default:
			return true;
		}
	}
	return false;
}

/*
 * A call that reached the listener: judged as at a seccomp stop
 * (on_call()), answered without a ptrace request. Its filter sent here
 * only calls whose every answer fits a reply: let run
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE), fail with an errno or return a value,
 * or kill the run (no reply: its SIGKILL ends the wait). The caller is
 * blocked until the reply: it cannot fork, exec or exit meanwhile, and a
 * new task's first stop (its table entry) came before its first call.
 *
 * CONTINUE lets the call run with what its memory holds then, which
 * another thread may have changed since judge() read it: a path argument's
 * check (apply_paths()) is a report, the path is refused by Landlock
 * whatever it says (a ptrace stop has the same window); a pidfd's target
 * (targets.c) is read from the caller's descriptor table, which another
 * thread can change too: Landlock's signal scope answers for it without a
 * PID namespace (supervisor.c). Every other check reads registers only,
 * which no thread can change.
 */
static void on_notified(struct tracer *t, const struct seccomp_notif *n)
{
	struct seccomp_notif_resp resp = {.id = n->id};
	struct trapped_call call = {.audit_arch = n->data.arch, .nr = n->data.nr};
	pid_t pid = (pid_t)n->pid;
	bool setup = pid == t->program && !t->initial_exec_done, waits, lacks;
	struct decision d;
	uint64_t id = n->id;

	memcpy(call.args, n->data.args, sizeof(call.args));
	if (t->killing || pid <= 0) {
		/* Being killed (the call never runs), or a caller we cannot name. */
		resp.error = -EPERM;
		respond(t, &resp);
		return;
	}
	t->notified++;
	settle_fork(t, pid);
	judge(t, pid, &call, setup, &d, &lacks);
	/*
	 * What judge() read, and show_call() will read, of the memory of |pid|
	 * was the caller's only if the caller still waits (pid reuse).
	 */
	if (reads_memory(&d) && ioctl(t->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0)
		return;
	if (t->cfg->learn && !setup && (d.kind == DECIDE_ALLOW || d.kind == DECIDE_LOG) &&
	    (lacks || !t->cfg->learn->has_base))
		learn_call(t->cfg->learn, pid, &call, &d);
	if (d.set_arg && (d.kind == DECIDE_ALLOW || d.kind == DECIDE_LOG)) {
		/* The filter keeps such calls on TRACE (supervisor.c): never let one run unchanged.
		 */
		t->error = t->error ? t->error : -EPROTO;
		kill_all(t);
		return;
	}
	show_call(t, pid, &call, &d, &waits);
	switch (d.kind) {
	case DECIDE_ALLOW:
	case DECIDE_LOG:
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		break;
	case DECIDE_DENY:
	case DECIDE_RETURN:
		/* As arch_skip_syscall() would leave it: an errno's range is an error. */
		if (d.ret < 0 && d.ret >= -4095)
			resp.error = (int32_t)d.ret;
		else
			resp.val = d.ret;
		break;
	case DECIDE_KILL:
		kill_all(t);
		return;
	}
	respond(t, &resp);
}

/*
 * Whether the notifier is to go on: false once the run's end was signalled
 * (|notifier_stop|), or every task of the filter is gone (the listener
 * hangs up: then it waits for the end). Waits until one of those, or a
 * notification.
 */
static bool notifier_wait(const struct tracer *t)
{
	struct pollfd p[2] = {{.fd = t->listener, .events = POLLIN},
			      {.fd = t->notifier_stop, .events = POLLIN}};

	while (poll(p, 2, -1) < 0)
		if (errno != EINTR)
			return false;
	if (p[1].revents)
		return false;
	if (!(p[0].revents & POLLIN)) {
		while (poll(&p[1], 1, -1) < 0 && errno == EINTR)
			;
		return false;
	}
	return true;
}

/*
 * The notifier thread. It sleeps in SECCOMP_IOCTL_NOTIF_RECV, so the
 * caller's synchronous wake-up (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) runs it
 * at once on the caller's CPU, and the reply wakes the caller the same
 * way: no cross-CPU wake-up either way. The tracer thread cannot wait there
 * too: ptrace stops are seen only by wait4(), which nothing can poll
 * without SIGCHLD (a signalfd needs it blocked in every thread of a
 * process that embeds the library).
 *
 * All signals are blocked here but SIGALRM, whose dispatcher (sigstate.c)
 * ignores one sent to a thread: stop_notifier() interrupts the wait with
 * it. When the run's signals were not taken over (no dispatcher), the
 * notifier polls the listener and |notifier_stop| before each receive
 * instead (|notifier_polls|), about 0.3 µs a call more.
 */
static void *notifier_main(void *arg)
{
	struct tracer *t = arg;
	struct seccomp_notif n;

	for (;;) {
		if (t->notifier_polls && !notifier_wait(t))
			break;
		memset(&n, 0, sizeof(n));
		if (ioctl(t->listener, SECCOMP_IOCTL_NOTIF_RECV, &n) == 0) {
			pthread_mutex_lock(&t->lock);
			on_notified(t, &n);
			pthread_mutex_unlock(&t->lock);
			continue;
		}
		/* EINTR (the end, or a caller's alarm), ENOENT (the caller, or every task, gone) */
		if (!t->notifier_polls && !notifier_wait(t))
			break;
	}
	return NULL;
}

/* The child's close(listener, NOTIFY_HANDOVER), before its exec (notify.h). */
static bool is_handover(const struct tracer *t, pid_t pid, const struct trapped_call *call)
{
	return t->cfg->notify && t->listener < 0 && pid == t->program && !t->initial_exec_done &&
	       call->audit_arch == ARCH_NATIVE->audit_arch && call->nr == __NR_close &&
	       call->args[1] == NOTIFY_HANDOVER;
}

/*
 * Our own copy of the child's listener |fd|, and the notifier to serve it;
 * the child's close then runs. Without them the filter's calls would fail
 * with ENOSYS: the run is ended.
 */
static void take_listener(struct tracer *t, pid_t pid, uint64_t fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), r;
	sigset_t all, old;

	t->listener = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	r = t->listener < 0 ? -errno : 0;
	if (pidfd >= 0)
		close(pidfd);
	if (r == 0) {
		t->listener_sync = ioctl(t->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
					 SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
		t->notifier_stop = eventfd(0, EFD_CLOEXEC);
		r = t->notifier_stop < 0 ? -errno : 0;
	}
	if (r == 0) {
		pthread_mutex_lock(&t->lock);
		t->threaded = true;
		t->notifier_polls = !t->sig->st.entered;
		sigfillset(&all);
		if (!t->notifier_polls)
			sigdelset(&all, SIGALRM);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		r = -pthread_create(&t->notifier, NULL, notifier_main, t);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (r < 0) {
			t->threaded = false;
			pthread_mutex_unlock(&t->lock);
		}
	}
	if (r < 0) {
		t->error = t->error ? t->error : r;
		kill_all(t);
	}
}

/* Whether |thread| ended within |ms| (and was joined). */
static bool joined_within(pthread_t thread, long ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += ms * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(thread, NULL, &until) == 0;
}

/* The run is over: the notifier stops, the listener closes. */
static void stop_notifier(struct tracer *t)
{
	uint64_t one = 1;

	if (t->threaded) {
		pthread_mutex_unlock(&t->lock);
		if (write(t->notifier_stop, &one, sizeof(one)) != sizeof(one))
			abort(); /* an eventfd at 0 always takes 1 */
		/* A signal sent just before it entered RECV is lost: again until it is gone. */
		while (!t->notifier_polls && !joined_within(t->notifier, 2))
			pthread_kill(t->notifier, SIGALRM);
		if (t->notifier_polls)
			pthread_join(t->notifier, NULL);
		t->threaded = false;
	}
	if (t->notifier_stop >= 0)
		close(t->notifier_stop);
	if (t->listener >= 0)
		close(t->listener);
	t->notifier_stop = t->listener = -1;
}

static void on_seccomp(struct tracer *t, const struct event *ev)
{
	struct __ptrace_syscall_info info;
	struct trapped_call call;
	long n;

	settle_fork(t, ev->pid);
	n = ptrace(PTRACE_GET_SYSCALL_INFO, ev->pid, sizeof(info), &info);
	if (n < 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		if (n >= 0 || errno != ESRCH)
			kill_all(t); /* cannot see the call: never let it run blind */
		return;
	}
	call.audit_arch = info.arch;
	call.nr = info.seccomp.nr;
	memcpy(call.args, info.seccomp.args, sizeof(call.args));
	if (is_handover(t, ev->pid, &call)) {
		take_listener(t, ev->pid, call.args[0]);
		resume(t, ev->pid, PTRACE_CONT, 0);
		return;
	}
	on_call(t, ev->pid, &call);
}

/*
 * The init's child: the program. SIGINT, SIGTERM, SIGHUP and SIGQUIT sent
 * to the supervisor go to it from now on (before, to the init, which
 * ignores them from outside its namespace but for the second one, SIGKILL).
 */
static void found_program(struct tracer *t, pid_t pid)
{
	t->program = pid;
	t->program_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (t->program_pidfd >= 0)
		tracer_arm_signals(t->sig, t->program_pidfd, pid);
}

static void on_new_child(struct tracer *t, const struct event *ev)
{
	unsigned long msg = 0;
	struct task *child;
	bool is_new;

	settle_fork(t, ev->pid);
	if (ptrace(PTRACE_GETEVENTMSG, ev->pid, 0L, &msg) == 0 && msg) {
		child = proctab_find(&t->tasks, (pid_t)msg);
		if (child && (child->flags & TASK_DEAD)) {
			/*
			 * It came and went before this event: bury it. A process
			 * that its parent has not reaped is a zombie, still holding
			 * its pid (a thread is gone for good).
			 */
			forget_task(t, (pid_t)msg);
			t->tombstones--;
			note_zombie(t, (pid_t)msg);
			resume(t, ev->pid, PTRACE_CONT, 0);
			return;
		}
		if (child)
			child->flags &= ~TASK_AWAIT_PARENT;
		child = proctab_add(&t->tasks, (pid_t)msg, &is_new);
		if (!child) {
			t->error = -ENOMEM;
			kill_all(t);
			return;
		}
		if (is_new) {
			child->flags |= TASK_AWAIT_ATTACH_STOP;
			t->created++;
		}
		/* fork and vfork make processes; clone may make either (found out lazily). */
		if (ev->ptrace_event != PTRACE_EVENT_CLONE || ev->pid == t->cfg->init)
			child->tgid = (pid_t)msg;
		if (ev->pid == t->cfg->init) {
			if (!t->program)
				found_program(t, (pid_t)msg);
			resume(t, ev->pid, PTRACE_CONT, 0);
			return;
		}
		say(t, SBX_VERBOSE, "[pid %d] spawned %s %lu", ev->pid,
		    ev->ptrace_event == PTRACE_EVENT_CLONE ? "thread or process" : "process", msg);
		eventlog_spawn(&t->log, ev->pid, (pid_t)msg,
			       ev->ptrace_event == PTRACE_EVENT_CLONE);
	}
	resume(t, ev->pid, PTRACE_CONT, 0);
}

static void on_exec(struct tracer *t, const struct event *ev)
{
	unsigned long former = 0;
	struct task *task;

	/* A non-leader thread's exec takes over the leader's tid. */
	if (ptrace(PTRACE_GETEVENTMSG, ev->pid, 0L, &former) == 0 && (pid_t)former != ev->pid) {
		struct traced_call *c = find_call(t, (pid_t)former, NULL);
		size_t i;

		settle_fork(t, (pid_t)former);
		forget_task(t, (pid_t)former);
		/* The old leader died inside its traced call, unreported: it never returned. */
		if (find_call(t, ev->pid, &i))
			end_traced_call(t, i, false, 0);
		if (c)
			c->tid = ev->pid; /* its traced execve returns in the leader's tid */
	}
	task = proctab_find(&t->tasks, ev->pid);
	if (task)
		task->tgid = ev->pid;
	if (ev->pid == t->program && !t->initial_exec_done) {
		say(t, SBX_VERBOSE, "decisions: %s",
		    t->listener < 0    ? "at ptrace stops"
		    : t->listener_sync ? "through a seccomp listener (synchronous wake-ups)"
				       : "through a seccomp listener");
		t->initial_exec_done = true;
		/* Its children inherit this: no exec stop for them unless wanted. */
		if (inherited_options(t) != TRACER_PTRACE_OPTIONS)
			ptrace(PTRACE_SETOPTIONS, ev->pid, 0L, inherited_options(t));
	}
	eventlog_exec(&t->log, ev->pid);
	if (t->cfg->verbosity >= SBX_VERBOSE) {
		char exe[4096];

		proc_link(ev->pid, "exe", exe, sizeof(exe));
		say(t, SBX_VERBOSE, "[pid %d] exec \"%s\"", ev->pid, exe);
	}
	resume(t, ev->pid, PTRACE_CONT, 0);
}

/*
 * A thread about to exit: its process's CPU clock so far, kept on the
 * process's leader (the last exit stop of its threads has the final
 * figure, to a few microseconds).
 */
static void note_cpu_clock(struct tracer *t, pid_t tid)
{
	struct task *task = proctab_find(&t->tasks, tid), *leader;
	pid_t tgid = task ? task_tgid(task) : 0;
	uint64_t ns;

	if (!tgid)
		return;
	ns = account_process_cpu_ns(tgid);
	if (tgid == t->cfg->init) {
		t->init_cpu_ns = ns > t->init_cpu_ns ? ns : t->init_cpu_ns;
		return;
	}
	leader = tgid == tid ? task : proctab_find(&t->tasks, tgid);
	if (leader && ns > leader->cpu_ns)
		leader->cpu_ns = ns;
}

/* About to exit: the last moment its process's peak RSS can be read. */
static void on_exit_stop(struct tracer *t, const struct event *ev)
{
	struct task *task;
	char status[2048];
	long hwm = -1, pte, tgid = 0;

	/*
	 * Before its exec the child is a copy of the supervisor: not the
	 * program's memory. Nor is the init's, ever.
	 */
	if (t->initial_exec_done && ev->pid != t->cfg->init &&
	    proc_read(ev->pid, "status", status, sizeof(status)) > 0) {
		tgid = proc_text_field(status, "\nTgid:");
		hwm = proc_text_field(status, "\nVmHWM:");
		pte = t->cfg->limits.memory_bytes ? proc_text_field(status, "\nVmPTE:") : 0;
		if (hwm > 0 && pte > 0)
			hwm += pte;
		if (t->cfg->limits.output_bytes && xfsz_pending(status) &&
		    set_cause(t, SBX_STATUS_OUTPUT_LIMIT))
			say(t, SBX_NORMAL, "[pid %d] output limit of %llu bytes reached", ev->pid,
			    (unsigned long long)t->cfg->limits.output_bytes);
	}

	settle_fork(t, ev->pid);
	/*
	 * A thread (not its process's leader, which stays a zombie until
	 * reaped) is gone from here on: pthread_join() returns only after this
	 * stop, and a process limit counts tasks alive.
	 */
	task = proctab_find(&t->tasks, ev->pid);
	if (task && task->tgid == 0 && tgid > 0)
		task->tgid = (pid_t)tgid; /* made by clone: a thread or a process, known now */
	if (task && task->tgid != 0 && task->tgid != ev->pid &&
	    !(task->flags & (TASK_EXITING | TASK_DEAD))) {
		task->flags |= TASK_EXITING;
		t->exiting++;
	}
	if (hwm > 0 && (uint64_t)hwm > t->hwm_peak_kb)
		t->hwm_peak_kb = (uint64_t)hwm;
	note_cpu_clock(t, ev->pid);
	resume(t, ev->pid, PTRACE_CONT, 0);
}

static void on_signal(struct tracer *t, const struct event *ev)
{
	settle_fork(t, ev->pid);
	/* RLIMIT_FSIZE was hit; delivered to tracers even when the program ignores it. */
	if (ev->sig == SIGXFSZ && t->cfg->limits.output_bytes &&
	    set_cause(t, SBX_STATUS_OUTPUT_LIMIT))
		say(t, SBX_NORMAL, "[pid %d] output limit of %llu bytes reached", ev->pid,
		    (unsigned long long)t->cfg->limits.output_bytes);
	resume(t, ev->pid, PTRACE_CONT, ev->sig);
}

/*
 * A new task's first stop. Its exit stop is only needed to read its peak
 * RSS for a memory limit (VmHWM, VmPTE) or to settle a pending fork for a
 * process limit; without those the peak comes from wait4's rusage at its
 * exit event, and dropping PTRACE_O_TRACEEXIT saves one stop per task
 * (its own children inherit the options). The initial process keeps it:
 * its rusage would count the supervisor's copy it was before its exec.
 * Its exec stop is dropped the same way when nothing reports execs
 * (task_options()).
 */
static void on_attach_stop(struct tracer *t, const struct event *ev)
{
	struct task *task = proctab_find(&t->tasks, ev->pid);
	long options;

	if (task)
		task->flags &= ~TASK_AWAIT_ATTACH_STOP;
	/* --attach: a seized task's interrupt, or a new child's start; options as they are. */
	if (t->cfg->mode == TRACER_ATTACH) {
		resume(t, ev->pid, PTRACE_CONT, 0);
		return;
	}
	/* Before the program is known, only the init has made a task: this is it. */
	if (t->cfg->init && !t->program) {
		found_program(t, ev->pid);
		if (task)
			task->tgid = ev->pid;
	}
	/*
	 * It has its creator's options: the program's after its exec, or
	 * those set here. The program, the init's child, gets back the exit
	 * stop the init lacks (supervisor.c).
	 */
	options = task_options(t, task, ev->pid);
	if (options != inherited_options(t) || ev->pid == t->program)
		ptrace(PTRACE_SETOPTIONS, ev->pid, 0L, options);
	/*
	 * Without its exec stop the new task runs its exec, if not its whole
	 * life, before its next stop: no spin for it, and the spins' backoff
	 * (spin_wait()) left as the stops in quick succession set it.
	 */
	if (!(options & PTRACE_O_TRACEEXEC))
		t->spin_pass = true;
	resume(t, ev->pid, PTRACE_CONT, 0);
}

/* A tick: limits, or (--attach) a detach request; in the kill phase, the kill again. */
static void on_interrupted(struct tracer *t)
{
	if (t->killing) {
		/*
		 * The sweep waits for the first tick: a run that ends with
		 * nothing left (waitpid says ECHILD at once) has no orphan to
		 * look for, and a /proc walk costs more than a whole short run.
		 */
		kill_all(t);
		if (t->cfg->mode != TRACER_ATTACH) /* not our subreaper's orphans */
			sweep_children(t);
	} else if (t->cfg->mode == TRACER_ATTACH) {
		check_detach(t);
	} else {
		on_tick(t);
	}
}

static bool dispatch_event(struct tracer *t, const struct event *ev)
{
	if (ev->kind == EV_GONE)
		return false;
	if (ev->kind == EV_INTERRUPTED) {
		on_interrupted(t);
		return true;
	}
	if (ev->kind == EV_EXIT) {
		on_exit_event(t, ev);
		return true;
	}
	if (t->killing) {
		/* Stopped before our SIGKILL arrived, or born since: it dies now. */
		if (ev->kind == EV_EXIT_STOP)
			on_exit_stop(t, ev);
		else
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
	case EV_EXIT_STOP:
		on_exit_stop(t, ev);
		break;
	case EV_ATTACH_STOP:
		on_attach_stop(t, ev);
		break;
	case EV_GROUP_STOP:
		/* Stay stopped, but keep reporting: SIGCONT will wake it. */
		settle_fork(t, ev->pid);
		resume(t, ev->pid, PTRACE_LISTEN, 0);
		break;
	case EV_SIGNAL:
		on_signal(t, ev);
		break;
	case EV_SYSCALL_STOP:
		on_syscall_stop(t, ev);
		break;
	case EV_RESTART_STOP:
	case EV_OTHER_EVENT:
		settle_fork(t, ev->pid);
		resume(t, ev->pid, PTRACE_CONT, 0);
		break;
	case EV_GONE:
	case EV_INTERRUPTED:
	case EV_EXIT:
		break;
	}
	return true;
}

/* --- the verdict ---------------------------------------------------------------- */

static void account(struct tracer *t)
{
	struct sbx_result *r = t->result;
	uint64_t cpu, peak_kb = t->hwm_peak_kb, cg;

	/*
	 * Every process is gone: with CPU clocks, their sum; else what our
	 * children used, less the init's own start-up (the program's set-up
	 * in its child before exec counts either way).
	 */
	if (cpu_by_clocks(t))
		cpu = t->dead_cpu_ns / 1000;
	else
		cpu = sub_floor(reaped_cpu_us(t), t->init_cpu_ns / 1000);
	if (t->cfg->cgroup && cgroup_cpu_usec(t->cfg->cgroup, &cg) == 0)
		cpu = cg;
	/* Every process is reaped now: the figure is final, never below a sample. */
	if (t->cpu_sample_us > cpu)
		cpu = t->cpu_sample_us;
	if (t->rss_sum_peak_kb > peak_kb)
		peak_kb = t->rss_sum_peak_kb;
	r->memory_source = SBX_MEMORY_SOURCE_RUSAGE;
	if (t->cfg->cgroup && cgroup_memory_peak(t->cfg->cgroup, &cg) == 0) {
		peak_kb = cg / 1024;
		r->memory_source = SBX_MEMORY_SOURCE_CGROUP;
	}
	r->cpu_time_ms = cpu / 1000;
	r->memory_peak_kb = peak_kb;
	r->processes = t->created;
	r->limits = t->cfg->limits;
	if (!t->initial_gone)
		clock_gettime(CLOCK_MONOTONIC, &t->end);
	r->wall_time_ms = elapsed_ms(t, &t->end);
}

/* A limit no tick saw, judged from the final figures. */
static bool final_limit(struct tracer *t, enum sbx_status *ret)
{
	const struct sbx_limits *l = &t->cfg->limits;
	uint64_t ooms = 0;

	if (l->cpu_time_ms && t->result->cpu_time_ms >= l->cpu_time_ms)
		*ret = SBX_STATUS_CPU_TIME_LIMIT;
	else if (l->memory_bytes && t->result->memory_peak_kb * 1024 > l->memory_bytes)
		*ret = SBX_STATUS_MEMORY_LIMIT;
	else if (l->memory_bytes && t->cfg->cgroup &&
		 cgroup_oom_kills(t->cfg->cgroup, &ooms) == 0 && ooms > 0)
		*ret = SBX_STATUS_MEMORY_LIMIT;
	else
		return false;
	return true;
}

/*
 * RLIMIT_FSIZE is the limit itself, so no file the program writes grows
 * past it; an attempt to write more is a SIGXFSZ, seen at its stop even
 * when ignored, or pending at an exit stop when blocked. The standard
 * streams' files are checked once more here (a file the supervisor found
 * already longer is cut back): never past the limit.
 */
static bool output_over(struct tracer *t)
{
	uint64_t max = t->cfg->limits.output_bytes;
	bool over = false;
	struct stat st;

	for (int i = 0; max && i < 2; i++) {
		int fd = t->cfg->output_fds[i];

		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
		    (uint64_t)st.st_size <= max)
			continue;
		over = true;
		if (ftruncate(fd, (off_t)max) < 0)
			t->error = t->error ? t->error : -errno;
	}
	return over;
}

/*
 * The verdict, in this order: (1) the first cause that ended the run (a
 * violation, or a CPU, wall or memory limit seen while it ran); (2) CPU or
 * memory over the limit in the final figures; (3) a refused fork or the
 * output limit (the program was told, and may have gone on); (4) how the
 * initial process ended.
 */
static void finish(struct tracer *t)
{
	struct sbx_result *r = t->result;
	int st = t->initial_status;
	bool loading = t->died_loading;
	enum sbx_status late;

	if (t->cfg->mode != TRACER_ATTACH)
		account(t);
	r->exit_code = t->initial_gone && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->signal = t->initial_gone && WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	if (t->cfg->mode == TRACER_ATTACH) {
		/* No limits: a violation, or how it ended, or let go still running. */
		r->status = t->have_fatal			? t->fatal
			    : !t->initial_gone && t->detaching	? SBX_STATUS_DETACHED
			    : !t->initial_gone || WIFEXITED(st) ? SBX_STATUS_EXITED
								: SBX_STATUS_SIGNALED;
		return;
	}
	if (output_over(t))
		set_cause(t, SBX_STATUS_OUTPUT_LIMIT);
	if (loading && t->cfg->limits.memory_bytes)
		set_cause(t, SBX_STATUS_MEMORY_LIMIT);
	if (r->status == SBX_STATUS_ERROR && r->error)
		return; /* never started */
	if (final_limit(t, &late)) {
		if (!(t->hits & (1u << late)))
			eventlog_limit(&t->log, sbx_status_name(late));
		t->hits |= 1u << late;
	}
	if (t->have_fatal)
		r->status = t->fatal;
	else if (final_limit(t, &late))
		r->status = late;
	else if (t->have_soft)
		r->status = t->soft;
	else
		r->status = WIFEXITED(st) ? SBX_STATUS_EXITED : SBX_STATUS_SIGNALED;
	r->limits_hit = t->hits;
}

static int usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	return CPU_COUNT(&set);
}

/*
 * The tasks the loop starts with: the seized child, or (--attach) every
 * task attach.c seized, each to be resumed from its first stop. False when
 * out of memory.
 */
static bool add_first_tasks(struct tracer *t)
{
	const struct tracer_config *cfg = t->cfg;
	struct task *task;
	bool is_new;

	if (cfg->mode != TRACER_ATTACH) {
		task = proctab_add(&t->tasks, cfg->initial, &is_new);
		if (task)
			task->tgid = cfg->initial;
		return task != NULL;
	}
	for (size_t i = 0; i < cfg->n_seized; i++) {
		task = proctab_add(&t->tasks, cfg->seized[i], &is_new);
		if (!task)
			return false;
		task->flags |= TASK_AWAIT_ATTACH_STOP;
		(void)task_tgid(task); /* while it cannot be gone yet */
	}
	return true;
}

/* The run's signals and ticks: limits, or (--attach) detach requests. */
static void start_ticks(struct tracer *t)
{
	const struct sbx_limits *l = &t->cfg->limits;

	if (t->cfg->mode == TRACER_ATTACH) {
		if (t->cfg->detach_after_ms)
			t->detach_at_ms = monotonic_ms() + t->cfg->detach_after_ms;
		/* No tick without our SIGALRM handler: the default action would end us. */
		if (arm_detach_signals(t->sig) == 0)
			set_timer(t, DETACH_TICK_MS);
	} else if (l->cpu_time_ms || l->wall_time_ms || l->memory_bytes) {
		set_timer(t, TICK_MS);
	}
}

int tracer_run(const struct tracer_config *cfg, struct sbx_result *ret)
{
	bool attach = cfg->mode == TRACER_ATTACH;
	struct tracer t = {.cfg = cfg,
			   .result = ret,
			   .created = cfg->init ? 0 : 1,
			   .program = cfg->init ? 0 : cfg->initial,
			   .initial_exec_done = attach, /* running already */
			   .program_pidfd = -1,
			   .listener = -1,
			   .notifier_stop = -1,
			   .clk_tck = sysconf(_SC_CLK_TCK),
			   .page_kb = sysconf(_SC_PAGESIZE) / 1024};
	struct event ev;

	t.own_signals.pidfd = -1;
	t.sig = cfg->signals ? cfg->signals : &t.own_signals;
	t.counts = calloc(policy_rule_count(cfg->policy) + 1, sizeof(*t.counts));
	t.spin_cpus = usable_cpus() > 1;
	eventlog_open(&t.log, cfg->event_fd);
	t.out = (struct sink){
		.fd = cfg->log_fd, .socket = fd_is_socket(cfg->log_fd), .broken = cfg->log_broken};
	t.trace_out = (struct sink){.fd = cfg->trace_output ? cfg->trace_fd : -1};
	t.trace_out.socket = fd_is_socket(t.trace_out.fd);
	if (!t.counts || !add_first_tasks(&t)) {
		t.error = -ENOMEM;
		if (attach) {
			t.detaching = true; /* the tasks run on, let go at their first stop */
		} else {
			kill(cfg->initial, SIGKILL);
			t.killing = true;
		}
	}
	pthread_mutex_init(&t.lock, NULL);
	start_ticks(&t);
	while (next_event(&t, &ev) && dispatch_event(&t, &ev))
		;
	stop_notifier(&t);
	pthread_mutex_destroy(&t.lock);
	if (t.notified)
		say(&t, SBX_VERBOSE, "%llu calls decided through the seccomp listener",
		    (unsigned long long)t.notified);
	set_timer(&t, 0);
	while (t.n_calls)
		end_traced_call(&t, t.n_calls - 1, false, 0);
	summarize_calls(&t);
	write_summary(&t);
	sink_drain(&t.out, SINK_DRAIN_MS);
	if (t.out.dropped)
		say_always(&t, "%lu lines were dropped: their output was blocked", t.out.dropped);
	free(t.calls);
	proctab_free(&t.tasks);
	free(t.counts);
	free(t.zombies);
	if (t.program_pidfd >= 0) {
		tracer_arm_signals(t.sig, -1, 0);
		close(t.program_pidfd);
	}
	if (attach)
		tracer_arm_signals(t.sig, -1, 0);
	else if (!t.initial_gone && !t.init_gone && !t.error)
		t.error = -ECHILD;
	finish(&t);
	/* Once it was stuck for good, not long again. */
	sink_drain(&t.out, t.out.dropped ? SINK_WAIT_MS : SINK_DRAIN_MS);
	sink_free(&t.out);
	sink_drain(&t.trace_out, t.trace_out.dropped ? SINK_WAIT_MS : SINK_DRAIN_MS);
	sink_free(&t.trace_out);
	summary_free(&t.summary);
	eventlog_close(&t.log);
	return t.error;
}
