/* sync.c - WaitGroup, Mutex, RWMutex and Once on the runtime's parking.
 *
 * Each has a small pthread mutex guarding its state and queues of parked goroutines. An RWMutex
 * is handed directly to the waiters it wakes; a Mutex works as described at go__mutex_lock_slow.
 * The runtime's parked count stays exact either way: whoever wakes a waiter un-counts it. The public
 * macros in sync.h describe Mutex and RWMutex operations to ThreadSanitizer; parking inside one
 * is the runtime's own work, which TSan is told to set aside ("divert").
 */
#include "gocurrent/sync.h"

#include "os.h"
#include "park.h"
#include "runtime.h"
#include "waitq.h"

/* Each object's pthread mutex, taken and released. Helgrind orders a pthread_mutex_unlock from
 * its start, so glibc's own writes to the mutex during the unlock look unordered with its next
 * owner, which may be done with the object and reuse its memory: a WaitGroup on a stack, as in
 * Go's idiom, then seems to race with the next variable there. An edge from the end of each
 * unlock to the end of the next lock closes that window (private/valgrind.h). */
static void guard_lock(pthread_mutex_t *lock)
{
    pthread_mutex_lock(lock);
    GO__HAPPENS_AFTER(GO__OBJECT_TAG(lock));
}

static void guard_unlock(pthread_mutex_t *lock)
{
    pthread_mutex_unlock(lock);
    GO__HAPPENS_BEFORE(GO__OBJECT_TAG(lock));
}

/* Parks the calling goroutine on q of `object`, whose lock is held, for `reason`; returns with
 * the lock released. */
static void park_on(go__waitq *q, pthread_mutex_t *lock, const void *object, go__wait_reason reason,
                    go_site where)
{
    go__g *g = go__current();
    go__waiter w = {.g = g};
    go__waitq_push(q, &w);
    go__park_commit(g, reason, where, object);
    guard_unlock(lock);
    go__park(g);
}

/* Parks on an RWMutex queue like park_on, recording the wait in the lock's contention. */
static void park_contended(go_rwmutex *m, go__waitq *q, go__wait_reason reason, go_site where)
{
    int64_t start = go_nanotime();
    park_on(q, &m->lock, m, reason, where);
    go__contention *c = &m->contention;
    atomic_fetch_add(&c->waits, 1);
    atomic_fetch_add(&c->wait_ns, go_nanotime() - start);
}

/* Readies every goroutine of a queue taken off its owner (after the owner's lock is released). */
static void ready_all(go__waitq released)
{
    for (go__waiter *w = released.first; w != NULL;) {
        go__waiter *next = w->next; /* w lives on a stack that go__ready lets go */
        go__ready(w->g);
        w = next;
    }
}

void go_wait_group_add(go_wait_group *wg, int64_t delta, go_site where)
{
    guard_lock(&wg->lock);
    wg->count += delta;
    if (wg->count < 0) {
        guard_unlock(&wg->lock);
        go_panic_at(where, "sync: negative WaitGroup counter");
    }
    go__waitq released = {NULL, NULL};
    if (wg->count == 0) {
        released = wg->waiters;
        wg->waiters = (go__waitq){NULL, NULL};
    }
    guard_unlock(&wg->lock);
    ready_all(released);
}

void go_wait_group_wait(go_wait_group *wg, go_site where)
{
    guard_lock(&wg->lock);
    if (wg->count == 0) {
        guard_unlock(&wg->lock);
        return;
    }
    park_on(&wg->waiters, &wg->lock, wg, GO__WAIT_WAIT_GROUP, where);
}

/* Mutex follows sync.Mutex's two modes. Normally a woken waiter competes for the mutex with
 * goroutines that have just arrived, which usually win (they are already running): throughput
 * stays high and there is no convoy of handoffs. But a waiter that has waited more than 1 ms
 * is handed the mutex directly by the next unlock, so none starves.
 *
 * The fast path is one compare-and-swap on `locked`. A waiter counts itself in `waiters` (under
 * the queue lock) before its last attempt to take the mutex, and an unlock clears `locked`
 * before reading `waiters`; both are sequentially consistent, so either the unlock sees the
 * waiter and wakes it, or the waiter sees the mutex free. No wake-up is lost, and an unlock
 * with nobody waiting takes no lock. */
