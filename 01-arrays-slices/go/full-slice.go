// Twin of the C demo `full-slice`: a three-index slice expression caps what append may touch.
package main

import "fmt"

func main() {
	data := []int{1, 2, 3, 4, 5}
	head := data[0:2:2]
	fmt.Printf("head := data[0:2:2]: len=%d cap=%d ", len(head), cap(head))
	fmt.Println(head)

	head = append(head, 99)
	fmt.Println("after head = append(head, 99), head:", head)
	fmt.Println("data is untouched:", data)

	middle := data[1:3:4]
	fmt.Printf("data[1:3:4]: len=%d cap=%d ", len(middle), cap(middle))
	fmt.Println(middle)
}
