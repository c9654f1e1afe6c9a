/* Exercise 1 of chapter 01: reverse a slice in place.
 *
 * Task: write reverse(s) so that it reverses the elements of s in place, with no second array:
 * swap s[i] and s[len(s)-1-i] for each i in the first half. Then run
 * `GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R 01-arrays-slices/reverse`.
 *
 * In Go: for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 { s[i], s[j] = s[j], s[i] }
 */
#include <stdbool.h>
#include <stdio.h>

#include "gocurrent/arena.h"
#include "gocurrent/fmt.h"
#include "gocurrent/slice.h"

static void reverse(go_slice s)
{
    (void)s; /* TODO: swap go_at(s, go_int, i) and go_at(s, go_int, go_len(s) - 1 - i) */
}

/* ---- The check: leave it as it is ---------------------------------------------------------- */

static bool check(go_arena *heap, go_slice s, go_slice want)
{
    go_slice before = go_make(heap, go_int, go_len(s), go_len(s));
    go_copy(before, s);
    reverse(s);
    bool same = go_len(s) == go_len(want);
    for (size_t i = 0; same && i < go_len(s); i++)
        same = go_at(s, go_int, i) == go_at(want, go_int, i);
    printf("%s: reversing ", same ? "ok" : "WRONG");
    go_println_int_slice(before);
    printf("    gave ");
    go_println_int_slice(s);
    return same;
}

int main(void)
{
    go_arena heap = GO_ARENA_INIT;
    bool ok = check(&heap, go_slice_of(&heap, go_int, 1, 2, 3, 4, 5), go_slice_of(&heap, go_int, 5, 4, 3, 2, 1));
    ok = check(&heap, go_slice_of(&heap, go_int, 1, 2), go_slice_of(&heap, go_int, 2, 1)) && ok;
    ok = check(&heap, go_slice_of(&heap, go_int, 7), go_slice_of(&heap, go_int, 7)) && ok;
    ok = check(&heap, go_nil(go_int), go_nil(go_int)) && ok;
    go_arena_free(&heap);
    return ok ? 0 : 1;
}
