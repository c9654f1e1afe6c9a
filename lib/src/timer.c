/* timer.c - channel timers: time.After and time.Ticker on the monitor's timers.
 *
 * A timer fires on the monitor thread with a non-blocking send of the time on a channel with a
 * buffer of one, so it never blocks, and a tick nobody has received yet makes the next be
 * dropped, as in Go.
 */
#include "gocurrent/timer.h"

#include <stdlib.h>

#include "chan_internal.h"
#include "monitor.h"
#include "runtime.h"

/* A channel timer: its go__timer and the channel it sends on. */
typedef struct chan_timer {
    go__timer t;
    go_chan *ch; /* the timer's own reference */
} chan_timer;

struct go_ticker {
    chan_timer *ct;
    go_chan *ch; /* the ticker's reference to the timer's channel */
};

/* Fires a channel timer: the time, sent without blocking; a one-shot one then lets go. */
static void send_time(go__timer *t, int64_t now)
{
    chan_timer *ct = (chan_timer *)t;
    go__chan_send_nonblocking(ct->ch, &now);
    if (t->period == 0) {
        go_chan_release(ct->ch);
        free(ct);
    }
}

/* Starts a channel timer and returns it; *caller_ref receives a reference to its channel for
 * the caller, taken before the timer starts, since a one-shot timer lets go of its own as soon
 * as it fires. */
static chan_timer *start_chan_timer(go_duration d, go_duration period, go_chan **caller_ref)
{
    go__runtime_ensure();
    chan_timer *ct = malloc(sizeof *ct);
    if (ct == NULL)
        go_fatal("runtime: out of memory allocating a timer");
    ct->t.fire = send_time;
    ct->ch = go_chan_make(sizeof(int64_t), 1);
    ct->t.kind = GO__TIMER_CHAN;
    ct->t.object = ct->ch;
    *caller_ref = go_chan_retain(ct->ch);
    go__timer_start(&ct->t, d, period);
    return ct;
}

go_chan *go_after(go_duration d)
{
    go_chan *ch;
    start_chan_timer(d, 0, &ch);
    return ch;
}

go_ticker *go_ticker_new(go_duration d)
{
    if (d <= 0)
        go_panic("non-positive interval for NewTicker");
    go_ticker *ticker = malloc(sizeof *ticker);
    if (ticker == NULL)
        go_fatal("runtime: out of memory allocating a ticker");
    ticker->ct = start_chan_timer(d, d, &ticker->ch);
    return ticker;
}

go_chan *go_ticker_chan(go_ticker *ticker)
{
    return ticker->ch;
}

void go_ticker_stop(go_ticker *ticker)
{
    go__timer_stop(&ticker->ct->t);
    go_chan_release(ticker->ct->ch);
    free(ticker->ct);
    go_chan_release(ticker->ch);
    free(ticker);
}
