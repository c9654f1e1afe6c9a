// Twin of the C demo `timeout`: select on the answer and on a timer, and the timer wins.
package main

import (
	"fmt"
	"sync"
	"time"
)

// slowWork stands for steps milliseconds of slow work, done in 1 ms steps. Between steps it
// checks whether done is closed, and if so stops early and returns false.
func slowWork(steps int, done <-chan struct{}) bool {
	for i := 0; i < steps; i++ {
		select {
		case <-done:
			return false
		default:
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

func main() {
	done := make(chan struct{})
	result := make(chan int, 1) // room for the answer: the job never blocks on sending it
	var wg sync.WaitGroup
	stoppedEarly := false
	wg.Add(1)
	go func() {
		defer wg.Done()
		stoppedEarly = !slowWork(1000, done)
		if !stoppedEarly {
			result <- 42
		}
	}()

	select {
	case answer := <-result:
		fmt.Println("answer:", answer)
	case <-time.After(20 * time.Millisecond):
		fmt.Println("no answer after 20 ms: timed out")
	}
	close(done)
	wg.Wait()
	fmt.Printf("after close(done), the job stopped early: %t\n", stoppedEarly)
}
