/* Unit tests of timers: go_after, tickers, timers in select, and go_sleep.
 *
 * Time is only ever checked as an order: a timer fires no earlier than its deadline, and before
 * the moment its value is received. How late it fires depends on the machine, so no test has an
 * upper bound on time. */
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/timer.h"

static void test_after_fires_once_no_earlier_than_its_deadline(void)
{
    const go_duration d = 20 * GO_MILLISECOND;
    int64_t start = go_nanotime();
    go_chan *timeout = go_after(d);
    CHECK_EQ(go_chan_cap(timeout), 1);
    int64_t fired = 0;
    CHECK(go_recv(timeout, &fired));
    int64_t received = go_nanotime();
    CHECK(fired >= start + d);
    CHECK(fired <= received);

    /* Once only: timers fire in the order they are due, so by the time a later timer has fired,
     * a second firing of the first would have been delivered. */
    go_chan *later = go_after(d);
    go_recv_drop(later);
    CHECK_EQ(go_chan_len(timeout), 0);
    CHECK_EQ(go_select(GO_RECV_DROP(timeout), GO_DEFAULT), 1);
    go_chan_release(timeout);
    go_chan_release(later);
}

static void test_after_with_no_delay_fires(void)
{
    int64_t start = go_nanotime();
    go_chan *zero = go_after(0), *negative = go_after(-GO_SECOND);
    int64_t a = 0, b = 0;
    CHECK(go_recv(zero, &a));
    CHECK(go_recv(negative, &b));
    CHECK(a >= start);
    CHECK(b >= start);
    go_chan_release(zero);
    go_chan_release(negative);
}

static void test_ticker_delivers_ticks_in_order(void)
{
    const go_duration d = 10 * GO_MILLISECOND;
    int64_t start = go_nanotime();
    go_ticker *ticker = go_ticker_new(d);
    go_chan *ticks = go_ticker_chan(ticker);
    int64_t previous = start;
    for (int k = 1; k <= 4; k++) {
        int64_t t = 0;
        CHECK(go_recv(ticks, &t));
        /* The k-th tick received is due no earlier than start + k*d (missed ones are dropped,
         * which only makes it later), and ticks come in order. */
        CHECK(t >= start + k * d);
        CHECK(t > previous);
        CHECK(t <= go_nanotime());
        previous = t;
    }
    go_ticker_stop(ticker);
}

static void test_ticker_never_blocks_on_a_slow_receiver(void)
{
    /* The receiver sleeps through ten periods without receiving. The ticker's channel has a
     * buffer of one, so the ticker must drop ticks rather than block: the runtime's other timers
     * still fire, and the ticks then received are still in order. */
    const go_duration d = 2 * GO_MILLISECOND;
    go_ticker *ticker = go_ticker_new(d);
    go_chan *ticks = go_ticker_chan(ticker);
    CHECK_EQ(go_chan_cap(ticks), 1);
    go_sleep(10 * d);
    go_chan *other = go_after(d);
    CHECK(go_recv_drop(other));
    int64_t first = 0, second = 0;
    CHECK(go_recv(ticks, &first));
    CHECK(go_recv(ticks, &second));
    CHECK(second > first);
    go_ticker_stop(ticker);
    go_chan_release(other);
}

/* After go_ticker_stop nothing is pending: a program blocked for good is then reported as
 * deadlocked, which a live ticker would rule out. */
static void ticker_stopped_then_block(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_ticker *ticker = go_ticker_new(GO_MILLISECOND);
    for (int i = 0; i < 3; i++)
        go_recv_drop(go_ticker_chan(ticker));
    go_ticker_stop(ticker);
    int v;
    go_recv(NULL, &v);
}

static void test_stopped_ticker_no_longer_pending(void)
{
    CHECK_FATAL(ticker_stopped_then_block, "all goroutines are asleep - deadlock!");
}

static void ticker_zero(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_ticker_new(0);
}

static void test_ticker_needs_positive_interval(void)
{
    CHECK_PANICS(ticker_zero, "non-positive interval for NewTicker");
}

static void test_select_takes_timer_case_when_nothing_else_is_ready(void)
{
    const go_duration d = 15 * GO_MILLISECOND;
    go_chan *never = go_make_chan(int, 0); /* nobody sends on it */
    int64_t start = go_nanotime();
    go_chan *timeout = go_after(d);
    int v = -1;
    int64_t fired = 0;
    CHECK_EQ(go_select(GO_RECV(never, &v, NULL), GO_RECV(timeout, &fired, NULL)), 1);
    CHECK(fired >= start + d);
    CHECK_EQ(v, -1);
    go_chan_release(timeout);
    go_chan_release(never);
}

static void test_select_takes_ready_case_before_timer(void)
{
    go_chan *ready = go_make_chan(int, 1);
    go_send(ready, int, 3);
    go_chan *timeout = go_after(60 * GO_SECOND); /* left pending; the process ends first */
    int v = 0;
    CHECK_EQ(go_select(GO_RECV(ready, &v, NULL), GO_RECV_DROP(timeout)), 0);
    CHECK_EQ(v, 3);
    go_chan_release(timeout);
    go_chan_release(ready);
}

static void test_sleep_lasts_at_least_its_duration(void)
{
    const go_duration d = 10 * GO_MILLISECOND;
    for (int i = 0; i < 3; i++) {
        int64_t start = go_nanotime();
        go_sleep(d);
        CHECK(go_nanotime() >= start + d);
    }
    go_sleep(0);
    go_sleep(-GO_SECOND); /* returns at once, as time.Sleep does */
}

static void sleep_long(void *arg)
{
    (void)arg;
    go_sleep(3600 * GO_SECOND);
}

/* The child ends while its goroutine still sleeps. */
static void sleeper_state(int argc, char **argv)
{
    (void)argc, (void)argv;
    int64_t id = go(sleep_long, NULL);
    if (CHECK_WAIT_STATE(id, "sleep"))
        printf("goroutine %lld is asleep\n", (long long)id);
}

static void test_sleeping_goroutine_shows_sleep(void)
{
    check_run run = check_capture(sleeper_state);
    CHECK_EQ(run.status, 0);
    CHECK_STREQ(run.output, "goroutine 2 is asleep\n");
    check_release(&run);
}

static const check_case cases[] = {
    CHECK_CASE(test_after_fires_once_no_earlier_than_its_deadline),
    CHECK_CASE(test_after_with_no_delay_fires),
    CHECK_CASE(test_ticker_delivers_ticks_in_order),
    CHECK_CASE(test_ticker_never_blocks_on_a_slow_receiver),
    CHECK_CASE(test_stopped_ticker_no_longer_pending),
    CHECK_CASE(test_ticker_needs_positive_interval),
    CHECK_CASE(test_select_takes_timer_case_when_nothing_else_is_ready),
    CHECK_CASE(test_select_takes_ready_case_before_timer),
    CHECK_CASE(test_sleep_lasts_at_least_its_duration),
    CHECK_CASE(test_sleeping_goroutine_shows_sleep),
};

static const check_child children[] = {
    CHECK_CHILD(ticker_stopped_then_block),
    CHECK_CHILD(ticker_zero),
    CHECK_CHILD(sleeper_state),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
