// The Go program the defer-unlock demo mirrors: withdraw panics when the balance is too small,
// and recovers. The deferred Unlock runs while the panic unwinds, so the Mutex is free again.
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
	defer accountMu.Unlock() // runs on every way out, the panic included
	if amount > balance {
		panic("insufficient funds")
	}
	balance -= amount
	return balance, nil
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
