// Twin of the C demo `closed-with-values`: buffered values first, then zero values.
package main

import "fmt"

func main() {
	jobs := make(chan int, 2)
	jobs <- 1
	jobs <- 2
	close(jobs)

	fmt.Println(<-jobs)
	fmt.Println(<-jobs)
	fmt.Println(<-jobs)
	job, ok := <-jobs
	fmt.Println(job, ok)
}
