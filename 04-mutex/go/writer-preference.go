// The Go program the writer-preference demo mirrors: once a writer waits for an RWMutex, a
// reader that arrives after it waits too, although only a reader holds the lock.
//
// The scene (an RWMutex, its actors and the event log) is staged by gocurrent/gotwin/rwscene.
package main

import "gocurrent/gotwin/rwscene"

func main() {
	var s rwscene.Scene
	r1 := rwscene.Holding("reader 1", false)
	s.Start(r1)
	s.Start(&rwscene.Actor{Name: "writer 2", Writer: true})
	s.Start(&rwscene.Actor{Name: "reader 3"})
	s.LetGo(r1)
	s.Wait()
	s.PrintLog()
}
