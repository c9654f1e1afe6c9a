// Twin of the C demo `context`: cancelling a context stops every goroutine that watches it or a
// context derived from it.
//
// Whether the generators have returned is read, as go_goroutine_state tells it in C, from the
// goroutine dump that runtime.Stack writes: see gocurrent/gotwin/goroutine.
package main

import (
	"context"
	"fmt"

	"gocurrent/gotwin/goroutine"
)

// countByTwo sends first, first+2, first+4, ... until ctx is cancelled.
func countByTwo(ctx context.Context, out chan<- int, first int) {
	defer close(out)
	for v := first; ; v += 2 {
		select {
		case out <- v:
		case <-ctx.Done():
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
	ctx, cancel := context.WithCancel(context.Background())
	child, cancelChild := context.WithCancel(ctx)
	evens := make(chan int)
	odds := make(chan int)
	evenGen := goroutine.Start(func() { countByTwo(ctx, evens, 0) })
	oddGen := goroutine.Start(func() { countByTwo(child, odds, 1) })

	fmt.Print("evens:")
	take(evens, 3)
	fmt.Print("\nodds: ")
	take(odds, 3)
	fmt.Println()

	cancel() // child is derived from ctx: it is cancelled too
	fmt.Println("cancel(ctx)")
	// A cancelled generator returns soon. WaitReturned gives up after five seconds, in which
	// case cancellation has failed and the line says where the generator is stuck instead.
	goroutine.WaitReturned(evenGen)
	fmt.Println("the evens generator:", goroutine.Describe(goroutine.Settle(evenGen)))
	goroutine.WaitReturned(oddGen)
	fmt.Println("the odds generator:", goroutine.Describe(goroutine.Settle(oddGen)))
	fmt.Println("ctx.Err():  ", ctx.Err())
	fmt.Println("child.Err():", child.Err())
	cancelChild() // go vet's rule: call every cancel function, even after the parent's
}
