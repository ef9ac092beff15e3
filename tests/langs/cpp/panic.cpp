#include <iostream>
#include <stdexcept>
#include <vector>

// An uncaught exception: std::terminate() calls abort().
int main()
{
	std::vector<int> v(3);
	std::cout << v.at(5) << '\n';
}
