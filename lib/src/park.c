/* park.c - the private semaphore a parked goroutine sleeps on, and how long it stays awake.
 *
 * go__ready sets the goroutine's park word to PARK_READY; go__park takes that token. The
 * exchange in go__ready (release) and the loads here (acquire) make the wake-up a happens-before
 * edge, which ThreadSanitizer sees through the atomics, and Helgrind and DRD through the
 * annotations (gocurrent/private/valgrind.h) on the same word.
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
 * cannot crowd out the ones with work. (One more than the CPUs: a goroutine just readied still
 * counts as awake until it notices, and the goroutine that readied it, blocking in turn, should
 * stay awake too; with one CPU that makes two, and a ping-pong then costs a yield per handoff,
 * not a futex sleep.) The figures are this VM's: bench/README.md has the measurements.
 */
#include "park.h"

#include <sched.h>

#include "gocurrent/private/valgrind.h"
#include "os.h"

enum { PARK_IDLE, PARK_READY, PARK_SLEEPING };

enum { spin_ns = 2000, stay_ns = 100000 };
static atomic_int awake_waiters;

static bool readied(go__g *g)
{
    return atomic_load_explicit(&g->park_word, memory_order_acquire) == PARK_READY;
}

/* Steps 1 and 2 above. Returns true if g was readied meanwhile. */
static bool stay_awake(go__g *g)
{
    int max_awake = go__ncpu() + 1;
    if (atomic_fetch_add_explicit(&awake_waiters, 1, memory_order_relaxed) >= max_awake) {
        atomic_fetch_sub_explicit(&awake_waiters, 1, memory_order_relaxed);
        return false;
    }
    bool woken = false;
    int64_t start = go_nanotime();
    /* Reading the clock costs about as much as one pause: look at it every 8th. */
    for (unsigned i = 1; go__may_spin() && !woken; i++) {
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
    if (!readied(g) && !stay_awake(g)) {
        unsigned expected = PARK_IDLE;
        if (atomic_compare_exchange_strong_explicit(&g->park_word, &expected, PARK_SLEEPING,
                                                    memory_order_acquire, memory_order_acquire)) {
            /* Sleep until the word says ready; futex may also return early, spuriously. */
            while (!readied(g))
                go__futex_wait(&g->park_word, PARK_SLEEPING);
        }
    }
    GO__HAPPENS_AFTER(&g->park_word);
    atomic_store_explicit(&g->park_word, PARK_IDLE, memory_order_relaxed);
    go__transition(g, GO__RUNNING, GO__WAIT_NONE, (go_site){NULL, NULL, 0}, NULL, NULL);
}

void go__ready(go__g *g)
{
    /* Runnable before it can wake: it resumes by moving from RUNNABLE to RUNNING. */
    go__transition(g, GO__RUNNABLE, GO__WAIT_NONE, (go_site){NULL, NULL, 0}, NULL, go__current_if_any());
    GO__HAPPENS_BEFORE(&g->park_word);
    unsigned before = atomic_exchange_explicit(&g->park_word, PARK_READY, memory_order_release);
    GO__CHECK(before != PARK_READY, "goroutine readied twice");
    if (before == PARK_SLEEPING)
        go__futex_wake_one(&g->park_word);
}
