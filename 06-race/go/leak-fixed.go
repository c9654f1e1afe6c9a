// The Go program the leak-fixed demo mirrors: the leak demo's two goroutines, fixed so that
// both return. Waiting for them uses runtime.NumGoroutine, as the C demo uses the runtime's
// go_goroutine_state: neither sleeps.
package main

import (
	"fmt"
	"runtime"
)

func fetch(answer chan<- int) {
	answer <- 42
}

// lookup's buffer of one gives the answer somewhere to go, whether or not anyone receives it.
func lookup(key int) (int, bool) {
	answer := make(chan int, 1)
	go fetch(answer)
	if key < 0 {
		return 0, false
	}
	return <-answer, true
}

func serve(jobs <-chan int) {
	for range jobs {
		// a real worker would do the job here
	}
}

// waitUntil blocks until at most n goroutines are left.
func waitUntil(n int) {
	for runtime.NumGoroutine() > n {
		runtime.Gosched()
	}
}

func main() {
	if _, ok := lookup(-1); !ok {
		fmt.Println("lookup(-1): bad key, gave up without receiving")
	}
	waitUntil(1)
	fmt.Println("fetch has returned")

	jobs := make(chan int, 1)
	jobs <- 1
	go serve(jobs)
	close(jobs) // range ends once the jobs sent so far are served
	waitUntil(1)
	fmt.Println("serve has returned")
}
