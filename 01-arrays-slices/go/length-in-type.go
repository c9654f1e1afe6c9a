// Twin of the C demo `length-in-type`: the length is part of an array's type.
package main

import (
	"fmt"
	"unsafe"
)

func main() {
	var small [5]int
	var large [10]int
	fmt.Printf("small is a %T of %d bytes\n", small, unsafe.Sizeof(small))
	fmt.Printf("large is a %T of %d bytes\n", large, unsafe.Sizeof(large))
	// large = small would not compile: [5]int is not assignable to [10]int.
}
