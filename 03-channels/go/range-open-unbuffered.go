// Twin of the C demo `range-open-unbuffered`: 10, then a deadlock.
package main

import "fmt"

func main() {
	ch := make(chan int)
	go func() {
		ch <- 10
	}()

	for v := range ch {
		fmt.Println(v)
	}
	fmt.Println("the loop ended")
}
