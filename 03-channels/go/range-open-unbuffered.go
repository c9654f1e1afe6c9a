// Twin of the C demo `range-open-unbuffered`: 7, then a deadlock.
package main

import "fmt"

func main() {
	results := make(chan int)
	go func() {
		results <- 7
	}()

	for r := range results {
		fmt.Println(r)
	}
	fmt.Println("the loop ended")
}
