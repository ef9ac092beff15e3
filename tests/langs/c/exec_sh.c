#include <stdio.h>
#include <unistd.h>

int main(void)
{
	execl("/bin/sh", "sh", "-c", "echo shell", (char *)NULL);
	puts("exec failed");
	return 0;
}
