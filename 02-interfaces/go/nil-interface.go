// The Go program the nil-interface demo mirrors: nil means no type and no value.
package main

import "fmt"

type Speaker interface {
	Speak() string
}

type Dog struct{}

func (Dog) Speak() string { return "Woof!" }

func main() {
	var s Speaker
	fmt.Printf("var s Speaker: s == nil is %t, %%T is %T\n", s == nil, s)
	s = Dog{}
	fmt.Printf("s = Dog{}:     s == nil is %t, %%T is %T\n", s == nil, s)
	s = nil
	fmt.Printf("s = nil:       s == nil is %t, %%T is %T\n", s == nil, s)
}
