#include <stdio.h>

int main(void)
{
	FILE *f = fopen("/etc/passwd", "a");

	puts(f ? "opened" : "refused");
	return 0;
}
