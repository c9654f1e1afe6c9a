// The racy counter of the Go notes: two goroutines each add 1 to a shared int a thousand
// times, and nothing orders their loads and stores. Run it with `go run -race`.
package main

import (
	"fmt"
	"sync"
)

var counter int // both goroutines read and write it

func increment(wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < 1000; i++ {
		counter++ // the race
	}
}

func main() {
	var wg sync.WaitGroup
	wg.Add(2)
	go increment(&wg)
	go increment(&wg)
	wg.Wait()
	fmt.Println("Counter:", counter)
}
