// The Go program the writer-holds demo mirrors (the notes' case 1): while main holds the
// write lock, a reader and a writer that arrive both wait; main's Unlock lets them in.
//
// The scene (an RWMutex, its actors and the event log) is staged by gocurrent/gotwin/rwscene.
package main

import "gocurrent/gotwin/rwscene"

func main() {
	var s rwscene.Scene
	s.Enter("main", true)
	s.Start(&rwscene.Actor{Name: "reader 1"})
	s.Start(&rwscene.Actor{Name: "writer 2", Writer: true})
	s.Leave("main", true)
	s.Wait()
	s.PrintLog()
}
