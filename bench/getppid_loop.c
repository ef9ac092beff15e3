/* SPDX-License-Identifier: MIT */
/*
 * getppid_loop N [DELAY_MS]: N getppid() calls, straight to the kernel;
 * prints the cost of one call in nanoseconds, measured around the loop only
 * (start-up and exit are not in it). With DELAY_MS it sleeps that long
 * first, so that sandbox --attach can seize it before the loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	struct timespec a, b;
	double ns;

	if (argc > 2) {
		struct timespec d = {atol(argv[2]) / 1000, (atol(argv[2]) % 1000) * 1000000};

		nanosleep(&d, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
	printf("%.2f\n", n > 0 ? ns / (double)n : 0.0);
	return 0;
}
