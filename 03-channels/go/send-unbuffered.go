// Twin of the C demo `send-unbuffered`: a send on an unbuffered channel waits for a receiver.
package main

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
)

func main() {
	ch := make(chan int)
	done := make(chan struct{})
	sender := start(func() {
		ch <- 42 // waits here until main receives
		fmt.Println("Sent")
		close(done)
	})

	fmt.Printf("the sender is blocked: [%s]\n", settle(sender))
	v := <-ch
	<-done // let the sender print "Sent" before main prints the value
	fmt.Println(v)
}

// Go has no call that tells what another goroutine is doing, so these helpers read it where
// Go prints it: the goroutine dump of runtime.Stack. The C library's go() returns the new
// goroutine's id and go_goroutine_state reports the same words.

// goid returns the calling goroutine's id, from the first line of its own stack dump.
func goid() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	id, _ := strconv.ParseInt(strings.Fields(string(buf[:n]))[1], 10, 64)
	return id
}

// start runs f in a new goroutine and returns that goroutine's id.
func start(f func()) int64 {
	ids := make(chan int64)
	go func() {
		ids <- goid()
		f()
	}()
	return <-ids
}

// settle waits, without sleeping, until goroutine id is blocked on a channel or has returned,
// and returns why it is blocked, as the dump says it ("chan send"), or "" once it has returned.
func settle(id int64) string {
	header := fmt.Sprintf("goroutine %d [", id)
	buf := make([]byte, 1<<20)
	for {
		dump := string(buf[:runtime.Stack(buf, true)])
		at := strings.Index(dump, header)
		if at < 0 {
			return ""
		}
		state := dump[at+len(header):]
		state = state[:strings.IndexAny(state, ",]")]
		if strings.HasPrefix(state, "chan ") || strings.HasPrefix(state, "select") {
			return state
		}
		runtime.Gosched()
	}
}
