/* monitor.c - the monitor thread, its timer heap (monitor.h), and the SIGQUIT dump.
 *
 * Like Go's sysmon, one thread of the runtime's own. It sleeps until the earliest timer is due,
 * but never longer than a tick, so that the tick function (the deadlock detector's re-check)
 * runs even when nothing else happens: a deadlock completed by something that does not check by
 * itself (a foreign thread ending) is still reported within a tick.
 *
 * It sleeps in poll(2) on an eventfd, which is how it is woken early: by a timer due sooner
 * than it planned, and by SIGQUIT. As Go does on `kill -QUIT`, the runtime then prints every
 * goroutine's dump and exits with status 2; a signal handler may do almost nothing, so it only
 * sets a flag and writes to the eventfd (both async-signal-safe), and the monitor thread prints.
 * The handler is installed when the runtime starts, unless the program has its own.
 */
#define _GNU_SOURCE /* ppoll */
#include "monitor.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "gocurrent/panic.h"
#include "checks.h"
#include "os.h"
#include "runtime.h"

enum { monitor_tick_ms = 100 };

static pthread_mutex_t monitor_lock = PTHREAD_MUTEX_INITIALIZER;
static int wake_fd = -1; /* an eventfd: written to wake the monitor */
static atomic_bool quit_requested; /* lock-free, so a signal handler may set it */
static go__timer **heap;
static size_t heap_len, heap_cap;
static atomic_int pending;
static void (*tick)(void);
static _Atomic pid_t monitor_tid;
static atomic_bool in_forked_child; /* the monitor thread does not exist here */
static void (*_Atomic tick_hooks[GO__MAX_TICK_HOOKS])(void);

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

static void wake_monitor(void)
{
    uint64_t one = 1;
    ssize_t written = write(wake_fd, &one, sizeof one);
    (void)written; /* only fails if the counter is full: the monitor is being woken anyway */
}

static void on_sigquit(int sig)
{
    (void)sig;
    atomic_store(&quit_requested, true);
    wake_monitor();
}

int go__timers_pending(void)
{
    /* Acquire: the deadlock check that sees a timer gone also sees the wake-up it made. */
    return atomic_load_explicit(&pending, memory_order_acquire);
}

void go__timer_start(go__timer *t, go_duration d, go_duration period)
{
    GO__CHECK(tick != NULL, "timer started before the monitor thread");
    if (atomic_load(&in_forked_child))
        go_fatal("gocurrent: timers cannot run in a fork()ed child: the monitor thread was not "
                 "copied (exec a program, or use posix_spawn)");
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
    bool sooner = t->index == 0;
    pthread_mutex_unlock(&monitor_lock);
    if (sooner)
        wake_monitor();
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

void go__monitor_tick_add(void (*hook)(void))
{
    for (int i = 0; i < GO__MAX_TICK_HOOKS; i++) {
        void (*empty)(void) = NULL;
        if (atomic_compare_exchange_strong(&tick_hooks[i], &empty, hook))
            return;
    }
    go_fatal("runtime: too many tick hooks");
}

void go__monitor_tick_remove(void (*hook)(void))
{
    for (int i = 0; i < GO__MAX_TICK_HOOKS; i++) {
        void (*mine)(void) = hook;
        atomic_compare_exchange_strong(&tick_hooks[i], &mine, NULL);
    }
}

/* The tick: the starter's function, then the hooks. */
static void run_tick(void)
{
    tick();
    for (int i = 0; i < GO__MAX_TICK_HOOKS; i++) {
        void (*hook)(void) = atomic_load(&tick_hooks[i]);
        if (hook != NULL)
            hook();
    }
}

void (*_Atomic go__timer_fire_observer)(const go__timer *t, int64_t late);

/* Fires every due timer. Called with monitor_lock held. */
static void fire_due(int64_t now)
{
    while (heap_len > 0 && heap[0]->when <= now) {
        go__timer *t = heap[0];
        void (*observer)(const go__timer *, int64_t) =
            atomic_load_explicit(&go__timer_fire_observer, memory_order_acquire);
        if (observer != NULL)
            observer(t, now - t->when);
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

/* Sleeps in poll(2) until `until` (monotonic ns) or a wake-up, and consumes the wake-up. */
static void sleep_until(int64_t until)
{
    int64_t left = until - go_nanotime();
    if (left > 0) {
        struct timespec timeout = {left / GO_SECOND, left % GO_SECOND};
        struct pollfd wake = {.fd = wake_fd, .events = POLLIN};
        if (ppoll(&wake, 1, &timeout, NULL) <= 0)
            return;
    }
    uint64_t count;
    ssize_t got = read(wake_fd, &count, sizeof count);
    (void)got; /* nothing to read (EAGAIN) is fine: the fd is non-blocking */
}

static void *monitor_main(void *arg)
{
    (void)arg;
    atomic_store(&monitor_tid, go__gettid());
    for (;;) {
        pthread_mutex_lock(&monitor_lock);
        int64_t now = go_nanotime();
        fire_due(now);
        int64_t until = now + monitor_tick_ms * GO_MILLISECOND;
        if (heap_len > 0 && heap[0]->when < until)
            until = heap[0]->when;
        pthread_mutex_unlock(&monitor_lock);

        sleep_until(until);
        if (atomic_load(&quit_requested))
            go__die("SIGQUIT: quit", NULL, (go_site){NULL, NULL, 0}, true, "%s", "");
        run_tick();
    }
    return NULL;
}

static void forked_child(void)
{
    atomic_store(&in_forked_child, true);
}

pid_t go__monitor_start(void (*every_tick)(void))
{
    pthread_atfork(NULL, NULL, forked_child);
    tick = every_tick;
    wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd < 0)
        go_fatal("runtime: cannot create the monitor's eventfd");
    struct sigaction current;
    if (sigaction(SIGQUIT, NULL, &current) == 0 && current.sa_handler == SIG_DFL) {
        struct sigaction quit = {.sa_handler = on_sigquit};
        sigemptyset(&quit.sa_mask);
        sigaction(SIGQUIT, &quit, NULL);
    }

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
