/* SPDX-License-Identifier: MIT */
/* sigstate.c - the supervisor's own signals during a run (sigstate.h). */
#include "sigstate.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The process's part, shared by every run in it (signal actions and the
 * subreaper flag are per process): guarded by |lock|; the handler only
 * reads |runs|.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigstate *_Atomic runs[SIGSTATE_MAX_RUNS];
static atomic_int dispatching; /* handlers between reading |runs| and returning */
static unsigned int users[_NSIG];
static struct sigaction saved[_NSIG];
static unsigned int reaper_users;
static int saved_reaper, saved_dumpable;
static struct sigaction saved_chld;

static bool takes(const struct sigstate *st, int sig)
{
	for (size_t i = 0; i + 1 < st->n && i < SIGSTATE_MAX; i++)
		if (st->sigs[i] == sig)
			return true;
	return false;
}

/*
 * A SIGALRM that is no run's tick (the caller's alarm(), setitimer() or
 * timer) goes to the caller's own handler, from whatever thread it came
 * to; with the default action or ignored it is dropped for the run. One
 * sent to a thread (SI_TKILL) is a wake-up of ours (waitopen.c), not the
 * caller's.
 */
static void pass_on_alarm(int sig, siginfo_t *info, void *uctx)
{
	const struct sigaction *sa = &saved[sig];

	if (sa->sa_flags & SA_SIGINFO)
		sa->sa_sigaction(sig, info, uctx);
	else if (sa->sa_handler != SIG_DFL && sa->sa_handler != SIG_IGN)
		sa->sa_handler(sig);
}

static void dispatch(int sig, siginfo_t *info, void *uctx)
{
	int saved_errno = errno;
	bool tick = false;

	atomic_fetch_add(&dispatching, 1);

	for (int i = 0; i < SIGSTATE_MAX_RUNS; i++) {
		struct sigstate *st = atomic_load(&runs[i]);

		if (!st)
			continue;
		if (sig == SIGALRM && info->si_code == SI_TIMER &&
		    info->si_value.sival_ptr == (void *)st) {
			tick = true;
			if (st->on_tick)
				st->on_tick(st->data);
		} else if (sig != SIGALRM && takes(st, sig)) {
			st->on_signal(sig, st->data);
		}
	}
	if (sig == SIGALRM && !tick && info->si_code != SI_TKILL)
		pass_on_alarm(sig, info, uctx);
	atomic_fetch_sub(&dispatching, 1);
	errno = saved_errno;
}

/*
 * With |lock| held: one more user of |sig|'s dispatcher. A signal other than
 * SIGALRM that the caller ignores stays ignored, no run sees it: nohup(1)
 * or a shell's background job (SIGINT, SIGQUIT) meant it for the whole
 * command, the program the supervisor would forward it to included.
 */
static int use(int sig)
{
	struct sigaction sa = {.sa_sigaction = dispatch, .sa_flags = SA_SIGINFO};

	sigemptyset(&sa.sa_mask);
	if (users[sig]++ != 0)
		return 0;
	if (sigaction(sig, NULL, &saved[sig]) < 0) {
		users[sig] = 0;
		return -errno;
	}
	/* The kernel ignores a handler of SIG_IGN's value whatever SA_SIGINFO says. */
	if (sig != SIGALRM && saved[sig].sa_handler == SIG_IGN)
		return 0;
	if (sigaction(sig, &sa, NULL) < 0) {
		users[sig] = 0;
		return -errno;
	}
	return 0;
}

/* With |lock| held: one fewer; the last puts the caller's action back. */
static void unuse(int sig)
{
	if (users[sig] && --users[sig] == 0)
		sigaction(sig, &saved[sig], NULL);
}

