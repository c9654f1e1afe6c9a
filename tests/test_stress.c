/* Stress tests: many goroutines on shared channels, with every value accounted for.
 *
 * Each value is tagged with its producer and sequence number and counted on arrival, so a value
 * lost, duplicated or corrupted is caught; per-producer order is checked too (a channel is FIFO,
 * so each consumer sees any one producer's values in the order they were sent). Sized to take
 * a few seconds under ThreadSanitizer on two cores; see the enum in each test. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

enum { seq_bits = 20 };
#define TAG(producer, seq) (((uint32_t)(producer) << seq_bits) | (uint32_t)(seq))
#define TAG_PRODUCER(tag) ((int)((tag) >> seq_bits))
#define TAG_SEQ(tag) ((int)((tag) & ((1u << seq_bits) - 1)))

/* What every consumer shares: an arrival count per (producer, seq). */
typedef struct ledger {
    int producers, per_producer;
    atomic_uchar *arrivals;
    atomic_int bad; /* values that were not any producer's */
    atomic_int out_of_order;
} ledger;

static void ledger_init(ledger *l, int producers, int per_producer)
{
    l->producers = producers;
    l->per_producer = per_producer;
    l->arrivals = calloc((size_t)producers * (size_t)per_producer, sizeof *l->arrivals);
    atomic_init(&l->bad, 0);
    atomic_init(&l->out_of_order, 0);
}

/* Counts one arrival; `last` is the consumer's own last seq seen per producer. */
static void ledger_record(ledger *l, uint32_t tag, int *last)
{
    int p = TAG_PRODUCER(tag), seq = TAG_SEQ(tag);
    if (p >= l->producers || seq >= l->per_producer) {
        atomic_fetch_add(&l->bad, 1);
        return;
    }
    if (seq <= last[p])
        atomic_fetch_add(&l->out_of_order, 1);
    last[p] = seq;
    atomic_fetch_add(&l->arrivals[(size_t)p * (size_t)l->per_producer + (size_t)seq], 1);
}

/* Every value arrived exactly once. */
static void ledger_check(const char *file, int line, ledger *l, const char *what)
{
    long missing = 0, duplicated = 0;
    size_t n = (size_t)l->producers * (size_t)l->per_producer;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = atomic_load(&l->arrivals[i]);
        missing += c == 0;
        duplicated += c > 1;
    }
    if (missing || duplicated || atomic_load(&l->bad) || atomic_load(&l->out_of_order))
        check_failed(file, line, "%s: %ld values missing, %ld duplicated, %d unknown, %d out of order",
                     what, missing, duplicated, atomic_load(&l->bad), atomic_load(&l->out_of_order));
    free(l->arrivals);
}
#define LEDGER_CHECK(l, what) ledger_check(__FILE__, __LINE__, (l), (what))

/* ---- Many producers and consumers on one channel ------------------------------------------- */

typedef struct pc_shared {
    go_chan *ch;
    ledger l;
    go_wait_group producers, consumers;
} pc_shared;

typedef struct pc_producer {
    pc_shared *s;
    int id;
} pc_producer;

static void produce(void *arg)
{
    pc_producer *p = arg;
    for (int seq = 0; seq < p->s->l.per_producer; seq++)
        go_send(p->s->ch, uint32_t, TAG(p->id, seq));
    go_wg_done(&p->s->producers);
}

static void consume(void *arg)
{
    pc_shared *s = arg;
    int *last = malloc((size_t)s->l.producers * sizeof *last);
    for (int p = 0; p < s->l.producers; p++)
        last[p] = -1;
    uint32_t tag;
    while (go_recv(s->ch, &tag))
        ledger_record(&s->l, tag, last);
    free(last);
    go_wg_done(&s->consumers);
}

/* The producers' WaitGroup, then close: no sender is ever blocked at close. */
static void close_after_producers(void *arg)
{
    pc_shared *s = arg;
    go_wg_wait(&s->producers);
    go_close(s->ch);
}

