/* Unit tests of select: which case runs, default, blocking, nil and closed channels, uniform
 * choice among ready cases, and cleaning up the cases that did not run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"

static void test_ready_case_is_chosen(void)
{
    go_chan *empty = go_make_chan(int, 1), *full = go_make_chan(int, 1);
    go_send(full, int, 5);
    for (int i = 0; i < 20; i++) {
        int a = -1, b = -1;
        bool ok = false;
        /* Only the receive from `full` and the send to `empty` can run, in turn. */
        int x = i;
        int chosen = go_select(GO_RECV(empty, &a, NULL), GO_RECV(full, &b, &ok), GO_SEND(full, &x));
        if (i % 2 == 0) {
            CHECK_EQ(chosen, 1);
            CHECK_EQ(b, i == 0 ? 5 : i - 1);
            CHECK(ok);
        } else {
            CHECK_EQ(chosen, 2);
        }
        CHECK_EQ(a, -1); /* a case that did not run leaves its variable alone */
    }
    go_chan_release(empty);
    go_chan_release(full);
}

static void test_default_when_nothing_ready(void)
{
    go_chan *empty = go_make_chan(int, 0), *full = go_make_chan(int, 1);
    go_send(full, int, 1);
    int v = -1, x = 2;
    bool ok = true;
    /* The default may be anywhere in the list. */
    CHECK_EQ(go_select(GO_DEFAULT, GO_RECV(empty, &v, &ok), GO_SEND(full, &x)), 0);
    CHECK_EQ(go_select(GO_RECV(empty, &v, &ok), GO_SEND(full, &x), GO_DEFAULT), 2);
    CHECK_EQ(v, -1);
    CHECK(ok);
    CHECK_EQ(go_chan_len(full), 1);
    CHECK_EQ(go_select(GO_DEFAULT), 0);
    go_chan_release(empty);
    go_chan_release(full);
}

/* A parked goroutine that sends one value. */
static void send_one(void *arg)
{
    go_send(arg, int, 42);
}

/* A select with a default case first looks at the channels without locking them (their
 * readiness words). That look must follow every change of a channel, in both directions. */
static void test_default_follows_every_change(void)
{
    go_chan *buf = go_make_chan(int, 2), *unbuf = go_make_chan(int, 0);
    int v = -1, x = 7;
    for (int round = 0; round < 3; round++) {
        CHECK_EQ(go_select(GO_RECV(buf, &v, NULL), GO_DEFAULT), 1); /* empty */
        go_send(buf, int, round);
        CHECK_EQ(go_select(GO_RECV(buf, &v, NULL), GO_DEFAULT), 0); /* a value */
        CHECK_EQ(v, round);
        CHECK_EQ(go_select(GO_RECV(buf, &v, NULL), GO_DEFAULT), 1); /* empty again */
        CHECK_EQ(go_select(GO_SEND(buf, &x), GO_DEFAULT), 0);       /* room */
        CHECK_EQ(go_select(GO_SEND(buf, &x), GO_DEFAULT), 0);
        CHECK_EQ(go_select(GO_SEND(buf, &x), GO_DEFAULT), 1);       /* full */
        go_recv(buf, &v);
        CHECK_EQ(go_select(GO_SEND(buf, &x), GO_DEFAULT), 0);       /* room again */
        go_recv(buf, &v);
        go_recv(buf, &v);
    }
    /* Unbuffered: ready only while a partner waits. */
    CHECK_EQ(go_select(GO_RECV(unbuf, &v, NULL), GO_SEND(unbuf, &x), GO_DEFAULT), 2);
    int64_t id = go(send_one, unbuf);
    CHECK_WAIT_STATE(id, "chan send");
    CHECK_EQ(go_select(GO_SEND(unbuf, &x), GO_DEFAULT), 1); /* a waiting sender is no receiver */
    CHECK_EQ(go_select(GO_RECV(unbuf, &v, NULL), GO_DEFAULT), 0);
    CHECK_EQ(v, 42);
    CHECK_EQ(go_select(GO_RECV(unbuf, &v, NULL), GO_DEFAULT), 1);
    /* Closed: a receive is ready (zero, not ok) from then on. */
    go_close(buf);
    bool ok = true;
    CHECK_EQ(go_select(GO_RECV(buf, &v, &ok), GO_DEFAULT), 0);
    CHECK(!ok);
    CHECK_EQ(v, 0);
    go_chan_release(buf);
    go_chan_release(unbuf);
}

typedef struct receiver_args {
    go_chan *ch, *report;
} receiver_args;

