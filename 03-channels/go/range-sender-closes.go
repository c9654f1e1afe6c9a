// Twin of the C demo `range-sender-closes`: range until the sending goroutine closes.
package main

import "fmt"

func main() {
	numbers := make(chan int) // unbuffered: each send waits for the loop to receive
	go func() {
		for i := 1; i <= 3; i++ {
			numbers <- i
		}
		close(numbers)
	}()

	for n := range numbers {
		fmt.Println(n)
	}
	fmt.Println("the loop ended")
}
