// Twin of the C demo `shared-array`: writes and appends through one slice show in another.
package main

import "fmt"

func main() {
	data := []int{1, 2, 3, 4, 5}
	head := data[:2]
	fmt.Println(head, len(head), cap(head))

	head[0] = 100
	fmt.Println("after head[0] = 100, data:", data)

	head = append(head, 99)
	fmt.Println("after head = append(head, 99), data:", data)
}
