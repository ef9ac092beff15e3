/* SPDX-License-Identifier: MIT */
/*
 * sum - a typical judge solution in C: reads two integers from stdin,
 * uses libm, time() and a big malloc, prints the answer. Built dynamic and
 * static; must run cleanly under policies/judge.json.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(void)
{
	size_t big = 32u << 20;
	long a, b;
	char *p;

	if (scanf("%ld %ld", &a, &b) != 2)
		return 2;
	p = malloc(big);
	if (!p)
		return 3;
	memset(p, 1, big);
	srand((unsigned int)time(NULL));
	printf("%ld %.1f %d\n", a + b, sqrt((double)(a * a)), p[big / 2]);
	free(p);
	return 0;
}
