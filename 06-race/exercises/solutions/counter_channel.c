/* Solution of the exercise counter-channel: one goroutine owns the count, the adders send it
 * increments, and the owner sends the total back once main closes the increments channel.
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

static go_chan *deltas; /* the adders send 1 here for each increment */
static go_chan *total;  /* the owner sends the count here at the end */
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
        go_send(deltas, go_int, 1);
    go_wg_done(&adding);
}

/* The owner: the count is its local variable, which no other goroutine can reach. */
static void count_owner(void *arg)
{
    (void)arg;
    go_int count = 0, delta;
    while (go_recv(deltas, &delta)) /* for delta := range deltas */
        count += delta;
    go_send(total, go_int, count);
}

int main(void)
{
    deltas = go_make_chan(go_int, 0);
    total = go_make_chan(go_int, 0);
    go(count_owner, NULL);
    go_wg_add(&adding, adders);
    for (int i = 0; i < adders; i++)
        go(increment, NULL);
    go_wg_wait(&adding);
    go_close(deltas); /* no more increments: ends the owner's loop */
    go_int counter;
    go_recv(total, &counter);
    printf("Counter: %" PRId64 "\n", counter);
    go_chan_release(deltas);
    go_chan_release(total);
    return 0;
}
