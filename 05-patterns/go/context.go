// Twin of the C demo `context`: cancelling a context stops every goroutine that watches it or a
// context derived from it.
package main

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"
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
	evenGen := start(func() { countByTwo(ctx, evens, 0) })
	oddGen := start(func() { countByTwo(child, odds, 1) })

	fmt.Print("evens:")
	take(evens, 3)
	fmt.Print("\nodds: ")
	take(odds, 3)
	fmt.Println()

	cancel() // child is derived from ctx: it is cancelled too
	fmt.Println("cancel(ctx)")
	printReturned("the evens generator", evenGen)
	printReturned("the odds generator", oddGen)
	fmt.Println("ctx.Err():  ", ctx.Err())
	fmt.Println("child.Err():", child.Err())
	cancelChild() // go vet's rule: call every cancel function, even after the parent's
}

// printReturned prints "<who>: returned" once goroutine id has returned, or, if it is still
// there after five seconds (cancellation failed), where it is stuck.
func printReturned(who string, id int64) {
	giveUp := time.Now().Add(5 * time.Second)
	for state(id) != "" && time.Now().Before(giveUp) {
		runtime.Gosched()
	}
	printSettled(who, id)
}

// printSettled prints "<who>: blocked [chan send]" or "<who>: returned", once goroutine id has
// settled.
func printSettled(who string, id int64) {
	if s := settle(id); s != "" {
		fmt.Printf("%s: blocked [%s]\n", who, s)
	} else {
		fmt.Printf("%s: returned\n", who)
	}
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
