// Twin of the C demo `make`: length versus capacity of a made slice.
package main

import "fmt"

func main() {
	five := make([]int, 5)
	fmt.Printf("make([]int, 5):     len=%d cap=%d ", len(five), cap(five))
	fmt.Println(five)

	three := make([]int, 3, 10)
	fmt.Printf("make([]int, 3, 10): len=%d cap=%d ", len(three), cap(three))
	fmt.Println(three)

	allTen := three[:cap(three)]
	fmt.Printf("three[:cap(three)]: len=%d cap=%d ", len(allTen), cap(allTen))
	fmt.Println(allTen)
}
