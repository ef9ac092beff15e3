#include <iostream>
#include <unistd.h>

int main()
{
	execl("/bin/sh", "sh", "-c", "echo shell", static_cast<char *>(nullptr));
	std::cout << "exec failed\n";
}
