// Twin of the C demo `make`: length versus capacity of a made slice.
package main

import "fmt"

func main() {
	five := make([]int, 5)
	fmt.Println(five, len(five), cap(five))

	three := make([]int, 3, 10)
	fmt.Println(three, len(three), cap(three))

	allTen := three[:cap(three)]
	fmt.Println(allTen, len(allTen), cap(allTen))
}
