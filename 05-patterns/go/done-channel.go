// Twin of the C demo `done-channel`: closing a done channel stops the generator, so it does not
// leak.
//
// Whether the generator has returned is read, as go_goroutine_state tells it in C, from the
// goroutine dump that runtime.Stack writes: see gocurrent/gotwin/goroutine.
package main

import (
	"fmt"

	"gocurrent/gotwin/goroutine"
)

// countUntilDone sends 1, 2, 3, ... until done is closed, then closes out.
func countUntilDone(out chan<- int, done <-chan struct{}) {
	defer close(out)
	for v := 1; ; v++ {
		select {
		case out <- v:
		case <-done:
			return
		}
	}
}

func take(in <-chan int, n int) {
	for i := 0; i < n; i++ {
		fmt.Print(" ", <-in)
	}
}

func main() {
	out := make(chan int)
	done := make(chan struct{}) // only its close matters
	generator := goroutine.Start(func() { countUntilDone(out, done) })
	fmt.Print("took")
	take(out, 3)
	fmt.Println(", then closed done")
	close(done)
	// The generator returns soon. WaitReturned gives up after five seconds, in which case
	// cancellation has failed and the line says where the generator is stuck instead.
	goroutine.WaitReturned(generator)
	fmt.Println("the generator:", goroutine.Describe(goroutine.Settle(generator)))

	v, ok := <-out
	fmt.Printf("its channel is closed: v, ok = %d, %t\n", v, ok)
}
