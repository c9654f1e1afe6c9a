/* arena.c - blocks owned by an arena, released together. */
#include "gocurrent/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>

#include "gocurrent/panic.h"

/* Each block carries a header linking it to the arena's other blocks; the payload follows,
 * aligned as malloc aligns, so any type can live in it. */
struct go_arena_block {
    struct go_arena_block *next;
    alignas(max_align_t) unsigned char payload[];
};

void *go_arena_alloc(go_arena *arena, size_t size)
{
    if (size > SIZE_MAX - sizeof(struct go_arena_block))
        go_panic("runtime error: go_arena_alloc: size out of range");
    struct go_arena_block *block = calloc(1, sizeof *block + size);
    if (block == NULL)
        go_panic("runtime: out of memory: cannot allocate %zu-byte block", size);
    block->next = arena->blocks;
    arena->blocks = block;
    arena->bytes += size;
    return block->payload;
}

void go_arena_free(go_arena *arena)
{
    struct go_arena_block *block = arena->blocks;
    while (block != NULL) {
        struct go_arena_block *next = block->next;
        free(block);
        block = next;
    }
    arena->blocks = NULL;
    arena->bytes = 0;
}
