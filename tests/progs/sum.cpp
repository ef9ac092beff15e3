// SPDX-License-Identifier: MIT
// sum - a typical judge solution in C++: iostream, vector, algorithm, cmath,
// ctime. Built dynamic and static; must run cleanly under policies/judge.json.
#include <algorithm>
#include <cmath>
#include <ctime>
#include <iostream>
#include <vector>

int main()
{
	std::ios::sync_with_stdio(false);
	long a, b;
	if (!(std::cin >> a >> b))
		return 2;
	std::vector<long> v(4000000);
	for (size_t i = 0; i < v.size(); i++)
		v[i] = (long)((i * 7919) % 1000003);
	std::sort(v.begin(), v.end());
	std::srand((unsigned)std::time(nullptr));
	std::cout << a + b << " " << std::sqrt(16.0) << " " << v[0] << std::endl;
	return 0;
}
