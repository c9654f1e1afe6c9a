// The Go program the readers-share demo mirrors (the notes' case 2.1): while main holds a read
// lock, three more readers get one at once, and four goroutines read together.
//
// The scene (an RWMutex, its actors and the event log) is staged by gocurrent/gotwin/rwscene.
package main

import "gocurrent/gotwin/rwscene"

func main() {
	var s rwscene.Scene
	readers := []*rwscene.Actor{
		rwscene.Holding("reader 1", false),
		rwscene.Holding("reader 2", false),
		rwscene.Holding("reader 3", false),
	}
	s.Enter("main", false)
	for _, r := range readers {
		s.Start(r)
	}
	for _, r := range readers {
		s.LetGo(r)
	}
	s.Leave("main", false)
	s.Wait()
	s.PrintLog()
}
