// Twin of the C demo `receive-empty`: a receive waits until there is a value.
//
// Go has no call that tells what another goroutine is doing: goroutine.Settle, from
// gocurrent/gotwin/goroutine, reads it from the goroutine dump that runtime.Stack writes, in
// the same words as the C library's go_goroutine_settle.
package main

import (
	"fmt"

	"gocurrent/gotwin/goroutine"
)

func main() {
	ch := make(chan int, 1)
	go func() {
		fmt.Printf("main is blocked: [%s]\n", goroutine.Settle(1)) // main is goroutine 1
		ch <- 42
	}()

	fmt.Println("Receiving")
	fmt.Println(<-ch)
}
