/* SPDX-License-Identifier: MIT */
/*
 * syscalls.c - lookups in the table generated from src/syscalls.tbl
 * (syscall_table.c). Pure functions over constant data.
 */
#include "syscalls.h"

#include <stdlib.h>
#include <string.h>

static int row_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct syscall_row *)elem)->name);
}

const struct syscall_row *syscall_by_name(const char *name)
{
	if (!name)
		return NULL;
	return bsearch(name, syscall_rows, syscall_n_rows, sizeof(syscall_rows[0]), row_cmp);
}

const struct syscall_row *syscall_signature(const char *name)
{
	return syscall_by_name(name);
}

const struct syscall_row *syscall_by_nr(int nr)
{
	if (nr < 0 || nr >= SYSCALL_NR_MAX || !syscall_nr_index[nr])
		return NULL;
	return &syscall_rows[syscall_nr_index[nr] - 1];
}

bool syscall_table_sorted(void)
{
	for (size_t i = 1; i < syscall_n_rows; i++)
		if (strcmp(syscall_rows[i - 1].name, syscall_rows[i].name) >= 0)
			return false;
	return true;
}

int syscall_arg_bits(int nr, unsigned int index)
{
	const struct syscall_row *row = syscall_by_nr(nr);

	return row && index < row->n ? row->bits[index] : 0;
}

bool syscall_has(int nr, unsigned int traits)
{
	const struct syscall_row *row = syscall_by_nr(nr);

	return row && (row->traits & traits) == traits;
}
