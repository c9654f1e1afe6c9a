// Twin of the C demo `semaphore`: a buffered channel lets at most 3 goroutines in at once.
package main

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
		ids[i] = start(func() {
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
		switch settle(id) {
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

// Go has no call that says what another goroutine is doing, so these helpers read it where Go
// prints it: the goroutine dump that runtime.Stack writes. In C, go() returns the new
// goroutine's id and go_goroutine_state answers directly.

// start runs f in a new goroutine and returns that goroutine's id.
func start(f func()) int64 {
	ids := make(chan int64)
	go func() {
		var buf [64]byte
		header := strings.Fields(string(buf[:runtime.Stack(buf[:], false)]))
		id, _ := strconv.ParseInt(header[1], 10, 64)
		ids <- id
		f()
	}()
	return <-ids
}

// state is goroutine id's status as its dump shows it ("running", "chan send", ...), or "" when
// no goroutine has that id.
func state(id int64) string {
	buf := make([]byte, 1<<20)
	dump := string(buf[:runtime.Stack(buf, true)])
	header := fmt.Sprintf("goroutine %d [", id)
	at := strings.Index(dump, header)
	if at < 0 {
		return ""
	}
	status := dump[at+len(header):]
	return status[:strings.IndexAny(status, ",]")]
}

// settle waits, without sleeping, until goroutine id has stopped running, and returns state(id).
func settle(id int64) string {
	for {
		if s := state(id); s != "running" && s != "runnable" {
			return s
		}
		runtime.Gosched()
	}
}
