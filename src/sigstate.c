/* SPDX-License-Identifier: MIT */
/* sigstate.c - the supervisor's own signals during a run (sigstate.h). */
#include "sigstate.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigstate_enter(struct sigstate *st, const int *sigs, size_t n, void (*on_signal)(int),
		   void (*on_tick)(int))
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t ours;

	if (n >= SIGSTATE_MAX)
		return -EINVAL;
	*st = (struct sigstate){0};
	sigemptyset(&sa.sa_mask);
	sigemptyset(&ours);
	for (size_t i = 0; i <= n; i++) {
		st->sigs[i] = i < n ? sigs[i] : SIGALRM;
		sa.sa_handler = i < n ? on_signal : on_tick;
		if (sigaction(st->sigs[i], &sa, &st->old[i]) < 0) {
			int r = -errno;

			st->n = i;
			sigstate_leave(st);
			return r;
		}
		st->n = i + 1;
		sigaddset(&ours, st->sigs[i]);
	}
	pthread_sigmask(SIG_UNBLOCK, &ours, &st->old_mask);
	st->entered = true;
	return 0;
}

int sigstate_tick(struct sigstate *st, unsigned int ms)
{
	struct itimerspec its = {0};

	if (!st->have_timer) {
		struct sigevent sev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGALRM};

		if (ms == 0)
			return 0;
		sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
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
	for (size_t i = st->n; i > 0; i--)
		sigaction(st->sigs[i - 1], &st->old[i - 1], NULL);
	st->n = 0;
	if (st->entered)
		pthread_sigmask(SIG_SETMASK, &st->old_mask, NULL);
	st->entered = false;
}
