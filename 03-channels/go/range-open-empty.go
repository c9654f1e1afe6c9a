// Twin of the C demo `range-open-empty`: a deadlock before the first value.
package main

import "fmt"

func main() {
	idle := make(chan int)

	for x := range idle {
		fmt.Println(x)
	}
	fmt.Println("the loop ended")
}
