/* trace.c - starting and stopping a trace (trace.h), the goroutines alive at start, and the
 * periodic counters. The algorithm of buffers and of stopping is trace_buf.c's. */
#include "gocurrent/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GO__SANITIZED_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GO__SANITIZED_MALLOC 1
#endif
#endif
#ifdef GO__SANITIZED_MALLOC
/* The sanitizers' runtimes export it; gcc 12 ships no header declaring it
 * (clang's is <sanitizer/allocator_interface.h>). */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#include "allg.h"
#include "monitor.h"
#include "os.h"
#include "runtime.h"
#include "trace_internal.h"

/* Serialises start and stop: a trace is opened, recorded and closed by one pair. */
pthread_mutex_t go__trace_start_lock = PTHREAD_MUTEX_INITIALIZER;
static int owned_fd = -1; /* the file start opened, which stop closes */

bool go_trace_is_enabled(void)
{
    return atomic_load_explicit(&go__trace_on, memory_order_relaxed);
}

const char *go_trace_strerror(int err)
{
    return err == EBUSY ? "tracing is already enabled" : strerror(err);
}

/* ---- Goroutines alive at start ---- */

static go__trace_state state_of(go__status s)
{
    switch (s) {
    case GO__RUNNABLE: return GO__TRACE_RUNNABLE;
    case GO__SYSCALL: return GO__TRACE_SYSCALL;
    case GO__WAITING: return GO__TRACE_WAITING;
    default: return GO__TRACE_RUNNING;
    }
}

/* STATE for g (go__allg_each_live's function). Stamped before its status is read: if g moves
 * meanwhile, its own event is the later one (trace_format.h says how a reader takes that). */
static void record_state(go__g *g, void *unused)
{
    (void)unused;
    go__trace_buf *b = go__trace_begin();
    if (b == NULL)
        return;
    go__trace_state_into(b, go__trace_stamp(b, 0), g);
    go__trace_end(b);
}

void go__trace_state_into(go__trace_buf *b, uint64_t t, go__g *g)
{
    go__status status = go__status_of(g);
    go_site wait = {atomic_load_explicit(&g->wait_func, memory_order_relaxed),
                    atomic_load_explicit(&g->wait_file, memory_order_relaxed),
                    atomic_load_explicit(&g->wait_line, memory_order_relaxed)};
    unsigned created = go__trace_site(b, t, g->created_by, 0);
    unsigned waiting = status == GO__WAITING ? go__trace_site(b, t, wait, created) : 0;
    unsigned func = go__trace_string(b, t, g->func, 0);
    go__trace_event(b, GO__EV_STATE, t);
    go__trace_uvarint(b, (uint64_t)g->id);
    go__trace_uvarint(b, state_of(status));
    go__trace_uvarint(b, func);
    go__trace_uvarint(b, created);
    if (status == GO__WAITING) {
        go__trace_uvarint(b, (uint64_t)atomic_load_explicit(&g->wait_reason, memory_order_relaxed));
        go__trace_uvarint(b, waiting);
        go__trace_object(b, atomic_load_explicit(&g->wait_object, memory_order_relaxed));
    }
}

/* ---- Counters ---- */

typedef struct census {
    uint64_t by_state[GO__TRACE_WAITING + 1];
} census;

static void count_one(go__g *g, void *arg)
{
    ((census *)arg)->by_state[state_of(go__status_of(g))]++;
}

/* malloc's bytes in use. Under ASan or TSan malloc is the sanitizer's, which glibc's mallinfo2
 * does not see (it reports 0 growth): ask the sanitizer instead. */
static uint64_t heap_in_use(void)
{
#ifdef GO__SANITIZED_MALLOC
    return __sanitizer_get_current_allocated_bytes();
#else
    return mallinfo2().uordblks;
#endif
}

