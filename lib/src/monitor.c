/* monitor.c - the monitor thread and its timer heap (monitor.h).
 *
 * Like Go's sysmon, one thread of the runtime's own. It sleeps until the earliest timer is due,
 * but never longer than a tick, so that the tick function (the deadlock detector's re-check)
 * runs even when nothing else happens: a deadlock completed by something that does not check by
 * itself (a foreign thread ending) is still reported within a tick.
 */
#include "monitor.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "gocurrent/panic.h"
#include "checks.h"
#include "os.h"

enum { monitor_tick_ms = 100 };

static pthread_mutex_t monitor_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t monitor_wake; /* on CLOCK_MONOTONIC, set up in go__monitor_start */
static go__timer **heap;
static size_t heap_len, heap_cap;
static atomic_int pending;
static void (*tick)(void);
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

int go__timers_pending(void)
{
    /* Acquire: the deadlock check that sees a timer gone also sees the wake-up it made. */
    return atomic_load_explicit(&pending, memory_order_acquire);
}

void go__timer_start(go__timer *t, go_duration d, go_duration period)
{
    GO__CHECK(tick != NULL, "timer started before the monitor thread");
    t->when = go_nanotime() + (d > 0 ? d : 0);
    t->period = period;
    atomic_fetch_add_explicit(&pending, 1, memory_order_release);
    pthread_mutex_lock(&monitor_lock);
    if (heap_len == heap_cap) {
        size_t cap = heap_cap ? 2 * heap_cap : 16;
        go__timer **grown = realloc(heap, cap * sizeof *grown);
        if (grown == NULL) {
            pthread_mutex_unlock(&monitor_lock);
            go_fatal("runtime: out of memory growing the timer heap");
        }
        heap = grown;
        heap_cap = cap;
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
        atomic_fetch_sub_explicit(&pending, 1, memory_order_release);
    }
    pthread_mutex_unlock(&monitor_lock);
    return was_pending;
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
             * timer's function may free it, or return to a goroutine that lets it go. */
            t->fire(t, now);
            atomic_fetch_sub_explicit(&pending, 1, memory_order_release);
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
        tick();
        pthread_mutex_lock(&monitor_lock);
    }
    return NULL;
}

pid_t go__monitor_start(void (*every_tick)(void))
{
    tick = every_tick;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&monitor_wake, &attr);
    pthread_condattr_destroy(&attr);

    pthread_t thread;
    if (pthread_create(&thread, NULL, monitor_main, NULL) != 0)
        go_fatal("runtime: cannot start the monitor thread");
    pthread_detach(thread);
    /* The caller needs the monitor's id at once, to know the thread as the runtime's own. */
    pid_t tid;
    while ((tid = atomic_load(&monitor_tid)) == 0)
        sched_yield();
    return tid;
}
