/* SPDX-License-Identifier: MIT */
/*
 * ns_clone N [user|pid|mount|ipc|uts|cgroup|net]...: what the kernel alone
 * charges for new namespaces. N times: clone() with the listed CLONE_NEW*
 * flags, the child exits at once, the parent reaps it. Prints the median
 * microseconds of clone() alone and of clone() until reaped (the namespaces'
 * synchronous creation and teardown; a network namespace is also torn down
 * later, in a kernel worker, which this does not wait for).
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned long flag;
	} names[] = {
		{"user", CLONE_NEWUSER}, {"pid", CLONE_NEWPID}, {"mount", CLONE_NEWNS},
		{"ipc", CLONE_NEWIPC},	 {"uts", CLONE_NEWUTS}, {"cgroup", CLONE_NEWCGROUP},
		{"net", CLONE_NEWNET},
	};
	long n = argc > 1 ? atol(argv[1]) : 0;
	unsigned long flags = 0;
	double *clone_us, *reaped_us;

	for (int i = 2; i < argc; i++) {
		size_t k = 0;

		while (k < sizeof(names) / sizeof(names[0]) && strcmp(argv[i], names[k].name))
			k++;
		if (k == sizeof(names) / sizeof(names[0]))
			n = 0;
		else
			flags |= names[k].flag;
	}
	if (n <= 0) {
		fprintf(stderr, "usage: ns_clone N [user|pid|mount|ipc|uts|cgroup|net]...\n");
		return 2;
	}
	clone_us = calloc((size_t)n, sizeof(double));
	reaped_us = calloc((size_t)n, sizeof(double));
	if (!clone_us || !reaped_us)
		return 1;
	for (long i = 0; i < n; i++) {
		double a = now_us(), b;
		pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);

		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			perror("ns_clone: clone");
			return 1;
		}
		b = now_us();
		if (waitpid(pid, NULL, 0) != pid)
			return 1;
		clone_us[i] = b - a;
		reaped_us[i] = now_us() - a;
	}
	qsort(clone_us, (size_t)n, sizeof(double), cmp);
	qsort(reaped_us, (size_t)n, sizeof(double), cmp);
	printf("%.1f %.1f\n", clone_us[n / 2], reaped_us[n / 2]);
	return 0;
}