static void test_many_producers_and_consumers(void)
{
    enum { producers = 8, consumers = 8, per_producer = 10000 };
    static const size_t caps[] = {0, 1, 7, 64};
    for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        pc_shared s = {go_make_chan(uint32_t, caps[k]), {0}, GO_WAIT_GROUP_INIT, GO_WAIT_GROUP_INIT};
        ledger_init(&s.l, producers, per_producer);
        pc_producer ps[producers];
        go_wg_add(&s.producers, producers);
        go_wg_add(&s.consumers, consumers);
        for (int i = 0; i < consumers; i++)
            go(consume, &s);
        for (int i = 0; i < producers; i++) {
            ps[i] = (pc_producer){&s, i};
            go(produce, &ps[i]);
        }
        go(close_after_producers, &s);
        go_wg_wait(&s.consumers);
        char what[64];
        snprintf(what, sizeof what, "cap %zu", caps[k]);
        LEDGER_CHECK(&s.l, what);
        go_chan_release(s.ch);
    }
}

/* ---- Selects across several channels ------------------------------------------------------- */

enum { nchans = 4 };

typedef struct sel_shared {
    go_chan *chans[nchans]; /* buffered and unbuffered */
    ledger l;
    go_wait_group producers, consumers;
} sel_shared;

typedef struct sel_producer {
    sel_shared *s;
    int id;
} sel_producer;

/* Sends each value on whichever channel can take it first. */
static void select_produce(void *arg)
{
    sel_producer *p = arg;
    sel_shared *s = p->s;
    for (int seq = 0; seq < s->l.per_producer; seq++) {
        uint32_t tag = TAG(p->id, seq);
        int chosen = go_select(GO_SEND(s->chans[0], &tag), GO_SEND(s->chans[1], &tag),
                               GO_SEND(s->chans[2], &tag), GO_SEND(s->chans[3], &tag));
        CHECK(chosen >= 0 && chosen < nchans);
    }
    go_wg_done(&s->producers);
}

/* Receives from whichever channel has a value until all are closed, as Go does it: a closed
 * channel's case is disabled by setting it to nil. Odd consumers also poll with a default. */
typedef struct sel_consumer {
    sel_shared *s;
    int id;
} sel_consumer;

static void select_consume(void *arg)
{
    sel_consumer *c = arg;
    sel_shared *s = c->s;
    go_chan *live[nchans];
    for (int i = 0; i < nchans; i++)
        live[i] = s->chans[i];
    int open = nchans;
    /* Per-producer order holds per channel, not across channels: track each separately. */
    int *last_per_chan[nchans];
    for (int i = 0; i < nchans; i++) {
        last_per_chan[i] = malloc((size_t)s->l.producers * sizeof(int));
        for (int p = 0; p < s->l.producers; p++)
            last_per_chan[i][p] = -1;
    }
    while (open > 0) {
        uint32_t tag = 0;
        bool ok = false;
        int chosen;
        if (c->id % 2 == 1) {
            chosen = go_select(GO_RECV(live[0], &tag, &ok), GO_RECV(live[1], &tag, &ok),
                               GO_RECV(live[2], &tag, &ok), GO_RECV(live[3], &tag, &ok), GO_DEFAULT);
            if (chosen == nchans)
                continue; /* nothing ready: poll again */
        } else {
            chosen = go_select(GO_RECV(live[0], &tag, &ok), GO_RECV(live[1], &tag, &ok),
                               GO_RECV(live[2], &tag, &ok), GO_RECV(live[3], &tag, &ok));
        }
        if (!ok) {
            live[chosen] = NULL;
            open--;
            continue;
        }
        ledger_record(&s->l, tag, last_per_chan[chosen]);
    }
    for (int i = 0; i < nchans; i++)
        free(last_per_chan[i]);
    go_wg_done(&s->consumers);
}

static void close_all_after_producers(void *arg)
{
    sel_shared *s = arg;
    go_wg_wait(&s->producers);
    for (int i = 0; i < nchans; i++)
        go_close(s->chans[i]);
}

