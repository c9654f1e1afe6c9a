// Twin of the C demo `comma-ok`: ok tells a sent zero from a closed channel's zero.
package main

import "fmt"

func main() {
	counts := make(chan int, 1)
	counts <- 0
	close(counts)

	n, ok := <-counts
	fmt.Println(n, ok)
	n, ok = <-counts
	fmt.Println(n, ok)
}
