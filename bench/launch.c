/* SPDX-License-Identifier: MIT */
/*
 * launch N PROG [ARGS...]: run PROG N times, one after the other (fork,
 * exec, wait), output to /dev/null. Prints the mean microseconds per run and
 * the largest ru_maxrss (KiB) wait4 reported for a run: for a supervisor
 * running a tiny program that is the supervisor's own peak.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[1]) : 0, maxrss = 0;
	struct timespec a, b;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (n <= 0 || null < 0) {
		fprintf(stderr, "usage: launch N PROG [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		struct rusage ru;
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return 2;
		if (pid == 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "launch: %s failed (status 0x%x)\n", argv[2], status);
			return 1;
		}
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f %ld\n",
	       ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 1e3 /
		       (double)n,
	       maxrss);
	return 0;
}
