// The Go program the nil-call demo mirrors: calling a method through a nil interface.
package main

import "fmt"

type Speaker interface {
	Speak() string
}

func main() {
	var s Speaker
	fmt.Printf("s == nil: %t\n", s == nil)
	fmt.Println(s.Speak()) // panics: there is no method to call
}
