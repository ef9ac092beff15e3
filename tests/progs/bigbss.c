/* SPDX-License-Identifier: MIT */
/*
 * bigbss - a solution with a 1.5 GiB static array, as judges see them: the
 * kernel refuses to finish loading it under a smaller RLIMIT_DATA, after
 * exec's point of no return. Prints bss=ok when it runs.
 */
#include <stdio.h>

/* Not static, and read through a volatile pointer: the compiler keeps all of it. */
char big[1536u << 20];

int main(void)
{
	volatile char *p = big;

	p[sizeof(big) - 1] = 1;
	printf("bss=%s\n", p[sizeof(big) - 1] ? "ok" : "?");
	return 0;
}
