/* Ports of Go's own channel tests (Go 1.19, src/runtime/chan_test.go): TestChan,
 * TestNonblockRecvRace, TestNonblockSelectRace and TestNonblockSelectRace2, TestSelectFairness
 * and TestMultiConsumer. Each checks the same
 * behaviour as the original, written afresh in C. Where the original sleeps a millisecond to
 * let a goroutine block, the port instead waits until the runtime reports the goroutine blocked
 * (go_goroutine_state), which proves it rather than making it likely. Sizes are scaled down
 * where noted so that the file runs in a few seconds, ThreadSanitizer included. */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

/* ---- TestChan ------------------------------------------------------------------------------ */

/* Receives once from ch (with or without ok), then sets *flag. */
typedef struct flag_recv {
    go_chan *ch;
    bool with_ok;
    atomic_bool received;
    go_wait_group *wg;
} flag_recv;

static void recv_then_flag(void *arg)
{
    flag_recv *r = arg;
    int v;
    if (r->with_ok)
        go_recv(r->ch, &v);
    else
        go_recv_drop(r->ch);
    atomic_store(&r->received, true);
    go_wg_done(r->wg);
}

typedef struct flag_send {
    go_chan *ch;
    atomic_bool sent;
    go_wait_group *wg;
} flag_send;

static void send_then_flag(void *arg)
{
    flag_send *s = arg;
    go_send(s->ch, int, 0);
    atomic_store(&s->sent, true);
    go_wg_done(s->wg);
}

typedef struct close_probe {
    go_chan *ch, *done;
} close_probe;

static void recv_expect_closed(void *arg)
{
    close_probe *p = arg;
    int v = -1;
    bool ok = go_recv(p->ch, &v);
    go_send(p->done, bool, v == 0 && !ok);
}

typedef struct sender_n {
    go_chan *ch;
    int n;
    go_wait_group *wg;
} sender_n;

static void send_0_to_n(void *arg)
{
    sender_n *s = arg;
    for (int i = 0; i < s->n; i++)
        go_send(s->ch, int, i);
    go_wg_done(s->wg);
}

enum { chan_p = 4, chan_l = 1000 };

typedef struct counting_receiver {
    go_chan *ch, *done;
    int counts[chan_l];
} counting_receiver;

/* Receives chan_l values, counts each value, and hands its counts over on done. */
static void recv_and_count(void *arg)
{
    counting_receiver *r = arg;
    for (int i = 0; i < chan_l; i++) {
        int v;
        go_recv(r->ch, &v);
        if (v >= 0 && v < chan_l)
            r->counts[v]++;
        else
            CHECK(v >= 0 && v < chan_l);
    }
    go_send(r->done, counting_receiver *, r);
}

