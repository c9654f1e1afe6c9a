// Twin of the C demo `worker-pool`: a fixed pool of workers, jobs in, results out, placed by id.
package main

import (
	"fmt"
	"sync"
)

type job struct{ id, n int }
type result struct{ id, steps int }

// collatzSteps is the number of steps n takes to reach 1 in the Collatz sequence.
func collatzSteps(n int) int {
	steps := 0
	for ; n != 1; steps++ {
		if n%2 == 0 {
			n /= 2
		} else {
			n = 3*n + 1
		}
	}
	return steps
}

func worker(jobs <-chan job, results chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- result{j.id, collatzSteps(j.n)}
	}
}

func main() {
	inputs := []int{27, 97, 871, 6171, 77031, 837799}
	const workers = 3
	jobs := make(chan job, len(inputs))
	results := make(chan result)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go worker(jobs, results, &wg)
	}

	for i, n := range inputs {
		jobs <- job{i, n}
	}
	close(jobs) // no more jobs: each worker's loop ends when the queue is empty

	steps := make([]int, len(inputs))
	for range inputs {
		r := <-results
		steps[r.id] = r.steps
	}
	wg.Wait() // every worker has seen the close and stopped

	fmt.Printf("%d workers, %d jobs\n", workers, len(inputs))
	for i, n := range inputs {
		fmt.Printf("job %d: collatz(%d) takes %d steps\n", i, n, steps[i])
	}
}
