// The Go program the custom-writer demo mirrors: writer types of our own.
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

func chorus(w io.Writer, zoo []Speaker) {
	for _, animal := range zoo {
		fmt.Fprintf(w, "%T: %s\n", animal, animal.Speak())
	}
}

// upper passes what it is given on to another writer, in capitals.
type upper struct {
	out io.Writer
}

func (u upper) Write(p []byte) (int, error) {
	return u.out.Write(bytes.ToUpper(p))
}

// counter stores nothing; it only counts.
type counter struct {
	writes, bytes int
}

func (c *counter) Write(p []byte) (int, error) {
	c.writes++
	c.bytes += len(p)
	return len(p), nil
}

func main() {
	zoo := []Speaker{Dog{}, Cat{}}
	chorus(upper{os.Stdout}, zoo)

	var count counter
	chorus(&count, zoo)
	fmt.Printf("the counter saw %d writes, %d bytes in all\n", count.writes, count.bytes)
}
