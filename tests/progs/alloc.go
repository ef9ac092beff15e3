// SPDX-License-Identifier: MIT
//
// alloc - a Go program as a judge runs one: with no argument it prints
// "hello"; with N it allocates and touches N MiB, then prints alloc=N.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Println("hello")
		return
	}
	n, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "alloc: N must be a number")
		os.Exit(2)
	}
	buf := make([]byte, n<<20)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	fmt.Printf("alloc=%d\n", n)
}