static void chan_case(int cap)
{
    go_wait_group wg = GO_WAIT_GROUP_INIT;

    { /* A receive from an empty channel blocks; a non-blocking one does not. */
        go_chan *c = go_make_chan(int, (size_t)cap);
        flag_recv r1 = {c, false, false, &wg}, r2 = {c, true, false, &wg};
        go_wg_add(&wg, 2);
        int64_t id1 = go(recv_then_flag, &r1), id2 = go(recv_then_flag, &r2);
        CHECK_WAIT_STATE(id1, "chan receive");
        CHECK_WAIT_STATE(id2, "chan receive");
        if (atomic_load(&r1.received) || atomic_load(&r2.received))
            check_failed(__FILE__, __LINE__, "chan[%d]: receive from empty chan", cap);
        int v;
        bool ok;
        if (go_select(GO_RECV(c, &v, NULL), GO_DEFAULT) != 1)
            check_failed(__FILE__, __LINE__, "chan[%d]: receive from empty chan", cap);
        if (go_select(GO_RECV(c, &v, &ok), GO_DEFAULT) != 1)
            check_failed(__FILE__, __LINE__, "chan[%d]: receive from empty chan", cap);
        go_send(c, int, 0);
        go_send(c, int, 0);
        go_wg_wait(&wg);
        CHECK(atomic_load(&r1.received) && atomic_load(&r2.received));
        go_chan_release(c);
    }

    { /* A send to a full channel blocks; a non-blocking one does not. */
        go_chan *c = go_make_chan(int, (size_t)cap);
        for (int i = 0; i < cap; i++)
            go_send(c, int, i);
        flag_send s = {c, false, &wg};
        go_wg_add(&wg, 1);
        int64_t id = go(send_then_flag, &s);
        CHECK_WAIT_STATE(id, "chan send");
        if (atomic_load(&s.sent))
            check_failed(__FILE__, __LINE__, "chan[%d]: send to full chan", cap);
        int x = 0;
        if (go_select(GO_SEND(c, &x), GO_DEFAULT) != 1)
            check_failed(__FILE__, __LINE__, "chan[%d]: send to full chan", cap);
        go_recv_drop(c);
        go_wg_wait(&wg);
        CHECK(atomic_load(&s.sent));
        go_chan_release(c);
    }

    { /* A closed channel gives its buffered values, then 0 (and ok false). */
        go_chan *c = go_make_chan(int, (size_t)cap);
        for (int i = 0; i < cap; i++)
            go_send(c, int, i);
        go_close(c);
        for (int i = 0; i < cap; i++) {
            int v = -1;
            go_recv(c, &v);
            if (v != i)
                check_failed(__FILE__, __LINE__, "chan[%d]: received %d, expected %d", cap, v, i);
        }
        int v = -1;
        go_recv(c, &v);
        if (v != 0)
            check_failed(__FILE__, __LINE__, "chan[%d]: received %d, expected 0", cap, v);
        v = -1;
        bool ok = go_recv(c, &v);
        if (v != 0 || ok)
            check_failed(__FILE__, __LINE__, "chan[%d]: received %d/%d, expected 0/0", cap, v, ok);
        go_chan_release(c);
    }

    { /* close unblocks a receive. */
        go_chan *c = go_make_chan(int, (size_t)cap), *done = go_make_chan(bool, 0);
        close_probe p = {c, done};
        int64_t id = go(recv_expect_closed, &p);
        CHECK_WAIT_STATE(id, "chan receive");
        go_close(c);
        bool zero_and_not_ok = false;
        go_recv(done, &zero_and_not_ok);
        if (!zero_and_not_ok)
            check_failed(__FILE__, __LINE__, "chan[%d]: received non zero from closed chan", cap);
        go_chan_release(c);
        go_chan_release(done);
    }

    { /* 100 ints arrive intact and in FIFO order, received with and without ok. */
        go_chan *c = go_make_chan(int, (size_t)cap);
        for (int with_ok = 0; with_ok <= 1; with_ok++) {
            sender_n s = {c, 100, &wg};
            go_wg_add(&wg, 1);
            go(send_0_to_n, &s);
            for (int i = 0; i < 100; i++) {
                int v = -1;
                if (with_ok) {
                    if (!go_recv(c, &v))
                        check_failed(__FILE__, __LINE__, "chan[%d]: receive failed, expected %d", cap, i);
                } else {
                    go_recv(c, &v);
                }
                if (v != i)
                    check_failed(__FILE__, __LINE__, "chan[%d]: received %d, expected %d", cap, v, i);
            }
            go_wg_wait(&wg);
        }

        /* chan_p senders of 0..chan_l-1 and chan_p receivers of chan_l values each: every value
         * arrives exactly chan_p times. */
        sender_n senders[chan_p];
        go_wg_add(&wg, chan_p);
        for (int p = 0; p < chan_p; p++) {
            senders[p] = (sender_n){c, chan_l, &wg};
            go(send_0_to_n, &senders[p]);
        }
        go_chan *done = go_make_chan(counting_receiver *, 0);
        counting_receiver *receivers = calloc(chan_p, sizeof *receivers);
        for (int p = 0; p < chan_p; p++) {
            receivers[p].ch = c;
            receivers[p].done = done;
            go(recv_and_count, &receivers[p]);
        }
        static int total[chan_l];
        memset(total, 0, sizeof total);
        for (int p = 0; p < chan_p; p++) {
            counting_receiver *r;
            go_recv(done, &r);
            for (int v = 0; v < chan_l; v++)
                total[v] += r->counts[v];
        }
        for (int v = 0; v < chan_l; v++)
            if (total[v] != chan_p)
                check_failed(__FILE__, __LINE__, "chan[%d]: value %d received %d times, expected %d",
                             cap, v, total[v], chan_p);
        go_wg_wait(&wg);
        free(receivers);
        go_chan_release(done);
        go_chan_release(c);
    }

    { /* len and cap. */
        go_chan *c = go_make_chan(int, (size_t)cap);
        if (go_chan_len(c) != 0 || go_chan_cap(c) != (size_t)cap)
            check_failed(__FILE__, __LINE__, "chan[%d]: bad len/cap, expect 0/%d, got %zu/%zu", cap,
                         cap, go_chan_len(c), go_chan_cap(c));
        for (int i = 0; i < cap; i++)
            go_send(c, int, i);
        if (go_chan_len(c) != (size_t)cap || go_chan_cap(c) != (size_t)cap)
            check_failed(__FILE__, __LINE__, "chan[%d]: bad len/cap, expect %d/%d, got %zu/%zu",
                         cap, cap, cap, go_chan_len(c), go_chan_cap(c));
        go_chan_release(c);
    }
}

