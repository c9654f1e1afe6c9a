// Twin of the C demo `send-unbuffered`: a send on an unbuffered channel waits for a receiver.
//
// Go has no call that tells what another goroutine is doing: gocurrent/gotwin/goroutine reads
// it from the goroutine dump that runtime.Stack writes. goroutine.Start returns the new
// goroutine's id, as the C library's go() does, and goroutine.Settle reports the same words as
// go_goroutine_settle.
package main

import (
	"fmt"

	"gocurrent/gotwin/goroutine"
)

func main() {
	ch := make(chan int)
	done := make(chan struct{})
	sender := goroutine.Start(func() {
		ch <- 42 // waits here until main receives
		fmt.Println("Sent")
		close(done)
	})

	fmt.Printf("the sender is blocked: [%s]\n", goroutine.Settle(sender))
	v := <-ch
	<-done // let the sender print "Sent" before main prints the value
	fmt.Println(v)
}
