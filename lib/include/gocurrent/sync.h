/* sync.h - Go's sync package: WaitGroup, Once, Mutex, RWMutex.
 *
 * Goroutines blocked in these park in the runtime like channel operations do, so dumps show
 * them as Go 1.19 does ([semacquire]) and a program where every goroutine waits on one is
 * reported as deadlocked. All are used through a pointer and start from their _INIT value
 * (Go's zero value); none may be copied after first use, as in Go.
 */
#ifndef GOCURRENT_SYNC_H
#define GOCURRENT_SYNC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "panic.h"

/* Under ThreadSanitizer, go_mutex and go_rwmutex are described to TSan as mutexes (see
 * <sanitizer/tsan_interface.h>): it then reports misuse of them, lock-order inversions included,
 * as it does for pthread mutexes. The lock macros below make these calls in the caller's own
 * function, so that TSan's reports name the caller's line, not the library's (with gcc; clang
 * 14 links its TSan runtime without symbols, and its SUMMARY line names the annotation function
 * instead, though the report's stacks show the caller). Without TSan they compile to nothing.
 *
 * One consequence: TSan, as for a pthread mutex, reports a mutex unlocked by a goroutine other
 * than the one that locked it, which Go allows. Under TSan, unlock where you locked. */
#if defined(__SANITIZE_THREAD__)
#define GO__TSAN_ENABLED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GO__TSAN_ENABLED 1
#endif
#endif
#ifdef GO__TSAN_ENABLED
#include <sanitizer/tsan_interface.h>
#define GO__TSAN_MUTEX(op, ...) __tsan_mutex_##op(__VA_ARGS__)
#define GO__TSAN_READ __tsan_mutex_read_lock
#define GO__TSAN_TRY __tsan_mutex_try_lock
#define GO__TSAN_TRY_FAILED __tsan_mutex_try_lock_failed
#else
#define GO__TSAN_MUTEX(op, ...) ((void)0)
#define GO__TSAN_READ 0u
#define GO__TSAN_TRY 0u
#define GO__TSAN_TRY_FAILED 0u
#endif

struct go__waiter;
/* A FIFO of parked goroutines, guarded by its owner's lock. Its waiters are private to the
 * runtime; it is declared here so that the types below can be initialised statically. */
typedef struct go__waitq {
    struct go__waiter *first, *last;
} go__waitq;

/* sync.WaitGroup: wait for a collection of goroutines to finish. */
typedef struct go_wait_group {
    pthread_mutex_t lock;
    int64_t count;
    go__waitq waiters;
} go_wait_group;

#define GO_WAIT_GROUP_INIT {PTHREAD_MUTEX_INITIALIZER, 0, {NULL, NULL}}

/* wg.Add(delta): a counter below zero panics with "sync: negative WaitGroup counter". When the
 * counter reaches zero every goroutine blocked in Wait is released. */
#define go_wg_add(wg, delta) go_wait_group_add((wg), (delta), GO_HERE)
void go_wait_group_add(go_wait_group *wg, int64_t delta, go_site where);
/* wg.Done(): Add(-1). */
#define go_wg_done(wg) go_wait_group_add((wg), -1, GO_HERE)
/* wg.Wait(): blocks until the counter is zero. */
#define go_wg_wait(wg) go_wait_group_wait((wg), GO_HERE)
void go_wait_group_wait(go_wait_group *wg, go_site where);

/* sync.Mutex. Unlocking an unlocked mutex is a fatal error, as in Go. Ownership is not tied to
 * a goroutine: one may unlock what another locked, as in Go (but see above for TSan). */
/* Contention of a Mutex or RWMutex, the raw material of Go's mutex profile: how many lock
 * calls had to wait, and their total wait in nanoseconds. Updated only on the slow path. */
typedef struct go__contention {
    atomic_llong waits;
    atomic_llong wait_ns;
} go__contention;

#define GO_CONTENTION_INIT {0, 0}

typedef struct go_mutex {
    /* First: TSan knows the go_mutex by its address, which must not be the pthread one's, and
     * reads the bytes there, which must be touched only atomically. */
    atomic_bool locked;
    atomic_int waiters;   /* goroutines queued, or about to queue, for the mutex */
    pthread_mutex_t lock; /* guards the queue; held only for a few instructions */
    go__waitq queue;
    go__contention contention;
} go_mutex;

#define GO_MUTEX_INIT {false, 0, PTHREAD_MUTEX_INITIALIZER, {NULL, NULL}, GO_CONTENTION_INIT}

/* m.Lock(), m.TryLock(), m.Unlock(). The lock macro evaluates m more than once. */
#define go_mutex_lock(m) \
    (GO__TSAN_MUTEX(pre_lock, (m), 0), go_mutex_lock_at((m), GO_HERE), GO__TSAN_MUTEX(post_lock, (m), 0, 0))
