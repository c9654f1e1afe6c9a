/* arena.h - who owns the memory that Go's garbage collector would free.
 *
 * Go allocates backing arrays for make and append and frees them when nothing refers to them.
 * C has no collector, so the library makes the owner explicit: every block it allocates for a
 * slice belongs to the go_arena passed in, and stays valid until go_arena_free releases all of
 * them at once. Slices taken from an arena's arrays must not be used after that.
 *
 *     go_arena heap = GO_ARENA_INIT;
 *     go_slice s = go_make(&heap, int, 0, 4);
 *     s = go_append(&heap, s, int, 1, 2, 3, 4, 5);   // grows: a new block, the old one stays
 *     go_arena_free(&heap);                           // both blocks released here
 *
 * An arena is not thread-safe: one goroutine uses it at a time (or guards it with a mutex).
 */
#ifndef GOCURRENT_ARENA_H
#define GOCURRENT_ARENA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct go_arena_block;

typedef struct go_arena {
    struct go_arena_block *blocks; /* every live block, newest first */
    size_t bytes;                  /* bytes handed out, for reports */
} go_arena;

#define GO_ARENA_INIT {NULL, 0}

/* Returns `size` zeroed bytes owned by the arena, aligned for any type. Out of memory panics. */
void *go_arena_alloc(go_arena *arena, size_t size);

/* Releases every block the arena handed out and leaves it empty and reusable. */
void go_arena_free(go_arena *arena);

#ifdef __cplusplus
}
#endif

#endif
