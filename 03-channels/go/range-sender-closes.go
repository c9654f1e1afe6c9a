// Twin of the C demo `range-sender-closes`: range until the sending goroutine closes.
package main

import "fmt"

func main() {
	ch := make(chan int) // unbuffered: each send waits for the loop to receive
	go func() {
		ch <- 10
		ch <- 20
		close(ch)
	}()

	for v := range ch {
		fmt.Println(v)
	}
	fmt.Println("the loop ended")
}
