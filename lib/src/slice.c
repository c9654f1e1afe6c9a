/* slice.c - Go slices: make, literal, slicing, indexing, append with Go's growth, copy.
 *
 * Every operation checks what Go's compiler and runtime check and panics with the same text
 * (runtime/error.go's boundsError formats), so a C reader who gets an index wrong sees the
 * message a Go programmer would. Lengths are size_t; indices are ptrdiff_t so that a negative
 * index can be reported as Go reports it rather than as a huge unsigned number.
 */
#include "gocurrent/slice.h"

#include <stdint.h>
#include <string.h>

char go_zerobase[1];

/* Go's element type is static; C's stand-in is to compare sizes at every typed access. */
static void check_elem_size(go_slice s, size_t elem_size, go_site where)
{
    if (s.elem_size == 0)
        go_panic_at(where, "slice has no element size: declare it with go_nil(T), not {0}");
    if (s.elem_size != elem_size)
        go_panic_at(where, "slice elements are %zu bytes, used as a %zu-byte type", s.elem_size,
                    elem_size);
}

static void *element(go_slice s, size_t i)
{
    return (char *)s.ptr + i * s.elem_size;
}

go_slice go_slice_make(go_arena *arena, size_t elem_size, ptrdiff_t len, ptrdiff_t cap, go_site where)
{
    /* makeslice reports a bad len before a bad cap. */
    if (len < 0 || (size_t)len > SIZE_MAX / elem_size)
        go_panic_at(where, "runtime error: makeslice: len out of range");
    if (cap < len || (size_t)cap > SIZE_MAX / elem_size)
        go_panic_at(where, "runtime error: makeslice: cap out of range");
    void *array = cap == 0 ? go_zerobase : go_arena_alloc(arena, (size_t)cap * elem_size);
    return (go_slice){array, (size_t)len, (size_t)cap, elem_size};
}

go_slice go_slice_copy_of(go_arena *arena, size_t elem_size, const void *values, size_t n)
{
    void *array = go_arena_alloc(arena, n * elem_size);
    memcpy(array, values, n * elem_size);
    return (go_slice){array, n, n, elem_size};
}

go_slice go_slice_over(void *elements, size_t elem_size, size_t n)
{
    return (go_slice){elements, n, n, elem_size};
}

go_slice go_slice_expr(go_slice s, ptrdiff_t lo, ptrdiff_t hi, go_site where)
{
    /* Go checks the high bound against the capacity first, then the low bound against it. */
    if (hi < 0)
        go_panic_at(where, "runtime error: slice bounds out of range [:%td]", hi);
    if ((size_t)hi > s.cap)
        go_panic_at(where, "runtime error: slice bounds out of range [:%td] with capacity %zu", hi,
                    s.cap);
    if (lo < 0)
        go_panic_at(where, "runtime error: slice bounds out of range [%td:]", lo);
    if (lo > hi)
        go_panic_at(where, "runtime error: slice bounds out of range [%td:%td]", lo, hi);
    /* A nil slice sliced [0:0] stays nil, as in Go. */
    void *ptr = s.ptr == NULL ? NULL : element(s, (size_t)lo);
    return (go_slice){ptr, (size_t)(hi - lo), s.cap - (size_t)lo, s.elem_size};
}

go_slice go_slice_expr3(go_slice s, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t max, go_site where)
{
    if (max < 0)
        go_panic_at(where, "runtime error: slice bounds out of range [::%td]", max);
    if ((size_t)max > s.cap)
        go_panic_at(where, "runtime error: slice bounds out of range [::%td] with capacity %zu", max,
                    s.cap);
    if (hi < 0)
        go_panic_at(where, "runtime error: slice bounds out of range [:%td:]", hi);
    if (hi > max)
        go_panic_at(where, "runtime error: slice bounds out of range [:%td:%td]", hi, max);
    if (lo < 0)
        go_panic_at(where, "runtime error: slice bounds out of range [%td::]", lo);
    if (lo > hi)
        go_panic_at(where, "runtime error: slice bounds out of range [%td:%td:]", lo, hi);
    void *ptr = s.ptr == NULL ? NULL : element(s, (size_t)lo);
    return (go_slice){ptr, (size_t)(hi - lo), (size_t)(max - lo), s.elem_size};
}

