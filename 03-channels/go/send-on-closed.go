// Twin of the C demo `send-on-closed`: sending on a closed channel panics.
package main

import "fmt"

func main() {
	jobs := make(chan int, 2)
	close(jobs)
	fmt.Printf("len(jobs) = %d, cap(jobs) = %d\n", len(jobs), cap(jobs))
	jobs <- 10
}