static void receive_and_report(void *arg)
{
    receiver_args *a = arg;
    int v = -1;
    go_recv(a->ch, &v);
    go_send(a->report, int, v);
}

static void test_default_never_blocks(void)
{
    /* With no partner an unbuffered send or receive is never ready: default every time. */
    go_chan *ch = go_make_chan(int, 0), *report = go_make_chan(int, 0);
    for (int i = 0; i < 1000; i++) {
        int v, x = i;
        CHECK_EQ(go_select(GO_SEND(ch, &x), GO_RECV(ch, &v, NULL), GO_DEFAULT), 2);
    }
    /* With a receiver waiting, the non-blocking send is ready, and hands over its value. */
    receiver_args a = {ch, report};
    int64_t id = go(receive_and_report, &a);
    CHECK_WAIT_STATE(id, "chan receive");
    int x = 77;
    CHECK_EQ(go_select(GO_SEND(ch, &x), GO_DEFAULT), 0);
    int got;
    go_recv(report, &got);
    CHECK_EQ(got, 77);
    go_chan_release(ch);
    go_chan_release(report);
}

/* A goroutine blocked in a two-case select reports which case ran and the value involved. */
typedef struct select_result {
    int chosen;
    int value;
    bool ok;
    int other; /* the other receive case's variable, which must be untouched */
} select_result;

typedef struct selector_args {
    go_chan *a, *b, *report;
    bool send_on_a; /* case 0 sends 100 on a instead of receiving from it */
} selector_args;

static void select_two(void *arg)
{
    selector_args *s = arg;
    int va = -1, vb = -1, x = 100;
    bool okb = false;
    select_result r;
    if (s->send_on_a)
        r.chosen = go_select(GO_SEND(s->a, &x), GO_RECV(s->b, &vb, &okb));
    else
        r.chosen = go_select(GO_RECV(s->a, &va, NULL), GO_RECV(s->b, &vb, &okb));
    r.value = r.chosen == 0 ? va : vb;
    r.ok = okb;
    r.other = r.chosen == 0 ? vb : va;
    go_send(s->report, select_result, r);
}

static void test_blocks_until_a_case_is_ready(void)
{
    go_chan *a = go_make_chan(int, 0), *b = go_make_chan(int, 0);
    go_chan *report = go_make_chan(select_result, 0);

    /* Receive on b wakes it. */
    selector_args s = {a, b, report, false};
    int64_t id = go(select_two, &s);
    CHECK_WAIT_STATE(id, "select");
    go_send(b, int, 9);
    select_result r;
    go_recv(report, &r);
    CHECK_EQ(r.chosen, 1);
    CHECK_EQ(r.value, 9);
    CHECK(r.ok);
    CHECK_EQ(r.other, -1);

    /* Its receive case on a was taken off a's queue: a non-blocking send to a finds nobody. */
    int x = 1;
    CHECK_EQ(go_select(GO_SEND(a, &x), GO_DEFAULT), 1);

    /* A blocked send case runs when a receiver comes. */
    s.send_on_a = true;
    id = go(select_two, &s);
    CHECK_WAIT_STATE(id, "select");
    int v = 0;
    CHECK(go_recv(a, &v));
    CHECK_EQ(v, 100);
    go_recv(report, &r);
    CHECK_EQ(r.chosen, 0);
    /* ...and its receive case left b's queue. */
    CHECK_EQ(go_select(GO_SEND(b, &x), GO_DEFAULT), 1);

    go_chan_release(a);
    go_chan_release(b);
    go_chan_release(report);
}

static void select_all_nil(void *arg)
{
    (void)arg;
    int v;
    go_select(GO_RECV(NULL, &v, NULL), GO_SEND(NULL, &v));
    CHECK(false); /* never reached */
}

static void test_nil_cases_are_never_ready(void)
{
    go_chan *ready = go_make_chan(int, 1);
    int v, x = 1;
    CHECK_EQ(go_select(GO_RECV(NULL, &v, NULL), GO_SEND(NULL, &x), GO_DEFAULT), 2);
    for (int i = 0; i < 100; i++) {
        go_send(ready, int, i);
        CHECK_EQ(go_select(GO_RECV(NULL, &v, NULL), GO_SEND(NULL, &x), GO_RECV(ready, &v, NULL)), 2);
        CHECK_EQ(v, i);
    }
    go_chan_release(ready);
    /* Only nil cases and no default: blocked for good (the goroutine stays until exit). */
    int64_t id = go(select_all_nil, NULL);
    CHECK_WAIT_STATE(id, "select");
}

