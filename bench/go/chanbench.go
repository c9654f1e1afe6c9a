// chanbench.go: the workloads of bench/chanbench.c on Go's own channels and sync.Mutex, so a
// reader can put Go's figures beside the workbook's on the same machine.
//
//	go run bench/go/chanbench.go                 # every CPU
//	GOMAXPROCS=1 go run bench/go/chanbench.go    # one CPU
package main

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"
)

func perOp(start time.Time, n int) float64 {
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

func pingPong(n int) float64 {
	a, b := make(chan int), make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			b <- <-a
		}
	}()
	start := time.Now()
	for i := 0; i < n; i++ {
		a <- i
		<-b
	}
	return perOp(start, 2*n)
}

func stream(n, capacity, producers, consumers int) float64 {
	ch := make(chan int, capacity)
	var wg sync.WaitGroup
	wg.Add(producers + consumers)
	start := time.Now()
	for c := 0; c < consumers; c++ {
		go func() {
			defer wg.Done()
			for i := 0; i < n/consumers; i++ {
				<-ch
			}
		}()
	}
	for p := 0; p < producers; p++ {
		go func() {
			defer wg.Done()
			for i := 0; i < n/producers; i++ {
				ch <- i
			}
		}()
	}
	wg.Wait()
	return perOp(start, n)
}

func selectReady(n int) float64 {
	a, b := make(chan int, 1), make(chan int, 1)
	a <- 1
	b <- 2
	start := time.Now()
	for i := 0; i < n; i++ {
		select {
		case v := <-a:
			a <- v
		case v := <-b:
			b <- v
		}
	}
	return perOp(start, n)
}

func selectDefault(n int) float64 {
	a, b := make(chan int, 1), make(chan int, 1)
	defaults := 0
	start := time.Now()
	for i := 0; i < n; i++ {
		select {
		case <-a:
		case <-b:
		default:
			defaults++
		}
	}
	ns := perOp(start, n)
	if defaults != n {
		panic("a case was ready")
	}
	return ns
}

func mutexCounter(n int) float64 {
	const goroutines = 4
	var mu sync.Mutex
	var wg sync.WaitGroup
	counter := 0
	wg.Add(goroutines)
	start := time.Now()
	for g := 0; g < goroutines; g++ {
		go func() {
			defer wg.Done()
			for i := 0; i < n/goroutines; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return perOp(start, n)
}

type row struct {
	name string
	run  func(n int) float64
	n    int
}

func main() {
	rows := []row{
		{"unbuffered ping-pong, ns/handoff", pingPong, 200000},
		{"unbuffered stream 1P1C, ns/item", func(n int) float64 { return stream(n, 0, 1, 1) }, 400000},
		{"buffered(128) 1P1C, ns/item", func(n int) float64 { return stream(n, 128, 1, 1) }, 2000000},
		{"buffered(128) 4P4C, ns/item", func(n int) float64 { return stream(n, 128, 4, 4) }, 2000000},
		{"select, 2 ready channels, ns/op", selectReady, 2000000},
		{"select+default, 2 empty, ns/op", selectDefault, 4000000},
		{"counter under a mutex, ns/inc", mutexCounter, 2000000},
		{"counter owned by a goroutine, ns/inc", func(n int) float64 { return stream(n, 128, 4, 1) }, 2000000},
	}
	const reps = 5
	fmt.Printf("Go %s, GOMAXPROCS=%d: %d runs per row, ns per operation\n", runtime.Version(), runtime.GOMAXPROCS(0), reps)
	fmt.Printf("%-38s %22s\n", "", "median [min-max]")
	for _, r := range rows {
		runs := make([]float64, reps)
		for i := range runs {
			runs[i] = r.run(r.n)
		}
		sort.Float64s(runs)
		fmt.Printf("%-38s %22s\n", r.name, fmt.Sprintf("%.0f [%.0f-%.0f]", runs[reps/2], runs[0], runs[reps-1]))
	}
}
