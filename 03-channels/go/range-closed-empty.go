// Twin of the C demo `range-closed-empty`: the loop body never runs.
package main

import "fmt"

func main() {
	queue := make(chan int, 3)
	close(queue)

	for item := range queue {
		fmt.Println(item)
	}
	fmt.Println("the loop ended without a value")
}
