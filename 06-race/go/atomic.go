// The Go program the atomic demo mirrors: the racy counter, with each increment one atomic
// read-modify-write.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

const increments = 1000000

var counter atomic.Int64 // new in Go 1.19; before it, an int64 and atomic.AddInt64(&counter, 1)

func incrementAtomic(wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < increments; i++ {
		counter.Add(1)
	}
}

func main() {
	var wg sync.WaitGroup
	wg.Add(2)
	go incrementAtomic(&wg)
	go incrementAtomic(&wg)
	wg.Wait()
	fmt.Println("Counter:", counter.Load())
}
