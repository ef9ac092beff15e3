#include <iostream>
#include <vector>

// A 512 MiB table, as a solution declares one: the vector's constructor
// writes every element, and the sum keeps the optimizer from dropping it.
int main()
{
	std::vector<char> table(size_t(512) << 20, 1);
	long sum = 0;
	for (size_t i = 0; i < table.size(); i += 4096)
		sum += table[i];
	std::cout << sum << '\n';
}
