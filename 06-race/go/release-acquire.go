// The Go program the release-acquire demo mirrors: a message published behind an atomic flag.
// Go's atomics are all sequentially consistent, which includes release and acquire: the Store
// publishes every write made before it to the goroutine whose Load sees it.
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
)

var (
	message int
	ready   atomic.Bool
)

func publish() {
	message = 42
	ready.Store(true)
}

func main() {
	go publish()
	for !ready.Load() {
		runtime.Gosched()
	}
	fmt.Println("message:", message) // ordered after the write: no race
}
