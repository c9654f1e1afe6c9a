// Twin of the C demo `semaphore`: a buffered channel lets at most 3 goroutines in at once.
//
// Where each task is waiting is read, as go_goroutine_settle tells it in C, from the goroutine
// dump that runtime.Stack writes: see gocurrent/gotwin/goroutine.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"

	"gocurrent/gotwin/goroutine"
)

const tasks, limit = 10, 3

func main() {
	sem := make(chan struct{}, limit) // a full buffer means no room
	gate := make(chan struct{})       // closed by main once it has looked
	var wg sync.WaitGroup
	var running, most atomic.Int32
	var ids [tasks]int64
	wg.Add(tasks)
	for i := range ids {
		ids[i] = goroutine.Start(func() {
			defer wg.Done()
			sem <- struct{}{} // acquire: blocks while limit tokens are in the buffer
			now := running.Add(1)
			for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
			}
			<-gate // the work; the first ones wait here until main has looked
			running.Add(-1)
			<-sem // release: take a token out, making room for one more
		})
	}

	inside, waiting := 0, 0
	for _, id := range ids {
		switch goroutine.Settle(id) {
		case "chan receive":
			inside++
		case "chan send":
			waiting++
		}
	}
	fmt.Printf("%d tasks, capacity %d: %d inside, %d blocked on the semaphore\n", tasks, cap(sem),
		inside, waiting)
	close(gate)
	wg.Wait()
	fmt.Printf("all %d finished; most running at once: %d\n", tasks, most.Load())
}
