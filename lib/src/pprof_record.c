/* pprof_record.c - the rates, and the observer of the runtime's seam (g.h) that records events.
 *
 * Every event is a change of some goroutine's status, seen on the thread that makes it:
 *   block         a goroutine resumes after a wait (RUNNABLE -> RUNNING, on its own thread):
 *                 the stack is the blocked goroutine's, the delay from when it began to wait to
 *                 when its waker readied it (g->wait_start, g->released_at).
 *   mutex         a goroutine waiting for a Mutex or RWMutex is readied (WAITING -> RUNNABLE):
 *                 that happens inside the unlock that lets it go, on the unlocker's thread, so
 *                 the stack is the unlocker's, as Go charges it, and the delay the same wait.
 *   threadcreate  a goroutine is created (to RUNNABLE from IDLE or DEAD), inside go_start on the
 *                 creator's thread.
 * Each stack is taken where the event happens, and starts at the caller of the runtime function
 * that made the change (go__park, go__ready, go_start): the recorder's frames and the seam's are
 * left out, as Go leaves out its runtime's.
 *
 * The observer is registered only while a profile is on, and asks for the wait times only while
 * the block or mutex profile is; with everything off the runtime pays its one branch, no more.
 */
#include "pprof_internal.h"

#include <pthread.h>

#include "os.h"
#include "runtime.h"

static _Atomic int block_rate, mutex_rate;
static atomic_bool threadcreate_on;

/* The frames above the caller of the seam's function: go__callers's caller (observe),
 * go__notify, and the seam's function itself. */
enum { skip_frames = 3 };

/* A per-thread xorshift64*: sampling needs no lock and no quality beyond being uniform. */
static uint64_t random64(void)
{
    static _Thread_local uint64_t state;
    if (state == 0)
        state = (uint64_t)go_nanotime() ^ (uint64_t)(uintptr_t)&state ^ 0x9E3779B97F4A7C15u;
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1Du;
}

/* runtime.blockevent: an event of `delay` ns is kept if it lasted at least the rate, or else
 * with probability delay/rate, and then weighs rate/delay events of rate ns each, so that sums
 * over many events are what they would be with every event recorded. */
static void block_event(go__g *g, const uintptr_t *pcs, int depth)
{
    int64_t rate = atomic_load_explicit(&block_rate, memory_order_relaxed);
    int64_t delay = g->released_at - g->wait_start;
    if (delay <= 0)
        delay = 1;
    if (rate <= 0 || (delay < rate && (int64_t)(random64() % (uint64_t)rate) > delay))
        return;
    if (delay < rate)
        go__buckets_add(&go__block_buckets, pcs, depth, (double)rate / (double)delay, rate);
    else
        go__buckets_add(&go__block_buckets, pcs, depth, 1, delay);
}

static bool block_counts(go__wait_reason reason)
{
    /* Sleeping and network waits are not blocking, in Go's block profile; the nil-channel and
     * empty-select waits never end, so never come here. */
    return reason != GO__WAIT_SLEEP && reason != GO__WAIT_NETWORK && reason != GO__WAIT_NONE;
}

static bool mutex_counts(go__wait_reason reason)
{
    return reason == GO__WAIT_MUTEX || reason == GO__WAIT_RWMUTEX_R || reason == GO__WAIT_RWMUTEX_W;
}

static void observe(const go__event *e)
{
    go__g *g = e->g;
    uintptr_t pcs[GO__PPROF_DEPTH];
    if (e->from == GO__RUNNABLE && e->to == GO__RUNNING) {
        /* A resume; wait_start is 0 for a goroutine's first start, or a wait begun while no
         * observer wanted times. */
        go__wait_reason reason = atomic_load_explicit(&g->wait_reason, memory_order_relaxed);
        if (g->wait_start == 0 || !block_counts(reason) || atomic_load_explicit(&block_rate, memory_order_relaxed) <= 0)
            return;
        int depth = go__callers(pcs, GO__PPROF_DEPTH, skip_frames);
        block_event(g, pcs, depth);
    } else if (e->from == GO__WAITING && e->to == GO__RUNNABLE) {
        int64_t rate = atomic_load_explicit(&mutex_rate, memory_order_relaxed);
        if (g->wait_start == 0 || !mutex_counts(e->reason) || rate <= 0 || random64() % (uint64_t)rate != 0)
            return;
        int depth = go__callers(pcs, GO__PPROF_DEPTH, skip_frames);
        go__buckets_add(&go__mutex_buckets, pcs, depth, 1, g->released_at - g->wait_start);
    } else if ((e->from == GO__IDLE || e->from == GO__DEAD) && e->to == GO__RUNNABLE) {
        if (!atomic_load_explicit(&threadcreate_on, memory_order_relaxed))
            return;
        int depth = go__callers(pcs, GO__PPROF_DEPTH, skip_frames);
        go__buckets_add(&go__threadcreate_buckets, pcs, depth, 1, 0);
    }
}

/* Two observers, so that wait times are stamped only while a profile needs them. */
static const go__observer timing_observer = {observe, true};
static const go__observer plain_observer = {observe, false};

/* Registers the observer that the rates now call for, if it is not the one registered. Under
 * config_lock, hidden from ThreadSanitizer like every lock of the runtime's bookkeeping. */
static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static const go__observer *registered;

static void update_observer(void)
{
    GO__TSAN_HIDE_BEGIN();
    pthread_mutex_lock(&config_lock);
    bool timed = atomic_load(&block_rate) > 0 || atomic_load(&mutex_rate) > 0;
    const go__observer *wanted = timed ? &timing_observer : atomic_load(&threadcreate_on) ? &plain_observer : NULL;
    if (wanted != registered) {
        if (registered != NULL)
            go__observer_remove(registered);
        if (wanted != NULL)
            go__observer_add(wanted);
        registered = wanted;
    }
    pthread_mutex_unlock(&config_lock);
    GO__TSAN_HIDE_END();
}

void go_set_block_profile_rate(int rate)
{
    atomic_store(&block_rate, rate > 0 ? rate : 0);
    update_observer();
}

int go_set_mutex_profile_fraction(int rate)
{
    if (rate < 0)
        return atomic_load(&mutex_rate);
    int previous = atomic_exchange(&mutex_rate, rate);
    update_observer();
    return previous;
}

int go__mutex_profile_period(void)
{
    return atomic_load(&mutex_rate);
}

void go_set_threadcreate_profile(bool on)
{
    atomic_store(&threadcreate_on, on);
    update_observer();
}
