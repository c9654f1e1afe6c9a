// Twin of the C demo `fan-out`: workers share one channel, and each job goes to exactly one.
package main

import (
	"fmt"
	"sync"
)

const workers, jobCount = 3, 12

// What one worker did. Each worker writes only its own record, so they share nothing; main
// reads the records after the WaitGroup says every worker is done.
type record struct {
	taken        []int
	sumOfSquares int
}

func main() {
	jobs := make(chan int)
	var wg sync.WaitGroup
	var records [workers]record
	for i := range records {
		wg.Add(1) // before go: Wait must not run ahead of the Add
		go func(r *record) {
			defer wg.Done()
			for job := range jobs {
				r.taken = append(r.taken, job)
				r.sumOfSquares += job * job
			}
		}(&records[i])
	}
	for job := 1; job <= jobCount; job++ {
		jobs <- job
	}
	close(jobs)
	wg.Wait()

	var timesTaken [jobCount + 1]int
	total, sumOfSquares := 0, 0
	for _, r := range records {
		for _, job := range r.taken {
			timesTaken[job]++
		}
		total += len(r.taken)
		sumOfSquares += r.sumOfSquares
	}
	onceEach := true
	for job := 1; job <= jobCount; job++ {
		onceEach = onceEach && timesTaken[job] == 1
	}
	alone := 0
	for job := 1; job <= jobCount; job++ {
		alone += job * job
	}

	fmt.Printf("%d workers took %d jobs; each job exactly once: %t\n", workers, total, onceEach)
	fmt.Printf("sum of squares: %d (one goroutine alone: %d)\n", sumOfSquares, alone)
}
