// Twin of the C demo `alias`: assigning a slice copies its header, not its elements.
package main

import "fmt"

func main() {
	x := []int{1, 2, 3, 4, 5}
	// x is full (len 5, cap 5), so this append moves it to a new array of cap 10.
	x = append(x, 6)
	fmt.Println(x)

	y := x
	x = x[:3]
	fmt.Println(x)
	fmt.Println(y)

	y = x
	fmt.Println(y)

	// Same backing array: a write through x shows through y.
	x[0] = 100
	fmt.Println("after x[0] = 100, y:", y)
}
