/* Solution of the exercise merge: a WaitGroup counts the forwarders, and one more goroutine
 * closes the merged channel after the last of them.
 *
 * (The exercise: close a channel that several goroutines send on.)
 *
 * merge() forwards three channels into one, one goroutine per input. Nobody closes the merged
 * channel, so main's receive loop never ends: once every input is drained, all goroutines are
 * blocked and the runtime ends the program with "fatal error: all goroutines are asleep -
 * deadlock!". Close `out` exactly once, after the last forwarder has sent its last value: count
 * the forwarders with a go_wait_group (in merge_state) and start one more goroutine that waits
 * for it and then closes `out`. Closing in a forwarder is wrong: another may still send, and a
 * send on a closed channel panics.
 *
 * Test it (chapter 05's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R merge
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "gocurrent/builtin.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

/* What the goroutines of one merge share. */
typedef struct merge_state {
    go_chan *out;
    go_wait_group wg; /* the forwarders still running */
} merge_state;

typedef struct forward_args {
    merge_state *m;
    go_chan *in;
} forward_args;

static void forward(void *arg)
{
    forward_args a = *(forward_args *)arg;
    free(arg);
    go_int v;
    while (go_recv(a.in, &v)) /* for v := range in */
        go_send(a.m->out, go_int, v);
    go_chan_release(a.in);
    go_wg_done(&a.m->wg);
}

/* Closes out after the last forwarder is done, and frees what they shared. */
static void close_when_done(void *arg)
{
    merge_state *m = arg;
    go_wg_wait(&m->wg);
    go_close(m->out); /* only now: no forwarder can send any more */
    go_chan_release(m->out);
    free(m);
}

/* Returns a channel that receives every value of the n channels ins, and is closed after the
 * last. Takes over the caller's references to ins. */
static go_chan *merge(go_chan **ins, int n)
{
    merge_state *m = malloc(sizeof *m);
    if (m == NULL)
        return NULL;
    *m = (merge_state){go_make_chan(go_int, 0), GO_WAIT_GROUP_INIT};
    go_wg_add(&m->wg, n);
    for (int i = 0; i < n; i++) {
        forward_args *a = malloc(sizeof *a);
        if (a == NULL)
            return NULL;
        *a = (forward_args){m, ins[i]};
        go(forward, a);
    }
    go_chan *out = go_chan_retain(m->out); /* the caller's; m's own goes with m */
    go(close_when_done, m);
    return out;
}

typedef struct numbers_args {
    go_chan *out;
    go_int first;
} numbers_args;

static void send_four(void *arg)
{
    numbers_args a = *(numbers_args *)arg;
    free(arg);
    for (go_int v = a.first; v < a.first + 4; v++)
        go_send(a.out, go_int, v);
    go_close(a.out);
    go_chan_release(a.out);
}

/* Returns a channel on which a new goroutine sends first, ..., first + 3, then closes it. */
static go_chan *numbers(go_int first)
{
    go_chan *out = go_make_chan(go_int, 0);
    numbers_args *a = malloc(sizeof *a);
    if (a == NULL)
        return NULL;
    *a = (numbers_args){go_chan_retain(out), first};
    go(send_four, a);
    return out;
}

static int compare(const void *a, const void *b)
{
    go_int x = *(const go_int *)a, y = *(const go_int *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    go_chan *ins[] = {numbers(1), numbers(101), numbers(201)};
    go_chan *merged = merge(ins, 3);
    go_int got[12];
    int n = 0;
    go_int v;
    while (go_recv(merged, &v)) /* ends only when merged is closed */
        if (n < 12)
            got[n++] = v;
    go_chan_release(merged);
    qsort(got, (size_t)n, sizeof got[0], compare);
    printf("merged %d values:", n);
    for (int i = 0; i < n; i++)
        printf(" %" PRId64, got[i]);
    printf("\n");
    return 0;
}