typedef struct echo_args {
    go_chan *in, *out;
    int n;
} echo_args;

/* Receives n values and sends each one back doubled, through a small buffer. */
static void doubler(void *arg)
{
    echo_args e = *(echo_args *)arg; /* *arg may be gone once the last value is sent */
    for (int i = 0; i < e.n; i++) {
        int v;
        go_recv(e.in, &v);
        go_send(e.out, int, 2 * v);
    }
}

static void test_send_and_receive_cases_mixed(void)
{
    /* One select loop feeds the doubler and drains its results: whichever is ready runs. */
    enum { n = 500 };
    go_chan *to = go_make_chan(int, 0), *from = go_make_chan(int, 3);
    echo_args e = {to, from, n};
    go(doubler, &e);
    int sent = 0, received = 0;
    long long sum = 0;
    while (received < n) {
        int x = sent, v;
        /* With everything sent, a nil channel disables the send case, as in Go. */
        go_chan *send_to = sent < n ? to : NULL;
        switch (go_select(GO_SEND(send_to, &x), GO_RECV(from, &v, NULL))) {
        case 0:
            sent++;
            break;
        case 1:
            CHECK_EQ(v % 2, 0);
            sum += v;
            received++;
            break;
        default:
            CHECK(false);
        }
    }
    CHECK_EQ(sent, n);
    CHECK_EQ(sum, 2LL * n * (n - 1) / 2);
    go_chan_release(to);
    go_chan_release(from);
}

static void test_closed_receive_case_is_ready_with_ok_false(void)
{
    go_chan *closed = go_make_chan(int, 2), *never = go_make_chan(int, 0);
    go_send(closed, int, 3);
    go_close(closed);
    int v = -1;
    bool ok = false;
    CHECK_EQ(go_select(GO_RECV(never, &v, &ok), GO_RECV(closed, &v, &ok)), 1);
    CHECK_EQ(v, 3); /* buffered values first */
    CHECK(ok);
    for (int i = 0; i < 3; i++) {
        v = -1;
        ok = true;
        CHECK_EQ(go_select(GO_RECV(never, &v, &ok), GO_RECV(closed, &v, &ok), GO_DEFAULT), 1);
        CHECK_EQ(v, 0);
        CHECK(!ok);
    }

    /* Closing a channel wakes a select blocked on it. */
    go_chan *a = go_make_chan(int, 0), *b = go_make_chan(int, 0);
    go_chan *report = go_make_chan(select_result, 0);
    selector_args s = {a, b, report, false};
    int64_t id = go(select_two, &s);
    CHECK_WAIT_STATE(id, "select");
    go_close(b);
    select_result r;
    go_recv(report, &r);
    CHECK_EQ(r.chosen, 1);
    CHECK_EQ(r.value, 0);
    CHECK(!r.ok);
    CHECK_EQ(r.other, -1);

    go_chan_release(closed);
    go_chan_release(never);
    go_chan_release(a);
    go_chan_release(b);
    go_chan_release(report);
}

/* With a default case too: the send is not "not ready", it panics. */
static void select_default_send_on_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 0);
    go_close(ch);
    int x = 1;
    go_select(GO_SEND(ch, &x), GO_DEFAULT);
}

static void select_send_on_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 1), *never = go_make_chan(int, 0);
    go_close(ch);
    int x = 1, v;
    go_select(GO_RECV(never, &v, NULL), GO_SEND(ch, &x));
}

/* A select blocked with a send case whose channel is then closed. */
static void blocked_select_send_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *a = go_make_chan(int, 0), *b = go_make_chan(int, 0);
    go_chan *report = go_make_chan(select_result, 1);
    selector_args s = {a, b, report, true};
    int64_t id = go(select_two, &s);
    CHECK_WAIT_STATE(id, "select");
    go_close(a);
    go_select_forever(); /* the selecting goroutine's panic ends the process */
}

static void select_wrong_size(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int64_t, 1);
    int32_t v;
    go_select(GO_RECV(ch, &v, NULL), GO_DEFAULT);
}

static void select_two_defaults(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_select(GO_DEFAULT, GO_DEFAULT);
}

static void test_misuse_panics(void)
{
    CHECK_PANICS(select_send_on_closed, "send on closed channel");
    CHECK_PANICS(select_default_send_on_closed, "send on closed channel");
    CHECK_PANICS(select_wrong_size, "channel elements are 8 bytes, used as a 4-byte type");
    CHECK_PANICS(select_two_defaults, "select: more than one default case");

    check_run run = check_capture(blocked_select_send_closed);
    if (CHECK_RUN_PANICKED(&run, "send on closed channel"))
        CHECK_CONTAINS(run.output, "[running]:\nselect_two()\n\ttests/test_select.c:");
    check_release(&run);
}

