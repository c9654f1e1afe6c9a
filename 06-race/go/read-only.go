// The Go program the read-only demo mirrors: a table written once, before any goroutine
// starts, and then only read, by four goroutines at once.
package main

import (
	"fmt"
	"sync"
)

const sieveSize = 1000

// composite[n] is true when n has a divisor other than 1 and n. main fills it in before the
// goroutines exist; nobody writes it after that.
var composite [sieveSize]bool

type primeCount struct {
	from, to, primes int
}

func main() {
	for n := 2; n*n < sieveSize; n++ {
		if !composite[n] {
			for multiple := n * n; multiple < sieveSize; multiple += n {
				composite[multiple] = true
			}
		}
	}

	var jobs [4]primeCount
	share := sieveSize / len(jobs)
	var counting sync.WaitGroup
	counting.Add(len(jobs))
	for i := range jobs {
		jobs[i] = primeCount{from: i * share, to: (i + 1) * share}
		go func(job *primeCount) { // each goroutine writes only its own job
			defer counting.Done()
			for n := job.from; n < job.to; n++ {
				if n >= 2 && !composite[n] {
					job.primes++
				}
			}
		}(&jobs[i])
	}
	counting.Wait()

	total := 0
	for _, job := range jobs {
		fmt.Printf("primes in [%d, %d): %d\n", job.from, job.to, job.primes)
		total += job.primes
	}
	fmt.Printf("primes below %d: %d\n", sieveSize, total)
}
