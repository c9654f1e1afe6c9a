// The Go program the two-words demo mirrors: the size of an interface value.
package main

import (
	"fmt"
	"io"
	"unsafe"
)

type Speaker interface {
	Speak() string
}

func main() {
	var s Speaker
	var w io.Writer
	var p *int
	fmt.Printf("a pointer: %2d bytes\n", unsafe.Sizeof(p))
	fmt.Printf("Speaker:   %2d bytes = %d pointers\n", unsafe.Sizeof(s), unsafe.Sizeof(s)/unsafe.Sizeof(p))
	fmt.Printf("io.Writer: %2d bytes = %d pointers\n", unsafe.Sizeof(w), unsafe.Sizeof(w)/unsafe.Sizeof(p))
}
