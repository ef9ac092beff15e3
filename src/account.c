/* SPDX-License-Identifier: MIT */
/*
 * account.c - CPU clocks, tmpfs usage and memfds of the sandbox's tree
 * (account.h).
 *
 * A process's CPU clock is the kernel's exact sum of its threads' run time,
 * dead threads included; summing it over the processes of the tree, read
 * last at each process's exit stop, counts every process once, whoever
 * reaps it: a child reaped automatically (its parent ignores SIGCHLD) is
 * in no one's RUSAGE_CHILDREN, but it had a CPU clock.
 */
#include "account.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

/* The kernel's MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED), as glibc's clock_getcpuclockid. */
static clockid_t process_clock(pid_t pid)
{
	return (clockid_t)((~(unsigned int)pid << 3) | 2);
}

uint64_t account_process_cpu_ns(pid_t pid)
{
	struct timespec ts;

	if (pid <= 0 || clock_gettime(process_clock(pid), &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t account_tmpfs_bytes(const int *fds, size_t n)
{
	uint64_t total = 0;

	for (size_t i = 0; i < n; i++) {
		struct statfs st;

		if (fds[i] < 0 || fstatfs(fds[i], &st) < 0 || st.f_type != TMPFS_MAGIC)
			continue;
		total += (uint64_t)(st.f_blocks - st.f_bfree) * (uint64_t)st.f_bsize;
	}
	return total;
}

#define MAX_MEMFDS 256

struct seen {
	dev_t dev[MAX_MEMFDS];
	ino_t ino[MAX_MEMFDS];
	size_t n;
};

/* True the first time (dev, ino) is offered; a full table counts everything again. */
static bool first_sight(struct seen *s, const struct stat *st)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->dev[i] == st->st_dev && s->ino[i] == st->st_ino)
			return false;
	if (s->n < MAX_MEMFDS) {
		s->dev[s->n] = st->st_dev;
		s->ino[s->n++] = st->st_ino;
	}
	return true;
}

static uint64_t memfds_of(pid_t pid, struct seen *seen)
{
	char dir[64], path[64 + 256], target[64];
	struct dirent *de;
	uint64_t total = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct stat st;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 7 || strncmp(target, "/memfd:", 7) != 0)
			continue;
		if (stat(path, &st) == 0 && first_sight(seen, &st))
			total += (uint64_t)st.st_blocks * 512;
	}
	closedir(d);
	return total;
}

uint64_t account_memfd_bytes(const pid_t *pids, size_t n)
{
	struct seen *seen = calloc(1, sizeof(*seen));
	uint64_t total = 0;

	if (!seen)
		return 0;
	for (size_t i = 0; i < n; i++)
		total += memfds_of(pids[i], seen);
	free(seen);
	return total;
}
