/* timer.h - channels that receive after a delay or periodically: time.After and time.Ticker.
 *
 *     go_chan *timeout = go_after(100 * GO_MILLISECOND);
 *     switch (go_select(GO_RECV(results, &r, NULL), GO_RECV_DROP(timeout))) {
 *     case 0: ... got a result in time ...
 *     case 1: ... timed out ...
 *     }
 *     go_chan_release(timeout);
 *
 * Each channel carries int64_t values: the go_nanotime() at which the timer fired. As in Go the
 * channel has a buffer of one and the timer never blocks: a tick nobody has received yet makes
 * the next one be dropped. A pending timer can wake a goroutine, so while one exists the
 * runtime never reports a deadlock (as Go does not).
 */
#ifndef GOCURRENT_TIMER_H
#define GOCURRENT_TIMER_H

#include "chan.h"
#include "goroutine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* time.After(d): a channel that receives once, d from now. The caller owns one reference and
 * releases it when done; the timer holds its own until it fires. */
go_chan *go_after(go_duration d);

/* time.NewTicker(d): a channel that receives every d until go_ticker_stop. d must be > 0. */
typedef struct go_ticker go_ticker;
go_ticker *go_ticker_new(go_duration d);
go_chan *go_ticker_chan(go_ticker *t);
/* Stops the ticker and frees it and its channel; no tick is received afterwards. */
void go_ticker_stop(go_ticker *t);

#ifdef __cplusplus
}
#endif

#endif
