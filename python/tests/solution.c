/* SPDX-License-Identifier: MIT */
/*
 * solution - a judge's C solution for "print a + b", with bugs that the
 * input triggers: "a b" prints a + b, except for a negative a:
 *   -1  loops forever (TLE)        -2  touches 512 MiB (MLE)
 *   -3  writes through NULL (RE)   -4  forks (a violation under "judge")
 *   -5  prints a wrong answer (WA)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile unsigned long spins;

int main(void)
{
	volatile int *nowhere = NULL;
	size_t big = (size_t)512 << 20;
	long a, b;
	char *p;

	if (scanf("%ld %ld", &a, &b) != 2)
		return 2;
	switch (a) {
	case -1:
		for (;;)
			spins++;
	case -2:
		p = malloc(big);
		/* Page by page through a volatile pointer: no store is optimized away. */
		for (size_t i = 0; p && i < big; i += 4096)
			((volatile char *)p)[i] = 1;
		printf("%d\n", p ? p[big / 2] : 0);
		return 0;
	case -3:
		*nowhere = 1;
		return 0;
	case -4:
		printf("%d\n", (int)fork());
		return 0;
	case -5:
		printf("%ld\n", a + b + 1);
		return 0;
	}
	printf("%ld\n", a + b);
	return 0;
}
