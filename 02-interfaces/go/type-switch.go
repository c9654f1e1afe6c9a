// The Go program the type-switch demo mirrors: asking an interface what it holds.
package main

import "fmt"

type Speaker interface {
	Speak() string
}

type Dog struct{}
type Cat struct{}

type Parrot struct {
	name, phrase string
}

func (Dog) Speak() string      { return "Woof!" }
func (Cat) Speak() string      { return "Meow!" }
func (p Parrot) Speak() string { return p.phrase }

func describe(s Speaker) {
	switch v := s.(type) {
	case nil:
		fmt.Println("nil: there is no type to switch on")
	case Dog:
		fmt.Println("a Dog")
	case Parrot:
		fmt.Println("a Parrot named", v.name) // v has type Parrot in this case
	default:
		fmt.Printf("another Speaker: %T\n", v)
	}
}

func main() {
	polly := Parrot{name: "Polly", phrase: "Hello!"}
	zoo := []Speaker{Dog{}, polly, &polly, Cat{}, nil}
	for _, animal := range zoo {
		describe(animal)
	}

	_, isDog := zoo[1].(Dog)
	fmt.Printf("zoo[1].(Dog) ok: %t\n", isDog)
}
