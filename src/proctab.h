/* SPDX-License-Identifier: MIT */
/*
 * proctab.h - the supervisor's table of traced tasks (threads and
 * processes alike), keyed by tid. An open-addressing hash: lookups on the
 * per-stop path are O(1) and allocation-free.
 */
#ifndef SBX_PROCTAB_H
#define SBX_PROCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum task_flags {
	TASK_AWAIT_ATTACH_STOP = 1u << 0, /* auto-attached; its first stop is the attach stop */
	TASK_FORK_PENDING = 1u << 1,	  /* allowed into fork/clone; its child not seen yet */
	TASK_AWAIT_PARENT = 1u << 2,	  /* seen before its parent's fork event */
	TASK_DEAD = 1u << 3,		  /* exited before that event: a tombstone until it comes */
	TASK_EXITING = 1u << 4, /* a thread past its exit stop: gone for a process limit */
};

struct task {
	pid_t tid;  /* 0: free slot; -1: deleted slot */
	pid_t tgid; /* its process (thread group); 0 when not known yet */
	unsigned int flags;
	uint64_t cpu_ns; /* a process leader: its CPU clock at its threads' last exit stop */
};

struct proctab {
	struct task *slots;
	size_t cap;  /* power of two */
	size_t used; /* live + deleted */
	size_t live;
};

/* Find |tid|; NULL when not traced. */
struct task *proctab_find(struct proctab *t, pid_t tid);
/* Find or add |tid|. Returns NULL on allocation failure. |ret_new| tells which. */
struct task *proctab_add(struct proctab *t, pid_t tid, bool *ret_new);
void proctab_remove(struct proctab *t, pid_t tid);
void proctab_free(struct proctab *t);

#define proctab_foreach(t, it)                                                                     \
	for (struct task *it = (t)->slots; (t)->slots && it < (t)->slots + (t)->cap; it++)         \
		if (it->tid > 0)

#endif