static void select_forever(void *arg)
{
    (void)arg;
    go_select_forever();
}

static void test_select_forever_blocks(void)
{
    int64_t id = go(select_forever, NULL); /* stays blocked until the test process exits */
    CHECK_WAIT_STATE(id, "select (no cases)");
}

/* Ready cases are chosen uniformly at random. Three cases are always ready (two receives from
 * channels filled in advance, a send with room); over n selects each count is Binomial(n, 1/3).
 * Hoeffding's inequality bounds P(|count - n/3| >= t) by 2 exp(-2 t^2 / n): with n = 30000 and
 * t = 600 (7.3 standard deviations) that is 7e-11 per count, so by the union bound a fair select
 * fails this test with probability below 3e-10, while a select that favours one case by even a
 * few percent of n fails it every time. */
static void test_ready_cases_are_chosen_uniformly(void)
{
    enum { n = 30000, bound = 600 };
    go_chan *a = go_make_chan(uint8_t, n), *b = go_make_chan(uint8_t, n), *c = go_make_chan(uint8_t, n);
    for (int i = 0; i < n; i++) {
        go_send(a, uint8_t, 0);
        go_send(b, uint8_t, 1);
    }
    int counts[3] = {0, 0, 0};
    for (int i = 0; i < n; i++) {
        uint8_t v, x = 2;
        int chosen = go_select(GO_RECV(a, &v, NULL), GO_RECV(b, &v, NULL), GO_SEND(c, &x));
        CHECK(chosen >= 0 && chosen < 3);
        if (chosen >= 0 && chosen < 3)
            counts[chosen]++;
        if (chosen < 2)
            CHECK_EQ(v, chosen);
    }
    for (int k = 0; k < 3; k++) {
        if (abs(counts[k] - n / 3) > bound)
            check_failed(__FILE__, __LINE__, "case %d chosen %d times of %d, want %d +- %d", k,
                         counts[k], n, n / 3, bound);
    }
    go_chan_release(a);
    go_chan_release(b);
    go_chan_release(c);
}

/* Beyond eight cases select keeps its bookkeeping on the heap: the same rules apply. */
typedef struct many_args {
    go_chan **chans;
    int count;
    go_chan *report;
} many_args;

static void select_many(void *arg)
{
    many_args *m = arg;
    go_case cases[12];
    int values[12];
    for (int i = 0; i < m->count; i++) {
        values[i] = -1;
        cases[i] = GO_RECV(m->chans[i], &values[i], NULL);
    }
    int chosen = go_select_cases(cases, (size_t)m->count, GO_HERE);
    int untouched = 0;
    for (int i = 0; i < m->count; i++)
        untouched += i != chosen && values[i] == -1;
    go_send(m->report, int, chosen * 1000 + values[chosen]);
    go_send(m->report, int, untouched);
}

static void test_many_cases(void)
{
    enum { count = 12 };
    go_chan *chans[count];
    for (int i = 0; i < count; i++)
        chans[i] = go_make_chan(int, 1);
    go_chan *report = go_make_chan(int, 2);

    /* One ready among twelve, without blocking. */
    go_send(chans[7], int, 70);
    go_case cases[count];
    int values[count];
    for (int i = 0; i < count; i++)
        cases[i] = GO_RECV(chans[i], &values[i], NULL);
    CHECK_EQ(go_select_cases(cases, count, GO_HERE), 7);
    CHECK_EQ(values[7], 70);

    /* Blocked on twelve, woken by the eleventh. */
    many_args m = {chans, count, report};
    int64_t id = go(select_many, &m);
    CHECK_WAIT_STATE(id, "select");
    go_send(chans[10], int, 5);
    int result, untouched;
    go_recv(report, &result);
    go_recv(report, &untouched);
    CHECK_EQ(result, 10 * 1000 + 5);
    CHECK_EQ(untouched, count - 1);
    /* Every other case left its queue: each channel takes a buffered value and keeps it. */
    for (int i = 0; i < count; i++) {
        int x = i;
        CHECK_EQ(go_select(GO_SEND(chans[i], &x), GO_DEFAULT), 0);
        CHECK_EQ(go_chan_len(chans[i]), 1);
        go_chan_release(chans[i]);
    }
    go_chan_release(report);
}

