/* monitor.c - the runtime's own thread: fires timers, and re-checks for deadlock periodically.
 *
 * Like Go's sysmon, one thread the runtime starts before main. It sleeps until the earliest
 * timer is due, but never longer than a tick, so a deadlock completed by something that does
 * not check by itself (a foreign thread ending) is still reported within a tick.
 *
 * Timers live in a binary min-heap ordered by due time, guarded by monitor_lock. A timer fires
 * by calling its function on the monitor thread, with monitor_lock held: for the channel timers
 * here that is a non-blocking send of the time; the context package cancels a context. It fires
 * before it stops counting as pending, so a goroutine it wakes is never seen as deadlocked in
 * between.
 */
#include "gocurrent/timer.h"

#include "runtime.h"

#include <sched.h>
#include <stdlib.h>

#include "chan_internal.h"

enum { monitor_tick_ms = 100 };

/* A channel timer (time.After, a ticker): its go__timer and the channel it sends on. */
typedef struct chan_timer {
    go__timer t;
    go_chan *ch; /* the timer's own reference */
} chan_timer;

struct go_ticker {
    chan_timer *ct;
    go_chan *ch; /* the ticker's reference to the timer's channel */
};

static pthread_mutex_t monitor_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t monitor_wake; /* on CLOCK_MONOTONIC, set up in go__monitor_start */
static go__timer **heap;
static size_t heap_len, heap_cap;
static _Atomic pid_t monitor_tid;

static void heap_swap(size_t i, size_t j)
{
    go__timer *t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
    heap[i]->index = i;
    heap[j]->index = j;
}

static void heap_up(size_t i)
{
    while (i > 0 && heap[(i - 1) / 2]->when > heap[i]->when) {
        heap_swap(i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(size_t i)
{
    for (;;) {
        size_t least = i, left = 2 * i + 1, right = 2 * i + 2;
        if (left < heap_len && heap[left]->when < heap[least]->when)
            least = left;
        if (right < heap_len && heap[right]->when < heap[least]->when)
            least = right;
        if (least == i)
            return;
        heap_swap(i, least);
        i = least;
    }
}

static void heap_remove(size_t i)
{
    heap[i]->in_heap = false;
    heap_len--;
    if (i != heap_len) {
        heap_swap(i, heap_len);
        heap_down(i);
        heap_up(i);
    }
}

void go__timer_start(go__timer *t, go_duration d, go_duration period)
{
    t->when = go_nanotime() + (d > 0 ? d : 0);
    t->period = period;
    go__timers_pending_add(1);
    pthread_mutex_lock(&monitor_lock);
    if (heap_len == heap_cap) {
        heap_cap = heap_cap ? 2 * heap_cap : 16;
        go__timer **grown = realloc(heap, heap_cap * sizeof *grown);
        if (grown == NULL)
            go_fatal("runtime: out of memory growing the timer heap");
        heap = grown;
    }
    t->index = heap_len;
    t->in_heap = true;
    heap[heap_len++] = t;
    heap_up(t->index);
    pthread_cond_signal(&monitor_wake);
    pthread_mutex_unlock(&monitor_lock);
}

bool go__timer_stop(go__timer *t)
{
    pthread_mutex_lock(&monitor_lock);
    bool was_pending = t->in_heap;
    if (was_pending) {
        heap_remove(t->index);
        go__timers_pending_add(-1);
    }
    pthread_mutex_unlock(&monitor_lock);
    return was_pending;
}

/* Fires a channel timer: the time, sent without blocking; a one-shot one then lets go. */
static void send_time(go__timer *t, int64_t now)
{
    chan_timer *ct = (chan_timer *)t;
    go__chan_send_nonblocking(ct->ch, &now);
    if (t->period == 0) {
        go_chan_release(ct->ch);
        free(ct);
    }
}

/* Starts a channel timer and returns it; *caller_ref receives a reference to its channel for
 * the caller, taken before the timer starts, since a one-shot timer lets go of its own as soon
 * as it fires. */
static chan_timer *start_chan_timer(go_duration d, go_duration period, go_chan **caller_ref)
{
    chan_timer *ct = malloc(sizeof *ct);
    if (ct == NULL)
        go_fatal("runtime: out of memory allocating a timer");
    ct->t.fire = send_time;
    ct->ch = go_chan_make(sizeof(int64_t), 1);
    *caller_ref = go_chan_retain(ct->ch);
    go__timer_start(&ct->t, d, period);
    return ct;
}

go_chan *go_after(go_duration d)
{
    go_chan *ch;
    start_chan_timer(d, 0, &ch);
    return ch;
}

go_ticker *go_ticker_new(go_duration d)
{
    if (d <= 0)
        go_panic("non-positive interval for NewTicker");
    go_ticker *ticker = malloc(sizeof *ticker);
    if (ticker == NULL)
        go_fatal("runtime: out of memory allocating a ticker");
    ticker->ct = start_chan_timer(d, d, &ticker->ch);
    return ticker;
}

go_chan *go_ticker_chan(go_ticker *ticker)
{
    return ticker->ch;
}

void go_ticker_stop(go_ticker *ticker)
{
    go__timer_stop(&ticker->ct->t);
    go_chan_release(ticker->ct->ch);
    free(ticker->ct);
    go_chan_release(ticker->ch);
    free(ticker);
}

/* Fires every due timer. Called with monitor_lock held. */
static void fire_due(int64_t now)
{
    while (heap_len > 0 && heap[0]->when <= now) {
        go__timer *t = heap[0];
        if (t->period > 0) {
            /* Next tick on the original schedule; ticks missed while late are dropped. */
            t->when += ((now - t->when) / t->period + 1) * t->period;
            heap_down(0);
            t->fire(t, now);
        } else {
            heap_remove(0);
            /* Fire (and so wake whoever waits) before no longer counting as pending. A one-shot
             * timer's function may free it. */
            t->fire(t, now);
            go__timers_pending_add(-1);
        }
    }
}

static void *monitor_main(void *arg)
{
    (void)arg;
    atomic_store(&monitor_tid, go__gettid());
    pthread_mutex_lock(&monitor_lock);
    for (;;) {
        int64_t now = go_nanotime();
        fire_due(now);
        int64_t until = now + monitor_tick_ms * GO_MILLISECOND;
        if (heap_len > 0 && heap[0]->when < until)
            until = heap[0]->when;
        struct timespec deadline = {until / GO_SECOND, until % GO_SECOND};
        pthread_cond_timedwait(&monitor_wake, &monitor_lock, &deadline);

        pthread_mutex_unlock(&monitor_lock);
        go__check_deadlock();
        pthread_mutex_lock(&monitor_lock);
    }
    return NULL;
}

void go__monitor_start(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&monitor_wake, &attr);
    pthread_condattr_destroy(&attr);

    pthread_t thread;
    if (pthread_create(&thread, NULL, monitor_main, NULL) != 0)
        go_fatal("runtime: cannot start the monitor thread");
    pthread_detach(thread);
    /* The caller notes the baseline threads next: the monitor must be known by then. */
    while (atomic_load(&monitor_tid) == 0)
        sched_yield();
}

pid_t go__monitor_tid(void)
{
    return atomic_load(&monitor_tid);
}