static void test_selects_across_channels(void)
{
    enum { producers = 6, consumers = 6, per_producer = 8000 };
    static const size_t caps[nchans] = {0, 0, 1, 16};
    sel_shared s = {{NULL}, {0}, GO_WAIT_GROUP_INIT, GO_WAIT_GROUP_INIT};
    for (int i = 0; i < nchans; i++)
        s.chans[i] = go_make_chan(uint32_t, caps[i]);
    ledger_init(&s.l, producers, per_producer);
    sel_producer ps[producers];
    sel_consumer cs[consumers];
    go_wg_add(&s.producers, producers);
    go_wg_add(&s.consumers, consumers);
    for (int i = 0; i < consumers; i++) {
        cs[i] = (sel_consumer){&s, i};
        go(select_consume, &cs[i]);
    }
    for (int i = 0; i < producers; i++) {
        ps[i] = (sel_producer){&s, i};
        go(select_produce, &ps[i]);
    }
    go(close_all_after_producers, &s);
    go_wg_wait(&s.consumers);
    LEDGER_CHECK(&s.l, "selects");
    for (int i = 0; i < nchans; i++)
        go_chan_release(s.chans[i]);
}

/* ---- Close with many goroutines blocked ---------------------------------------------------- */

typedef struct closed_probe {
    go_chan *ch, *report;
    go_chan *other; /* non-NULL: receive in a select with this channel, never ready, too */
} closed_probe;

typedef struct close_result {
    int64_t value;
    bool ok;
} close_result;

static void receive_until_closed(void *arg)
{
    closed_probe *p = arg;
    close_result r = {-1, true};
    if (p->other != NULL)
        go_select(GO_RECV(p->ch, &r.value, &r.ok), GO_RECV_DROP(p->other));
    else
        r.ok = go_recv(p->ch, &r.value);
    go_send(p->report, close_result, r);
}

static void test_close_wakes_every_blocked_receiver(void)
{
    enum { receivers = 64, rounds = 5 };
    closed_probe *probes = calloc(receivers, sizeof *probes);
    int64_t ids[receivers];
    for (int round = 0; round < rounds; round++) {
        go_chan *ch = go_make_chan(int64_t, (size_t)(round % 2 == 0 ? 0 : 8));
        go_chan *other = go_make_chan(int, 0), *report = go_make_chan(close_result, receivers);
        for (int i = 0; i < receivers; i++) {
            probes[i] = (closed_probe){ch, report, i % 3 == 0 ? other : NULL};
            ids[i] = go(receive_until_closed, &probes[i]);
        }
        for (int i = 0; i < receivers; i++)
            CHECK_WAIT_STATE(ids[i], i % 3 == 0 ? "select" : "chan receive");
        go_close(ch);
        int woken = 0;
        for (int i = 0; i < receivers; i++) {
            close_result r;
            CHECK(go_recv(report, &r));
            woken += r.value == 0 && !r.ok;
        }
        CHECK_EQ(woken, receivers);
        go_chan_release(ch);
        go_chan_release(other);
        go_chan_release(report);
    }
    free(probes);
}

/* Receivers arriving while the channel is closed under them, with values still buffered: the
 * buffered values go to exactly as many receivers, all the rest get ok == false. */
static void test_close_races_arriving_receivers(void)
{
    enum { receivers = 48, buffered = 20, rounds = 10 };
    closed_probe *probes = calloc(receivers, sizeof *probes);
    go_chan *never = go_make_chan(int, 0);
    for (int round = 0; round < rounds; round++) {
        go_chan *ch = go_make_chan(int64_t, 32), *report = go_make_chan(close_result, receivers);
        for (int i = 0; i < buffered; i++)
            go_send(ch, int64_t, 1000 + i);
        for (int i = 0; i < receivers; i++) {
            probes[i] = (closed_probe){ch, report, i % 4 == 0 ? never : NULL};
            go(receive_until_closed, &probes[i]);
        }
        go_close(ch); /* some receivers ran already, some are blocked, some not started */
        int got_value = 0, got_closed = 0;
        long long sum = 0;
        for (int i = 0; i < receivers; i++) {
            close_result r;
            go_recv(report, &r);
            if (r.ok) {
                got_value++;
                sum += r.value;
            } else {
                got_closed += r.value == 0;
            }
        }
        CHECK_EQ(got_value, buffered);
        CHECK_EQ(got_closed, receivers - buffered);
        CHECK_EQ(sum, 1000LL * buffered + (long long)buffered * (buffered - 1) / 2);
        go_chan_release(ch);
        go_chan_release(report);
    }
    go_chan_release(never);
    free(probes);
}

