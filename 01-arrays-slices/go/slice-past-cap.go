// Twin of the C demo `slice-past-cap`: re-slicing may pass len but not cap.
package main

import "fmt"

func main() {
	s := make([]int, 2, 5)
	fmt.Println("s[:5]:", s[:5])

	hi := 7
	past := s[:hi]
	fmt.Println("s[:7]:", past)
}
