// Twin of the C demo `receive-empty`: a receive waits until there is a value.
package main

import (
	"fmt"
	"runtime"
	"strings"
)

func main() {
	ch := make(chan int, 1)
	go func() {
		fmt.Printf("main is blocked: [%s]\n", settle(1)) // main is goroutine 1
		ch <- 42
	}()

	fmt.Println("Receiving")
	fmt.Println(<-ch)
}

// settle waits, without sleeping, until goroutine id is blocked on a channel or has returned,
// and returns why it is blocked, as a goroutine dump says it ("chan receive"), or "" once it
// has returned. Go has no call that tells what another goroutine is doing, so this reads the
// dump that runtime.Stack writes; the C library's go_goroutine_state reports the same words.
func settle(id int64) string {
	header := fmt.Sprintf("goroutine %d [", id)
	buf := make([]byte, 1<<20)
	for {
		dump := string(buf[:runtime.Stack(buf, true)])
		at := strings.Index(dump, header)
		if at < 0 {
			return ""
		}
		state := dump[at+len(header):]
		state = state[:strings.IndexAny(state, ",]")]
		if strings.HasPrefix(state, "chan ") || strings.HasPrefix(state, "select") {
			return state
		}
		runtime.Gosched()
	}
}
