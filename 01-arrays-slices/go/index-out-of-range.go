// Twin of the C demo `index-out-of-range`: the runtime checks every index.
package main

import "fmt"

func main() {
	values := []int{10, 20, 30, 40, 50}
	i := 5
	fmt.Println("len(values) =", len(values))
	fmt.Println(values[i])
}
