// Twin of the C demo `nil-empty`: three slices of length 0, one of them nil.
package main

import "fmt"

func main() {
	var none []int
	empty := []int{}
	made := make([]int, 0)

	fmt.Printf("var none []int          len=%d cap=%d nil=%t ", len(none), cap(none), none == nil)
	fmt.Println(none)
	fmt.Printf("empty := []int{}        len=%d cap=%d nil=%t ", len(empty), cap(empty), empty == nil)
	fmt.Println(empty)
	fmt.Printf("made := make([]int, 0)  len=%d cap=%d nil=%t ", len(made), cap(made), made == nil)
	fmt.Println(made)

	none = append(none, 1)
	fmt.Println("append(none, 1):", none)
}
