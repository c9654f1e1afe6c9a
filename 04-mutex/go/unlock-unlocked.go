// The Go program the unlock-unlocked demo mirrors: the second Unlock finds the Mutex unlocked,
// and the runtime stops the program with a fatal error (exit status 2) that recover cannot catch.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var m sync.Mutex
	m.Lock()
	m.Unlock()
	fmt.Println("locked once, unlocked once; unlocking again")
	m.Unlock()
}
