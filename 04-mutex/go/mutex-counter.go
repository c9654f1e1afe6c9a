// The Go program the mutex-counter demo mirrors: two goroutines add one to a shared counter a
// million times each, with a Mutex around every addition, so no addition is lost.
package main

import (
	"fmt"
	"sync"
)

const (
	adders     = 2
	increments = 1000000
)

var (
	counter   int
	counterMu sync.Mutex
)

func addLocked(done *sync.WaitGroup) {
	defer done.Done()
	for i := 0; i < increments; i++ {
		counterMu.Lock()
		counter++
		counterMu.Unlock()
	}
}

func main() {
	var done sync.WaitGroup
	done.Add(adders)
	for i := 0; i < adders; i++ {
		go addLocked(&done)
	}
	done.Wait()
	fmt.Printf("Counter: %d (want %d)\n", counter, adders*increments)
}
