// Twin of the C demo `pipeline`: stages joined by channels, each a goroutine.
package main

import "fmt"

// numbers is the first stage: a generator of lo, lo+1, ..., hi.
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

func square(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		for v := range in {
			out <- v * v
		}
		close(out) // the input is closed and drained: pass the end on downstream
	}()
	return out
}

// sum is the last stage: it sends one value, the total of its input.
func sum(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		total := 0
		for v := range in {
			total += v
		}
		out <- total
		close(out)
	}()
	return out
}

func printAll(label string, in <-chan int) {
	fmt.Print(label)
	for v := range in {
		fmt.Print(" ", v)
	}
	fmt.Println()
}

func main() {
	printAll("square(1..5):        ", square(numbers(1, 5)))
	printAll("square(square(1..5)):", square(square(numbers(1, 5))))
	fmt.Println("sum(square(1..100)): ", <-sum(square(numbers(1, 100))))
}