enum { starvation_ns = 1000000, mutex_spins = 100 };

static bool try_acquire(go_mutex *m)
{
    bool expected = false;
    if (!atomic_compare_exchange_strong(&m->locked, &expected, true))
        return false;
    GO__HAPPENS_AFTER(GO__OBJECT_TAG(m));
    return true;
}

void go__mutex_lock_slow(go_mutex *m, go_site where)
{
    GO__TSAN_MUTEX(pre_divert, m, 0);
    if (try_acquire(m))
        goto acquired;
    /* Held by a running goroutine on another CPU, it may be free in a moment. */
    for (int i = 0; i < mutex_spins && go__may_spin(); i++) {
        if (!atomic_load_explicit(&m->locked, memory_order_relaxed) && try_acquire(m))
            goto acquired;
        go__cpu_relax();
    }

    int64_t start = go_nanotime();
    for (;;) {
        guard_lock(&m->lock);
        atomic_fetch_add(&m->waiters, 1);
        if (try_acquire(m)) {
            atomic_fetch_sub(&m->waiters, 1);
            guard_unlock(&m->lock);
            break;
        }
        go__g *g = go__current();
        /* The waiter carries when it started waiting, for the unlocker's starvation check. */
        go__waiter w = {.g = g, .since = start};
        go__waitq_push(&m->queue, &w);
        go__park_commit(g, GO__WAIT_MUTEX, where, m);
        guard_unlock(&m->lock);
        go__park(g);
        /* The unlocker took us off the queue and un-counted us: handed the mutex, or free to
         * compete for it again. */
        if (w.success)
            break;
    }
    atomic_fetch_add(&m->contention.waits, 1);
    atomic_fetch_add(&m->contention.wait_ns, go_nanotime() - start);
acquired:
    GO__TSAN_MUTEX(post_divert, m, 0);
}

bool go__mutex_trylock(go_mutex *m)
{
    GO__TSAN_MUTEX(pre_divert, m, 0);
    bool acquired = try_acquire(m);
    GO__TSAN_MUTEX(post_divert, m, 0);
    return acquired;
}

_Noreturn void go__mutex_unlock_of_unlocked(go_site where)
{
    go_fatal_at(where, "sync: unlock of unlocked mutex");
}

void go__mutex_wake_waiter(go_mutex *m)
{
    guard_lock(&m->lock);
    go__waiter *w = go__waitq_pop(&m->queue);
    if (w != NULL) {
        atomic_fetch_sub(&m->waiters, 1);
        /* A starving waiter gets the mutex itself, unless a newcomer took it already. */
        w->success = go_nanotime() - w->since > starvation_ns && try_acquire(m);
    }
    guard_unlock(&m->lock);
    if (w != NULL)
        go__ready(w->g);
}

void go__mutex_unlock_slow(go_mutex *m, go_site where)
{
    /* Checked before TSan hears of the unlock, so that misuse is Go's fatal error. */
    if (!atomic_load(&m->locked))
        go__mutex_unlock_of_unlocked(where);
    GO__TSAN_MUTEX(pre_unlock, m, 0);
    GO__TSAN_MUTEX(pre_divert, m, 0);
    GO__HAPPENS_BEFORE(GO__OBJECT_TAG(m));
    if (!atomic_exchange(&m->locked, false))
        go__mutex_unlock_of_unlocked(where);
    if (atomic_load(&m->waiters) > 0)
        go__mutex_wake_waiter(m);
    GO__TSAN_MUTEX(post_divert, m, 0);
    GO__TSAN_MUTEX(post_unlock, m, 0);
}

void go_rwmutex_rlock_at(go_rwmutex *m, go_site where)
{
    GO__TSAN_MUTEX(pre_divert, m, 0);
    guard_lock(&m->lock);
    if (!m->writer && m->writers_waiting == 0) {
        m->readers++;
        guard_unlock(&m->lock);
    } else {
        /* Behind a writer that holds or waits: the writer's unlock counts us in and wakes us. */
        park_contended(m, &m->read_waiters, GO__WAIT_RWMUTEX_R, where);
    }
    GO__TSAN_MUTEX(post_divert, m, 0);
}