/* Many senders blocked when the channel closes: each panics (the first one ends the process). */
static void blocked_sender(void *arg)
{
    go_send((go_chan *)arg, int, 1);
}

static void close_under_blocked_senders(int argc, char **argv)
{
    (void)argc, (void)argv;
    enum { senders = 32 };
    go_chan *ch = go_make_chan(int, (size_t)atoi(argv[1]));
    for (int i = 0; i < atoi(argv[1]); i++)
        go_send(ch, int, 0);
    int64_t ids[senders];
    for (int i = 0; i < senders; i++)
        ids[i] = go(blocked_sender, ch);
    for (int i = 0; i < senders; i++)
        CHECK_WAIT_STATE(ids[i], "chan send");
    go_close(ch);
    go_select_forever();
}

/* Go prints one panic even when several goroutines panic at once (the first to panic holds the
 * runtime's panic lock until the process exits). Here every blocked sender panics at the close. */
static int count_occurrences(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_close_under_blocked_senders_panics(void)
{
    for (int round = 0; round < 20; round++) {
        const char *cap = round % 2 ? "4" : "0";
        check_run run = check_capture_args(close_under_blocked_senders, CHECK_ARGS(cap));
        if (CHECK_RUN_PANICKED(&run, "send on closed channel")) {
            CHECK_EQ(count_occurrences(run.output, "panic: "), 1);
            CHECK_CONTAINS(run.output, "[running]:\nblocked_sender()\n\ttests/test_stress.c:");
        }
        check_release(&run);
        if (run.status != 2)
            break;
    }
}

/* Many senders blocked on a full channel are all let through by receivers, and only then is
 * the channel closed, under many blocked receivers: no value is lost, no sender is blocked at
 * the close, and every receiver wakes with ok == false. */
typedef struct tagged_sender {
    go_chan *ch;
    int id;
    go_wait_group *wg;
} tagged_sender;

static void send_tag(void *arg)
{
    tagged_sender *t = arg;
    go_send(t->ch, int64_t, t->id);
    go_wg_done(t->wg);
}

static void test_blocked_senders_drained_then_close_wakes_receivers(void)
{
    enum { senders = 48, receivers = 48, rounds = 4 };
    tagged_sender *ts = calloc(senders, sizeof *ts);
    closed_probe *probes = calloc(receivers, sizeof *probes);
    int64_t ids[senders > receivers ? senders : receivers];
    for (int round = 0; round < rounds; round++) {
        size_t cap = round % 2 == 0 ? 0 : 4;
        go_chan *ch = go_make_chan(int64_t, cap), *report = go_make_chan(close_result, receivers);
        go_chan *never = go_make_chan(int, 0);
        go_wait_group wg = GO_WAIT_GROUP_INIT;
        for (size_t i = 0; i < cap; i++)
            go_send(ch, int64_t, -1);
        go_wg_add(&wg, senders);
        for (int i = 0; i < senders; i++) {
            ts[i] = (tagged_sender){ch, i, &wg};
            ids[i] = go(send_tag, &ts[i]);
        }
        for (int i = 0; i < senders; i++)
            CHECK_WAIT_STATE(ids[i], "chan send");
        /* Take the buffered fillers and every sender's value. */
        unsigned char seen[senders] = {0};
        for (size_t i = 0; i < cap + senders; i++) {
            int64_t v = -2;
            CHECK(go_recv(ch, &v));
            if (v >= 0 && v < senders)
                seen[v]++;
            else
                CHECK_EQ(v, -1);
        }
        for (int i = 0; i < senders; i++)
            CHECK_EQ(seen[i], 1);
        go_wg_wait(&wg);
        /* Now block receivers, plain and in selects, and close under them. */
        for (int i = 0; i < receivers; i++) {
            probes[i] = (closed_probe){ch, report, i % 2 == 0 ? never : NULL};
            ids[i] = go(receive_until_closed, &probes[i]);
        }
        for (int i = 0; i < receivers; i++)
            CHECK_WAIT_STATE(ids[i], i % 2 == 0 ? "select" : "chan receive");
        go_close(ch);
        int woken = 0;
        for (int i = 0; i < receivers; i++) {
            close_result r;
            go_recv(report, &r);
            woken += r.value == 0 && !r.ok;
        }
        CHECK_EQ(woken, receivers);
        go_chan_release(ch);
        go_chan_release(report);
        go_chan_release(never);
    }
    free(ts);
    free(probes);
}

/* ---- Pipelines: values through a chain of stages ------------------------------------------- */

typedef struct stage_args {
    go_chan *in, *out;
    go_wait_group *wg;
} stage_args;

static void stage(void *arg)
{
    stage_args *a = arg;
    uint32_t v;
    while (go_recv(a->in, &v))
        go_send(a->out, uint32_t, v);
    go_wg_done(a->wg);
}

typedef struct stage_closer {
    go_chan *out;
    go_wait_group *wg;
} stage_closer;

static void close_stage_output(void *arg)
{
    stage_closer *c = arg;
    go_wg_wait(c->wg);
    go_close(c->out);
}

static void test_fan_out_fan_in_pipeline(void)
{
    enum { stages = 4, width = 4, values = 20000 };
    go_chan *links[stages + 1];
    for (int i = 0; i <= stages; i++)
        links[i] = go_make_chan(uint32_t, (size_t)(i % 2 == 0 ? 0 : 8));
    stage_args args[stages][width];
    go_wait_group wgs[stages];
    stage_closer closers[stages];
    for (int s = 0; s < stages; s++) {
        wgs[s] = (go_wait_group)GO_WAIT_GROUP_INIT;
        go_wg_add(&wgs[s], width);
        for (int w = 0; w < width; w++) {
            args[s][w] = (stage_args){links[s], links[s + 1], &wgs[s]};
            go(stage, &args[s][w]);
        }
        closers[s] = (stage_closer){links[s + 1], &wgs[s]};
        go(close_stage_output, &closers[s]);
    }
    /* A producer feeds the first link and closes it; main drains the last one. Parallel stages
     * reorder values, so only presence is checked, not order. */
    pc_shared feed = {links[0], {0}, GO_WAIT_GROUP_INIT, GO_WAIT_GROUP_INIT};
    ledger_init(&feed.l, 1, values);
    pc_producer feeder = {&feed, 0};
    go_wg_add(&feed.producers, 1);
    go(produce, &feeder);
    go(close_after_producers, &feed);
    uint32_t tag;
    long n = 0;
    while (go_recv(links[stages], &tag)) {
        int last = -1;
        ledger_record(&feed.l, tag, &last);
        n++;
    }
    CHECK_EQ(n, values);
    LEDGER_CHECK(&feed.l, "pipeline");
    for (int s = 0; s < stages; s++)
        go_wg_wait(&wgs[s]);
    for (int i = 0; i <= stages; i++)
        go_chan_release(links[i]);
}

static const check_case cases[] = {
    CHECK_CASE(test_many_producers_and_consumers),
    CHECK_CASE(test_selects_across_channels),
    CHECK_CASE(test_close_wakes_every_blocked_receiver),
    CHECK_CASE(test_close_races_arriving_receivers),
    CHECK_CASE(test_close_under_blocked_senders_panics),
    CHECK_CASE(test_blocked_senders_drained_then_close_wakes_receivers),
    CHECK_CASE(test_fan_out_fan_in_pipeline),
};

static const check_child children[] = {
    CHECK_CHILD(close_under_blocked_senders),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
