// The Go program the rwmutex demo mirrors: five readers and one writer share an RWMutex. Left
// alone, they print in whatever order the scheduler runs them. Here main holds the write lock
// until all six wait for it: then the five readers go first, together, and the writer after
// them. Which reader logs first is still the scheduler's choice, so the log is sorted.
package main

import (
	"fmt"
	"sort"
	"sync"

	"gocurrent/gotwin/goroutine"
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

func main() {
	rw.Lock()
	for id := 0; id < 5; id++ {
		id := id
		wg.Add(1)
		goroutine.Settle(goroutine.Start(func() { readData(id) })) // until it waits for rw
	}
	wg.Add(1)
	goroutine.Settle(goroutine.Start(writeData))
	rw.Unlock()
	wg.Wait()
	sort.Strings(events)
	for _, line := range events {
		fmt.Println(line)
	}
}
