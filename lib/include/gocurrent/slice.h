/* slice.h - Go slices in C.
 *
 * A Go slice is a three-word value: a pointer into a backing array, a length and a capacity.
 * Copying a slice copies those three words, never the elements, so two slices can share one
 * backing array and see each other's writes. go_slice is that value, plus the element size C
 * needs because it has no generics; the typed macros below fill the size in from a type name.
 *
 *     go_arena heap = GO_ARENA_INIT;
 *     go_slice s = go_slice_of(&heap, int, 1, 2, 3);   // s := []int{1, 2, 3}
 *     s = go_append(&heap, s, int, 4);                 // s = append(s, 4)
 *     go_at(s, int, 0) = 10;                           // s[0] = 10
 *     go_slice t = go_sub(s, 1, 3);                    // t := s[1:3], shares s's array
 *     go_arena_free(&heap);
 *
 * Ownership: a backing array comes either from an arena (go_make, go_slice_of and every append
 * that grows) and lives until that arena is freed, or from memory the caller owns (go_slice_array
 * over a C array), which must outlive every slice of it. Slices themselves own nothing and are
 * passed and returned by value.
 *
 * Misuse panics with Go's own runtime error, exit status 2:
 *     panic: runtime error: index out of range [5] with length 5
 *     panic: runtime error: slice bounds out of range [:7] with capacity 5
 * Indices are signed (ptrdiff_t) so that a negative one is reported as Go reports it.
 */
#ifndef GOCURRENT_SLICE_H
#define GOCURRENT_SLICE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "builtin.h"
#include "panic.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct go_slice {
    void *ptr;        /* first element; NULL only for a nil slice */
    size_t len;       /* elements in the slice */
    size_t cap;       /* elements from ptr to the end of the backing array */
    size_t elem_size; /* bytes per element */
} go_slice;

/* var s []T: the nil slice. Length and capacity 0, no backing array, but appendable. */
#define go_nil(T) ((go_slice){NULL, 0, 0, sizeof(T)})

/* []T{}: an empty slice that is not nil. It points at a shared zero-size location, as Go's
 * runtime.zerobase, which must never be written through. */
extern char go_zerobase[];
#define go_empty(T) ((go_slice){go_zerobase, 0, 0, sizeof(T)})

/* make([]T, len, cap): a zeroed backing array of `cap` elements owned by `arena`. Go's make([]T, n)
 * is go_make(arena, T, n, n). A negative len, or cap < len, panics as makeslice does. */
#define go_make(arena, T, len, cap) go_slice_make((arena), sizeof(T), (len), (cap), GO_HERE)
go_slice go_slice_make(go_arena *arena, size_t elem_size, ptrdiff_t len, ptrdiff_t cap, go_site where);

/* []T{v0, v1, ...}: a new backing array in `arena` holding exactly the values (len == cap). */
#define go_slice_of(arena, T, ...)                                                                \
    go_slice_copy_of((arena), sizeof(T), (const T[]){__VA_ARGS__},                                \
                     sizeof((const T[]){__VA_ARGS__}) / sizeof(T))
go_slice go_slice_copy_of(go_arena *arena, size_t elem_size, const void *values, size_t n);

/* array[:]: a slice over a C array the caller owns; len == cap == the array's length. Appends
 * that fit write into the array, as in Go. */
#define go_slice_array(array) go_slice_over((array), sizeof((array)[0]), GO_LEN(array))
go_slice go_slice_over(void *elements, size_t elem_size, size_t n);

/* s[lo:hi]: elements lo..hi-1, sharing s's backing array; capacity runs to the end of it.
 * Bounds are checked as Go does: 0 <= lo <= hi <= cap(s). For s[lo:] pass go_len(s) as hi. */
#define go_sub(s, lo, hi) go_slice_expr((s), (lo), (hi), GO_HERE)
go_slice go_slice_expr(go_slice s, ptrdiff_t lo, ptrdiff_t hi, go_site where);

/* s[lo:hi:max]: the full slice expression; capacity max-lo, so a later append cannot write into
 * s's elements past max. Checked as Go does: 0 <= lo <= hi <= max <= cap(s). */
#define go_sub3(s, lo, hi, max) go_slice_expr3((s), (lo), (hi), (max), GO_HERE)
go_slice go_slice_expr3(go_slice s, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t max, go_site where);

/* &s[i], after Go's bounds check; go_at(s, T, i) is s[i] as an lvalue. The element type must
 * have the slice's element size, else it panics (C's stand-in for Go's static typing). */
#define go_at(s, T, i) (*(T *)go_slice_index((s), sizeof(T), (i), GO_HERE))
void *go_slice_index(go_slice s, size_t elem_size, ptrdiff_t i, go_site where);

/* append(s, v0, v1, ...): returns the slice with the values added. When they fit in cap(s) they
 * are written into s's backing array (shared with every other slice of it); otherwise a new
 * array is allocated in `arena`, s's elements are copied over, and the capacity follows Go's
 * growth rule (go_grow_cap). The old array is left intact. Always use the returned slice. */
#define go_append(arena, s, T, ...)                                                               \
    go_slice_append((arena), (s), sizeof(T), (const T[]){__VA_ARGS__},                            \
                    sizeof((const T[]){__VA_ARGS__}) / sizeof(T), GO_HERE)
/* append(dst, src...) */
#define go_append_slice(arena, dst, src)                                                          \
    go_slice_append((arena), (dst), (src).elem_size, (src).ptr, (src).len, GO_HERE)
go_slice go_slice_append(go_arena *arena, go_slice s, size_t elem_size, const void *values, size_t n,
                         go_site where);

/* copy(dst, src): copies min(len(dst), len(src)) elements (the two may overlap) and returns how
 * many. Element sizes must match. */
#define go_copy(dst, src) go_slice_copy((dst), (src), GO_HERE)
size_t go_slice_copy(go_slice dst, go_slice src, go_site where);

/* Go's growth rule, as runtime.growslice computes it in Go 1.19: the capacity a slice of
 * `old_cap` elements of `elem_size` bytes grows to when it must hold `needed` elements. Double
 * below 256 elements, then grow by a quarter plus 192 until it fits, then round the byte size up
 * to the allocator's size class (so cap 5 of int grows to 10, and 512 to 848). */
size_t go_grow_cap(size_t old_cap, size_t needed, size_t elem_size);

static inline size_t go_len(go_slice s) { return s.len; }
static inline size_t go_cap(go_slice s) { return s.cap; }
static inline bool go_is_nil(go_slice s) { return s.ptr == NULL; }

#ifdef __cplusplus
}
#endif

#endif
