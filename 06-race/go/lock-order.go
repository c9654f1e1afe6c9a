// The Go program the lock-order demo mirrors: two goroutines take the same two mutexes in
// opposite orders, one after the other. Go's race detector says nothing about it: it looks for
// data races only.
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

// transfer locks the account money leaves first, then the one it goes to.
func transfer(from, to *account, amount int) {
	from.mu.Lock()
	to.mu.Lock()
	from.balance -= amount
	to.balance += amount
	to.mu.Unlock()
	from.mu.Unlock()
}

func main() {
	alice := &account{number: 1, balance: 100}
	bob := &account{number: 2, balance: 100}
	var paying sync.WaitGroup

	paying.Add(1)
	go func() { defer paying.Done(); transfer(alice, bob, 10) }()
	paying.Wait()

	paying.Add(1)
	go func() { defer paying.Done(); transfer(bob, alice, 5) }()
	paying.Wait()
	fmt.Printf("alice: %d, bob: %d\n", alice.balance, bob.balance)
}
