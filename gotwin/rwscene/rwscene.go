// Package rwscene stages the sync.RWMutex scenarios of chapter 04's Go twins (writer-holds,
// readers-share, writer-waits, writer-preference), as the C demos' scene, actor, enter, leave,
// start and let_go do in 04-mutex/mutex.c. Each twin's main plays its own scenario with these
// parts.
//
// A Scene is one RWMutex and an event log. Main and the scene's actors take the lock as readers
// or writers, and log what they do: calling Lock or RLock, being inside (with how many
// goroutines hold the lock at that moment), leaving. Main goes one step at a time: when it
// starts an actor it waits, with goroutine.Settle, until the actor has blocked on the lock, or
// is inside and waiting for main to let it go, or has finished, and logs which. Nothing sleeps,
// so the log comes out in the same order on every run.
package rwscene

import (
	"fmt"
	"sync"
	"sync/atomic"

	"gocurrent/gotwin/goroutine"
)

// Scene is an RWMutex, the actors that take it, and the log of what they all did. Its zero
// value is ready to use.
type Scene struct {
	rw      sync.RWMutex
	holders atomic.Int32   // goroutines inside rw right now
	actors  sync.WaitGroup // actors started and not finished yet

	logMu  sync.Mutex // guards events; never held while waiting for rw
	events []string   // the log, in the order the lines were added
}

// Actor is a goroutine of a scene, a reader, or a writer if Writer is set. Built as a literal,
// it leaves the lock as soon as it has got in; built by Holding, it stays inside until main
// calls LetGo.
type Actor struct {
	Name   string
	Writer bool
	hold   chan struct{} // nil, or open while the actor must stay inside
	id     int64         // its goroutine, once Start has started it
}

// Holding returns an actor that, once inside the lock, stays there until main lets it go.
func Holding(name string, writer bool) *Actor {
	return &Actor{Name: name, Writer: writer, hold: make(chan struct{})}
}

// record adds a line to the scene's log.
func (s *Scene) record(format string, args ...interface{}) {
	s.logMu.Lock()
	s.events = append(s.events, fmt.Sprintf(format, args...))
	s.logMu.Unlock()
}

// Enter takes the lock for who, with Lock if writer is set and RLock otherwise, and logs the
// call and then, once it has returned, that who is inside and how many goroutines are.
func (s *Scene) Enter(who string, writer bool) {
	verb := "reading"
	if writer {
		s.record("%s: Lock()", who)
		s.rw.Lock()
		verb = "writing"
	} else {
		s.record("%s: RLock()", who)
		s.rw.RLock()
	}
	s.record("%s: %s (holders: %d)", who, verb, s.holders.Add(1))
}

// Leave logs that who leaves, and releases the lock Enter took: Unlock if writer is set and
// RUnlock otherwise.
func (s *Scene) Leave(who string, writer bool) {
	s.holders.Add(-1)
	if writer {
		s.record("%s: Unlock()", who)
		s.rw.Unlock()
	} else {
		s.record("%s: RUnlock()", who)
		s.rw.RUnlock()
	}
}

// Start runs the actor in a new goroutine that enters the lock, stays inside while the actor
// is held, and leaves. Start then waits until that goroutine has settled, and logs what main
// sees, as Look does.
func (s *Scene) Start(a *Actor) {
	s.actors.Add(1)
	a.id = goroutine.Start(func() {
		defer s.actors.Done()
		s.Enter(a.Name, a.Writer)
		if a.hold != nil {
			<-a.hold
		}
		s.Leave(a.Name, a.Writer)
	})
	s.Look(a)
}

// Look waits until the actor, which Start has started, has settled, and logs what main sees:
// "main: <name> is blocked [semacquire]" (waiting for the lock), "main: <name> holds the lock,
// waiting for main [chan receive]" (inside, held), or "main: <name> has finished".
func (s *Scene) Look(a *Actor) {
	state := goroutine.Settle(a.id)
	switch state {
	case "":
		state = "has finished"
	case "semacquire", "sync.Mutex.Lock", "sync.RWMutex.RLock", "sync.RWMutex.Lock":
		// Go 1.19 calls every wait in package sync "semacquire"; Go 1.20 names the call.
		state = "is blocked [" + state + "]"
	case "chan receive":
		state = "holds the lock, waiting for main [chan receive]"
	}
	s.record("main: %s %s", a.Name, state)
}

// LetGo lets an actor made by Holding leave the lock, and waits until its goroutine has
// returned.
func (s *Scene) LetGo(a *Actor) {
	s.record("main: lets %s go", a.Name)
	close(a.hold)
	goroutine.WaitReturned(a.id)
}

// Wait waits until every actor started has left the lock and finished.
func (s *Scene) Wait() {
	s.actors.Wait()
}

// PrintLog prints the log, one event a line, in the order the events were logged.
func (s *Scene) PrintLog() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	for _, line := range s.events {
		fmt.Println(line)
	}
}
