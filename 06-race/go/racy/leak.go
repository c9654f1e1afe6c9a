// The leak demo in Go: a sender nobody receives from and a receiver on a channel nobody
// closes. Go has no leak report; the goroutine profile, printed here in the layout of a
// panic's dump (debug=2), shows the same two goroutines and where they are stuck.
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
)

func fetch(answer chan<- int) {
	answer <- 42
}

// lookup starts fetch, then checks its own argument, and on a bad key returns without
// receiving: nothing will ever take fetch's answer.
func lookup(key int) (int, bool) {
	answer := make(chan int)
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

func main() {
	if value, ok := lookup(7); ok {
		fmt.Println("lookup(7):", value)
	}
	if _, ok := lookup(-1); !ok {
		fmt.Println("lookup(-1): bad key, gave up without receiving")
	}
	jobs := make(chan int, 1)
	jobs <- 1
	go serve(jobs) // and no close(jobs): serve waits for job 2 forever

	// Wait until both are blocked, as the C demo does with go_goroutine_state: here by reading
	// the goroutine profile until it shows them parked.
	var dump bytes.Buffer
	for {
		dump.Reset()
		pprof.Lookup("goroutine").WriteTo(&dump, 2)
		if strings.Contains(dump.String(), "[chan send]") && strings.Contains(dump.String(), "[chan receive]") {
			break
		}
		runtime.Gosched()
	}
	fmt.Println("goroutines:", runtime.NumGoroutine())
	os.Stdout.Write(dump.Bytes())
}