static void test_same_channel_in_several_cases(void)
{
    go_chan *ch = go_make_chan(int, 1);
    int v = -1, x = 4;
    /* Empty: only the send can run. Full: only the receive. */
    CHECK_EQ(go_select(GO_RECV(ch, &v, NULL), GO_SEND(ch, &x), GO_RECV(ch, &v, NULL)), 1);
    CHECK_EQ(go_chan_len(ch), 1);
    int chosen = go_select(GO_RECV(ch, &v, NULL), GO_SEND(ch, &x), GO_RECV(ch, &v, NULL));
    CHECK(chosen == 0 || chosen == 2);
    CHECK_EQ(v, 4);
    go_chan_release(ch);
}

static void test_receive_drop_case(void)
{
    go_chan *ch = go_make_chan(int, 1);
    go_send(ch, int, 1);
    CHECK_EQ(go_select(GO_RECV_DROP(ch), GO_DEFAULT), 0);
    CHECK_EQ(go_chan_len(ch), 0);
    go_close(ch);
    CHECK_EQ(go_select(GO_RECV_DROP(ch)), 0);
    go_chan_release(ch);
}

/* A select with a default case must see all its cases at one instant: if at every moment some
 * case is ready, the default must never run. c1 holds a value until main takes it, and main
 * first makes c2 ready; six cases that are never ready sit between them, so that a select
 * looking at the cases one by one has time to miss c2 (not ready yet) and then c1 (no longer
 * ready). This is Go's TestNonblockSelectRace (see test_go_ports.c) with the window widened. */
typedef struct atomic_select_args {
    go_chan *c1, *c2, *done;
    go_chan **never;
} atomic_select_args;

static void select_with_default(void *arg)
{
    atomic_select_args *a = arg;
    go_chan **e = a->never;
    int chosen = go_select(GO_RECV_DROP(a->c1), GO_RECV_DROP(e[0]), GO_RECV_DROP(e[1]),
                           GO_RECV_DROP(e[2]), GO_RECV_DROP(e[3]), GO_RECV_DROP(e[4]),
                           GO_RECV_DROP(e[5]), GO_RECV_DROP(a->c2), GO_DEFAULT);
    go_send(a->done, bool, chosen != 8);
}

static void test_nonblocking_select_sees_cases_at_one_instant(void)
{
    enum { n = 10000 };
    go_chan *never[6];
    for (int i = 0; i < 6; i++)
        never[i] = go_make_chan(int, 0);
    go_chan *done = go_make_chan(bool, 1);
    int defaults = 0;
    for (int i = 0; i < n; i++) {
        atomic_select_args a = {go_make_chan(int, 1), go_make_chan(int, 1), done, never};
        go_send(a.c1, int, 1);
        go(select_with_default, &a);
        go_send(a.c2, int, 2);
        go_select(GO_RECV_DROP(a.c1), GO_DEFAULT);
        bool some_case_ran = false;
        go_recv(done, &some_case_ran);
        defaults += !some_case_ran;
        go_chan_release(a.c1);
        go_chan_release(a.c2);
    }
    if (defaults != 0)
        check_failed(__FILE__, __LINE__, "%d of %d selects took the default while a case was ready",
                     defaults, n);
    for (int i = 0; i < 6; i++)
        go_chan_release(never[i]);
    go_chan_release(done);
}

static const check_case cases[] = {
    CHECK_CASE(test_ready_case_is_chosen),
    CHECK_CASE(test_default_when_nothing_ready),
    CHECK_CASE(test_default_never_blocks),
    CHECK_CASE(test_default_follows_every_change),
    CHECK_CASE(test_blocks_until_a_case_is_ready),
    CHECK_CASE(test_nil_cases_are_never_ready),
    CHECK_CASE(test_send_and_receive_cases_mixed),
    CHECK_CASE(test_closed_receive_case_is_ready_with_ok_false),
    CHECK_CASE(test_misuse_panics),
    CHECK_CASE(test_select_forever_blocks),
    CHECK_CASE(test_ready_cases_are_chosen_uniformly),
    CHECK_CASE(test_many_cases),
    CHECK_CASE(test_same_channel_in_several_cases),
    CHECK_CASE(test_receive_drop_case),
    CHECK_CASE(test_nonblocking_select_sees_cases_at_one_instant),
};

static const check_child children[] = {
    CHECK_CHILD(select_send_on_closed),
    CHECK_CHILD(select_default_send_on_closed),
    CHECK_CHILD(blocked_select_send_closed),
    CHECK_CHILD(select_wrong_size),
    CHECK_CHILD(select_two_defaults),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
