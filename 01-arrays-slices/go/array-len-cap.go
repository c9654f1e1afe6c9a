// Twin of the C demo `array-len-cap`: for an array, len and cap agree.
package main

import "fmt"

func main() {
	var slots [5]int
	// Println separates its operands with a space, hence two spaces after the colon.
	fmt.Println("length : ", len(slots))
	fmt.Println("capacity : ", cap(slots))
	fmt.Println(len(slots) == cap(slots))
}
