// The Go program the channels demo mirrors: the racy counter's two goroutines send their
// increments to the one goroutine that owns the count.
package main

import (
	"fmt"
	"sync"
)

// countOwner is the only goroutine that can see the count: it is one of its local variables.
func countOwner(increments <-chan int, total chan<- int) {
	count := 0
	for delta := range increments {
		count += delta
	}
	total <- count
}

func sendIncrements(increments chan<- int, senders *sync.WaitGroup) {
	defer senders.Done()
	for i := 0; i < 1000; i++ {
		increments <- 1
	}
}

func main() {
	increments := make(chan int)
	total := make(chan int)
	go countOwner(increments, total)

	var senders sync.WaitGroup
	senders.Add(2)
	go sendIncrements(increments, &senders)
	go sendIncrements(increments, &senders)
	senders.Wait()
	close(increments) // no more increments: the owner's range loop ends

	fmt.Println("Counter:", <-total)
}
