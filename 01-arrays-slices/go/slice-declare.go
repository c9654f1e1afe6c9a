// Twin of the C demo `slice-declare`: the nil slice and a slice literal.
package main

import "fmt"

func main() {
	var pending []int
	numbers := []int{1, 2, 3, 4, 5}

	fmt.Println(pending)
	fmt.Println(numbers)
	fmt.Println(pending == nil)
}
