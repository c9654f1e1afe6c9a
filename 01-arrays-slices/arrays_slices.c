/* arrays_slices.c - chapter 01: Go's arrays and slices, written in C.
 *
 * Every demo mirrors one small Go example. Where a Go twin exists (go/<demo>.go) it prints
 * exactly what the demo prints, and a test holds the two to that. `01-arrays-slices --list`
 * shows the demos; naming one runs it alone.
 *
 * Go's int is 64 bits, C's int is 32: the demos use go_int (int64_t) wherever the Go code says
 * int, so that sizes, offsets and the capacities append chooses come out as Go's do.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "gocurrent/arena.h"
#include "gocurrent/demo.h"
#include "gocurrent/fmt.h"
#include "gocurrent/slice.h"

/* fmt prints a Go bool as the word true or false. */
static const char *bool_text(bool value)
{
    return value ? "true" : "false";
}

/* fmt.Print(s) for a slice of ints, with no newline: `[0 0 0]`. */
static void print_ints(go_slice s)
{
    printf("[");
    for (size_t i = 0; i < go_len(s); i++)
        printf(i ? " %" PRId64 : "%" PRId64, go_at(s, go_int, i));
    printf("]");
}

/* fmt.Println(s, len(s), cap(s)): `[0 0 0] 3 10`. */
static void println_len_cap(go_slice s)
{
    print_ints(s);
    printf(" %zu %zu\n", go_len(s), go_cap(s));
}

/* ---- Arrays ------------------------------------------------------------------------------ */

/* Go zeroes every variable it declares. A C local array is zeroed only if it has an
 * initialiser, so `= {0}` is what makes this line mean what `var scores [5]int` means. */
static void demo_declare(void)
{
    go_int scores[5] = {0};
    go_println_array(scores);

    for (size_t i = 0; i < GO_LEN(scores); i++)
        scores[i] = (go_int)i + 1;
    go_println_array(scores);
}

/* A literal lists the elements and any it leaves out are zero, in both languages. Go's [...]
 * counts the elements for you, as C does for an array declared with empty brackets. */
static void demo_literal(void)
{
    go_int primes[5] = {2, 3, 5, 7, 11};
    go_println_array(primes);

    go_int partial[5] = {1, 2};
    go_println_array(partial);

    go_int counted[] = {10, 20, 30};
    go_println_array(counted);
    printf("len(counted) = %zu\n", GO_LEN(counted));
}

/* Go's keyed literal [...]int{4: 10} and C99's designated initialiser {[4] = 10} are the same
 * idea: name an index, zero the rest, and size the array by the highest index named. */
static void demo_index_literal(void)
{
    go_int last[] = {[4] = 10};
    go_println_array(last);
    printf("len(last) = %zu\n", GO_LEN(last));

    /* After a keyed element, plain ones carry on from the next index, in both languages. */
    go_int resumed[] = {[2] = 7, 8};
    go_println_array(resumed);
    printf("len(resumed) = %zu\n", GO_LEN(resumed));
}

/* The length is part of an array's type in C too. _Generic chooses by type, so it can name the
 * type the way Go's %T does: &small is a go_int (*)[5], &large a go_int (*)[10]. */
#define ARRAY_TYPE_NAME(array)                                                                    \
    _Generic(&(array), go_int(*)[5]: "[5]int", go_int(*)[10]: "[10]int", default: "another type")

static void demo_length_in_type(void)
{
    go_int small[5] = {0};
    go_int large[10] = {0};
    printf("small is a %s of %zu bytes\n", ARRAY_TYPE_NAME(small), sizeof small);
    printf("large is a %s of %zu bytes\n", ARRAY_TYPE_NAME(large), sizeof large);
    /* `large = small;` compiles in neither language (see the README for both errors). */
}

/* An array has exactly the room its type gives it, so Go's cap of an array is its len. C has no
 * cap, but the slice over the whole array, slots[:], has the array's length as its capacity. */
static void demo_array_len_cap(void)
{
    go_int slots[5] = {0};
    go_slice whole = go_slice_array(slots);
    printf("length :  %zu\n", GO_LEN(slots));
    printf("capacity :  %zu\n", go_cap(whole));
    printf("%s\n", bool_text(GO_LEN(slots) == go_cap(whole)));
}

/* An array is one block of memory: element i starts i * sizeof(element) bytes after element 0,
 * with nothing in between. Offsets, unlike raw addresses, come out the same on every run. */
static void demo_contiguous(void)
{
    go_int row[5] = {0};
    printf("each element is %zu bytes\n", sizeof row[0]);
    for (size_t i = 0; i < GO_LEN(row); i++)
        printf("row[%zu] is at byte offset %td\n", i, (char *)&row[i] - (char *)&row[0]);
}

