// Twin of the C demo `closed-with-values`: buffered values first, then zero values.
package main

import "fmt"

func main() {
	ch := make(chan int, 2)
	ch <- 10
	ch <- 20
	close(ch)

	fmt.Println(<-ch)
	fmt.Println(<-ch)
	fmt.Println(<-ch)
	v, ok := <-ch
	fmt.Println(v, ok)
}
