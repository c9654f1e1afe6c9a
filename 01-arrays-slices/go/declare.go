// Twin of the C demo `declare`: a declared array is already zeroed.
package main

import "fmt"

func main() {
	var scores [5]int
	fmt.Println(scores)

	for i := range scores {
		scores[i] = i + 1
	}
	fmt.Println(scores)
}
