// Twin of the C demo `mutex-waitgroup`: a mutex guards shared totals, a WaitGroup waits.
package main

import (
	"fmt"
	"sync"
)

// Two fields that must change together: the mutex guards both.
type account struct {
	mu       sync.Mutex
	balance  int
	deposits int
}

func main() {
	const depositors = 4
	var acct account
	var wg sync.WaitGroup
	wg.Add(depositors)
	for i := 0; i < depositors; i++ {
		go func() {
			defer wg.Done()
			for amount := 1; amount <= 1000; amount++ {
				acct.mu.Lock()
				acct.balance += amount
				acct.deposits++
				acct.mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Printf("%d goroutines made %d deposits, balance %d (want %d)\n", depositors,
		acct.deposits, acct.balance, depositors*1000*1001/2)
}
