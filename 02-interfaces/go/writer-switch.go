// The Go program the writer-switch demo mirrors: a type switch over io.Writer values.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

type upper struct {
	out io.Writer
}

func (u upper) Write(p []byte) (int, error) {
	return u.out.Write(bytes.ToUpper(p))
}

type counter struct {
	writes, bytes int
}

func (c *counter) Write(p []byte) (int, error) {
	c.writes++
	c.bytes += len(p)
	return len(p), nil
}

func describe(w io.Writer) string {
	switch v := w.(type) {
	case *os.File:
		return "*os.File"
	case *bytes.Buffer:
		return fmt.Sprintf("*bytes.Buffer holding %d bytes", v.Len())
	case upper:
		return "main.upper around " + describe(v.out)
	default:
		return fmt.Sprintf("%T", v)
	}
}

func main() {
	var buffer bytes.Buffer
	buffer.WriteString("Woof!\n")
	var count counter

	writers := []io.Writer{os.Stdout, &buffer, upper{&buffer}, &count, nil}
	for _, w := range writers {
		fmt.Println(describe(w))
	}
}
