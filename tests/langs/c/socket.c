#include <stdio.h>
#include <sys/socket.h>

int main(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	printf("%d\n", fd);
	return 0;
}
