// Twin of the C demo `closed-empty`: a closed, empty chan string gives "" and false.
package main

import "fmt"

func main() {
	names := make(chan string)
	close(names)

	name, ok := <-names
	fmt.Println(name, ok)
	fmt.Printf("name = %q, ok = %v\n", name, ok)
}
