/* lock.h - the runtime's own lock, for what is held a few instructions at a time (a channel).
 *
 * Go's runtime has its own mutex for the same reason (runtime/lock_futex.go): a general-purpose
 * mutex does more than such a lock needs. This one is a single word,
 *     0 unlocked,  1 locked,  2 locked and a thread may be asleep waiting for it,
 * taken with one compare-and-swap and released with one exchange when nobody contends, both
 * inline. A thread that finds it taken spins while the holder may be running on another CPU,
 * yields its CPU a few times in case the holder was preempted, and only then sleeps with
 * futex(2); whoever releases a word that says 2 wakes one sleeper (Drepper, "Futexes Are
 * Tricky", mutex 3). The acquire and release orders are what ThreadSanitizer sees: a channel
 * operation happens before the next one on that channel, as Go's memory model says. Helgrind
 * and DRD see the same edge through the annotations (gocurrent/private/valgrind.h); the word
 * itself is theirs to ignore, which its owner says when it makes it (chan.c).
 *
 * Zero-initialised memory is an unlocked go__lock. Not recursive; releasing a lock this thread
 * does not hold is undefined (the runtime never does).
 */
#ifndef GOCURRENT_LOCK_H
#define GOCURRENT_LOCK_H

#include <stdatomic.h>

#include "gocurrent/private/valgrind.h"

typedef struct go__lock {
    atomic_uint state;
} go__lock;

/* The contended paths (lock.c). */
void go__lock_acquire_slow(go__lock *l);
void go__lock_wake_one(go__lock *l);

static inline void go__lock_acquire(go__lock *l)
{
    unsigned unlocked = 0;
    if (!atomic_compare_exchange_weak_explicit(&l->state, &unlocked, 1, memory_order_acquire,
                                               memory_order_relaxed))
        go__lock_acquire_slow(l);
    GO__HAPPENS_AFTER(&l->state);
}

static inline void go__lock_release(go__lock *l)
{
    GO__HAPPENS_BEFORE(&l->state);
    if (atomic_exchange_explicit(&l->state, 0, memory_order_release) == 2)
        go__lock_wake_one(l);
}

#endif
