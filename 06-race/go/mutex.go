// The Go program the mutex demo mirrors: the racy counter, with each increment inside Lock and
// Unlock.
package main

import (
	"fmt"
	"sync"
)

const increments = 1000000

var (
	counter int
	mu      sync.Mutex
)

func incrementLocked(wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < increments; i++ {
		mu.Lock()
		counter++ // only one goroutine at a time gets here
		mu.Unlock()
	}
}

func main() {
	var wg sync.WaitGroup
	wg.Add(2)
	go incrementLocked(&wg)
	go incrementLocked(&wg)
	wg.Wait()
	fmt.Println("Counter:", counter)
}
