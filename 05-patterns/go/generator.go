// Twin of the C demo `generator`: a function returns a channel that a goroutine fills.
package main

import "fmt"

// fib returns a channel that yields the first n Fibonacci numbers and is then closed.
func fib(n int) <-chan int {
	out := make(chan int)
	go func() {
		x, y := 0, 1
		for i := 0; i < n; i++ {
			out <- x
			x, y = y, x+y
		}
		close(out) // the sender closes: this is what ends the receiver's range loop
	}()
	return out
}

// printAll receives from in until it is closed, printing the values on one line.
func printAll(label string, in <-chan int) {
	fmt.Print(label)
	for v := range in {
		fmt.Print(" ", v)
	}
	fmt.Println()
}

func main() {
	printAll("fib(10):", fib(10))
	printAll("fib(3): ", fib(3))
}
