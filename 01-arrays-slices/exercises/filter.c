/* Exercise 2 of chapter 01: filter a slice without allocating.
 *
 * Task: write keep_even(s) so that it returns the even elements of s, in order, stored in s's
 * own backing array: start from kept := s[:0] (length 0, the same array) and append each even
 * element to it. Appending to s[:0] never allocates, because it never needs more room than s has.
 * Then run `GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R 01-arrays-slices/filter`.
 *
 * In Go: kept := s[:0]; for _, v := range s { if v%2 == 0 { kept = append(kept, v) } }
 */
#include <stdbool.h>
#include <stdio.h>

#include "gocurrent/arena.h"
#include "gocurrent/fmt.h"
#include "gocurrent/slice.h"

/* `heap` is there for go_append, which needs an arena in case it must grow a slice; here it
 * never will, and the check below makes sure of it. */
static go_slice keep_even(go_arena *heap, go_slice s)
{
    (void)heap;
    return s; /* TODO: keep only the even elements, in s's own array */
}

/* ---- The check: leave it as it is ---------------------------------------------------------- */

int main(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice s = go_slice_of(&heap, go_int, 1, 2, 3, 4, 5, 6, 8, 9);
    go_int *array = &go_at(s, go_int, 0);
    go_slice kept = keep_even(&heap, s);

    printf("keep_even([1 2 3 4 5 6 8 9]) = ");
    go_println_int_slice(kept);
    go_int want[] = {2, 4, 6, 8};
    bool ok = go_len(kept) == GO_LEN(want);
    for (size_t i = 0; ok && i < go_len(kept); i++)
        ok = go_at(kept, go_int, i) == want[i];
    if (!ok)
        printf("WRONG: want [2 4 6 8]\n");
    if (go_len(kept) > 0 && &go_at(kept, go_int, 0) != array) {
        printf("WRONG: the result has a new backing array; build it in s's own (s[:0])\n");
        ok = false;
    }
    go_arena_free(&heap);
    return ok ? 0 : 1;
}
