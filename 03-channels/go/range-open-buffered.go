// Twin of the C demo `range-open-buffered`: 10, then a deadlock.
package main

import "fmt"

func main() {
	ch := make(chan int, 1)
	ch <- 10

	for v := range ch {
		fmt.Println(v)
	}
	fmt.Println("the loop ended")
}