/* The [5] here is decoration: C rewrites an array parameter as a pointer, so the function gets
 * the address of the caller's array, never a copy, and has no way to learn its length. */
static void set_first(go_int numbers[5])
{
    printf("inside set_first, numbers is a %s\n",
           _Generic(numbers, go_int *: "go_int *", default: "not a pointer"));
    numbers[0] = 100;
}

/* Go passes an array by value. C passes a pointer to its first element (the array "decays"),
 * so a write made by the callee is a write to the caller's array. */
static void demo_decay(void)
{
    go_int numbers[5] = {1, 2, 3, 4, 5};
    printf("in the caller, numbers is %zu bytes: ", sizeof numbers);
    go_println_array(numbers);

    set_first(numbers);
    printf("after set_first(numbers): ");
    go_println_array(numbers);
}

/* C copies a struct when it is assigned, passed or returned, array members included: a struct
 * around an array behaves exactly like a Go array value. */
typedef struct int_array5 {
    go_int elem[5];
} int_array5;

static void set_first_of_copy(int_array5 numbers)
{
    numbers.elem[0] = 100;
    printf("inside the function: ");
    go_println_array(numbers.elem);
}

static void demo_struct_copy(void)
{
    int_array5 original = {{1, 2, 3, 4, 5}};
    int_array5 duplicate = original;
    duplicate.elem[1] = 20;

    set_first_of_copy(original);
    printf("original: ");
    go_println_array(original.elem);
    printf("duplicate: ");
    go_println_array(duplicate.elem);
}

/* ---- Slices ------------------------------------------------------------------------------ */

/* A slice's zero value is nil: no backing array and length 0, yet it prints as [] and can be
 * appended to. A slice literal gets a new backing array holding exactly its elements. */
static void demo_slice_declare(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice pending = go_nil(go_int);
    go_slice numbers = go_slice_of(&heap, go_int, 1, 2, 3, 4, 5);

    go_println_int_slice(pending);
    go_println_int_slice(numbers);
    printf("%s\n", bool_text(go_is_nil(pending)));
    go_arena_free(&heap);
}

/* Printing and len cannot tell a nil slice from an empty one; only a comparison with nil can.
 * Code that must treat them alike should test len(s) == 0, never s == nil. */
static void demo_nil_empty(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice none = go_nil(go_int);
    go_slice empty = go_empty(go_int);
    go_slice made = go_make(&heap, go_int, 0, 0);

    print_ints(none);
    printf(" %zu %zu %s\n", go_len(none), go_cap(none), bool_text(go_is_nil(none)));
    print_ints(empty);
    printf(" %zu %zu %s\n", go_len(empty), go_cap(empty), bool_text(go_is_nil(empty)));
    print_ints(made);
    printf(" %zu %zu %s\n", go_len(made), go_cap(made), bool_text(go_is_nil(made)));

    none = go_append(&heap, none, go_int, 1);
    printf("append(none, 1): ");
    go_println_int_slice(none);
    go_arena_free(&heap);
}

/* make allocates a zeroed backing array. The length is how many elements the slice shows; the
 * capacity is how many the array holds, and the ones past len wait, already zeroed, for append. */
static void demo_make(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice five = go_make(&heap, go_int, 5, 5);
    println_len_cap(five);

    go_slice three = go_make(&heap, go_int, 3, 10);
    println_len_cap(three);

    go_slice all_ten = go_sub(three, 0, go_cap(three));
    println_len_cap(all_ten);
    go_arena_free(&heap);
}

/* Slicing a slice narrows the window, not the backing array: cap still counts to the array's
 * end, so the elements past the new len are still there and can be sliced back into view. */
static void demo_reslice(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice numbers = go_slice_of(&heap, go_int, 1, 2, 3, 4, 5);

    numbers = go_sub(numbers, 0, 3);
    go_println_int_slice(numbers);
    printf("%zu\n", go_len(numbers));
    printf("%zu\n", go_cap(numbers));

    numbers = go_sub(numbers, 0, 5);
    printf("numbers[:5]: ");
    go_println_int_slice(numbers);
    go_arena_free(&heap);
}

/* arr[lo:hi] points into the array itself, copying nothing. Its capacity runs from lo to the
 * end of the array, and a write through the slice is a write to the array. */
static void demo_slice_array(void)
{
    go_int arr[6] = {10, 20, 30, 40, 50, 60};

    go_slice middle = go_sub(go_slice_array(arr), 1, 4);
    println_len_cap(middle);

    go_at(middle, go_int, 0) = 21;
    printf("after middle[0] = 21, arr: ");
    go_println_array(arr);

    go_slice tail = go_sub(go_slice_array(arr), 4, GO_LEN(arr));
    println_len_cap(tail);
}

