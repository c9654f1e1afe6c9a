/* pprof_bucket.c - a profile's table: for each distinct stack, how many events and how long.
 *
 * Go keeps the same thing (runtime/mprof.go's buckets, hashed by stack). Here the memory is
 * fixed, so an observer can record while holding a channel's lock without ever allocating, and
 * the lock is held for one hash lookup and two additions. That lock is the profiler's own
 * bookkeeping, so ThreadSanitizer must not see it (runtime.h): two goroutines that block in
 * turn would otherwise look ordered by the profiler, and races between them would go unseen.
 */
#include <stdlib.h>
#include <string.h>

#include "pprof_internal.h"
#include "runtime.h"

go__buckets go__block_buckets, go__mutex_buckets, go__threadcreate_buckets;

static uint64_t hash_stack(const uintptr_t *pcs, int depth)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a over the addresses, a word at a time */
    for (int i = 0; i < depth; i++)
        h = (h ^ pcs[i]) * 0x100000001b3u;
    return h ^ (h >> 29);
}

static bool same_stack(const go__bucket *b, uint64_t hash, const uintptr_t *pcs, int depth)
{
    return b->hash == hash && b->depth == depth && memcmp(b->pcs, pcs, (size_t)depth * sizeof *pcs) == 0;
}

static void lock_buckets(go__buckets *t)
{
    GO__TSAN_HIDE_BEGIN();
    go__lock_acquire(&t->lock);
}

static void unlock_buckets(go__buckets *t)
{
    go__lock_release(&t->lock);
    GO__TSAN_HIDE_END();
}

void go__buckets_add(go__buckets *t, const uintptr_t *pcs, int depth, double count, int64_t delay)
{
    uint64_t hash = hash_stack(pcs, depth);
    lock_buckets(t);
    /* Open addressing, linear probing; the index has twice the slots of the buckets, so a free
     * slot is always found. */
    size_t slot = hash % GO__BUCKET_INDEX;
    while (t->index[slot] != 0 && !same_stack(&t->bucket[t->index[slot] - 1], hash, pcs, depth))
        slot = (slot + 1) % GO__BUCKET_INDEX;
    go__bucket *b = NULL;
    if (t->index[slot] != 0) {
        b = &t->bucket[t->index[slot] - 1];
    } else if (t->used < GO__BUCKETS_MAX) {
        b = &t->bucket[t->used++];
        b->hash = hash;
        b->depth = depth;
        memcpy(b->pcs, pcs, (size_t)depth * sizeof *pcs);
        t->index[slot] = (uint16_t)t->used;
    }
    if (b != NULL) {
        b->count += count;
        b->delay += delay;
    } else {
        t->discarded++;
    }
    unlock_buckets(t);
}

go__bucket *go__buckets_copy(go__buckets *t, int *n, int64_t *discarded)
{
    /* Allocated outside the lock, for the size seen first; buckets are only ever added, and
     * those added meanwhile wait for the next profile. */
    lock_buckets(t);
    int used = t->used;
    unlock_buckets(t);
    go__bucket *copy = used > 0 ? malloc((size_t)used * sizeof *copy) : NULL;
    lock_buckets(t);
    if (copy != NULL)
        memcpy(copy, t->bucket, (size_t)used * sizeof *copy);
    *discarded = t->discarded;
    unlock_buckets(t);
    *n = copy != NULL ? used : 0;
    return copy;
}
