//go:build ignore

// tracebench.go: bench/tracebench.c's pipeline in Go, untraced and under runtime/trace, so one
// bench run shows both tracers' overhead. usage: go run tracebench.go [-quick] [-runs N]
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/trace"
	"sort"
	"syscall"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// 2,000 rounds of a 64-bit mix (splitmix64's finaliser), as tracebench.c.
func hash(x uint64) uint64 {
	for round := 0; round < 2000; round++ {
		x ^= x >> 30
		x *= 0xbf58476d1ce4e5b9
		x ^= x >> 27
		x *= 0x94d049bb133111eb
		x ^= x >> 31
	}
	return x
}

func pipeline(n int) uint64 {
	items, results := make(chan int), make(chan uint64)
	go func() {
		for i := 0; i < n; i++ {
			items <- i
		}
		close(items)
	}()
	done := make(chan bool)
	for w := 0; w < 2; w++ {
		go func() {
			for item := range items {
				results <- hash(uint64(item))
			}
			done <- true
		}()
	}
	go func() { <-done; <-done; close(results) }()
	var sum uint64
	for r := range results {
		sum += r
	}
	return sum
}

func measure(n int, traced bool) (time.Duration, int64) {
	path := fmt.Sprintf("%s/tracebench-go-%d.trace", os.TempDir(), os.Getpid())
	var f *os.File
	if traced {
		f, _ = os.Create(path)
		trace.Start(f)
	}
	start := cpuNow()
	pipeline(n)
	if traced {
		trace.Stop()
	}
	cpu := cpuNow() - start
	var size int64
	if traced {
		st, _ := f.Stat()
		size = st.Size()
		f.Close()
		os.Remove(path)
	}
	return cpu, size
}

func main() {
	quick := flag.Bool("quick", false, "tiny workload, once")
	runs := flag.Int("runs", 5, "runs per side")
	flag.Parse()
	n := 200000
	if *quick {
		n, *runs = 2000, 1
	}
	var off, on []time.Duration
	var size int64
	for i := 0; i < *runs; i++ {
		c, _ := measure(n, false)
		off = append(off, c)
		c, size = measure(n, true)
		on = append(on, c)
	}
	sort.Slice(off, func(i, j int) bool { return off[i] < off[j] })
	sort.Slice(on, func(i, j int) bool { return on[i] < on[j] })
	a, b := off[len(off)/2], on[len(on)/2]
	fmt.Printf("Go pipeline: cpu off %.1f ms, on %.1f ms, on/off %.3f, trace %d bytes\n",
		float64(a)/1e6, float64(b)/1e6, float64(b)/float64(a), size)
}
