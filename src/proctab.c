/* SPDX-License-Identifier: MIT */
#include "proctab.h"

#include <stdint.h>
#include <stdlib.h>

#define DELETED ((pid_t)-1)

static size_t slot_of(pid_t tid, size_t cap)
{
	return ((uint32_t)tid * 2654435761u) & (cap - 1);
}

struct task *proctab_find(struct proctab *t, pid_t tid)
{
	if (!t->slots)
		return NULL;
	for (size_t i = slot_of(tid, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].tid == tid)
			return &t->slots[i];
		if (t->slots[i].tid == 0)
			return NULL;
	}
}

static int rehash(struct proctab *t, size_t cap)
{
	struct task *old = t->slots;
	size_t old_cap = t->cap;

	t->slots = calloc(cap, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		return -1;
	}
	t->cap = cap;
	t->used = t->live;
	for (size_t i = 0; i < old_cap; i++) {
		size_t j;

		if (old[i].tid <= 0)
			continue;
		for (j = slot_of(old[i].tid, cap); t->slots[j].tid; j = (j + 1) & (cap - 1))
			;
		t->slots[j] = old[i];
	}
	free(old);
	return 0;
}

struct task *proctab_add(struct proctab *t, pid_t tid, bool *ret_new)
{
	struct task *task = proctab_find(t, tid);
	size_t i;

	*ret_new = !task;
	if (task)
		return task;
	/* Keep the load (deleted slots included) under one half. */
	if ((t->used + 1) * 2 > t->cap) {
		size_t cap = 64;

		while (cap < (t->live + 1) * 4)
			cap *= 2;
		if (rehash(t, cap) < 0)
			return NULL;
	}
	for (i = slot_of(tid, t->cap); t->slots[i].tid > 0; i = (i + 1) & (t->cap - 1))
		;
	if (t->slots[i].tid == 0)
		t->used++;
	t->live++;
	t->slots[i] = (struct task){.tid = tid};
	return &t->slots[i];
}

void proctab_remove(struct proctab *t, pid_t tid)
{
	struct task *task = proctab_find(t, tid);

	if (!task)
		return;
	task->tid = DELETED;
	t->live--;
}

void proctab_free(struct proctab *t)
{
	free(t->slots);
	*t = (struct proctab){0};
}
