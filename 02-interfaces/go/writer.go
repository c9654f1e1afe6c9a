// The Go program the writer demo mirrors: one function printing to any io.Writer.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

type Speaker interface {
	Speak() string
}

type Dog struct{}
type Cat struct{}

func (Dog) Speak() string { return "Woof!" }
func (Cat) Speak() string { return "Meow!" }

// chorus knows only that w has a Write method.
func chorus(w io.Writer, zoo []Speaker) {
	for _, animal := range zoo {
		fmt.Fprintf(w, "%T: %s\n", animal, animal.Speak())
	}
}

func main() {
	zoo := []Speaker{Dog{}, Cat{}}
	chorus(os.Stdout, zoo)

	var buffer bytes.Buffer
	chorus(&buffer, zoo)
	fmt.Printf("the buffer holds %d bytes:\n%s", buffer.Len(), buffer.String())
}
