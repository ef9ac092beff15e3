package main

import "fmt"

// Stays under 256 MiB: 100 MiB kept live for the whole run, while 1 GiB of
// short-lived 64 KiB slices is allocated and dropped.
func main() {
	live := make([][]byte, 100)
	for i := range live {
		live[i] = make([]byte, 1<<20)
		for j := 0; j < len(live[i]); j += 4096 {
			live[i][j] = 1
		}
	}
	sum := 0
	for k := 0; k < 16384; k++ {
		tmp := make([]byte, 64<<10)
		for j := 0; j < len(tmp); j += 4096 {
			tmp[j] = byte(k)
		}
		sum += int(tmp[k%len(tmp)]) + int(live[k%len(live)][0])
	}
	fmt.Println("fits", sum)
}
