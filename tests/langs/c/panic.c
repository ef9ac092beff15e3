#include <stdio.h>
#include <stdlib.h>

/* C has no exceptions: a failed check that aborts, as assert() does. */
int main(void)
{
	fprintf(stderr, "fatal: bad input\n");
	abort();
}
