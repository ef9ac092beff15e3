package main

import "fmt"

func main() {
	n := uint64(0)
	for i := uint64(0); ; i++ {
		n += i * i
		if n == 7 {
			fmt.Println(n)
		}
	}
}
