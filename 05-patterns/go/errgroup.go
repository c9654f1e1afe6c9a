// Twin of the C demo `errgroup`: the first error wins, and the others are cancelled.
//
// golang.org/x/sync/errgroup is the real thing; this Group is built the same way, from a
// WaitGroup, a Once and a context, as the C demo builds it.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

type Group struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

// WithContext returns a Group and the context its tasks get, cancelled by the first error.
func WithContext(parent context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(parent)
	return &Group{cancel: cancel}, ctx
}

func (g *Group) Go(task func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := task(); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

func slowWork(steps int, done <-chan struct{}) bool {
	for i := 0; i < steps; i++ {
		select {
		case <-done:
			return false
		default:
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

type fetch struct {
	name    string
	failure error // nil: succeeds, after a second
	err     error // what the task returned
}

func main() {
	fetches := []*fetch{{name: "a"}, {name: "b", failure: errors.New("fetch b: connection refused")},
		{name: "c"}}
	g, ctx := WithContext(context.Background())
	for _, f := range fetches {
		f := f
		g.Go(func() error {
			if f.failure != nil {
				f.err = f.failure
			} else if !slowWork(1000, ctx.Done()) {
				f.err = ctx.Err()
			}
			return f.err
		})
	}
	err := g.Wait()

	fmt.Println("Wait() returned:", err)
	for _, f := range fetches {
		fmt.Printf("  task %s returned: %v\n", f.name, f.err)
	}
}
