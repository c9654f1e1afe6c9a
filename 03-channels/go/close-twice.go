// Twin of the C demo `close-twice`: closing a closed channel panics.
package main

import "fmt"

func main() {
	signal := make(chan int)
	go func() {
		signal <- 10
		close(signal)
	}()

	fmt.Println(<-signal)
	v, ok := <-signal // returns once the goroutine has closed signal
	fmt.Println(v, ok)
	close(signal)
}