int sigstate_enter(struct sigstate *st, const int *sigs, size_t n,
		   void (*on_signal)(int sig, void *data), void (*on_tick)(void *data), void *data)
{
	sigset_t ours;
	int r = -EBUSY;

	if (n >= SIGSTATE_MAX)
		return -EINVAL;
	*st = (struct sigstate){.on_signal = on_signal,
				.on_tick = on_tick,
				.data = data,
				.tid = (pid_t)syscall(SYS_gettid)};
	sigemptyset(&ours);
	pthread_mutex_lock(&lock);
	for (int i = 0; i < SIGSTATE_MAX_RUNS && !st->slot; i++)
		if (!atomic_load(&runs[i])) {
			st->slot = i + 1;
			atomic_store(&runs[i], st);
		}
	for (size_t i = 0; st->slot && i <= n; i++) {
		st->sigs[i] = i < n ? sigs[i] : SIGALRM;
		r = use(st->sigs[i]);
		if (r < 0)
			break;
		st->n = i + 1;
		sigaddset(&ours, st->sigs[i]);
	}
	pthread_mutex_unlock(&lock);
	if (r < 0) {
		sigstate_leave(st);
		return r;
	}
	pthread_sigmask(SIG_UNBLOCK, &ours, &st->old_mask);
	st->entered = true;
	return 0;
}

int sigstate_tick(struct sigstate *st, unsigned int ms)
{
	struct itimerspec its = {0};

	if (!st->have_timer) {
		struct sigevent sev = {.sigev_notify = SIGEV_THREAD_ID,
				       .sigev_signo = SIGALRM,
				       .sigev_value.sival_ptr = st};

		if (ms == 0)
			return 0;
		sev._sigev_un._tid = st->tid;
		if (timer_create(CLOCK_MONOTONIC, &sev, &st->timer) < 0)
			return -errno;
		st->have_timer = true;
	}
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	its.it_interval = its.it_value;
	return timer_settime(st->timer, 0, &its, NULL) < 0 ? -errno : 0;
}

void sigstate_leave(struct sigstate *st)
{
	if (st->have_timer) {
		timer_delete(st->timer);
		st->have_timer = false;
	}
	if (st->entered)
		pthread_sigmask(SIG_SETMASK, &st->old_mask, NULL);
	st->entered = false;
	pthread_mutex_lock(&lock);
	if (st->slot)
		atomic_store(&runs[st->slot - 1], NULL);
	st->slot = 0;
	/* A handler that read |st| before it left the table is done with it before it goes. */
	while (atomic_load(&dispatching))
		sched_yield();
	for (size_t i = st->n; i > 0; i--)
		unuse(st->sigs[i - 1]);
	st->n = 0;
	pthread_mutex_unlock(&lock);
}

void sigstate_reaper_enter(void)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};

	pthread_mutex_lock(&lock);
	if (reaper_users++ == 0) {
		if (prctl(PR_GET_CHILD_SUBREAPER, &saved_reaper) < 0)
			saved_reaper = 0;
		saved_dumpable = prctl(PR_GET_DUMPABLE);
		prctl(PR_SET_CHILD_SUBREAPER, 1);
		sigemptyset(&dfl.sa_mask);
		sigaction(SIGCHLD, &dfl, &saved_chld);
	}
	pthread_mutex_unlock(&lock);
}

unsigned int sigstate_reaper_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&lock);
	n = reaper_users;
	pthread_mutex_unlock(&lock);
	return n;
}

/*
 * A SIGCHLD of a caller's child during the run met the default action and
 * was lost: when the caller's handler is back and one of its children has
 * news to wait for (looked at, not taken: WNOWAIT), it gets one now.
 */
static void tell_caller_of_children(void)
{
	siginfo_t info = {0};

	if (saved_chld.sa_handler == SIG_DFL || saved_chld.sa_handler == SIG_IGN)
		return;
	if (waitid(P_ALL, 0, &info, WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT | __WALL) ==
		    0 &&
	    info.si_pid > 0)
		kill(getpid(), SIGCHLD);
}

void sigstate_reaper_leave(void)
{
	pthread_mutex_lock(&lock);
	if (reaper_users && --reaper_users == 0) {
		prctl(PR_SET_CHILD_SUBREAPER, saved_reaper);
		if (saved_dumpable >= 0)
			prctl(PR_SET_DUMPABLE, saved_dumpable);
		sigaction(SIGCHLD, &saved_chld, NULL);
		tell_caller_of_children();
	}
	pthread_mutex_unlock(&lock);
}
