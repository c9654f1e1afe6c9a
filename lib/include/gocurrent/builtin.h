/* builtin.h - the few of Go's predeclared names that every part of the library uses.
 *
 * Go's `builtin` package documents int, len and friends; these are their C spellings.
 */
#ifndef GOCURRENT_BUILTIN_H
#define GOCURRENT_BUILTIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Go's int: 64 bits on every 64-bit platform Go runs on, where C's int is 32. Use it for Go's
 * int so that sizes, and with them append's capacities, match what Go prints. */
typedef int64_t go_int;

/* The number of elements of a C array (not a pointer): Go's len of an array. */
#define GO_LEN(array) (sizeof(array) / sizeof((array)[0]))

#ifdef __cplusplus
}
#endif

#endif
