/* Exercise counter-channel: make the racy counter correct with a channel.
 *
 * Two goroutines each add 1 to `counter` 1000 times (the Go notes' program), with nothing to
 * order their updates: the -tsan build reports the data race. Share by communicating instead:
 * make the counter a local variable of one more goroutine, its owner, which receives
 * increments on a channel and adds them up; the two adders send 1 on that channel for each
 * increment. When both adders are done, main closes the channel, and the owner sends the total
 * back to main on a second channel. No mutex and no atomic: the total must be exactly 2000
 * and ThreadSanitizer must report nothing.
 *
 * Test it (chapter 06's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R counter-channel
 */
#include <inttypes.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

enum { adders = 2, increments = 1000 };

static go_int counter;
static go_wait_group adding = GO_WAIT_GROUP_INIT;

/* Makes the two loops run at the same time (relaxed atomics: no happens-before). Leave it. */
static atomic_int arrived;
static void line_up(void)
{
    atomic_fetch_add_explicit(&arrived, 1, memory_order_relaxed);
    while (atomic_load_explicit(&arrived, memory_order_relaxed) < adders)
        sched_yield();
}

static void increment(void *arg)
{
    (void)arg;
    line_up();
    for (int i = 0; i < increments; i++)
        counter++; /* the race */
    go_wg_done(&adding);
}

int main(void)
{
    go_wg_add(&adding, adders);
    for (int i = 0; i < adders; i++)
        go(increment, NULL);
    go_wg_wait(&adding);
    printf("Counter: %" PRId64 "\n", counter);
    return 0;
}
