// Twin of the C demo `nil-empty`: three slices of length 0, one of them nil.
package main

import "fmt"

func main() {
	var none []int
	empty := []int{}
	made := make([]int, 0)

	fmt.Println(none, len(none), cap(none), none == nil)
	fmt.Println(empty, len(empty), cap(empty), empty == nil)
	fmt.Println(made, len(made), cap(made), made == nil)

	none = append(none, 1)
	fmt.Println("append(none, 1):", none)
}
