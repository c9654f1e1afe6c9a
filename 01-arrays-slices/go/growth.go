// Twin of the C demo `growth`: every capacity append chooses while 4000 ints go in one by one.
package main

import "fmt"

func main() {
	var grown []int
	oldCap := cap(grown)

	for i := 0; i < 4000; i++ {
		grown = append(grown, i)
		if cap(grown) != oldCap {
			fmt.Printf("len=%-4d cap %4d -> %4d\n", len(grown), oldCap, cap(grown))
			oldCap = cap(grown)
		}
	}
}
