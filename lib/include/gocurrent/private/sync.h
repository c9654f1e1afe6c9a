/* private/sync.h - the layouts and inline fast paths behind <gocurrent/sync.h>. Private: the
 * fields here are the runtime's; use the functions and macros of sync.h. The layouts are in a
 * header only so that the types can be declared as variables and initialised statically (Go's
 * zero value), and so that the uncontended paths can be inline (as Go's compiler inlines
 * sync.Mutex's).
 */
#ifndef GOCURRENT_PRIVATE_SYNC_H
#define GOCURRENT_PRIVATE_SYNC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../panic.h"
#include "tsan.h"
#include "valgrind.h"

#ifdef __cplusplus
extern "C" {
#endif

struct go__waiter;
/* A FIFO of parked goroutines, guarded by its owner's lock (the runtime's waitq.h). */
typedef struct go__waitq {
    struct go__waiter *first, *last;
} go__waitq;

/* Lock calls that had to wait, and their total wait: updated only on the slow path. */
typedef struct go__contention {
    atomic_llong waits;
    atomic_llong wait_ns;
} go__contention;

struct go_wait_group {
    pthread_mutex_t lock;
    int64_t count;
    go__waitq waiters;
};

#define GO__WAIT_GROUP_INIT {PTHREAD_MUTEX_INITIALIZER, 0, {NULL, NULL}}

struct go_mutex {
    /* First: TSan knows the go_mutex by its address, which must not be the pthread one's, and
     * reads the bytes there, which must be touched only atomically. */
    atomic_bool locked;
    atomic_int waiters;   /* goroutines queued, or about to queue, for the mutex */
    pthread_mutex_t lock; /* guards the queue; held only for a few instructions */
    go__waitq queue;
    go__contention contention;
};

#define GO__MUTEX_INIT {false, 0, PTHREAD_MUTEX_INITIALIZER, {NULL, NULL}, {0, 0}}

struct go_rwmutex {
    /* First: TSan reads the bytes at the address it knows the lock by, so they must be touched
     * only atomically. */
    go__contention contention; /* read and write locks that waited */
    int readers;               /* goroutines holding a read lock */
    bool writer;               /* a goroutine holds the write lock */
    int writers_waiting;       /* goroutines queued for the write lock */
    go__waitq read_waiters;    /* readers queued behind a writer */
    go__waitq write_waiters;
    pthread_mutex_t lock;      /* guards the fields from readers on */
};

#define GO__RWMUTEX_INIT \
    {{0, 0}, 0, false, 0, {NULL, NULL}, {NULL, NULL}, PTHREAD_MUTEX_INITIALIZER}

struct go_once {
    atomic_bool done;
    struct go_mutex m;
};

#define GO__ONCE_INIT {false, GO__MUTEX_INIT}

/* The library's halves of Lock and Unlock: everything under TSan, otherwise what the inline
 * fast paths below leave to them (a mutex that is held; waiters to wake; misuse). */
void go__mutex_lock_slow(struct go_mutex *m, go_site where);
void go__mutex_unlock_slow(struct go_mutex *m, go_site where);
bool go__mutex_trylock(struct go_mutex *m);
void go__mutex_wake_waiter(struct go_mutex *m);
GO_NORETURN void go__mutex_unlock_of_unlocked(go_site where);

/* Taking a free mutex and releasing one nobody waits for are one atomic instruction each. Under
 * TSan the library's functions do everything, inside the annotations. Helgrind and DRD are told
 * of the edge from an unlock to the next lock wherever `locked` changes hands (valgrind.h). */
static inline void go__mutex_lock(struct go_mutex *m, go_site where)
{
#ifndef GO__TSAN_ENABLED
    bool unlocked = false;
    if (atomic_compare_exchange_strong(&m->locked, &unlocked, true)) {
        GO__HAPPENS_AFTER(GO__OBJECT_TAG(m));
        return;
    }
#endif
    go__mutex_lock_slow(m, where);
}

static inline void go__mutex_unlock(struct go_mutex *m, go_site where)
{
#ifdef GO__TSAN_ENABLED
    go__mutex_unlock_slow(m, where);
#else
    /* Sequentially consistent, as the waiter protocol in sync.c needs. */
    GO__HAPPENS_BEFORE(GO__OBJECT_TAG(m));
    if (!atomic_exchange(&m->locked, false))
        go__mutex_unlock_of_unlocked(where);
    if (atomic_load(&m->waiters) > 0)
        go__mutex_wake_waiter(m);
#endif
}

static inline bool go__mutex_trylock_annotated(struct go_mutex *m)
{
    GO__TSAN_MUTEX(pre_lock, m, GO__TSAN_TRY);
    bool acquired = go__mutex_trylock(m);
    GO__TSAN_MUTEX(post_lock, m, GO__TSAN_TRY | (acquired ? 0 : GO__TSAN_TRY_FAILED), 0);
    return acquired;
}

#ifdef __cplusplus
}
#endif

#endif
