/* fmt.h - printing values the way Go's fmt package does.
 *
 * fmt.Println of an []int or [n]int (go_int in C) prints `[1 2 3]`: brackets, elements separated by single
 * spaces, and `[]` for an empty or nil slice. These functions print exactly that, onto any
 * go_writer or onto stdout.
 */
#ifndef GOCURRENT_FMT_H
#define GOCURRENT_FMT_H

#include <stddef.h>

#include "slice.h"
#include "writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* printf onto a writer. Returns the number of bytes written. */
size_t go_fprintf(go_writer w, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Writes n go_ints as Go formats a slice or array of them: "[1 2 3]", no newline. */
void go_fprint_ints(go_writer w, const go_int *values, size_t n);

/* fmt.Println(x) for a go_int array or []int: the values as above and a newline, on stdout. */
void go_println_ints(const go_int *values, size_t n);
#define go_println_array(array) go_println_ints((array), GO_LEN(array))
/* The slice must hold go_ints (elem_size == sizeof(go_int)), else it panics. */
void go_println_int_slice(go_slice s);

#ifdef __cplusplus
}
#endif

#endif
