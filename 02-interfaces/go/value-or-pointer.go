// The Go program the value-or-pointer demo mirrors: an interface copies a value, shares a pointer.
package main

import "fmt"

type Speaker interface {
	Speak() string
}

type Parrot struct {
	name, phrase string
}

func (p Parrot) Speak() string { return p.phrase }

func introduce(s Speaker) {
	fmt.Printf("%T says %s\n", s, s.Speak())
}

func main() {
	polly := Parrot{name: "Polly", phrase: "Hello!"}
	var copied Speaker = polly  // stores a copy of polly
	var shared Speaker = &polly // stores polly's address: *Parrot has Parrot's methods too

	polly.phrase = "Goodbye!"
	introduce(copied)
	introduce(shared)
}
