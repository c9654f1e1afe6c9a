// Twin of the C demo `append`: appending four elements to a slice with room for one.
package main

import "fmt"

func main() {
	pairs := make([]int, 2, 3)
	fmt.Println(pairs)
	fmt.Println(len(pairs))
	fmt.Println(cap(pairs))

	pairs = append(pairs, 1, 1, 2, 2)
	fmt.Println(pairs)
	fmt.Println(len(pairs))
	fmt.Println(cap(pairs))
}
