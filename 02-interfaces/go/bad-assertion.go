// The Go program the bad-assertion demo mirrors: a type assertion without ok.
package main

import "fmt"

type Speaker interface {
	Speak() string
}

type Dog struct{}
type Cat struct{}

func (Dog) Speak() string { return "Woof!" }
func (Cat) Speak() string { return "Meow!" }

// pet holds a Dog, so asking it for a Cat fails.
func main() {
	var pet Speaker = Dog{}
	_, ok := pet.(Cat)
	fmt.Printf("pet.(Cat) with ok: %t\n", ok)
	kitty := pet.(Cat) // no ok to report failure in, so it panics
	fmt.Println(kitty.Speak())
}
