/* sched.c - parking and readying goroutines, and the deadlock detector.
 *
 * The detector works from counts kept in one atomic word, so that they are always read
 * together: how many goroutines are live, how many of them are parked in the library with
 * nobody having readied them yet, and how many wake-ups there have been. A goroutine counts as
 * parked from go__park_commit (made while it still holds the lock of the queue it waits on)
 * until the goroutine that takes it off that queue calls go__ready, which un-counts it before
 * waking it. So "parked == live" can only be seen when every goroutine is asleep and none has
 * been chosen to wake.
 *
 * It is a deadlock only if nothing else can wake one of them either:
 *   - no timer is pending (a timer fires from the monitor thread and may wake a goroutine);
 *   - no foreign thread exists: a thread the runtime did not start might still send on a
 *     channel (go__foreign_threads_exist, which errs towards "exists").
 * Those two are looked at after the counts, so the word is read again afterwards: if anything
 * changed meanwhile (a foreign thread woke a goroutine and ended, a timer fired), the wake-up
 * count differs and there is no report; the next park or the monitor looks again. A goroutine
 * in go_sleep or in any other call (a blocking read, a computation) is not parked, so it keeps
 * the program alive. Hence no false reports; and because every park and the monitor's periodic
 * tick check the condition, a real deadlock is reported at once, or within the monitor's
 * period when the last change was a goroutine (or foreign thread) ending.
 */
#define _GNU_SOURCE /* sched_getaffinity */
#include "runtime.h"

#include <sched.h>

#include "lock.h"

/* The word: wake-ups (top 24 bits, wrapping) | live goroutines (20 bits) | parked (20 bits). */
#define PARKED_ONE ((uint64_t)1)
#define LIVE_ONE ((uint64_t)1 << 20)
#define WAKEUP_ONE ((uint64_t)1 << 40)
#define COUNT_MASK (LIVE_ONE - 1)
static _Atomic uint64_t sched_counts;
static atomic_int timers_pending;

void go__sched_start(void)
{
    atomic_fetch_add_explicit(&sched_counts, LIVE_ONE, memory_order_relaxed);
}

void go__sched_exit(void)
{
    atomic_fetch_sub_explicit(&sched_counts, LIVE_ONE, memory_order_relaxed);
}

int go_num_goroutine(void)
{
    return (int)((atomic_load_explicit(&sched_counts, memory_order_relaxed) >> 20) & COUNT_MASK);
}

void go__timers_pending_add(int delta)
{
    /* Release: the deadlock check that sees a timer gone also sees the wake-up it made. */
    atomic_fetch_add_explicit(&timers_pending, delta, memory_order_release);
}

void go__park_commit(go__g *g, go__wait_reason reason, go_site where)
{
    go__set_wait(g, reason, where);
    atomic_fetch_add_explicit(&sched_counts, PARKED_ONE, memory_order_relaxed);
}

/* The private semaphore. go__ready sets the word to PARK_READY; go__park takes that token. The
 * exchange in go__ready (release) and the loads here (acquire) make the wake-up a happens-before
 * edge, which ThreadSanitizer sees through the atomics.
 *
 * Sleeping in the kernel is the expensive part of a handoff, and not only for the system calls:
 * a CPU left with nothing to run goes idle, and waking it again takes the kernel (and, in a
 * virtual machine, the hypervisor) tens of microseconds, sometimes milliseconds. Meanwhile the
 * goroutine that woke us has often blocked in turn, to be woken just as slowly. So a goroutine
 * about to wait first stays on its CPU for a while, watching the word:
 *   1. it spins (the CPU's pause instruction) for up to spin_ns, in case its waker is running
 *      right now on another CPU: a handoff then costs a few hundred nanoseconds;
 *   2. it yields its CPU (sched_yield) until stay_ns have passed since it began to wait: any
 *      thread that can run here, its waker perhaps, runs at once, and if none can, the CPU
 *      stays awake for when the waker comes;
 *   3. only then does it announce PARK_SLEEPING and sleep on the word with futex(2), and only
 *      then does go__ready make a system call to wake it.
 * Spinning is skipped when the process may use only one CPU (the waker cannot run meanwhile);
 * yielding is not, because it is how the waker gets the CPU. At most one more goroutine than
 * there are CPUs stays awake at a time: the rest sleep at once, so a crowd of idle goroutines
 * cannot crowd out the ones with work. The figures are this VM's: bench/README.md has the
 * measurements behind them. */
