// The Go program the final-counter demo mirrors: ten goroutines each add one to a counter,
// taking a Mutex around the addition, and main waits for all ten before it prints.
package main

import (
	"fmt"
	"sync"
)

var (
	counter   int
	counterMu sync.Mutex
)

func incrementOnce(done *sync.WaitGroup) {
	counterMu.Lock()
	counter++
	counterMu.Unlock()
	done.Done()
}

func main() {
	var done sync.WaitGroup
	done.Add(10)
	for n := 1; n <= 10; n++ {
		go incrementOnce(&done)
	}
	done.Wait()
	fmt.Println("Final Counter:", counter)
}
