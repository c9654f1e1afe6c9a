/* pprof_proto.c - just enough of protobuf's wire format to write profile.proto.
 *
 * A message is a sequence of fields, each a key (field number << 3 | wire type) and a value:
 * wire type 0 a varint (7 bits a byte, low bits first, the top bit saying more follow), wire
 * type 2 a varint length and that many bytes (strings, and embedded messages, which are encoded
 * on their own first). profile.proto needs nothing else: repeated fields are the same field
 * written again, and pprof reads them unpacked.
 */
#include <string.h>

#include "pprof_internal.h"

static void append(go_buffer *b, const void *bytes, size_t n)
{
    if (n > 0)
        go_write(go_buffer_writer(b), bytes, n);
}

static void raw_varint(go_buffer *b, uint64_t v)
{
    uint8_t bytes[10];
    size_t n = 0;
    do {
        bytes[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v != 0);
    append(b, bytes, n);
}

void go__proto_varint(go_buffer *b, int field, uint64_t value)
{
    raw_varint(b, (uint64_t)field << 3 | 0);
    raw_varint(b, value);
}

void go__proto_bytes(go_buffer *b, int field, const void *bytes, size_t n)
{
    raw_varint(b, (uint64_t)field << 3 | 2);
    raw_varint(b, n);
    append(b, bytes, n);
}

void go__proto_string(go_buffer *b, int field, const char *s)
{
    go__proto_bytes(b, field, s, strlen(s));
}