enum { PARK_IDLE, PARK_READY, PARK_SLEEPING };

enum { spin_ns = 2000, stay_ns = 100000 };
static bool may_spin = true;
static int max_awake_waiters;
static atomic_int awake_waiters;

void go__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

bool go__may_spin(void)
{
    return may_spin;
}

void go__sched_init(void)
{
    cpu_set_t cpus;
    int ncpu = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
    may_spin = ncpu > 1;
    /* One more than the CPUs: a goroutine just readied still counts as awake until it notices,
     * and the goroutine that readied it, blocking in turn, should stay awake too. (With one
     * CPU that makes two: a ping-pong then costs a yield per handoff, not a futex sleep.) */
    max_awake_waiters = ncpu + 1;
}

static bool readied(go__g *g)
{
    return atomic_load_explicit(&g->park_word, memory_order_acquire) == PARK_READY;
}

/* Steps 1 and 2 above. Returns true if g was readied meanwhile. */
static bool stay_awake(go__g *g)
{
    if (atomic_fetch_add_explicit(&awake_waiters, 1, memory_order_relaxed) >= max_awake_waiters) {
        atomic_fetch_sub_explicit(&awake_waiters, 1, memory_order_relaxed);
        return false;
    }
    bool woken = false;
    int64_t start = go_nanotime();
    /* Reading the clock costs about as much as one pause: look at it every 8th. */
    for (unsigned i = 1; may_spin && !woken; i++) {
        woken = readied(g);
        go__cpu_relax();
        if (i % 8 == 0 && go_nanotime() - start > spin_ns)
            break;
    }
    while (!woken && go_nanotime() - start < stay_ns) {
        sched_yield();
        woken = readied(g);
    }
    atomic_fetch_sub_explicit(&awake_waiters, 1, memory_order_relaxed);
    return woken;
}

void go__park(go__g *g)
{
    /* This goroutine may be the last one to fall asleep. */
    go__check_deadlock();
    if (!readied(g) && !stay_awake(g)) {
        unsigned expected = PARK_IDLE;
        if (atomic_compare_exchange_strong_explicit(&g->park_word, &expected, PARK_SLEEPING,
                                                    memory_order_acquire, memory_order_acquire)) {
            /* Sleep until the word says ready; futex may also return early, spuriously. */
            while (!readied(g))
                go__futex_wait(&g->park_word, PARK_SLEEPING);
        }
    }
    atomic_store_explicit(&g->park_word, PARK_IDLE, memory_order_relaxed);
    go__set_wait(g, GO__WAIT_NONE, (go_site){NULL, NULL, 0});
}

void go__ready(go__g *g)
{
    /* One fewer parked, one more wake-up, in one step (parked is at least 1: g). */
    atomic_fetch_add_explicit(&sched_counts, WAKEUP_ONE - PARKED_ONE, memory_order_relaxed);
    atomic_store_explicit(&g->wait_reason, GO__WAIT_RUNNABLE, memory_order_relaxed);
    if (atomic_exchange_explicit(&g->park_word, PARK_READY, memory_order_release) == PARK_SLEEPING)
        go__futex_wake_one(&g->park_word);
}

void go__check_deadlock(void)
{
    uint64_t counts = atomic_load_explicit(&sched_counts, memory_order_relaxed);
    uint64_t live = (counts >> 20) & COUNT_MASK, parked = counts & COUNT_MASK;
    if (live == 0 || parked < live)
        return;
    if (atomic_load_explicit(&timers_pending, memory_order_acquire) > 0 || go__foreign_threads_exist())
        return;
    if (atomic_load_explicit(&sched_counts, memory_order_relaxed) != counts)
        return;
    go__report_deadlock();
}
