/* sync.c - WaitGroup, Mutex and Once on the runtime's parking.
 *
 * Each has a small pthread mutex guarding its state and a queue of parked goroutines. A mutex
 * is handed directly to the waiter it wakes (it never becomes free in between), so a woken
 * goroutine never finds it taken again and the runtime's parked count stays exact.
 */
#include "gocurrent/sync.h"

#include "runtime.h"

/* Parks the calling goroutine on q, whose owner's lock is held; returns with it released. */
static void park_on(go_waitq *q, pthread_mutex_t *lock, go_site where)
{
    go_g *g = go_current();
    go_waiter w = {.g = g};
    go_waitq_push(q, &w);
    go_park_commit(g, GO_WAIT_SEMACQUIRE, where);
    pthread_mutex_unlock(lock);
    go_park(g);
}

void go_wait_group_add(go_wait_group *wg, int64_t delta, go_site where)
{
    pthread_mutex_lock(&wg->lock);
    wg->count += delta;
    if (wg->count < 0) {
        pthread_mutex_unlock(&wg->lock);
        go_panic_at(where, "sync: negative WaitGroup counter");
    }
    go_waitq released = {NULL, NULL};
    if (wg->count == 0) {
        released = wg->waiters;
        wg->waiters = (go_waitq){NULL, NULL};
    }
    pthread_mutex_unlock(&wg->lock);
    for (go_waiter *w = released.first; w != NULL;) {
        go_waiter *next = w->next; /* w lives on a stack that go_ready lets go */
        go_ready(w->g);
        w = next;
    }
}

void go_wait_group_wait(go_wait_group *wg, go_site where)
{
    pthread_mutex_lock(&wg->lock);
    if (wg->count == 0) {
        pthread_mutex_unlock(&wg->lock);
        return;
    }
    park_on(&wg->waiters, &wg->lock, where);
}

void go_mutex_lock_at(go_mutex *m, go_site where)
{
    pthread_mutex_lock(&m->lock);
    if (!m->locked) {
        m->locked = true;
        pthread_mutex_unlock(&m->lock);
        return;
    }
    /* Unlock hands the mutex over: when this returns, it is ours. */
    park_on(&m->waiters, &m->lock, where);
}

bool go_mutex_trylock(go_mutex *m)
{
    pthread_mutex_lock(&m->lock);
    bool acquired = !m->locked;
    m->locked = true;
    pthread_mutex_unlock(&m->lock);
    return acquired;
}

void go_mutex_unlock(go_mutex *m)
{
    pthread_mutex_lock(&m->lock);
    if (!m->locked) {
        pthread_mutex_unlock(&m->lock);
        go_fatal("sync: unlock of unlocked mutex");
    }
    go_waiter *next = go_waitq_pop(&m->waiters);
    if (next == NULL)
        m->locked = false;
    pthread_mutex_unlock(&m->lock);
    if (next != NULL)
        go_ready(next->g);
}

void go_once_do(go_once *once, void (*fn)(void *arg), void *arg)
{
    if (atomic_load_explicit(&once->done, memory_order_acquire))
        return;
    go_mutex_lock(&once->m);
    if (!atomic_load_explicit(&once->done, memory_order_relaxed)) {
        fn(arg);
        atomic_store_explicit(&once->done, true, memory_order_release);
    }
    go_mutex_unlock(&once->m);
}
