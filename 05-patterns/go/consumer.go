// Twin of the C demo `consumer`: a goroutine receives until the channel is closed, then reports.
package main

import "fmt"

type tally struct {
	count, sum int
}

func sumConsumer(in <-chan int, report chan<- tally) {
	var t tally
	for v := range in {
		t.count++
		t.sum += v
	}
	report <- t
}

func main() {
	in := make(chan int)
	report := make(chan tally)
	go sumConsumer(in, report)

	for i := 1; i <= 100; i++ {
		in <- i
	}
	close(in) // without it, the consumer's loop would never end

	t := <-report
	fmt.Printf("the consumer received %d values, sum %d\n", t.count, t.sum)
}
