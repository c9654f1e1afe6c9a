// The Go program the rwmutex demo mirrors: five readers and one writer share an RWMutex. Left
// alone, they print in whatever order the scheduler runs them. Here main holds the write lock
// until all six wait for it: then the five readers go first, together, and the writer after
// them. Which reader logs first is still the scheduler's choice, so the log is sorted.
package main

import (
	"bytes"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"sync"
)

var (
	rw   sync.RWMutex
	data int
	wg   sync.WaitGroup

	logMu  sync.Mutex
	events []string
)

func record(format string, args ...interface{}) {
	logMu.Lock()
	events = append(events, fmt.Sprintf(format, args...))
	logMu.Unlock()
}

func readData(id int) {
	rw.RLock()
	record("Goroutine %d reading data: %d", id, data)
	rw.RUnlock()
	wg.Done()
}

func writeData() {
	rw.Lock()
	data++
	record("Writing data: %d", data)
	rw.Unlock()
	wg.Done()
}

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

// settle waits until goroutine id is no longer running (here: until it waits for rw).
func settle(id int) {
	header := []byte(fmt.Sprintf("goroutine %d [", id))
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		i := bytes.Index(buf, header)
		if i < 0 || !bytes.HasPrefix(buf[i+len(header):], []byte("run")) {
			return
		}
		runtime.Gosched()
	}
}

func main() {
	rw.Lock()
	for id := 0; id < 5; id++ {
		id := id
		wg.Add(1)
		settle(spawn(func() { readData(id) }))
	}
	wg.Add(1)
	settle(spawn(writeData))
	rw.Unlock()
	wg.Wait()
	sort.Strings(events)
	for _, line := range events {
		fmt.Println(line)
	}
}
