// Twin of the C demo `summary`: which channel operations block, measured by probe goroutines.
//
// Each row starts one operation in a new goroutine and watches it until it has either blocked
// or returned. Real Go decides every YES and no below, and the test requires the C program's
// table to be the same.
package main

import (
	"fmt"

	"gocurrent/gotwin/goroutine"
)

// row starts op in a probe goroutine, waits until it has blocked or returned, prints the
// table's row and returns the probe's id. Go has no call that tells what another goroutine is
// doing: gocurrent/gotwin/goroutine reads it from the goroutine dump that runtime.Stack writes,
// in the same words as the C library's go_goroutine_settle.
func row(operation string, op func()) int64 {
	id := goroutine.Start(op)
	state := goroutine.Settle(id)
	blocks := "no"
	if state != "" {
		blocks = "YES"
	}
	fmt.Printf("%-45s  %-6s  %s\n", operation, blocks, goroutine.Describe(state))
	return id
}

func send(ch chan int)    { ch <- 1 }
func receive(ch chan int) { <-ch }

func main() {
	fmt.Printf("%-45s  %-6s  %s\n", "operation", "blocks", "the probe goroutine")

	ch := make(chan int)
	id := row("ch <- v, unbuffered, no receiver", func() { send(ch) })
	<-ch // release the probe
	goroutine.WaitReturned(id)

	ch1 := make(chan int)
	helper := goroutine.Start(func() { receive(ch1) })
	goroutine.Settle(helper)
	row("ch <- v, unbuffered, a receiver waiting", func() { send(ch1) })
	goroutine.WaitReturned(helper)

	ch2 := make(chan int)
	id = row("<-ch, unbuffered, no sender", func() { receive(ch2) })
	ch2 <- 1
	goroutine.WaitReturned(id)

	ch3 := make(chan int)
	helper = goroutine.Start(func() { send(ch3) })
	goroutine.Settle(helper)
	row("<-ch, unbuffered, a sender waiting", func() { receive(ch3) })
	goroutine.WaitReturned(helper)

	ch4 := make(chan int, 1)
	row("ch <- v, buffered, room in the buffer", func() { send(ch4) })

	ch5 := make(chan int, 1)
	ch5 <- 1
	id = row("ch <- v, buffered, buffer full", func() { send(ch5) })
	<-ch5
	goroutine.WaitReturned(id)

	ch6 := make(chan int, 1)
	ch6 <- 1
	row("<-ch, buffered, a value in the buffer", func() { receive(ch6) })

	ch7 := make(chan int, 1)
	id = row("<-ch, buffered, buffer empty", func() { receive(ch7) })
	ch7 <- 1
	goroutine.WaitReturned(id)

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
	goroutine.WaitReturned(id)

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
	goroutine.WaitReturned(id)

	ch13 := make(chan int)
	row("close(ch)", func() { close(ch13) })
}
