/* writer.h - an output sink as a Go interface: the library's io.Writer.
 *
 * A Go interface value is two words: which concrete type it holds (with that type's methods) and
 * a pointer to the value. go_writer is exactly that pair, spelled out in C: `type` points at a
 * table of the concrete type's methods, `self` at the value. A zero go_writer, {NULL, NULL}, is
 * the nil interface.
 *
 * Everything the library prints goes through a go_writer, so output can be sent to a FILE, kept
 * in memory (tests do this), or sent anywhere else by writing one function and one table.
 */
#ifndef GOCURRENT_WRITER_H
#define GOCURRENT_WRITER_H

#include <stddef.h>
#include <stdio.h>

#include "panic.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The method table of one concrete writer type (Go's itab, for a one-method interface). */
typedef struct go_writer_type {
    const char *name; /* the concrete type's name, for the type switch analogue */
    /* Writes n bytes from `bytes`; returns how many were written, fewer than n on error. */
    size_t (*write)(void *self, const void *bytes, size_t n);
} go_writer_type;

/* An interface value: a concrete type and a pointer to a value of that type. */
typedef struct go_writer {
    const go_writer_type *type; /* NULL: the nil interface */
    void *self;                 /* not owned: the value must outlive the interface */
} go_writer;

/* Calls the writer's write method. Returns the number of bytes written. Calling it on the nil
 * interface panics with Go's "invalid memory address or nil pointer dereference", at the
 * caller's line. */
#define go_write(w, bytes, n) go_write_at((w), (bytes), (n), GO_HERE)
size_t go_write_at(go_writer w, const void *bytes, size_t n, go_site where);

/* A writer onto a stdio stream. The FILE is not owned; nothing is flushed or closed. */
extern const go_writer_type go_file_writer_type;
go_writer go_file_writer(FILE *file);

/* A growable in-memory byte buffer, like Go's bytes.Buffer. Start from GO_BUFFER_INIT (or all
 * zero); it owns its memory, which go_buffer_free releases. Its data is always NUL-terminated
 * so it reads as a C string. Running out of memory panics. */
typedef struct go_buffer {
    char *data; /* NULL until something is written */
    size_t len; /* bytes written, not counting the terminating NUL */
    size_t cap; /* bytes allocated */
} go_buffer;

#define GO_BUFFER_INIT {NULL, 0, 0}

extern const go_writer_type go_buffer_writer_type;
go_writer go_buffer_writer(go_buffer *buffer);

/* The buffer's contents as a C string ("" when empty); valid until the next write or free. */
const char *go_buffer_string(const go_buffer *buffer);

/* Releases the buffer's memory and leaves it empty and reusable. */
void go_buffer_free(go_buffer *buffer);

#ifdef __cplusplus
}
#endif

#endif