/* With m->lock held and the lock free of readers and writer: gives it to the first queued
 * writer, if any, and returns that writer's goroutine to ready. */
static go__g *hand_to_writer(go_rwmutex *m)
{
    go__waiter *w = go__waitq_pop(&m->write_waiters);
    if (w == NULL)
        return NULL;
    m->writers_waiting--;
    m->writer = true;
    return w->g;
}

/* Checks for an unlock of what is not locked, before describing the unlock to TSan. */
static void check_locked(go_rwmutex *m, bool read, go_site where)
{
    guard_lock(&m->lock);
    bool locked = read ? m->readers > 0 : m->writer;
    guard_unlock(&m->lock);
    if (!locked)
        go_fatal_at(where, read ? "sync: RUnlock of unlocked RWMutex" : "sync: Unlock of unlocked RWMutex");
}

void go_rwmutex_runlock_at(go_rwmutex *m, go_site where)
{
    check_locked(m, true, where);
    GO__TSAN_MUTEX(pre_unlock, m, GO__TSAN_READ);
    GO__TSAN_MUTEX(pre_divert, m, 0);
    guard_lock(&m->lock);
    m->readers--;
    /* The last reader out lets a waiting writer in. */
    go__g *writer = m->readers == 0 ? hand_to_writer(m) : NULL;
    guard_unlock(&m->lock);
    if (writer != NULL)
        go__ready(writer);
    GO__TSAN_MUTEX(post_divert, m, 0);
    GO__TSAN_MUTEX(post_unlock, m, GO__TSAN_READ);
}

void go_rwmutex_lock_at(go_rwmutex *m, go_site where)
{
    GO__TSAN_MUTEX(pre_divert, m, 0);
    guard_lock(&m->lock);
    if (!m->writer && m->readers == 0 && m->writers_waiting == 0) {
        m->writer = true;
        guard_unlock(&m->lock);
    } else {
        /* From now on new readers queue behind this writer. */
        m->writers_waiting++;
        park_contended(m, &m->write_waiters, GO__WAIT_RWMUTEX_W, where);
    }
    GO__TSAN_MUTEX(post_divert, m, 0);
}

void go_rwmutex_unlock_at(go_rwmutex *m, go_site where)
{
    check_locked(m, false, where);
    GO__TSAN_MUTEX(pre_unlock, m, 0);
    GO__TSAN_MUTEX(pre_divert, m, 0);
    guard_lock(&m->lock);
    m->writer = false;
    /* Readers that queued during the write go first, all together; a writer still waiting
     * gets the lock from the last of them. With no reader queued, the next writer goes. */
    go__waitq readers = m->read_waiters;
    m->read_waiters = (go__waitq){NULL, NULL};
    for (go__waiter *w = readers.first; w != NULL; w = w->next)
        m->readers++;
    go__g *writer = m->readers == 0 ? hand_to_writer(m) : NULL;
    guard_unlock(&m->lock);
    ready_all(readers);
    if (writer != NULL)
        go__ready(writer);
    GO__TSAN_MUTEX(post_divert, m, 0);
    GO__TSAN_MUTEX(post_unlock, m, 0);
}

static go_lock_waits waits_of(go__contention *c)
{
    return (go_lock_waits){atomic_load(&c->waits), atomic_load(&c->wait_ns)};
}

go_lock_waits go_mutex_waits(go_mutex *m)
{
    return waits_of(&m->contention);
}

go_lock_waits go_rwmutex_waits(go_rwmutex *m)
{
    return waits_of(&m->contention);
}

void go_once_do(go_once *once, void (*fn)(void *arg), void *arg)
{
    if (atomic_load_explicit(&once->done, memory_order_acquire)) {
        GO__HAPPENS_AFTER(GO__OBJECT_TAG(once));
        return;
    }
    go_mutex_lock(&once->m);
    if (!atomic_load_explicit(&once->done, memory_order_relaxed)) {
        fn(arg);
        GO__HAPPENS_BEFORE(GO__OBJECT_TAG(once));
        atomic_store_explicit(&once->done, true, memory_order_release);
    }
    go_mutex_unlock(&once->m);
}
