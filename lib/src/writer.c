/* writer.c - the go_writer interface and its two library implementations. */
#include "gocurrent/writer.h"

#include <stdlib.h>
#include <string.h>

#include "gocurrent/panic.h"

size_t go_write_at(go_writer w, const void *bytes, size_t n, go_site where)
{
    /* In Go, calling a method on a nil interface dereferences a nil method table. */
    if (w.type == NULL)
        go_panic_at(where, "runtime error: invalid memory address or nil pointer dereference");
    return w.type->write(w.self, bytes, n);
}

static size_t file_write(void *self, const void *bytes, size_t n)
{
    return fwrite(bytes, 1, n, (FILE *)self);
}

const go_writer_type go_file_writer_type = {"file", file_write};

go_writer go_file_writer(FILE *file)
{
    return (go_writer){&go_file_writer_type, file};
}

static size_t buffer_write(void *self, const void *bytes, size_t n)
{
    go_buffer *buffer = self;
    /* Keep room for the terminating NUL; grow geometrically so n writes cost O(total). */
    if (buffer->len + n + 1 > buffer->cap) {
        size_t cap = buffer->cap ? buffer->cap : 64;
        while (cap < buffer->len + n + 1)
            cap *= 2;
        char *data = realloc(buffer->data, cap);
        if (data == NULL)
            go_panic("runtime: out of memory: go_buffer cannot grow to %zu bytes", cap);
        buffer->data = data;
        buffer->cap = cap;
    }
    memcpy(buffer->data + buffer->len, bytes, n);
    buffer->len += n;
    buffer->data[buffer->len] = '\0';
    return n;
}

const go_writer_type go_buffer_writer_type = {"buffer", buffer_write};

go_writer go_buffer_writer(go_buffer *buffer)
{
    return (go_writer){&go_buffer_writer_type, buffer};
}

const char *go_buffer_string(const go_buffer *buffer)
{
    return buffer->data ? buffer->data : "";
}

void go_buffer_free(go_buffer *buffer)
{
    free(buffer->data);
    *buffer = (go_buffer)GO_BUFFER_INIT;
}
