/* SPDX-License-Identifier: MIT */
/*
 * sigstate.h - the supervisor's own signals during a run, whatever it
 * inherited: a caller may have SIGALRM blocked (job runners and language
 * runtimes do, and the mask survives fork and exec) or its own handlers
 * (a program embedding the library).
 *
 * Signal actions belong to the whole process, and a program may run several
 * sandboxes at once from several threads. So the first run to enter installs
 * one dispatcher per signal (saving the caller's action) and the last to
 * leave puts the caller's actions back; in between, a signal sent to the
 * process (SIGINT, SIGTERM...) reaches the callback of every run that asked
 * for it (one the caller ignores stays ignored: no run sees it), and the
 * tick (SIGALRM from a timer aimed at one thread, SIGEV_THREAD_ID,
 * carrying the run's state as its value) only the run whose timer it is;
 * any other SIGALRM (the caller's alarm() or timers) is passed to the
 * caller's saved handler. The signal mask is the calling thread's own:
 * unblocked for the run, restored after.
 *
 * The same for the two other process-wide settings a run needs, see
 * sigstate_reaper_enter().
 */
#ifndef SBX_SIGSTATE_H
#define SBX_SIGSTATE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define SIGSTATE_MAX 8

/*
 * Runs one process holds at once: sigstate_enter() fails with -EBUSY past
 * it, so sbx_run() makes further callers wait for a run to end (api.c).
 */
#define SIGSTATE_MAX_RUNS 64

struct sigstate {
	int sigs[SIGSTATE_MAX]; /* the signals taken over; SIGALRM last */
	size_t n;
	void (*on_signal)(int sig, void *data); /* in a signal handler: async-signal-safe */
	void (*on_tick)(void *data);
	void *data;
	pid_t tid; /* the thread that entered: its timer's ticks are aimed at it */
	int slot;  /* index + 1 in the process's table of runs; 0 (a zeroed state): none */
	sigset_t old_mask;
	timer_t timer;
	bool have_timer;
	bool entered;
};

/*
 * Take over |sigs| (|n| of them, at most SIGSTATE_MAX - 1) for |on_signal|
 * and SIGALRM for |on_tick|, both called with |data| from the handler, which
 * has no SA_RESTART (they interrupt a blocked wait); unblock them in this
 * thread. |st| must stay in place until sigstate_leave(). Returns 0 or
 * -errno (-EBUSY: more runs at once than the table holds, 64).
 */
int sigstate_enter(struct sigstate *st, const int *sigs, size_t n,
		   void (*on_signal)(int sig, void *data), void (*on_tick)(void *data), void *data);

/* A SIGALRM to this thread every |ms| milliseconds (0: none). Returns 0 or -errno. */
int sigstate_tick(struct sigstate *st, unsigned int ms);

/* The timer deleted, this thread's mask back, and for the last run the caller's actions. */
void sigstate_leave(struct sigstate *st);

/*
 * For the length of a run: the process is a child subreaper
 * (PR_SET_CHILD_SUBREAPER: the sandbox's orphans come back to it and cannot
 * escape the kill) and SIGCHLD has its default action (a caller that
 * ignores it would have its children reaped automatically, their status
 * lost); the run makes the process non-dumpable once its child is seized
 * (supervisor.c). Counted: the last sigstate_reaper_leave() restores all
 * three as they were before the first enter, then sends the process a
 * SIGCHLD if the caller's handler is back and a child of the caller has a
 * state change waiting (its own SIGCHLD met the default action).
 */
void sigstate_reaper_enter(void);
void sigstate_reaper_leave(void);

/* How many runs of this process are between enter and leave now. */
unsigned int sigstate_reaper_count(void);

#endif
