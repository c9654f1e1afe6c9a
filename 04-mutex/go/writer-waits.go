// The Go program the writer-waits demo mirrors (the notes' case 2.2): a writer that arrives
// while two readers hold the lock waits until both have left, not only the first.
package main

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

// ---- the event log: what each goroutine did, in order, under the log's own lock ----

var (
	logMu  sync.Mutex
	events []string
)

func record(format string, args ...interface{}) {
	logMu.Lock()
	events = append(events, fmt.Sprintf(format, args...))
	logMu.Unlock()
}

func printLog() {
	for _, line := range events {
		fmt.Println(line)
	}
}

// ---- watching a goroutine without timing it ----

// goid returns the calling goroutine's id, from the header of its own stack dump.
func goid() int {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	id, _ := strconv.Atoi(string(bytes.Fields(buf)[1]))
	return id
}

// spawn runs f in a new goroutine and returns that goroutine's id.
func spawn(f func()) int {
	ids := make(chan int)
	go func() {
		ids <- goid()
		f()
	}()
	return <-ids
}

// state says what goroutine id is doing, as a dump of all goroutines heads it ("running",
// "semacquire", "chan receive"), or "" once the goroutine has returned.
func state(id int) string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	header := []byte(fmt.Sprintf("goroutine %d [", id))
	for _, line := range bytes.Split(buf, []byte("\n")) {
		if bytes.HasPrefix(line, header) {
			rest := line[len(header):]
			return string(rest[:bytes.IndexAny(rest, ",]")])
		}
	}
	return ""
}

// settle waits until goroutine id has blocked or returned, and returns state(id) then.
func settle(id int) string {
	for {
		if s := state(id); s != "running" && s != "runnable" {
			return s
		}
		runtime.Gosched()
	}
}

func meaning(state string) string {
	switch state {
	case "":
		return "has finished"
	case "semacquire":
		return "is blocked [semacquire]"
	case "chan receive":
		return "holds the lock, waiting for main [chan receive]"
	}
	return state
}

// ---- a scene: one RWMutex, and goroutines that take it as readers or writers ----

type scene struct {
	rw      sync.RWMutex
	holders int32 // goroutines inside the lock right now
	done    sync.WaitGroup
}

func (s *scene) enter(who string, writer bool) {
	verb := "reading"
	if writer {
		record("%s: Lock()", who)
		s.rw.Lock()
		verb = "writing"
	} else {
		record("%s: RLock()", who)
		s.rw.RLock()
	}
	record("%s: %s (holders: %d)", who, verb, atomic.AddInt32(&s.holders, 1))
}

func (s *scene) leave(who string, writer bool) {
	atomic.AddInt32(&s.holders, -1)
	if writer {
		record("%s: Unlock()", who)
		s.rw.Unlock()
	} else {
		record("%s: RUnlock()", who)
		s.rw.RUnlock()
	}
}

type actor struct {
	name   string
	writer bool
	hold   chan struct{} // while open, the actor stays inside the lock; nil: it leaves at once
	id     int
}

func holding(name string, writer bool) *actor {
	return &actor{name: name, writer: writer, hold: make(chan struct{})}
}

// start runs the actor in a goroutine, waits until it has settled, and logs what main sees.
func (s *scene) start(a *actor) {
	s.done.Add(1)
	a.id = spawn(func() {
		s.enter(a.name, a.writer)
		if a.hold != nil {
			<-a.hold
		}
		s.leave(a.name, a.writer)
		s.done.Done()
	})
	record("main: %s %s", a.name, meaning(settle(a.id)))
}

// letGo lets an actor that holds the lock leave, and waits until it has finished.
func (s *scene) letGo(a *actor) {
	record("main: lets %s go", a.name)
	close(a.hold)
	for state(a.id) != "" {
		runtime.Gosched()
	}
}

func main() {
	var s scene
	r1 := holding("reader 1", false)
	w2 := &actor{name: "writer 2", writer: true}
	s.enter("main", false)
	s.start(r1)
	s.start(w2)
	s.leave("main", false)
	record("main: writer 2 %s", meaning(settle(w2.id)))
	s.letGo(r1)
	s.done.Wait()
	printLog()
}