/* COUNTERS, every monitor tick while tracing (and at start). */
static void record_counters(void)
{
    if (!go_trace_is_enabled())
        return;
    census c = {0};
    go__allg_each_live(count_one, &c);
    long threads = go__thread_count();
    uint64_t heap = heap_in_use();
    go__trace_buf *b = go__trace_begin();
    if (b == NULL)
        return;
    go__trace_event(b, GO__EV_COUNTERS, go__trace_stamp(b, 0));
    go__trace_uvarint(b, c.by_state[GO__TRACE_RUNNING]);
    go__trace_uvarint(b, c.by_state[GO__TRACE_RUNNABLE]);
    go__trace_uvarint(b, c.by_state[GO__TRACE_WAITING]);
    go__trace_uvarint(b, c.by_state[GO__TRACE_SYSCALL]);
    go__trace_uvarint(b, threads > 0 ? (uint64_t)threads : 0);
    go__trace_uvarint(b, heap);
    go__trace_end(b);
}

/* ---- Start and stop ---- */

/* Starts tracing into fd, with start_lock held and tracing off. */
static int start_locked(int fd)
{
    unsigned source = go__trace_clock_choose();
    int err = go__trace_session_open(fd);
    if (err != 0)
        return err;
    unsigned char clock[4 * 10];
    uint64_t tick0, ns0;
    go__trace_clock_pair(&tick0, &ns0);
    size_t n = go__trace_put_uvarint(clock, source);
    n += go__trace_put_uvarint(clock + n, tick0);
    n += go__trace_put_uvarint(clock + n, ns0);
    n += go__trace_put_uvarint(clock + n, (uint64_t)getpid());
    go__trace_write_chunk(GO__TRACE_CLOCK, clock, n);
    uint64_t batches, dropped;
    go__trace_session_totals(&batches, &dropped, &err);
    if (err != 0)
        return err;

    go__trace_recording_on();
    return 0;
}

void go__trace_recording_on(void)
{
    go__trace_events_on();
    atomic_store_explicit(&go__trace_on, true, memory_order_release);
    go__allg_each_live(record_state, NULL);
    record_counters();
    go__monitor_tick_add(record_counters);
}

void go__trace_recording_off(void)
{
    go__monitor_tick_remove(record_counters);
    go__trace_session_drain();
    go__trace_events_off();
}

int go_trace_start(int fd)
{
    go__runtime_ensure();
    pthread_mutex_lock(&go__trace_start_lock);
    int err = go_trace_is_enabled() ? EBUSY : start_locked(fd);
    pthread_mutex_unlock(&go__trace_start_lock);
    return err;
}

int go_trace_start_file(const char *path)
{
    go__runtime_ensure();
    pthread_mutex_lock(&go__trace_start_lock);
    int err = EBUSY;
    if (!go_trace_is_enabled()) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        err = fd < 0 ? errno : start_locked(fd);
        if (err == 0)
            owned_fd = fd;
        else if (fd >= 0)
            close(fd);
    }
    pthread_mutex_unlock(&go__trace_start_lock);
    return err;
}

int go_trace_stop(void)
{
    pthread_mutex_lock(&go__trace_start_lock);
    int err = 0;
    if (go_trace_is_enabled() && go__trace_flight_on()) {
        /* The flight recorder's trace: nothing to write. */
        go__trace_recording_off();
        go__trace_flight_close();
    } else if (go_trace_is_enabled()) {
        go__trace_recording_off();
        unsigned char end[4 * 10];
        uint64_t tick1, ns1, batches, dropped;
        go__trace_clock_pair(&tick1, &ns1);
        go__trace_session_totals(&batches, &dropped, &err);
        size_t n = go__trace_put_uvarint(end, tick1);
        n += go__trace_put_uvarint(end + n, ns1);
        n += go__trace_put_uvarint(end + n, batches);
        n += go__trace_put_uvarint(end + n, dropped);
        go__trace_write_chunk(GO__TRACE_END, end, n);
        go__trace_session_totals(&batches, &dropped, &err);
        if (owned_fd >= 0 && close(owned_fd) != 0 && err == 0)
            err = errno;
        owned_fd = -1;
    }
    pthread_mutex_unlock(&go__trace_start_lock);
    return err;
}
