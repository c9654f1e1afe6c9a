// The Go program the lock-ordered demo mirrors: both payments at the same moment, each taking
// the two mutexes in one global order, the accounts' numbers.
package main

import (
	"fmt"
	"sync"
)

type account struct {
	number  int
	mu      sync.Mutex
	balance int
}

func transferOrdered(from, to *account, amount int) {
	first, second := from, to
	if to.number < from.number {
		first, second = to, from
	}
	first.mu.Lock()
	second.mu.Lock()
	from.balance -= amount
	to.balance += amount
	second.mu.Unlock()
	first.mu.Unlock()
}

func main() {
	carol := &account{number: 3, balance: 100}
	dave := &account{number: 4, balance: 100}
	var paying sync.WaitGroup
	paying.Add(2)
	go func() { defer paying.Done(); transferOrdered(carol, dave, 10) }()
	go func() { defer paying.Done(); transferOrdered(dave, carol, 5) }()
	paying.Wait()
	fmt.Printf("carol: %d, dave: %d\n", carol.balance, dave.balance)
}
