#include <fstream>
#include <iostream>

int main()
{
	std::ofstream f("/etc/passwd", std::ios::app);
	std::cout << (f ? "opened" : "refused") << '\n';
}
