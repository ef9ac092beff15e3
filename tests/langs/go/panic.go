package main

import (
	"fmt"
	"os"
)

func main() {
	a := []int{1, 2, 3}
	i := len(os.Args) + 4
	fmt.Println(a[i])
}
