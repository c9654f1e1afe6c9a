/* lock.c - the contended half of the runtime's lock (lock.h). */
#define _GNU_SOURCE /* sched_yield */
#include "lock.h"

#include <sched.h>

#include "os.h"

/* How long to keep trying before sleeping. The lock is held for well under a microsecond, so
 * 100 pauses (about 1-4 us, depending on the CPU) cover a holder that is running; a holder that
 * is not running was preempted, and yielding may let it run. */
enum { lock_spins = 100, lock_yields = 4 };

static bool try_acquire(go__lock *l)
{
    unsigned unlocked = 0;
    return atomic_load_explicit(&l->state, memory_order_relaxed) == 0 &&
           atomic_compare_exchange_weak_explicit(&l->state, &unlocked, 1, memory_order_acquire,
                                                 memory_order_relaxed);
}

void go__lock_acquire_slow(go__lock *l)
{
    for (int i = 0; i < lock_spins && go__may_spin(); i++) {
        go__cpu_relax();
        if (try_acquire(l))
            return;
    }
    for (int i = 0; i < lock_yields; i++) {
        sched_yield();
        if (try_acquire(l))
            return;
    }
    /* Say that a sleeper may exist, then sleep until an exchange finds the lock free. Taking it
     * with 2 rather than 1 costs at most one needless wake-up later; taking it with 1 could
     * lose a sleeper's. */
    while (atomic_exchange_explicit(&l->state, 2, memory_order_acquire) != 0)
        go__futex_wait(&l->state, 2);
}

void go__lock_wake_one(go__lock *l)
{
    go__futex_wake_one(&l->state);
}
