/* sync.h - Go's sync package: WaitGroup, Once, Mutex, RWMutex.
 *
 *     static go_mutex mu = GO_MUTEX_INIT;          // var mu sync.Mutex
 *     go_mutex_lock(&mu); counter++; go_mutex_unlock(&mu);
 *
 * Goroutines blocked in these park in the runtime like channel operations do, so dumps show
 * them as Go 1.19 does ([semacquire]) and a program where every goroutine waits on one is
 * reported as deadlocked. All are used through a pointer and start from their _INIT value
 * (Go's zero value); none may be copied after first use, as in Go. Their fields are private
 * (private/sync.h).
 *
 * Under ThreadSanitizer, go_mutex and go_rwmutex are described to TSan as mutexes: it reports
 * misuse of them, lock-order inversions included, as it does for pthread mutexes, and names the
 * caller's line. One consequence: TSan, as for a pthread mutex, reports a mutex unlocked by a
 * goroutine other than the one that locked it, which Go allows. Under TSan, unlock where you
 * locked.
 */
#ifndef GOCURRENT_SYNC_H
#define GOCURRENT_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "panic.h"
#include "private/sync.h"

#ifdef __cplusplus
extern "C" {
#endif

/* sync.WaitGroup: wait for a collection of goroutines to finish. */
typedef struct go_wait_group go_wait_group;
#define GO_WAIT_GROUP_INIT GO__WAIT_GROUP_INIT

/* wg.Add(delta): a counter below zero panics with "sync: negative WaitGroup counter". When the
 * counter reaches zero every goroutine blocked in Wait is released. */
#define go_wg_add(wg, delta) go_wait_group_add((wg), (delta), GO_HERE)
void go_wait_group_add(go_wait_group *wg, int64_t delta, go_site where);
/* wg.Done(): Add(-1). */
#define go_wg_done(wg) go_wait_group_add((wg), -1, GO_HERE)
/* wg.Wait(): blocks until the counter is zero. */
#define go_wg_wait(wg) go_wait_group_wait((wg), GO_HERE)
void go_wait_group_wait(go_wait_group *wg, go_site where);

/* sync.Mutex. Unlocking an unlocked mutex is a fatal error, as in Go ("sync: unlock of unlocked
 * mutex"). Ownership is not tied to a goroutine: one may unlock what another locked, as in Go
 * (but see above for TSan). Normally a woken waiter competes with newcomers; one that has waited
 * over 1 ms is handed the mutex by the next unlock, so none starves (Go's starvation mode). */
typedef struct go_mutex go_mutex;
#define GO_MUTEX_INIT GO__MUTEX_INIT

/* m.Lock(), m.TryLock(), m.Unlock(). The lock macro evaluates m more than once. */
#define go_mutex_lock(m) \
    (GO__TSAN_MUTEX(pre_lock, (m), 0), go__mutex_lock((m), GO_HERE), GO__TSAN_MUTEX(post_lock, (m), 0, 0))
#define go_mutex_trylock(m) go__mutex_trylock_annotated(m)
#define go_mutex_unlock(m) go__mutex_unlock((m), GO_HERE)

/* sync.RWMutex, with Go's policy: any number of readers or one writer; once a writer waits, new
 * readers wait too (so a stream of readers cannot starve a writer), and when the writer
 * unlocks, the readers that queued behind it go before the next writer. glibc's default
 * pthread_rwlock prefers readers instead; chapter 04 shows the difference. */
typedef struct go_rwmutex go_rwmutex;
#define GO_RWMUTEX_INIT GO__RWMUTEX_INIT

/* rw.RLock(), rw.RUnlock(), rw.Lock(), rw.Unlock(). Unlocking what is not locked is a fatal
 * error. The lock macros evaluate m more than once. */
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

/* How often locking a Mutex or RWMutex had to wait, and for how long in all (nanoseconds): the
 * raw material of Go's mutex profile, kept per lock. A snapshot. */
typedef struct go_lock_waits {
    int64_t count;
    int64_t total_ns;
} go_lock_waits;
go_lock_waits go_mutex_waits(go_mutex *m);
go_lock_waits go_rwmutex_waits(go_rwmutex *m);

/* sync.Once: go_once_do runs fn(arg) the first time it is called on `once`; every call returns
 * only after that first fn has returned. */
typedef struct go_once go_once;
#define GO_ONCE_INIT GO__ONCE_INIT
void go_once_do(go_once *once, void (*fn)(void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif
