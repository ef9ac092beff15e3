#include <stdio.h>
#include <stdlib.h>

/* 512 MiB, touched page by page, as a solution's big table would be
 * (through a volatile pointer, so the compiler keeps every store). */
int main(void)
{
	size_t n = (size_t)512 << 20;
	volatile char *p = malloc(n);

	if (!p)
		return 3;
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 1;
	printf("%d\n", p[n - 4096]);
	return 0;
}
