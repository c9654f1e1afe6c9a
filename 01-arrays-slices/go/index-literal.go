// Twin of the C demo `index-literal`: keyed array literals, sized by the highest key.
package main

import "fmt"

func main() {
	last := [...]int{4: 10}
	fmt.Println(last)
	fmt.Println("len(last) =", len(last))

	resumed := [...]int{2: 7, 8}
	fmt.Println(resumed)
	fmt.Println("len(resumed) =", len(resumed))
}
