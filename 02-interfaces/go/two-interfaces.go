// The Go program the two-interfaces demo mirrors: one value seen through two interfaces.
package main

import "fmt"

type Speaker interface {
	Speak() string
}

type Parrot struct {
	name, phrase string
}

func (p Parrot) Speak() string  { return p.phrase }
func (p Parrot) String() string { return p.name }

// Compile-time checks: the build fails here if Parrot ever loses either method.
var (
	_ Speaker      = Parrot{}
	_ fmt.Stringer = Parrot{}
)

func main() {
	polly := Parrot{name: "Polly", phrase: "Pieces of eight!"}
	var asSpeaker Speaker = polly
	var asStringer fmt.Stringer = polly

	fmt.Printf("as a fmt.Stringer: %s\n", asStringer.String())
	fmt.Printf("as a Speaker:      %s\n", asSpeaker.Speak())
}
