// Twin of the C demo `struct-copy`: what the C struct wrapper imitates is a plain Go array,
// which is copied on assignment and when passed to a function.
package main

import "fmt"

func setFirst(numbers [5]int) {
	numbers[0] = 100
	fmt.Println("inside the function:", numbers)
}

func main() {
	original := [5]int{1, 2, 3, 4, 5}
	duplicate := original
	duplicate[1] = 20

	setFirst(original)
	fmt.Println("original:", original)
	fmt.Println("duplicate:", duplicate)
}
