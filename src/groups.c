/* SPDX-License-Identifier: MIT */
/*
 * groups.c - lookups in the syscall groups ("@file-system", ...). The names
 * are the ones systemd and firejail users know; the membership is a column
 * of src/syscalls.tbl (x86_64 names; every member must resolve there,
 * tests/test_groups.c). A member starting with '@' includes another group.
 */
#include "groups.h"

#include <string.h>

size_t group_count(void)
{
	return syscall_n_groups;
}

const struct syscall_group *group_at(size_t i)
{
	return i < syscall_n_groups ? &syscall_groups[i] : NULL;
}

const struct syscall_group *group_find(const char *name)
{
	if (name && *name == '@')
		name++;
	for (size_t i = 0; name && i < syscall_n_groups; i++)
		if (strcmp(syscall_groups[i].name, name) == 0)
			return &syscall_groups[i];
	return NULL;
}
