/* Exercise 3 of chapter 01: hand out part of a slice safely.
 *
 * Task: head(s, n) returns the first n elements of s, but a caller that appends to the result
 * overwrites s[n], because s[:n] still has s's spare capacity. Make head return a slice whose
 * capacity is n, with a full slice expression (s[:n:n], go_sub3), so that append must copy.
 * Then run `GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R 01-arrays-slices/safe-head`.
 */
#include <stdbool.h>
#include <stdio.h>

#include "gocurrent/arena.h"
#include "gocurrent/fmt.h"
#include "gocurrent/slice.h"

static go_slice head(go_slice s, size_t n)
{
    return go_sub(s, 0, n); /* TODO: limit the capacity too */
}

/* ---- The check: leave it as it is ---------------------------------------------------------- */

int main(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice data = go_slice_of(&heap, go_int, 1, 2, 3, 4, 5);
    go_slice first_two = head(data, 2);
    first_two = go_append(&heap, first_two, go_int, 99);

    printf("append(head(data, 2), 99) = ");
    go_println_int_slice(first_two);
    printf("data = ");
    go_println_int_slice(data);
    bool ok = go_len(first_two) == 3 && go_at(first_two, go_int, 0) == 1 &&
              go_at(first_two, go_int, 1) == 2 && go_at(first_two, go_int, 2) == 99;
    if (!ok)
        printf("WRONG: want [1 2 99]\n");
    if (go_at(data, go_int, 2) != 3) {
        printf("WRONG: the append overwrote data[2]; data must stay [1 2 3 4 5]\n");
        ok = false;
    }
    go_arena_free(&heap);
    return ok ? 0 : 1;
}
