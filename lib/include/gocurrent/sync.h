/* sync.h - Go's sync package: WaitGroup, Once, Mutex.
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

struct go_waiter;
/* A FIFO of parked goroutines, guarded by its owner's lock. Its waiters are private to the
 * runtime; it is declared here so that the types below can be initialised statically. */
typedef struct go_waitq {
    struct go_waiter *first, *last;
} go_waitq;

/* sync.WaitGroup: wait for a collection of goroutines to finish. */
typedef struct go_wait_group {
    pthread_mutex_t lock;
    int64_t count;
    go_waitq waiters;
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
 * a goroutine: one may unlock what another locked, as in Go. */
typedef struct go_mutex {
    pthread_mutex_t lock; /* guards the two fields below; held only for a few instructions */
    bool locked;
    go_waitq waiters;
} go_mutex;

#define GO_MUTEX_INIT {PTHREAD_MUTEX_INITIALIZER, false, {NULL, NULL}}

#define go_mutex_lock(m) go_mutex_lock_at((m), GO_HERE)
void go_mutex_lock_at(go_mutex *m, go_site where);
bool go_mutex_trylock(go_mutex *m);
void go_mutex_unlock(go_mutex *m);

/* sync.Once: go_once_do runs fn(arg) the first time it is called on `once`; every call returns
 * only after that first fn has returned. */
typedef struct go_once {
    atomic_bool done;
    go_mutex m;
} go_once;

#define GO_ONCE_INIT {false, GO_MUTEX_INIT}

void go_once_do(go_once *once, void (*fn)(void *arg), void *arg);

#endif
