// Twin of the C demo `full-slice`: a three-index slice expression caps what append may touch.
package main

import "fmt"

func main() {
	data := []int{1, 2, 3, 4, 5}
	head := data[0:2:2]
	fmt.Println(head, len(head), cap(head))

	head = append(head, 99)
	fmt.Println("after head = append(head, 99), head:", head)
	fmt.Println("data is untouched:", data)

	middle := data[1:3:4]
	fmt.Println(middle, len(middle), cap(middle))
}
