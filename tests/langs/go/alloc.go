package main

import "fmt"

// 512 MiB in one slice, every page written, the sum printed.
func main() {
	n := 512 << 20
	table := make([]byte, n)
	for i := 0; i < n; i += 4096 {
		table[i] = 1
	}
	sum := 0
	for i := 0; i < n; i += 4096 {
		sum += int(table[i])
	}
	fmt.Println(sum)
}
