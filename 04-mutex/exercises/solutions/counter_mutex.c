/* Solution of the exercise counter-mutex: a go_mutex around counter++.
 *
 * Two goroutines each add 1 to `counter` 100000 times, with nothing to order their updates: a
 * data race. The plain build may print the right total by luck; the -tsan build reports the
 * race every time. Add a go_mutex (start it from GO_MUTEX_INIT) and hold it around
 * `counter++`, so that the total is exactly 200000 and ThreadSanitizer reports nothing.
 *
 * Test it (chapter 04's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R counter-mutex
 */
#include <inttypes.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

enum { adders = 2, increments = 100000 };

static go_int counter;
static go_mutex counter_mu = GO_MUTEX_INIT; /* guards counter */
static go_wait_group done = GO_WAIT_GROUP_INIT;

/* Makes the two loops run at the same time, so that they can collide. Relaxed atomics order
 * nothing else: to ThreadSanitizer the loops are as unordered as without it. Leave it as is. */
static atomic_int arrived;
static void line_up(void)
{
    atomic_fetch_add_explicit(&arrived, 1, memory_order_relaxed);
    while (atomic_load_explicit(&arrived, memory_order_relaxed) < adders)
        sched_yield();
}

static void add(void *arg)
{
    (void)arg;
    line_up();
    for (int i = 0; i < increments; i++) {
        go_mutex_lock(&counter_mu);
        counter++; /* only one goroutine at a time runs this */
        go_mutex_unlock(&counter_mu);
    }
    go_wg_done(&done);
}

int main(void)
{
    go_wg_add(&done, adders);
    for (int i = 0; i < adders; i++)
        go(add, NULL);
    go_wg_wait(&done);
    printf("Counter: %" PRId64 "\n", counter);
    return 0;
}
