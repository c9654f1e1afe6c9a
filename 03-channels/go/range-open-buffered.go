// Twin of the C demo `range-open-buffered`: 7, then a deadlock.
package main

import "fmt"

func main() {
	pending := make(chan int, 1)
	pending <- 7

	for p := range pending {
		fmt.Println(p)
	}
	fmt.Println("the loop ended")
}
