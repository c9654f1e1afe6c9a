// Twin of the C demo `slice-array`: a slice is a window onto an array.
package main

import "fmt"

func main() {
	arr := [6]int{10, 20, 30, 40, 50, 60}

	middle := arr[1:4]
	fmt.Println(middle, len(middle), cap(middle))

	middle[0] = 21
	fmt.Println("after middle[0] = 21, arr:", arr)

	tail := arr[4:]
	fmt.Println(tail, len(tail), cap(tail))
}
