// Twin of the C demo `literal`: array literals, partial literals and [...].
package main

import "fmt"

func main() {
	primes := [5]int{2, 3, 5, 7, 11}
	fmt.Println(primes)

	partial := [5]int{1, 2}
	fmt.Println(partial)

	counted := [...]int{10, 20, 30}
	fmt.Println(counted)
	fmt.Println("len(counted) =", len(counted))
}
