/* pprof_internal.h - the profiles' parts, shared by the pprof*.c files. Not installed.
 *
 *   pprof_stack.c    go__callers: the calling thread's stack, by its frame pointers
 *   pprof_bucket.c   a profile's table: distinct stacks, each with a count and a total delay
 *   pprof_record.c   the rates, and the observer of the seam (g.h) that fills the tables
 *   pprof_proto.c    a minimal protobuf encoder, for profile.proto
 *   pprof_goroutine.c  the goroutine profile (no table: it looks at every goroutine)
 *   pprof_symbol.c   names for addresses, for the goroutine profile's text (libdw)
 *   pprof_write.c    go_profile_write: the file formats
 */
#ifndef GOCURRENT_PPROF_INTERNAL_H
#define GOCURRENT_PPROF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gocurrent/pprof.h"
#include "gocurrent/writer.h"
#include "g.h"
#include "lock.h"

/* ---- Stacks ---- */

enum { GO__PPROF_DEPTH = 32 }; /* frames kept, as Go's profiles keep */

/* runtime.callers: fills pcs with up to max return addresses of the calling thread's stack,
 * innermost first, after dropping the first `skip` (skip 0 starts with the return address into
 * the caller of go__callers). Follows frame pointers, checking each against the thread's stack
 * bounds, and stops at the first frame without one. Returns how many it stored. */
int go__callers(uintptr_t *pcs, int max, int skip);

/* The same for the calling goroutine g, ending at its entry as its saved stacks do (g.h): up to
 * GO__G_STACK_DEPTH return addresses, skip as above. */
int go__goroutine_callers(go__g *g, uintptr_t *pcs, int skip);

/* ---- Tables ---- */

/* One distinct stack of a profile. count is fractional because block sampling weighs a sampled
 * short event as several (pprof_record.c); delay is in nanoseconds. */
typedef struct go__bucket {
    uint64_t hash;
    int depth;
    uintptr_t pcs[GO__PPROF_DEPTH];
    double count;
    int64_t delay;
} go__bucket;

/* A profile's buckets: dense, in order of first appearance, found through a hash index. Its
 * memory is fixed (static tables), so recording never allocates; an event whose stack is new
 * when the table is full is counted in `discarded`. */
enum { GO__BUCKETS_MAX = 2048, GO__BUCKET_INDEX = 4096 };
typedef struct go__buckets {
    go__lock lock; /* held for one lookup and add, or one copy */
    int used;
    int64_t discarded;
    uint16_t index[GO__BUCKET_INDEX]; /* 0: empty; else 1 + the bucket's position */
    go__bucket bucket[GO__BUCKETS_MAX];
} go__buckets;

/* Adds count and delay to the bucket of the stack pcs[0..depth). Never blocks for long nor
 * allocates: callable from an observer. */
void go__buckets_add(go__buckets *t, const uintptr_t *pcs, int depth, double count, int64_t delay);

/* A copy of the table's buckets (malloc'd, the caller frees), so that writing a profile does
 * not hold up recording. NULL with *n = 0 when empty (or out of memory). */
go__bucket *go__buckets_copy(go__buckets *t, int *n, int64_t *discarded);

/* The tables the observer fills (pprof_record.c), and the mutex profile's sampling period. */
extern go__buckets go__block_buckets, go__mutex_buckets, go__threadcreate_buckets;
int go__mutex_profile_period(void);

/* ---- profile.proto ---- */

/* Appends to b one field of protobuf's wire format: a varint, or length-delimited bytes (a
 * string, or an embedded message encoded into a buffer of its own). */
void go__proto_varint(go_buffer *b, int field, uint64_t value);
void go__proto_bytes(go_buffer *b, int field, const void *bytes, size_t n);
void go__proto_string(go_buffer *b, int field, const char *s);

/* ---- Names, for text ---- */

/* What the code at an address is: the function, the address's offset in it, and the source
 * line (file NULL when the program has no line table there). */
typedef struct go__symbol {
    const char *func;
    uintptr_t offset;
    const char *file;
    int line;
} go__symbol;

/* Names the instruction at pc into *s, between go__symbols_begin and go__symbols_end (which
 * hold a lock: look up a profile's addresses at once). Returns false when it cannot name the
 * function (the library built without libdw, or a stripped module); s's strings are valid until
 * the next call. */
void go__symbols_begin(void);
void go__symbols_end(void);
bool go__symbolize(uintptr_t pc, go__symbol *s);

/* ---- The goroutine profile ---- */

/* Writes the goroutine profile for go_profile_write (debug as there) into b; `where` is where
 * the calling goroutine asked. */
void go__goroutine_profile(go_buffer *b, int debug, go_site where);

#endif
