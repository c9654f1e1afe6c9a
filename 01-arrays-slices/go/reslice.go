// Twin of the C demo `reslice`: shortening a slice keeps its backing array.
package main

import "fmt"

func main() {
	numbers := []int{1, 2, 3, 4, 5}

	numbers = numbers[:3]
	fmt.Println(numbers)
	fmt.Println(len(numbers))
	fmt.Println(cap(numbers))

	numbers = numbers[:5]
	fmt.Println("numbers[:5]:", numbers)
}