/* append writes into spare capacity when the new elements fit. When they do not, it allocates a
 * bigger array, copies the old elements over and returns a slice of the new array: always
 * assign its result. */
static void demo_append(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice pairs = go_make(&heap, go_int, 2, 3);
    go_println_int_slice(pairs);
    printf("%zu\n", go_len(pairs));
    printf("%zu\n", go_cap(pairs));

    pairs = go_append(&heap, pairs, go_int, 1, 1, 2, 2);
    go_println_int_slice(pairs);
    printf("%zu\n", go_len(pairs));
    printf("%zu\n", go_cap(pairs));
    go_arena_free(&heap);
}

/* Go 1.19's growth rule, seen from outside: the capacity doubles while it is below 256, then
 * grows by a quarter plus 192, and the new array is rounded up to one of the allocator's size
 * classes (which is where 848, 1280 and 3408 come from). */
static void demo_growth(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice grown = go_nil(go_int);
    size_t old_cap = go_cap(grown);

    for (go_int i = 0; i < 4000; i++) {
        grown = go_append(&heap, grown, go_int, i);
        if (go_cap(grown) != old_cap) {
            printf("len=%-4zu cap %4zu -> %4zu\n", go_len(grown), old_cap, go_cap(grown));
            old_cap = go_cap(grown);
        }
    }
    go_arena_free(&heap);
}

/* Whether append moved the elements shows in the address of the first one. After a move they
 * are contiguous again, in the new array, and the old array still holds the old values. */
static void demo_reallocate(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice s = go_make(&heap, go_int, 2, 3);
    const go_int *first = &go_at(s, go_int, 0);

    s = go_append(&heap, s, go_int, 7);
    printf("append 7: len=%zu cap=%zu same array: %s\n", go_len(s), go_cap(s),
           bool_text(&go_at(s, go_int, 0) == first));

    go_slice before = s;
    s = go_append(&heap, s, go_int, 8);
    printf("append 8: len=%zu cap=%zu same array: %s\n", go_len(s), go_cap(s),
           bool_text(&go_at(s, go_int, 0) == first));

    printf("byte offsets from &s[0]:");
    for (size_t i = 0; i < go_len(s); i++)
        printf(" %td", (char *)&go_at(s, go_int, i) - (char *)&go_at(s, go_int, 0));
    printf("\n");

    go_at(s, go_int, 0) = 100;
    printf("after s[0] = 100, s: ");
    go_println_int_slice(s);
    printf("the slice from before the move: ");
    go_println_int_slice(before);
    go_arena_free(&heap);
}

/* y := x copies the slice header (pointer, length, capacity) and never the elements.
 * Re-slicing x later rewrites x's header only, so y keeps the view it was given. */
static void demo_alias(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice x = go_slice_of(&heap, go_int, 1, 2, 3, 4, 5);
    /* x is full (len 5, cap 5), so this append moves it to a new array of cap 10. */
    x = go_append(&heap, x, go_int, 6);
    go_println_int_slice(x);

    go_slice y = x;
    x = go_sub(x, 0, 3);
    go_println_int_slice(x);
    go_println_int_slice(y);

    y = x;
    go_println_int_slice(y);

    /* Same backing array: a write through x shows through y. */
    go_at(x, go_int, 0) = 100;
    printf("after x[0] = 100, y: ");
    go_println_int_slice(y);
    go_arena_free(&heap);
}

/* Two slices of one array see each other's writes, and an append that fits in the spare
 * capacity is such a write: it lands on elements another slice still shows. */
static void demo_shared_array(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice data = go_slice_of(&heap, go_int, 1, 2, 3, 4, 5);
    go_slice head = go_sub(data, 0, 2);
    println_len_cap(head);

    go_at(head, go_int, 0) = 100;
    printf("after head[0] = 100, data: ");
    go_println_int_slice(data);

    head = go_append(&heap, head, go_int, 99);
    printf("after head = append(head, 99), data: ");
    go_println_int_slice(data);
    go_arena_free(&heap);
}

/* s[lo:hi:max] sets the new slice's capacity to max-lo, so append cannot reach past max: once
 * that capacity is used up, append copies into a new array instead of overwriting data. */
static void demo_full_slice(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice data = go_slice_of(&heap, go_int, 1, 2, 3, 4, 5);
    go_slice head = go_sub3(data, 0, 2, 2);
    println_len_cap(head);

    head = go_append(&heap, head, go_int, 99);
    printf("after head = append(head, 99), head: ");
    go_println_int_slice(head);
    printf("data is untouched: ");
    go_println_int_slice(data);

    go_slice middle = go_sub3(data, 1, 3, 4);
    println_len_cap(middle);
    go_arena_free(&heap);
}

/* copy moves elements between two slices that already exist: as many as the shorter one holds,
 * allocating nothing. Overlapping slices are fine; it behaves like memmove. */
