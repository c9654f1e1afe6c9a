// Twin of the C demo `summary`: which channel operations block, measured by probe goroutines.
//
// Each row starts one operation in a new goroutine and watches it until it has either blocked
// or returned. Real Go decides every YES and no below, and the test requires the C program's
// table to be the same.
package main

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
)

// row starts op in a probe goroutine, watches it, prints the table's row and returns its id.
func row(operation string, op func()) int64 {
	id := start(op)
	if state := settle(id); state != "" {
		fmt.Printf("%-45s  %-6s  blocked [%s]\n", operation, "YES", state)
	} else {
		fmt.Printf("%-45s  %-6s  returned\n", operation, "no")
	}
	return id
}

// waitReturned waits until goroutine id has returned.
func waitReturned(id int64) {
	for settle(id) != "" {
		runtime.Gosched()
	}
}

func send(ch chan int)    { ch <- 1 }
func receive(ch chan int) { <-ch }

func main() {
	fmt.Printf("%-45s  %-6s  %s\n", "operation", "blocks", "the probe goroutine")

	ch := make(chan int)
	id := row("ch <- v, unbuffered, no receiver", func() { send(ch) })
	<-ch // release the probe
	waitReturned(id)

	ch1 := make(chan int)
	helper := start(func() { receive(ch1) })
	settle(helper)
	row("ch <- v, unbuffered, a receiver waiting", func() { send(ch1) })
	waitReturned(helper)

	ch2 := make(chan int)
	id = row("<-ch, unbuffered, no sender", func() { receive(ch2) })
	ch2 <- 1
	waitReturned(id)

	ch3 := make(chan int)
	helper = start(func() { send(ch3) })
	settle(helper)
	row("<-ch, unbuffered, a sender waiting", func() { receive(ch3) })
	waitReturned(helper)

	ch4 := make(chan int, 1)
	row("ch <- v, buffered, room in the buffer", func() { send(ch4) })

	ch5 := make(chan int, 1)
	ch5 <- 1
	id = row("ch <- v, buffered, buffer full", func() { send(ch5) })
	<-ch5
	waitReturned(id)

	ch6 := make(chan int, 1)
	ch6 <- 1
	row("<-ch, buffered, a value in the buffer", func() { receive(ch6) })

	ch7 := make(chan int, 1)
	id = row("<-ch, buffered, buffer empty", func() { receive(ch7) })
	ch7 <- 1
	waitReturned(id)

	ch8 := make(chan int, 1)
	close(ch8)
	row("<-ch, closed (zero value, ok false)", func() { receive(ch8) })

	ch9 := make(chan int, 1)
	ch9 <- 1
	id = row("for range ch, open, one value buffered", func() {
		for range ch9 {
		}
	})
	close(ch9) // ends the probe's loop
	waitReturned(id)

	ch10 := make(chan int, 1)
	ch10 <- 1
	close(ch10)
	row("for range ch, closed, one value buffered", func() {
		for range ch10 {
		}
	})

	// Nothing can release these two: they stay blocked until the program exits.
	var nilChan chan int
	row("ch <- v, nil channel", func() { send(nilChan) })
	row("<-ch, nil channel", func() { receive(nilChan) })

	ch11 := make(chan int)
	row("select with default, nothing ready", func() {
		select {
		case <-ch11:
		default:
		}
	})

	ch12, other := make(chan int), make(chan int)
	id = row("select without default, nothing ready", func() {
		select {
		case <-ch12:
		case <-other:
		}
	})
	close(ch12) // a receive case on a closed channel can run
	waitReturned(id)

	ch13 := make(chan int)
	row("close(ch)", func() { close(ch13) })
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
