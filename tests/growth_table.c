/* Prints the capacities go_append grows slices to, in the format of tests/go/growth.go, so the
 * conformance test can compare the two programs' output: same rule, same numbers as Go. */
#include <stdint.h>
#include <stdio.h>

#include "gocurrent/slice.h"

/* Appends single zero elements of `size` bytes to a nil slice, printing each new capacity. */
static void one_by_one(size_t size, int n)
{
    go_arena heap = GO_ARENA_INIT;
    char zero[100] = {0};
    go_slice s = {NULL, 0, 0, size};
    printf("%zu:", size);
    for (int i = 0; i < n; i++) {
        size_t before = go_cap(s);
        s = go_slice_append(&heap, s, size, zero, 1, GO_HERE);
        if (go_cap(s) != before)
            printf(" %zu", go_cap(s));
    }
    printf("\n");
    go_arena_free(&heap);
}

/* Appends k elements at once to make([]T, c, c), for the same spread as the Go program. */
static void in_batches(size_t size)
{
    static const int caps[] = {0, 1, 3, 5, 100, 255, 256, 1000};
    static const int batches[] = {1, 2, 7, 300, 2500};
    printf("%zu batches:", size);
    for (size_t i = 0; i < GO_LEN(caps); i++) {
        for (size_t j = 0; j < GO_LEN(batches); j++) {
            go_arena heap = GO_ARENA_INIT;
            go_slice s = go_slice_make(&heap, size, caps[i], caps[i], GO_HERE);
            go_slice more = go_slice_make(&heap, size, batches[j], batches[j], GO_HERE);
            s = go_slice_append(&heap, s, size, more.ptr, go_len(more), GO_HERE);
            printf(" %zu", go_cap(s));
            go_arena_free(&heap);
        }
    }
    printf("\n");
}

int main(void)
{
    one_by_one(1, 20000);
    one_by_one(4, 20000);
    one_by_one(8, 20000);
    one_by_one(12, 20000);
    one_by_one(24, 20000);
    one_by_one(100, 5000);
    in_batches(1);
    in_batches(8);
    in_batches(12);
    return 0;
}
