// The Go program the forgot-unlock demo mirrors: withdraw unlocks only on its way out of the
// normal path. When it panics, the panic is recovered, but the Mutex stays locked, and the
// next withdraw blocks for ever: every goroutine is asleep, and the runtime says so.
package main

import (
	"errors"
	"fmt"
	"sync"
)

var (
	accountMu sync.Mutex
	balance   = 100
)

func withdraw(amount int) (left int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(r.(string))
		}
	}()
	accountMu.Lock()
	if amount > balance {
		panic("insufficient funds") // leaves accountMu locked
	}
	balance -= amount
	left = balance
	accountMu.Unlock()
	return left, nil
}

func main() {
	for _, amount := range []int{30, 100, 20} {
		if left, err := withdraw(amount); err != nil {
			fmt.Printf("withdraw %d: refused: %v\n", amount, err)
		} else {
			fmt.Printf("withdraw %d: ok, %d left\n", amount, left)
		}
	}
}
