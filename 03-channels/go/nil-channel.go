// Twin of the C demo `nil-channel`: a channel that was never made blocks forever.
package main

import "fmt"

func main() {
	var results chan int // nil: make was forgotten
	go func() {
		results <- 42
	}()
	fmt.Println(<-results)
}
