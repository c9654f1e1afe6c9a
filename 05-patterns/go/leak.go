// Twin of the C demo `leak`: a consumer stops early, and the generator is blocked forever.
//
// What the generator is doing is read, as go_goroutine_settle tells it in C, from the goroutine
// dump that runtime.Stack writes: see gocurrent/gotwin/goroutine.
package main

import (
	"fmt"

	"gocurrent/gotwin/goroutine"
)

// countForever is a generator with no way to be told to stop.
func countForever(out chan<- int) {
	for v := 1; ; v++ {
		out <- v
	}
}

// take receives n values and prints each after a space.
func take(in <-chan int, n int) {
	for i := 0; i < n; i++ {
		fmt.Print(" ", <-in)
	}
}

func main() {
	out := make(chan int)
	generator := goroutine.Start(func() { countForever(out) })
	fmt.Print("took")
	take(out, 3)
	fmt.Println(", then stopped receiving")
	// Once the generator has stopped running: "blocked [chan send]", or "returned".
	fmt.Println("the generator:", goroutine.Describe(goroutine.Settle(generator)))
}
