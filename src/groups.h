/* SPDX-License-Identifier: MIT */
/*
 * groups.h - named sets of system calls usable in policies as "@name".
 * Pure tables; policy.c expands them.
 */
#ifndef SBX_GROUPS_H
#define SBX_GROUPS_H

#include <stddef.h>

#include "syscalls.h" /* struct syscall_group */

size_t group_count(void);
/* Groups in name order; NULL past the end. */
const struct syscall_group *group_at(size_t i);
/* |name| with or without the '@'; NULL when there is no such group. */
const struct syscall_group *group_find(const char *name);

#endif
