// Twin of the C demo `range-closed`: range over a closed channel that still holds values.
package main

import "fmt"

func main() {
	queue := make(chan int, 3)
	queue <- 1
	queue <- 2
	queue <- 3
	close(queue)

	for item := range queue {
		fmt.Println(item)
	}
	fmt.Println("the loop ended")
}
