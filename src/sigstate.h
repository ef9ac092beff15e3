/* SPDX-License-Identifier: MIT */
/*
 * sigstate.h - the supervisor's own signals during a run, whatever it
 * inherited: a caller may have SIGALRM blocked (job runners and language
 * runtimes do, and the mask survives fork and exec) or its own handlers
 * (a program embedding the library). For the run, the supervisor's
 * handlers are installed and its signals unblocked in the calling thread,
 * and its tick is a timer aimed at that thread alone (SIGEV_THREAD_ID:
 * another thread of an embedding program never takes it); afterwards the
 * caller's actions and mask are put back.
 */
#ifndef SBX_SIGSTATE_H
#define SBX_SIGSTATE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define SIGSTATE_MAX 8

struct sigstate {
	int sigs[SIGSTATE_MAX]; /* the signals taken over; SIGALRM last */
	struct sigaction old[SIGSTATE_MAX];
	size_t n;
	sigset_t old_mask;
	timer_t timer;
	bool have_timer;
	bool entered;
};

/*
 * Take over |sigs| (|n| of them, at most SIGSTATE_MAX - 1) with |on_signal|
 * and SIGALRM with |on_tick|, both without SA_RESTART (they interrupt a
 * blocked wait), and unblock them in this thread. Returns 0 or -errno.
 */
int sigstate_enter(struct sigstate *st, const int *sigs, size_t n, void (*on_signal)(int),
		   void (*on_tick)(int));

/* A SIGALRM to this thread every |ms| milliseconds (0: none). Returns 0 or -errno. */
int sigstate_tick(struct sigstate *st, unsigned int ms);

/* The timer deleted, the caller's actions and mask back. Idempotent. */
void sigstate_leave(struct sigstate *st);

#endif
