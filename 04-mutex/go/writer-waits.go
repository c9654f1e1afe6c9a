// The Go program the writer-waits demo mirrors (the notes' case 2.2): a writer that arrives
// while two readers hold the lock waits until both have left, not only the first.
//
// The scene (an RWMutex, its actors and the event log) is staged by gocurrent/gotwin/rwscene.
package main

import "gocurrent/gotwin/rwscene"

func main() {
	var s rwscene.Scene
	r1 := rwscene.Holding("reader 1", false)
	w2 := &rwscene.Actor{Name: "writer 2", Writer: true}
	s.Enter("main", false)
	s.Start(r1)
	s.Start(w2)
	s.Leave("main", false)
	s.Look(w2) // still blocked: reader 1 is still inside
	s.LetGo(r1)
	s.Wait()
	s.PrintLog()
}
