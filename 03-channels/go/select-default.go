// Twin of the C demo `select-default`: select with default never waits.
package main

import "fmt"

func main() {
	events := make(chan int)
	select {
	case e := <-events:
		fmt.Println("received", e)
	default:
		fmt.Println("no value ready, did not wait")
	}

	// The same for a send: nobody is receiving on events, so the send case cannot run.
	x := 1
	select {
	case events <- x:
		fmt.Println("sent", x)
	default:
		fmt.Println("no receiver ready, nothing sent")
	}

	// A buffered value is ready, so the receive case runs and default does not.
	ready := make(chan int, 1)
	ready <- 7
	select {
	case e := <-ready:
		fmt.Println("received", e)
	default:
		fmt.Println("no value ready, did not wait")
	}
}
