// The Go program the deadlock demo mirrors: two goroutines each wait to hear from the other
// before they speak, and main waits for both. Go's runtime sees that no goroutine can ever run
// again and ends the program.
package main

import (
	"fmt"
	"sync"
)

func talk(hear <-chan int, say chan<- int, talking *sync.WaitGroup) {
	defer talking.Done()
	word := <-hear // waits for the other side to speak first
	say <- word + 1
}

func main() {
	toAlice, toBob := make(chan int), make(chan int)
	var talking sync.WaitGroup
	talking.Add(2)
	go talk(toAlice, toBob, &talking)
	go talk(toBob, toAlice, &talking)
	talking.Wait()
	fmt.Println("they talked")
}
