// Prints the capacities append grows slices to, for the C twin tests/growth_table.c to match.
package main

import "fmt"

// oneByOne appends single zero elements to a nil slice and prints each new capacity.
func oneByOne[T any](name string, n int) {
	var s []T
	var zero T
	fmt.Print(name, ":")
	for i := 0; i < n; i++ {
		before := cap(s)
		s = append(s, zero)
		if cap(s) != before {
			fmt.Print(" ", cap(s))
		}
	}
	fmt.Println()
}

// inBatches appends k elements at once to make([]T, l, c) for a spread of l, c and k.
func inBatches[T any](name string) {
	fmt.Print(name, " batches:")
	for _, c := range []int{0, 1, 3, 5, 100, 255, 256, 1000} {
		for _, k := range []int{1, 2, 7, 300, 2500} {
			s := make([]T, c, c)
			s = append(s, make([]T, k)...)
			fmt.Print(" ", cap(s))
		}
	}
	fmt.Println()
}

func main() {
	oneByOne[byte]("1", 20000)
	oneByOne[int32]("4", 20000)
	oneByOne[int64]("8", 20000)
	oneByOne[[3]int32]("12", 20000)
	oneByOne[[3]int64]("24", 20000)
	oneByOne[[100]byte]("100", 5000)
	inBatches[byte]("1")
	inBatches[int64]("8")
	inBatches[[3]int32]("12")
}
