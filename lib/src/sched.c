/* sched.c - parking and readying goroutines, and the deadlock detector.
 *
 * The detector works from two counts kept in one atomic word, so that they are always read
 * together: how many goroutines are live, and how many of them are parked in the library with
 * nobody having readied them yet. A goroutine counts as parked from go_park_commit (made while
 * it still holds the lock of the queue it waits on) until the goroutine that takes it off that
 * queue calls go_ready, which un-counts it before waking it. So "parked == live" can only be
 * seen when every goroutine is asleep and none has been chosen to wake.
 *
 * It is a deadlock only if nothing else can wake one of them either:
 *   - no timer is pending (a timer fires from the monitor thread and may wake a goroutine);
 *   - no foreign thread exists: a thread the runtime did not start might still send on a
 *     channel (go_foreign_threads_exist, which errs towards "exists").
 * A goroutine in go_sleep or in any other call (a blocking read, a computation) is not parked,
 * so it keeps the program alive. Hence no false reports; and because every park, every
 * goroutine exit and the monitor's periodic tick check the condition, a real deadlock is
 * reported at once, or within the monitor's period when a foreign thread's exit completes it.
 */
#include "runtime.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#define LIVE_ONE ((uint64_t)1 << 32)
static _Atomic uint64_t sched_counts; /* live goroutines << 32 | parked goroutines */
static atomic_int timers_pending;
static atomic_bool deadlock_reported;

void go_sched_start(void)
{
    atomic_fetch_add(&sched_counts, LIVE_ONE);
}

void go_sched_exit(void)
{
    atomic_fetch_sub(&sched_counts, LIVE_ONE);
}

void go_timers_pending_add(int delta)
{
    atomic_fetch_add(&timers_pending, delta);
}

void go_park_commit(go_g *g, go_wait_reason reason, go_site where)
{
    go_set_wait(g, reason, where);
    atomic_fetch_add(&sched_counts, 1);
}

void go_park(go_g *g)
{
    /* This goroutine may be the last one to fall asleep. */
    go_check_deadlock();
    pthread_mutex_lock(&g->park_lock);
    while (!g->ready)
        pthread_cond_wait(&g->park_cond, &g->park_lock);
    g->ready = false;
    g->wait_reason = GO_WAIT_NONE;
    pthread_mutex_unlock(&g->park_lock);
}

void go_ready(go_g *g)
{
    atomic_fetch_sub(&sched_counts, 1);
    pthread_mutex_lock(&g->park_lock);
    g->ready = true;
    pthread_cond_signal(&g->park_cond);
    pthread_mutex_unlock(&g->park_lock);
}

void go_check_deadlock(void)
{
    uint64_t counts = atomic_load(&sched_counts);
    uint32_t live = (uint32_t)(counts >> 32), parked = (uint32_t)counts;
    if (live == 0 || parked < live)
        return;
    if (atomic_load(&timers_pending) > 0 || go_foreign_threads_exist())
        return;
    /* Only the first to see it reports; any other stays parked while the process exits. */
    if (atomic_exchange(&deadlock_reported, true))
        return;
    go_fatal("all goroutines are asleep - deadlock!");
}

_Noreturn void go_fatal(const char *format, ...)
{
    fflush(stdout);
    va_list args;
    va_start(args, format);
    fputs("fatal error: ", stderr);
    vfprintf(stderr, format, args);
    va_end(args);
    fputs("\n\n", stderr);
    go_dump_goroutines(NULL, (go_site){NULL, NULL, 0}, true);
    fflush(stderr);
    _exit(2);
}
