// Twin of the C demo `close-nil`: closing a nil channel panics.
package main

import "fmt"

func main() {
	var quit chan int
	fmt.Println("quit == nil:", quit == nil)
	close(quit)
}
