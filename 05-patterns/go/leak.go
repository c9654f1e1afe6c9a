// Twin of the C demo `leak`: a consumer stops early, and the generator is blocked forever.
package main

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
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
	generator := start(func() { countForever(out) })
	fmt.Print("took")
	take(out, 3)
	fmt.Println(", then stopped receiving")
	printSettled("the generator", generator)
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
