// A message published behind a plain bool: a data race on both variables. Go has no relaxed
// atomics, so this is the Go counterpart of the relaxed-flag demo. Run it with `go run -race`.
package main

import (
	"fmt"
	"runtime"
)

var (
	message int
	ready   bool
)

func publish() {
	message = 42
	ready = true
}

func main() {
	go publish()
	for !ready { // the call below makes the compiler load ready again on every turn
		runtime.Gosched()
	}
	fmt.Println("message:", message)
}
