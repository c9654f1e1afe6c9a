// The Go program the typed-nil demo mirrors: a nil pointer inside an error is not a nil error.
package main

import "fmt"

type ZooError struct {
	reason string
}

func (e *ZooError) Error() string { return e.reason }

var ErrNoSuchAnimal = &ZooError{"no such animal"}

// findPetBroken means to report no error for Polly, but the nil *ZooError it returns becomes
// an error interface whose type word is set.
func findPetBroken(name string) error {
	var err *ZooError
	if name != "Polly" {
		err = ErrNoSuchAnimal
	}
	return err // converts *ZooError to error: the type word is set even when err is nil
}

// findPet returns the nil interface itself when all is well.
func findPet(name string) error {
	if name != "Polly" {
		return ErrNoSuchAnimal
	}
	return nil // the nil interface: both words zero
}

func main() {
	err := findPetBroken("Polly")
	fmt.Printf("find Polly, broken: err != nil is %t, its type is %T, its pointer is nil: %t\n",
		err != nil, err, err.(*ZooError) == nil)

	err = findPet("Polly")
	fmt.Printf("find Polly, fixed:  err != nil is %t\n", err != nil)

	err = findPet("Rex")
	fmt.Printf("find Rex, fixed:    err != nil is %t, err.Error() is %q\n", err != nil, err.Error())
}
