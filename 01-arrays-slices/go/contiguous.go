// Twin of the C demo `contiguous`: element offsets inside an array, measured with unsafe.
package main

import (
	"fmt"
	"unsafe"
)

func main() {
	var row [5]int
	fmt.Println("each element is", unsafe.Sizeof(row[0]), "bytes")
	base := uintptr(unsafe.Pointer(&row[0]))
	for i := range row {
		fmt.Printf("row[%d] is at byte offset %d\n", i, uintptr(unsafe.Pointer(&row[i]))-base)
	}
}