void *go_slice_index(go_slice s, size_t elem_size, ptrdiff_t i, go_site where)
{
    check_elem_size(s, elem_size, where);
    if (i < 0)
        go_panic_at(where, "runtime error: index out of range [%td]", i);
    if ((size_t)i >= s.len)
        go_panic_at(where, "runtime error: index out of range [%td] with length %zu", i, s.len);
    return element(s, (size_t)i);
}

/* The allocator's size classes of Go 1.19 (runtime/sizeclasses.go), in bytes. growslice rounds a
 * new backing array up to one of these, which is why capacities are not always exact doubles. */
static const size_t size_classes[] = {
    8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,   160,   176,   192,
    208,   224,   240,   256,   288,   320,   352,   384,   416,   448,   480,   512,   576,   640,
    704,   768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304,  2688,  3072,  3200,
    3456,  4096,  4864,  5376,  6144,  6528,  6784,  6912,  8192,  9472,  9728,  10240, 10880, 12288,
    13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
};
enum { max_small_size = 32768, page_size = 8192 };

/* Bytes the Go allocator really hands out for a request of `size`: the smallest size class that
 * holds it, or whole pages for large objects. */
static size_t round_up_size(size_t size)
{
    if (size < max_small_size) {
        for (size_t i = 0; i < GO_LEN(size_classes); i++)
            if (size_classes[i] >= size)
                return size_classes[i];
    }
    if (size > SIZE_MAX - page_size)
        return size;
    return (size + page_size - 1) / page_size * page_size;
}

size_t go_grow_cap(size_t old_cap, size_t needed, size_t elem_size)
{
    const size_t threshold = 256;
    size_t new_cap;
    if (needed > 2 * old_cap) {
        /* Appending many at once: take exactly what is needed (then round below). */
        new_cap = needed;
    } else if (old_cap < threshold) {
        new_cap = 2 * old_cap;
    } else {
        /* From 2x for small slices towards 1.25x for large ones, smoothly: each step adds a
         * quarter of the capacity plus a constant 3*threshold/4 = 192. */
        new_cap = old_cap;
        while (new_cap < needed) {
            size_t step = (new_cap + 3 * threshold) / 4;
            /* Growing past what memory can address: settle for what is needed, as Go does
             * when its signed capacity overflows. */
            if (new_cap > SIZE_MAX / elem_size - step) {
                new_cap = needed;
                break;
            }
            new_cap += step;
        }
    }
    return round_up_size(new_cap * elem_size) / elem_size;
}

go_slice go_slice_append(go_arena *arena, go_slice s, size_t elem_size, const void *values, size_t n,
                         go_site where)
{
    check_elem_size(s, elem_size, where);
    if (n > SIZE_MAX / elem_size - s.len)
        go_panic_at(where, "runtime error: growslice: cap out of range");
    size_t len = s.len + n;
    if (len > s.cap) {
        size_t cap = go_grow_cap(s.cap, len, elem_size);
        void *array = go_arena_alloc(arena, cap * elem_size);
        /* s may be nil (ptr NULL, len 0): memcpy needs a valid pointer even for 0 bytes. */
        if (s.len > 0)
            memcpy(array, s.ptr, s.len * elem_size);
        s.ptr = array;
        s.cap = cap;
    }
    /* memmove: the values may come from s's own backing array (append(s, s...)). */
    if (n > 0)
        memmove(element(s, s.len), values, n * elem_size);
    s.len = len;
    return s;
}

size_t go_slice_copy(go_slice dst, go_slice src, go_site where)
{
    check_elem_size(dst, src.elem_size, where);
    size_t n = dst.len < src.len ? dst.len : src.len;
    if (n > 0)
        memmove(dst.ptr, src.ptr, n * dst.elem_size);
    return n;
}