static void demo_copy(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice src = go_slice_of(&heap, go_int, 1, 2, 3, 4, 5);

    go_slice dst = go_make(&heap, go_int, 3, 3);
    size_t copied = go_copy(dst, src);
    printf("copy(dst, src) copied %zu, dst: ", copied);
    go_println_int_slice(dst);

    /* dst has its own array, so writing to it leaves src alone. */
    go_at(dst, go_int, 0) = 100;
    printf("after dst[0] = 100, src: ");
    go_println_int_slice(src);

    go_slice wide = go_make(&heap, go_int, 7, 7);
    copied = go_copy(wide, src);
    printf("copy(wide, src) copied %zu, wide: ", copied);
    go_println_int_slice(wide);

    copied = go_copy(go_sub(src, 1, go_len(src)), src);
    printf("copy(src[1:], src) copied %zu, src: ", copied);
    go_println_int_slice(src);
    go_arena_free(&heap);
}

/* Go checks every index against the length. C checks none; go_at does Go's check and stops the
 * program with Go's message and exit status 2 instead of reading past the end. */
static void demo_index_out_of_range(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice values = go_slice_of(&heap, go_int, 10, 20, 30, 40, 50);
    go_int i = 5;
    printf("len(values) = %zu\n", go_len(values));
    printf("%" PRId64 "\n", go_at(values, go_int, i));
}

/* A slice can be re-sliced up to its capacity, past its length, but never past its capacity:
 * there is no memory there to show. */
static void demo_slice_past_cap(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice s = go_make(&heap, go_int, 2, 5);
    printf("s[:5]: ");
    go_println_int_slice(go_sub(s, 0, 5));

    go_int hi = 7;
    go_slice past = go_sub(s, 0, hi);
    printf("s[:7]: ");
    go_println_int_slice(past);
}

static const go_demo demos[] = {
    GO_DEMO("declare", demo_declare, GO_NORMAL, "a declared array has a fixed length and starts zeroed"),
    GO_DEMO("literal", demo_literal, GO_NORMAL, "array literals: left-out elements are zero, [...] counts them"),
    GO_DEMO("index-literal", demo_index_literal, GO_NORMAL, "[...]int{4: 10} and C's designated initialisers"),
    GO_DEMO("length-in-type", demo_length_in_type, GO_NORMAL, "[5]int and [10]int are different types"),
    GO_DEMO("array-len-cap", demo_array_len_cap, GO_NORMAL, "an array's len and cap are always equal"),
    GO_DEMO("contiguous", demo_contiguous, GO_NORMAL, "array elements sit back to back: byte offsets 0, 8, 16, ..."),
    GO_DEMO("decay", demo_decay, GO_NORMAL, "C passes a pointer, not a copy: the callee writes the caller's array"),
    GO_DEMO("struct-copy", demo_struct_copy, GO_NORMAL, "an array in a struct copies like a Go array"),
    GO_DEMO("slice-declare", demo_slice_declare, GO_NORMAL, "a nil slice and a slice literal"),
    GO_DEMO("nil-empty", demo_nil_empty, GO_NORMAL, "nil and empty slices print alike, only == nil differs"),
    GO_DEMO("make", demo_make, GO_NORMAL, "make([]int, len) and make([]int, len, cap)"),
    GO_DEMO("reslice", demo_reslice, GO_NORMAL, "s[:3] shortens the slice, not its backing array"),
    GO_DEMO("slice-array", demo_slice_array, GO_NORMAL, "a slice of an array shares it, cap runs to the array's end"),
    GO_DEMO("append", demo_append, GO_NORMAL, "append beyond cap allocates a bigger array"),
    GO_DEMO("growth", demo_growth, GO_NORMAL, "the capacities append picks as a slice grows one by one"),
    GO_DEMO("reallocate", demo_reallocate, GO_NORMAL, "when append moves the elements, which stay contiguous"),
    GO_DEMO("alias", demo_alias, GO_NORMAL, "y := x copies the slice header, not the elements"),
    GO_DEMO("shared-array", demo_shared_array, GO_NORMAL, "slices of one array see each other's writes and appends"),
    GO_DEMO("full-slice", demo_full_slice, GO_NORMAL, "s[lo:hi:max] limits cap, so append cannot overwrite"),
    GO_DEMO("copy", demo_copy, GO_NORMAL, "copy(dst, src) copies min(len(dst), len(src)) elements"),
    GO_DEMO("index-out-of-range", demo_index_out_of_range, GO_PANIC, "reading s[5] of a 5-element slice panics"),
    GO_DEMO("slice-past-cap", demo_slice_past_cap, GO_PANIC, "s[:7] of a slice with cap 5 panics"),
};

GO_DEMO_MAIN(demos)
