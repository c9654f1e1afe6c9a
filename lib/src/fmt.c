/* fmt.c - Go's formatting of the values the chapters print. */
#include "gocurrent/fmt.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

size_t go_fprintf(go_writer w, const char *format, ...)
{
    char small[256];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(small, sizeof small, format, args);
    va_end(args);
    if (n < 0)
        return 0;
    if ((size_t)n < sizeof small)
        return go_write(w, small, (size_t)n);

    /* Longer than the stack buffer: format again into one of the right size. */
    char *large = malloc((size_t)n + 1);
    if (large == NULL)
        go_panic("runtime: out of memory: go_fprintf needs %d bytes", n + 1);
    va_start(args, format);
    vsnprintf(large, (size_t)n + 1, format, args);
    va_end(args);
    size_t written = go_write(w, large, (size_t)n);
    free(large);
    return written;
}

void go_fprint_ints(go_writer w, const go_int *values, size_t n)
{
    go_write(w, "[", 1);
    for (size_t i = 0; i < n; i++)
        go_fprintf(w, i == 0 ? "%" PRId64 : " %" PRId64, values[i]);
    go_write(w, "]", 1);
}

void go_println_ints(const go_int *values, size_t n)
{
    go_writer out = go_file_writer(stdout);
    go_fprint_ints(out, values, n);
    go_write(out, "\n", 1);
}

void go_println_int_slice(go_slice s)
{
    if (s.elem_size != sizeof(go_int))
        go_panic("go_println_int_slice: slice elements are %zu bytes, not a go_int's %zu", s.elem_size, sizeof(go_int));
    go_println_ints(s.ptr, s.len);
}
