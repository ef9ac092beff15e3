package main

import (
	"fmt"
	"os"
)

func main() {
	f, err := os.OpenFile("/etc/passwd", os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		fmt.Println("refused:", err)
		return
	}
	f.Close()
	fmt.Println("opened")
}
