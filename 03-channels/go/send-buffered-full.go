// Twin of the C demo `send-buffered-full`: a buffered send waits only when the buffer is full.
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
	ch := make(chan int, 1)
	done := make(chan struct{})
	sender := goroutine.Start(func() {
		ch <- 42 // the buffer has room: returns at once
		fmt.Println("42 is in the buffer")
		ch <- 43 // the buffer is full: waits until main receives
		fmt.Println("Sent")
		close(done)
	})

	state := goroutine.Settle(sender)
	fmt.Printf("the sender is blocked: [%s], len(ch) = %d, cap(ch) = %d\n", state, len(ch), cap(ch))
	v := <-ch
	<-done // let the sender print "Sent" before main prints the value
	fmt.Println(v)
	fmt.Println(<-ch)
}
