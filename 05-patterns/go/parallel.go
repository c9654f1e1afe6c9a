// Twin of the C demo `parallel`: the same CPU-bound job, counting the primes below 3,000,000 by
// trial division in 30 chunks that a pool of worker goroutines takes from a channel, run twice
// with one worker per CPU: first with runtime.GOMAXPROCS(1), so that the goroutines take turns
// on one thread (concurrent, not parallel), then with GOMAXPROCS at its default,
// runtime.NumCPU() (parallel). It prints the wall and CPU time of each run and the speedup.
//
// The times vary from run to run, so the test holds this output to the C demo's
// expected/parallel.pattern, which checks the count and the format, never the time.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"time"
)

const limit, chunks = 3000000, 30

type span struct{ lo, hi int }

func isPrime(n int) bool {
	if n < 2 {
		return false
	}
	if n%2 == 0 {
		return n == 2
	}
	for d := 3; d*d <= n; d += 2 {
		if n%d == 0 {
			return false
		}
	}
	return true
}

// cpuTime is the CPU time the process has used so far, user and system.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		panic(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// timedCount counts the primes with `workers` goroutines while GOMAXPROCS is `procs`, prints the
// count and the times, and returns the wall time.
func timedCount(procs, workers int) time.Duration {
	saved := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(saved)
	start, cpu := time.Now(), cpuTime()
	spans := make(chan span, chunks)
	counts := make([]int, workers) // one slot per worker: nothing shared
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for s := range spans {
				for n := s.lo; n < s.hi; n++ {
					if isPrime(n) {
						counts[w]++
					}
				}
			}
		}(w)
	}
	for i := 0; i < chunks; i++ {
		spans <- span{i * (limit / chunks), (i + 1) * (limit / chunks)}
	}
	close(spans)
	wg.Wait()
	wall, used := time.Since(start), cpuTime()-cpu
	primes := 0
	for _, c := range counts {
		primes += c
	}
	plural := "s"
	if procs == 1 {
		plural = ""
	}
	fmt.Printf("%d primes, %.3f s wall, %.3f s CPU, on %d CPU%s\n", primes, wall.Seconds(),
		used.Seconds(), procs, plural)
	return wall
}

func main() {
	workers := runtime.NumCPU() // the default GOMAXPROCS
	fmt.Printf("primes below %d, %d chunks, one worker goroutine per CPU\n", limit, chunks)
	serial := timedCount(1, workers)
	parallel := timedCount(workers, workers)
	fmt.Printf("speedup: %.2fx\n", serial.Seconds()/parallel.Seconds())
}
