// Package goroutine lets the Go twins watch their goroutines as the C demos do with the
// library's go(), go_goroutine_state, go_goroutine_settle and go_goroutine_wait_returned: start
// a goroutine and learn its id, ask what it is doing, and wait until it has blocked or returned.
//
// Go has no call that reports on another goroutine. What Go does have is the goroutine dump,
// the text runtime.Stack(buf, true) writes, in which each goroutine's entry opens with a header
// line such as
//
//	goroutine 7 [chan send]:
//
// The word in brackets, up to any comma, is the goroutine's state: "running" or "runnable"
// while it has work to do, otherwise the reason it is parked ("chan receive", "select",
// "semacquire", ...). Every function here reads that header. The ones that wait take a fresh
// dump again and again and call runtime.Gosched between two looks, so that the goroutine being
// watched gets to run. None of them sleeps, and only WaitReturned has a time limit, for a
// goroutine that never returns, so no answer depends on how fast or how busy the machine is.
//
// A dump stops the world while it is written: this is for demos and tests that must know where
// another goroutine is before they go on, not for programs that need speed.
package goroutine

import (
	"bytes"
	"runtime"
	"strconv"
	"time"
)

// ID returns the id of the goroutine that calls it. Go does not give it out; this reads it from
// the header line of the caller's own dump, runtime.Stack(buf, false), which begins with
// "goroutine <id> [running]:".
func ID() int64 {
	var buf [64]byte
	header := buf[:runtime.Stack(buf[:], false)]
	id, err := strconv.ParseInt(string(bytes.Fields(header)[1]), 10, 64)
	if err != nil {
		panic("goroutine: no id in the dump header " + strconv.Quote(string(header)))
	}
	return id
}

// Start runs f in a new goroutine, as the statement go f() does, and returns the new
// goroutine's id, as the C library's go() does. The new goroutine learns its id with ID and
// hands it to Start over an unbuffered channel before it calls f, so the goroutine exists by the
// time Start returns, although f may not have begun yet.
func Start(f func()) int64 {
	ids := make(chan int64)
	go func() {
		ids <- ID()
		f()
	}()
	return <-ids
}

// State returns what goroutine id is doing at this moment, in the words of its header in a
// fresh goroutine dump: "running", "runnable", "chan send", "semacquire", and so on, without
// what follows a comma there (", 2 minutes", ", locked to thread"). It returns "" when the dump
// has no goroutine with that id: the goroutine has returned. The answer is a snapshot that may
// be out of date by the time it is read; Settle waits for one that lasts.
func State(id int64) string {
	var d dump
	return d.state(id)
}

// Settle waits until goroutine id has stopped running, and returns its state then: the reason
// it is blocked ("chan send", "select", "semacquire", ...), or "" if it has returned. A blocked
// goroutine stays blocked until another goroutine acts, so the answer is the same however the
// scheduler runs things.
//
// A goroutine still counts as running while it is "running" or "runnable", and during the
// runtime's short detours that end by themselves: a system call (writing its output, for one),
// a preemption, a stack copy, or a turn helping the garbage collector. Settle looks at a fresh
// dump, calls runtime.Gosched if the goroutine is still running, and looks again, with no
// timeout.
func Settle(id int64) string {
	var d dump
	for {
		if state := d.state(id); !stillRunning[state] {
			return state
		}
		runtime.Gosched()
	}
}

// WaitReturned waits until goroutine id has returned and reports whether it has. Like Settle,
// it looks at a fresh dump until the goroutine is no longer in it, calling runtime.Gosched
// between two looks. It gives up after five seconds and returns false, so that a goroutine that
// should have returned but never does makes a demo print the wrong thing (Settle or State then
// says where the goroutine is stuck) instead of hanging.
func WaitReturned(id int64) bool {
	giveUp := time.Now().Add(5 * time.Second)
	var d dump
	for d.state(id) != "" {
		if time.Now().After(giveUp) {
			return false
		}
		runtime.Gosched()
	}
	return true
}

// Describe turns a state that Settle returned into the words the demos print for it: "returned"
// for "", and "blocked [chan send]" for "chan send".
func Describe(state string) string {
	if state == "" {
		return "returned"
	}
	return "blocked [" + state + "]"
}

// stillRunning holds the states, as a dump prints them, of a goroutine that will go on without
// help from any other goroutine: the scheduler's own states other than "waiting", and the waits
// for the garbage collector.
var stillRunning = map[string]bool{
	"idle":                    true,
	"runnable":                true,
	"running":                 true,
	"syscall":                 true,
	"copystack":               true,
	"preempted":               true,
	"GC assist marking":       true,
	"GC assist wait":          true,
	"garbage collection":      true,
	"garbage collection scan": true,
	"wait for GC cycle":       true,
}

// dump is a buffer for goroutine dumps, kept from one look to the next by the functions that
// poll, and grown when a dump does not fit.
type dump struct {
	buf []byte
}

// state writes a fresh dump of all goroutines into d and returns the state in goroutine id's
// header line, or "" if no header line has that id.
func (d *dump) state(id int64) string {
	if d.buf == nil {
		d.buf = make([]byte, 64<<10)
	}
	n := runtime.Stack(d.buf, true)
	for n == len(d.buf) { // maybe cut short: write it again into a buffer twice the size
		d.buf = make([]byte, 2*len(d.buf))
		n = runtime.Stack(d.buf, true)
	}
	header := []byte("goroutine " + strconv.FormatInt(id, 10) + " [")
	for rest := d.buf[:n]; len(rest) > 0; {
		line := rest
		if eol := bytes.IndexByte(rest, '\n'); eol >= 0 {
			line, rest = rest[:eol], rest[eol+1:]
		} else {
			rest = nil
		}
		if bytes.HasPrefix(line, header) {
			state := line[len(header):]
			if end := bytes.IndexAny(state, ",]"); end >= 0 {
				state = state[:end]
			}
			return string(state)
		}
	}
	return ""
}