#define go_mutex_trylock(m) go__mutex_trylock_annotated(m)
#define go_mutex_unlock(m) go__mutex_unlock_inline((m), GO_HERE)
bool go_mutex_trylock_at(go_mutex *m);

/* The library's halves of Lock and Unlock: everything under TSan, otherwise what the inline
 * fast paths below leave to them (a mutex that is held; waiters to wake; misuse). */
void go__mutex_lock_slow(go_mutex *m, go_site where);
void go_mutex_unlock_at(go_mutex *m, go_site where);
void go__mutex_wake_waiter(go_mutex *m);
_Noreturn void go__mutex_unlock_of_unlocked(go_site where);

/* Taking a free mutex and releasing one nobody waits for are one atomic instruction each, made
 * inline, as sync.Mutex's fast paths are inlined by Go's compiler. Under TSan the library's
 * functions do everything, inside the annotations. */
static inline void go_mutex_lock_at(go_mutex *m, go_site where)
{
#ifndef GO__TSAN_ENABLED
    bool unlocked = false;
    if (atomic_compare_exchange_strong(&m->locked, &unlocked, true))
        return;
#endif
    go__mutex_lock_slow(m, where);
}

static inline void go__mutex_unlock_inline(go_mutex *m, go_site where)
{
#ifdef GO__TSAN_ENABLED
    go_mutex_unlock_at(m, where);
#else
    /* Sequentially consistent, as the waiter protocol in sync.c needs. */
    if (!atomic_exchange(&m->locked, false))
        go__mutex_unlock_of_unlocked(where);
    if (atomic_load(&m->waiters) > 0)
        go__mutex_wake_waiter(m);
#endif
}

static inline bool go__mutex_trylock_annotated(go_mutex *m)
{
    GO__TSAN_MUTEX(pre_lock, m, GO__TSAN_TRY);
    bool acquired = go_mutex_trylock_at(m);
    GO__TSAN_MUTEX(post_lock, m, GO__TSAN_TRY | (acquired ? 0 : GO__TSAN_TRY_FAILED), 0);
    return acquired;
}

/* sync.RWMutex, with Go's policy: any number of readers or one writer; once a writer waits, new
 * readers wait too (so a stream of readers cannot starve a writer), and when the writer
 * unlocks, the readers that queued behind it go before the next writer. glibc's default
 * pthread_rwlock prefers readers instead; chapter 04 shows the difference. */
typedef struct go_rwmutex {
    /* First: TSan reads the bytes at the address it knows the lock by, so they must be touched
     * only atomically. */
    go__contention contention; /* read and write locks that waited */
    int readers;            /* goroutines holding a read lock */
    bool writer;            /* a goroutine holds the write lock */
    int writers_waiting;    /* goroutines queued for the write lock */
    go__waitq read_waiters;  /* readers queued behind a writer */
    go__waitq write_waiters;
    pthread_mutex_t lock;   /* guards the fields from readers on */
} go_rwmutex;

#define GO_RWMUTEX_INIT \
    {GO_CONTENTION_INIT, 0, false, 0, {NULL, NULL}, {NULL, NULL}, PTHREAD_MUTEX_INITIALIZER}

/* rw.RLock(), rw.RUnlock(), rw.Lock(), rw.Unlock(). The lock macros evaluate m more than once. */
#define go_rwmutex_rlock(m)                                                   \
    (GO__TSAN_MUTEX(pre_lock, (m), GO__TSAN_READ), go_rwmutex_rlock_at((m), GO_HERE), \
     GO__TSAN_MUTEX(post_lock, (m), GO__TSAN_READ, 0))
#define go_rwmutex_runlock(m) go_rwmutex_runlock_at((m), GO_HERE)
#define go_rwmutex_lock(m) \
    (GO__TSAN_MUTEX(pre_lock, (m), 0), go_rwmutex_lock_at((m), GO_HERE), GO__TSAN_MUTEX(post_lock, (m), 0, 0))
#define go_rwmutex_unlock(m) go_rwmutex_unlock_at((m), GO_HERE)
void go_rwmutex_rlock_at(go_rwmutex *m, go_site where);
void go_rwmutex_runlock_at(go_rwmutex *m, go_site where);
void go_rwmutex_lock_at(go_rwmutex *m, go_site where);
void go_rwmutex_unlock_at(go_rwmutex *m, go_site where);

/* sync.Once: go_once_do runs fn(arg) the first time it is called on `once`; every call returns
 * only after that first fn has returned. */
typedef struct go_once {
    atomic_bool done;
    go_mutex m;
} go_once;

#define GO_ONCE_INIT {false, GO_MUTEX_INIT}

void go_once_do(go_once *once, void (*fn)(void *arg), void *arg);

#endif