/* Go runs capacities 0 to 199 (0 to 19 with -short). Scaled: 0 to 19, as -short does, plus
 * three larger ones up to Go's largest, so that big buffers are covered too. */
static void test_chan(void)
{
    for (int cap = 0; cap < 20; cap++)
        chan_case(cap);
    chan_case(64);
    chan_case(100);
    chan_case(199);
}

/* ---- TestNonblockRecvRace ------------------------------------------------------------------ */

typedef struct nonblock_args {
    go_chan *c; /* the goroutine's own reference */
    atomic_int *failures;
    go_wait_group *wg;
} nonblock_args;

/* The channel holds a value or is closed (or both) whenever this runs: either way a receive is
 * ready, so a non-blocking receive must never take the default. */
static void nonblock_recv(void *arg)
{
    nonblock_args *a = arg;
    if (go_select(GO_RECV_DROP(a->c), GO_DEFAULT) == 1)
        atomic_fetch_add(a->failures, 1);
    go_chan_release(a->c);
    go_wg_done(a->wg);
}

/* Go runs 10000 iterations (100 with -short); scaled to 2000. */
static void test_nonblock_recv_race(void)
{
    enum { n = 2000 };
    atomic_int failures = 0;
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    nonblock_args *args = calloc(n, sizeof *args);
    for (int i = 0; i < n; i++) {
        go_chan *c = go_make_chan(int, 1);
        go_send(c, int, 1);
        args[i] = (nonblock_args){go_chan_retain(c), &failures, &wg};
        go_wg_add(&wg, 1);
        go(nonblock_recv, &args[i]);
        go_close(c);
        go_recv_drop(c);
        go_chan_release(c);
    }
    go_wg_wait(&wg);
    free(args);
    if (atomic_load(&failures) != 0)
        check_failed(__FILE__, __LINE__, "chan is not ready: %d of %d non-blocking receives took the default",
                     atomic_load(&failures), n);
}

/* ---- TestNonblockSelectRace, TestNonblockSelectRace2 --------------------------------------- */

typedef struct nonblock_select_args {
    go_chan *c1, *c2, *done;
} nonblock_select_args;

static void nonblock_select(void *arg)
{
    nonblock_select_args *a = arg;
    bool some_case_ran = go_select(GO_RECV_DROP(a->c1), GO_RECV_DROP(a->c2), GO_DEFAULT) != 2;
    go_send(a->done, bool, some_case_ran);
}

/* At every instant c1 or c2 can be received from: c1 holds a value until main takes it, and
 * main first makes c2 ready (a value, or closing it). So a non-blocking select on both must
 * never take the default, which requires it to look at both cases at one instant. Go runs
 * 100000 iterations (1000 with -short); scaled to 10000. */
static void nonblock_select_race(bool close_c2)
{
    enum { n = 10000 };
    go_chan *done = go_make_chan(bool, 1);
    int defaults = 0;
    for (int i = 0; i < n; i++) {
        nonblock_select_args a = {go_make_chan(int, 1), go_make_chan(int, close_c2 ? 0 : 1), done};
        go_send(a.c1, int, 1);
        go(nonblock_select, &a);
        if (close_c2)
            go_close(a.c2);
        else
            go_send(a.c2, int, 1);
        go_select(GO_RECV_DROP(a.c1), GO_DEFAULT);
        bool ok = false;
        go_recv(done, &ok);
        defaults += !ok;
        go_chan_release(a.c1);
        go_chan_release(a.c2);
    }
    go_chan_release(done);
    if (defaults != 0)
        check_failed(__FILE__, __LINE__, "no chan is ready: %d of %d selects took the default",
                     defaults, n);
}

static void test_nonblock_select_race(void)
{
    nonblock_select_race(false);
}

static void test_nonblock_select_race2(void)
{
    nonblock_select_race(true);
}

/* ---- TestSelectFairness -------------------------------------------------------------------- */

typedef struct fairness_args {
    go_chan *c1, *c2, *c3, *c4, *out, *done;
    go_wait_group *wg;
} fairness_args;

static void fair_selector(void *arg)
{
    fairness_args *a = arg;
    for (;;) {
        uint8_t b = 0;
        go_select(GO_RECV(a->c3, &b, NULL), GO_RECV(a->c4, &b, NULL), GO_RECV(a->c1, &b, NULL),
                  GO_RECV(a->c2, &b, NULL));
        if (go_select(GO_SEND(a->out, &b), GO_RECV_DROP(a->done)) == 1)
            break;
    }
    go_wg_done(a->wg);
}

