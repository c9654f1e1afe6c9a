// The Go program the speakers demo mirrors: one function written against the interface.
package main

import "fmt"

type Speaker interface {
	Speak() string
}

type Dog struct{}
type Cat struct{}

// A Parrot carries data, and its method reads it through the receiver.
type Parrot struct {
	name, phrase string
}

func (Dog) Speak() string      { return "Woof!" }
func (Cat) Speak() string      { return "Meow!" }
func (p Parrot) Speak() string { return p.phrase }

func introduce(s Speaker) {
	fmt.Printf("%T says %s\n", s, s.Speak())
}

func main() {
	zoo := []Speaker{Dog{}, Cat{}, Parrot{name: "Polly", phrase: "Pieces of eight!"}}
	for _, animal := range zoo {
		introduce(animal)
	}
}
