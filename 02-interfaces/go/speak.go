// The Go program the speak demo mirrors: one interface variable, two dynamic types.
package main

import "fmt"

// Speaker is any type with a Speak method; a type never declares that it is one.
type Speaker interface {
	Speak() string
}

// Neither Dog nor Cat mentions Speaker: having the method is all it takes.
type Dog struct{}
type Cat struct{}

func (Dog) Speak() string { return "Woof!" }
func (Cat) Speak() string { return "Meow!" }

// main calls Speak through the interface; it never names Dog's or Cat's method.
func main() {
	var pet Speaker = Dog{}
	fmt.Println(pet.Speak())
	pet = Cat{}
	fmt.Println(pet.Speak())
}
