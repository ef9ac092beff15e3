package main

import (
	"fmt"
	"os/exec"
)

func main() {
	out, err := exec.Command("/bin/sh", "-c", "echo shell").Output()
	fmt.Println(string(out), err)
}
