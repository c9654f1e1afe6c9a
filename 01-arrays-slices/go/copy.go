// Twin of the C demo `copy`: the built-in copy and how many elements it moves.
package main

import "fmt"

func main() {
	src := []int{1, 2, 3, 4, 5}

	dst := make([]int, 3)
	copied := copy(dst, src)
	fmt.Printf("copy(dst, src) copied %d, dst: ", copied)
	fmt.Println(dst)

	// dst has its own array, so writing to it leaves src alone.
	dst[0] = 100
	fmt.Println("after dst[0] = 100, src:", src)

	wide := make([]int, 7)
	copied = copy(wide, src)
	fmt.Printf("copy(wide, src) copied %d, wide: ", copied)
	fmt.Println(wide)

	copied = copy(src[1:], src)
	fmt.Printf("copy(src[1:], src) copied %d, src: ", copied)
	fmt.Println(src)
}
