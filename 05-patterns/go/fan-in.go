// Twin of the C demo `fan-in`: merge several channels into one.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func numbers(lo, hi int) <-chan int {
	out := make(chan int)
	go func() {
		for v := lo; v <= hi; v++ {
			out <- v
		}
		close(out)
	}()
	return out
}

// merge copies every input channel onto one output channel, one goroutine per input, and
// closes the output once every input is closed.
func merge(ins ...<-chan int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(len(ins))
	for _, in := range ins {
		go func(in <-chan int) {
			defer wg.Done()
			for v := range in {
				out <- v
			}
		}(in)
	}
	go func() {
		wg.Wait()
		close(out) // only now: a send by a forwarder after a close would panic
	}()
	return out
}

func main() {
	sources := []<-chan int{numbers(1, 4), numbers(101, 104), numbers(201, 204)}
	var got []int
	last := make([]int, len(sources))
	inOrder := true
	for v := range merge(sources...) {
		got = append(got, v)
		previous := &last[v/100] // the source, from the hundreds digit
		inOrder = inOrder && v > *previous
		*previous = v
	}

	fmt.Printf("merged %d values from %d channels\n", len(got), len(sources))
	fmt.Printf("each channel's values kept their order: %t\n", inOrder)
	sort.Ints(got)
	fmt.Println("sorted:", got)
}
