// Twin of the C demo `reallocate`: spotting the append that moves a slice to a new array.
package main

import (
	"fmt"
	"unsafe"
)

func main() {
	s := make([]int, 2, 3)
	first := &s[0]

	s = append(s, 7)
	fmt.Printf("append 7: len=%d cap=%d same array: %t\n", len(s), cap(s), &s[0] == first)

	before := s
	s = append(s, 8)
	fmt.Printf("append 8: len=%d cap=%d same array: %t\n", len(s), cap(s), &s[0] == first)

	base := uintptr(unsafe.Pointer(&s[0]))
	fmt.Print("byte offsets from &s[0]:")
	for i := range s {
		fmt.Printf(" %d", uintptr(unsafe.Pointer(&s[i]))-base)
	}
	fmt.Println()

	s[0] = 100
	fmt.Println("after s[0] = 100, s:", s)
	fmt.Println("the slice from before the move:", before)
}
