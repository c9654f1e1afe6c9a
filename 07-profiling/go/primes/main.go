// The notes' CPU profiling example: primes below 3,000,000, counted by trial division, with
// the numbers generated in a goroutine, under pprof.StartCPUProfile. The C demo `cpu` mirrors
// it; the README reads both profiles with go tool pprof.
package main

import (
	"fmt"
	"math"
	"os"
	"runtime/pprof"
)

const limit = 3000000
const batchSize = 10000

// generateNumbers sends 2, 3, ..., limit-1 in batches, then closes the channel.
func generateNumbers(limit int, out chan<- []int) {
	for first := 2; first < limit; first += batchSize {
		batch := make([]int, batchSize)
		for i := range batch {
			if first+i < limit {
				batch[i] = first + i
			}
		}
		out <- batch
	}
	close(out)
}

// calculatePrimes counts the primes among the numbers received.
func calculatePrimes(in <-chan []int) int {
	count := 0
	for batch := range in {
		for _, x := range batch {
			limit := int(math.Sqrt(float64(x)))
			prime := x >= 2
			for d := 2; prime && d <= limit; d++ {
				prime = x%d != 0
			}
			if prime {
				count++
			}
		}
	}
	return count
}

func main() {
	f, err := os.Create("cpu.prof")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	numbers := make(chan []int, 4)
	go func() { generateNumbers(limit, numbers) }()
	count := calculatePrimes(numbers)
	pprof.StopCPUProfile()
	fmt.Printf("%d primes below %d\n", count, limit)
}