/* Two of four cases are always ready (c1 and c2 hold more values than are taken; c3 and c4 never
 * receive anything), so each pick is a fair coin and cnt1 is Binomial(trials, 1/2). Go allows
 * |cnt1/trials - 1/2| up to 4.89 / (2 sqrt(trials)), a 1e-6 two-sided normal tail. Here the bound
 * is 7 standard deviations, 7 * sqrt(trials) / 2 = 350 for Go's 10000 trials, and its failure
 * probability is bounded without the normal approximation: by Hoeffding's inequality,
 * P(|cnt1 - trials/2| >= t) <= 2 exp(-2 t^2 / trials) = 2 exp(-24.5) < 5e-11. */
static void test_select_fairness(void)
{
    enum { trials = 10000 };
    const int bound = 350;
    go_chan *c1 = go_make_chan(uint8_t, trials + 1), *c2 = go_make_chan(uint8_t, trials + 1);
    for (int i = 0; i < trials + 1; i++) {
        go_send(c1, uint8_t, 1);
        go_send(c2, uint8_t, 2);
    }
    go_chan *c3 = go_make_chan(uint8_t, 0), *c4 = go_make_chan(uint8_t, 0);
    go_chan *out = go_make_chan(uint8_t, 0), *done = go_make_chan(uint8_t, 0);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    fairness_args a = {c1, c2, c3, c4, out, done, &wg};
    go_wg_add(&wg, 1);
    go(fair_selector, &a);
    int cnt1 = 0, cnt2 = 0;
    for (int i = 0; i < trials; i++) {
        uint8_t b = 0;
        go_recv(out, &b);
        if (b == 1)
            cnt1++;
        else if (b == 2)
            cnt2++;
        else
            check_failed(__FILE__, __LINE__, "unexpected value %d on channel", b);
    }
    if (abs(cnt1 - trials / 2) > bound)
        check_failed(__FILE__, __LINE__, "unfair select: in %d trials, results were %d, %d", trials,
                     cnt1, cnt2);
    go_close(done);
    go_wg_wait(&wg);
    go_chan *all[] = {c1, c2, c3, c4, out, done};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        go_chan_release(all[i]);
}

/* ---- TestMultiConsumer --------------------------------------------------------------------- */

static const int pn[] = {2, 3, 7, 11, 13, 17, 19, 23, 27, 31};
enum { npn = sizeof pn / sizeof pn[0] };

typedef struct mc_shared {
    go_chan *q, *r;
    go_wait_group wg;
    int niter;
    long long expect; /* written by the feeder, read by the test after r is closed */
} mc_shared;

typedef struct mc_worker {
    mc_shared *s;
    int w;
} mc_worker;

static void mc_work(void *arg)
{
    mc_worker *me = arg;
    int v;
    while (go_recv(me->s->q, &v)) {
        /* Disturb the FIFO-like order in which the workers take values. */
        if (pn[me->w % npn] == v)
            sched_yield();
        go_send(me->s->r, int, v);
    }
    go_wg_done(&me->s->wg);
}

static void mc_feed(void *arg)
{
    mc_shared *s = arg;
    for (int i = 0; i < s->niter; i++) {
        int v = pn[i % npn];
        s->expect += v;
        go_send(s->q, int, v);
    }
    go_close(s->q);      /* no more work */
    go_wg_wait(&s->wg);  /* every worker is done */
    go_close(s->r);      /* so no result can follow */
}

/* Go feeds 271828 values to 23 workers; scaled to 27183. */
static void test_multi_consumer(void)
{
    enum { nwork = 23 };
    mc_shared s = {go_make_chan(int, nwork * 3), go_make_chan(int, nwork * 3), GO_WAIT_GROUP_INIT,
                   27183, 0};
    mc_worker workers[nwork];
    for (int i = 0; i < nwork; i++) {
        go_wg_add(&s.wg, 1);
        workers[i] = (mc_worker){&s, i};
        go(mc_work, &workers[i]);
    }
    go(mc_feed, &s);
    int n = 0, v;
    long long sum = 0;
    while (go_recv(s.r, &v)) {
        n++;
        sum += v;
    }
    if (n != s.niter || sum != s.expect)
        check_failed(__FILE__, __LINE__, "expected sum %lld (got %lld) from %d iter (saw %d)",
                     s.expect, sum, s.niter, n);
    go_chan_release(s.q);
    go_chan_release(s.r);
}

static const check_case cases[] = {
    CHECK_CASE(test_chan),
    CHECK_CASE(test_nonblock_recv_race),
    CHECK_CASE(test_nonblock_select_race),
    CHECK_CASE(test_nonblock_select_race2),
    CHECK_CASE(test_select_fairness),
    CHECK_CASE(test_multi_consumer),
};
CHECK_MAIN(cases)
