// Twin of the C demo `range-closed`: range over a closed channel that still holds values.
package main

import "fmt"

func main() {
	ch := make(chan int, 2)
	ch <- 10
	ch <- 20
	close(ch)

	for v := range ch {
		fmt.Println(v)
	}
	fmt.Println("the loop ended")
}
