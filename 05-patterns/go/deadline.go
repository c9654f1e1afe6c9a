// Twin of the C demo `deadline`: a context with a deadline stops a slow job.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

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

// runWithDeadline runs a job of steps ms under a context with the given deadline and prints
// the outcome.
func runWithDeadline(label string, steps int, deadline time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel() // stops the deadline's timer if it has not fired
	result := make(chan int, 1)
	var wg sync.WaitGroup
	stoppedEarly := false
	wg.Add(1)
	go func() {
		defer wg.Done()
		stoppedEarly = !slowWork(steps, ctx.Done())
		if !stoppedEarly {
			result <- 42
		}
	}()

	select {
	case answer := <-result:
		fmt.Printf("%s: answer %d\n", label, answer)
	case <-ctx.Done():
		fmt.Printf("%s: %v\n", label, ctx.Err())
	}
	wg.Wait()
	fmt.Printf("%s: the job stopped early: %t\n", label, stoppedEarly)
}

func main() {
	runWithDeadline("1 s job, 20 ms deadline", 1000, 20*time.Millisecond)
	runWithDeadline("quick job, 1 s deadline", 0, time.Second)
}
