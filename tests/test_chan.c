/* Unit tests of channels, one operation at a time: rendezvous, buffering, copying, close, nil
 * channels, misuse panics, reference counting, and the happens-before edge a send is.
 *
 * Blocking is proved by order and by the runtime's own account of a goroutine
 * (go_goroutine_state says "chan send" once it has committed to park), never by timing. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

/* A goroutine that receives one int from `ch`, then reports what it got on `report`. */
typedef struct recv_report {
    int value;
    bool ok;
} recv_report;

typedef struct one_recv {
    go_chan *ch, *report;
    atomic_bool done;
} one_recv;

static void receive_once(void *arg)
{
    one_recv *r = arg;
    recv_report got = {-1, true};
    got.ok = go_recv(r->ch, &got.value);
    atomic_store(&r->done, true);
    go_send(r->report, recv_report, got);
}

typedef struct one_send {
    go_chan *ch, *report;
    int value;
    atomic_bool done;
} one_send;

/* Sends r->value on r->ch, then reports true on r->report. */
static void send_once(void *arg)
{
    one_send *s = arg;
    go_send(s->ch, int, s->value);
    atomic_store(&s->done, true);
    go_send(s->report, bool, true);
}

static void test_unbuffered_receive_waits_for_sender(void)
{
    go_chan *ch = go_make_chan(int, 0), *report = go_make_chan(recv_report, 0);
    one_recv r = {ch, report, false};
    int64_t id = go(receive_once, &r);
    CHECK_WAIT_STATE(id, "chan receive");
    CHECK(!atomic_load(&r.done)); /* blocked: nothing was sent */
    CHECK_EQ(go_chan_len(ch), 0);
    go_send(ch, int, 42); /* the receiver is waiting, so this hands over and returns */
    recv_report got;
    CHECK(go_recv(report, &got));
    CHECK_EQ(got.value, 42);
    CHECK(got.ok);
    go_chan_release(ch);
    go_chan_release(report);
}

static void test_unbuffered_send_waits_for_receiver(void)
{
    go_chan *ch = go_make_chan(int, 0), *report = go_make_chan(bool, 0);
    one_send s = {ch, report, 7, false};
    int64_t id = go(send_once, &s);
    CHECK_WAIT_STATE(id, "chan send");
    CHECK(!atomic_load(&s.done));
    CHECK_EQ(go_chan_len(ch), 0); /* an unbuffered channel holds nothing, even with a sender */
    int v = 0;
    CHECK(go_recv(ch, &v));
    CHECK_EQ(v, 7);
    bool sent = false;
    CHECK(go_recv(report, &sent));
    CHECK(sent && atomic_load(&s.done));
    go_chan_release(ch);
    go_chan_release(report);
}

static void test_buffered_is_fifo_with_len_and_cap(void)
{
    go_chan *ch = go_make_chan(int, 3), *report = go_make_chan(bool, 0);
    CHECK_EQ(go_chan_cap(ch), 3);
    CHECK_EQ(go_chan_len(ch), 0);
    for (int i = 1; i <= 3; i++) {
        go_send(ch, int, i); /* room in the buffer: never blocks */
        CHECK_EQ(go_chan_len(ch), i);
    }
    /* Full: a fourth sender blocks, and its value must come after the three buffered ones. */
    one_send s = {ch, report, 4, false};
    int64_t id = go(send_once, &s);
    CHECK_WAIT_STATE(id, "chan send");
    CHECK_EQ(go_chan_len(ch), 3);
    CHECK(!atomic_load(&s.done));
    for (int want = 1; want <= 4; want++) {
        int v = 0;
        CHECK(go_recv(ch, &v));
        CHECK_EQ(v, want);
        if (want == 1) {
            /* Taking one value made room for the blocked sender's, keeping the buffer full. */
            bool sent;
            go_recv(report, &sent);
            CHECK_EQ(go_chan_len(ch), 3);
        }
    }
    CHECK_EQ(go_chan_len(ch), 0);
    CHECK_EQ(go_chan_cap(ch), 3);
    go_chan_release(ch);
    go_chan_release(report);
}

static void test_buffered_wraps_around(void)
{
    /* Many more values than slots, interleaved, so the ring's indices wrap many times. */
    go_chan *ch = go_make_chan(int, 5);
    int next_in = 0, next_out = 0;
    for (int round = 0; round < 50; round++) {
        int burst = round % 5 + 1;
        for (int i = 0; i < burst; i++)
            go_send(ch, int, next_in++);
        for (int i = 0; i < burst; i++) {
            int v;
            CHECK(go_recv(ch, &v));
            CHECK_EQ(v, next_out);
            next_out++;
        }
    }
    CHECK_EQ(go_chan_len(ch), 0);
    go_chan_release(ch);
}

/* The ring's positions count laps; capacities that are and are not powers of two, over many
 * laps, with len() checked at every step and a full buffer refusing a non-blocking send. */
static void test_ring_capacities_over_many_laps(void)
{
    static const size_t caps[] = {1, 2, 3, 4, 5, 7, 8, 9, 128};
    for (size_t k = 0; k < GO_LEN(caps); k++) {
        size_t cap = caps[k];
        go_chan *ch = go_make_chan(int64_t, cap);
        int64_t next_in = 0, next_out = 0;
        for (size_t lap = 0; lap < 10; lap++) {
            size_t fill = lap % 2 == 0 ? cap : cap / 2 + 1;
            for (size_t i = 0; i < fill; i++) {
                go_send(ch, int64_t, next_in++);
                CHECK_EQ(go_chan_len(ch), i + 1);
            }
            if (fill == cap) {
                int64_t extra = -1;
                CHECK_EQ(go_select(GO_SEND(ch, &extra), GO_DEFAULT), 1);
            }
            for (size_t i = 0; i < fill; i++) {
                int64_t v;
                CHECK(go_recv(ch, &v));
                CHECK_EQ(v, next_out++);
                CHECK_EQ(go_chan_len(ch), fill - i - 1);
            }
        }
        go_chan_release(ch);
    }
}

/* Values of any size are copied in and out whole. */
typedef struct three_bytes {
    unsigned char a, b, c;
} three_bytes;

typedef struct kilobyte {
    unsigned char bytes[1024];
} kilobyte;

/* A destination surrounded by guard bytes, to see that a receive writes exactly its size. */
typedef struct guarded_kb {
    unsigned char before[64];
    kilobyte value;
    unsigned char after[64];
} guarded_kb;

typedef struct guarded_3 {
    unsigned char before[8];
    three_bytes value;
    unsigned char after[8];
} guarded_3;

static void fill_kb(kilobyte *k, unsigned seed)
{
    for (size_t i = 0; i < sizeof k->bytes; i++)
        k->bytes[i] = (unsigned char)(i * 31 + seed);
}

static bool kb_is(const kilobyte *k, unsigned seed)
{
    for (size_t i = 0; i < sizeof k->bytes; i++)
        if (k->bytes[i] != (unsigned char)(i * 31 + seed))
            return false;
    return true;
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char b)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != b)
            return false;
    return true;
}

typedef struct kb_sender {
    go_chan *ch;
    unsigned seed;
} kb_sender;

/* Sends a kilobyte from its own stack, then scribbles over it: the receiver must have a copy. */
static void send_kb(void *arg)
{
    kb_sender s = *(kb_sender *)arg; /* *arg may be gone once the value is received */
    kilobyte k;
    fill_kb(&k, s.seed);
    go_send(s.ch, kilobyte, k);
    memset(&k, 0xEE, sizeof k);
    go_chan_release(s.ch);
}

typedef struct kb_receiver {
    go_chan *ch, *done;
    guarded_kb *into;
} kb_receiver;

static void recv_kb(void *arg)
{
    kb_receiver *r = arg;
    CHECK(go_recv(r->ch, &r->into->value));
    go_send(r->done, bool, true);
}

static void test_values_of_several_sizes_are_copied_intact(void)
{
    /* 1 byte: every value, through a buffered channel. */
    go_chan *bytes = go_make_chan(uint8_t, 256);
    for (int i = 0; i < 256; i++)
        go_send(bytes, uint8_t, (uint8_t)i);
    for (int i = 0; i < 256; i++) {
        uint8_t b;
        CHECK(go_recv(bytes, &b));
        CHECK_EQ(b, i);
    }
    go_chan_release(bytes);

    /* 3 bytes, an odd size: the buffer's slots must not overlap or pad. */
    go_chan *triples = go_make_chan(three_bytes, 4);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 4; i++)
            go_send(triples, three_bytes, ((three_bytes){(unsigned char)i, (unsigned char)(i + 100), (unsigned char)(255 - i)}));
        for (int i = 0; i < 4; i++) {
            guarded_3 g;
            memset(&g, 0xAB, sizeof g);
            CHECK(go_recv(triples, &g.value));
            CHECK(g.value.a == i && g.value.b == i + 100 && g.value.c == 255 - i);
            CHECK(all_bytes(g.before, sizeof g.before, 0xAB) && all_bytes(g.after, sizeof g.after, 0xAB));
        }
    }
    go_chan_release(triples);

    /* 1 KiB through a buffered channel. */
    go_chan *kbs = go_make_chan(kilobyte, 2);
    kilobyte k;
    fill_kb(&k, 1);
    go_send(kbs, kilobyte, k);
    fill_kb(&k, 2);
    go_send(kbs, kilobyte, k);
    memset(&k, 0, sizeof k); /* the channel holds copies */
    guarded_kb g;
    memset(&g, 0xAB, sizeof g);
    CHECK(go_recv(kbs, &g.value));
    CHECK(kb_is(&g.value, 1));
    CHECK(go_recv(kbs, &g.value));
    CHECK(kb_is(&g.value, 2));
    CHECK(all_bytes(g.before, sizeof g.before, 0xAB) && all_bytes(g.after, sizeof g.after, 0xAB));
    go_chan_release(kbs);

    /* 1 KiB unbuffered, the sender first: the receiver copies from the parked sender's stack. */
    go_chan *direct = go_make_chan(kilobyte, 0);
    kb_sender s = {go_chan_retain(direct), 3};
    int64_t id = go(send_kb, &s);
    CHECK_WAIT_STATE(id, "chan send");
    memset(&g, 0xAB, sizeof g);
    CHECK(go_recv(direct, &g.value));
    CHECK(kb_is(&g.value, 3));
    CHECK(all_bytes(g.before, sizeof g.before, 0xAB) && all_bytes(g.after, sizeof g.after, 0xAB));

    /* ...and the receiver first: the sender copies straight into the parked receiver's variable. */
    go_chan *done = go_make_chan(bool, 0);
    memset(&g, 0xAB, sizeof g);
    kb_receiver r = {direct, done, &g};
    id = go(recv_kb, &r);
    CHECK_WAIT_STATE(id, "chan receive");
    fill_kb(&k, 4);
    go_send(direct, kilobyte, k);
    go_recv_drop(done);
    CHECK(kb_is(&g.value, 4));
    CHECK(all_bytes(g.before, sizeof g.before, 0xAB) && all_bytes(g.after, sizeof g.after, 0xAB));
    go_chan_release(direct);
    go_chan_release(done);
}

static void test_receive_reports_ok(void)
{
    go_chan *ch = go_make_chan(int, 1);
    go_send(ch, int, 0); /* a zero value that was sent is ok == true */
    int v = -1;
    CHECK(go_recv(ch, &v));
    CHECK_EQ(v, 0);
    go_send(ch, int, 5);
    go_close(ch);
    v = -1;
    CHECK(go_recv(ch, &v));
    CHECK_EQ(v, 5);
    v = -1;
    CHECK(!go_recv(ch, &v));
    CHECK_EQ(v, 0);
    go_chan_release(ch);
}

typedef struct counter_args {
    go_chan *ch;
    int n;
} counter_args;

/* Sends 0..n-1, then closes: a generator. */
static void count_then_close(void *arg)
{
    counter_args *a = arg;
    for (int i = 0; i < a->n; i++)
        go_send(a->ch, int, i);
    go_close(a->ch);
}

static void test_range_loop_ends_at_close(void)
{
    for (size_t cap = 0; cap <= 8; cap += 4) {
        go_chan *ch = go_make_chan(int, cap);
        counter_args a = {ch, 100};
        go(count_then_close, &a);
        int v, n = 0;
        while (go_recv(ch, &v)) { /* for v := range ch */
            CHECK_EQ(v, n);
            n++;
        }
        CHECK_EQ(n, 100);
        CHECK_EQ(v, 0);
        go_chan_release(ch);
    }
}

static void test_close_drains_buffer_then_gives_zero_at_once(void)
{
    go_chan *ch = go_make_chan(int, 4);
    go_send(ch, int, 10);
    go_send(ch, int, 20);
    go_send(ch, int, 30);
    go_close(ch);
    CHECK_EQ(go_chan_len(ch), 3);
    for (int want = 10; want <= 30; want += 10) {
        int v;
        CHECK(go_recv(ch, &v));
        CHECK_EQ(v, want);
    }
    CHECK_EQ(go_chan_len(ch), 0);
    /* Drained: every receive returns at once, zero and false (main would deadlock otherwise). */
    for (int i = 0; i < 5; i++) {
        int v = 99;
        CHECK(!go_recv(ch, &v));
        CHECK_EQ(v, 0);
    }
    go_recv_drop(ch);
    go_chan_release(ch);
}

static void test_close_wakes_blocked_receivers(void)
{
    enum { n = 6 };
    for (size_t cap = 0; cap <= 2; cap += 2) {
        go_chan *ch = go_make_chan(int, cap), *report = go_make_chan(recv_report, 0);
        one_recv r[n];
        int64_t ids[n];
        for (int i = 0; i < n; i++) {
            r[i] = (one_recv){ch, report, false};
            ids[i] = go(receive_once, &r[i]);
        }
        for (int i = 0; i < n; i++)
            CHECK_WAIT_STATE(ids[i], "chan receive");
        go_close(ch);
        for (int i = 0; i < n; i++) {
            recv_report got;
            CHECK(go_recv(report, &got));
            CHECK_EQ(got.value, 0); /* receive_once starts from -1: close zeroed it */
            CHECK(!got.ok);
        }
        go_chan_release(ch);
        go_chan_release(report);
    }
}

/* A sender blocked when its channel is closed panics, as in Go. */
static void blocked_sender_then_close(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 0), *report = go_make_chan(bool, 1);
    one_send s = {ch, report, 1, false};
    int64_t id = go(send_once, &s);
    CHECK_WAIT_STATE(id, "chan send");
    go_close(ch);
    go_select_forever(); /* the sender's panic ends the process */
}

static void test_close_panics_blocked_sender(void)
{
    check_run run = check_capture(blocked_sender_then_close);
    if (CHECK_RUN_PANICKED(&run, "send on closed channel"))
        CHECK_CONTAINS(run.output, "[running]:\nsend_once()\n\ttests/test_chan.c:");
    check_release(&run);
}

static void send_nil(void *arg)
{
    (void)arg;
    go_send(NULL, int, 1);
    CHECK(false); /* never reached */
}

static void recv_nil(void *arg)
{
    (void)arg;
    int v;
    go_recv(NULL, &v);
    CHECK(false);
}

static void test_nil_channel_blocks_forever(void)
{
    /* The two goroutines stay blocked until the test process exits. */
    int64_t sender = go(send_nil, NULL), receiver = go(recv_nil, NULL);
    CHECK_WAIT_STATE(sender, "chan send (nil chan)");
    CHECK_WAIT_STATE(receiver, "chan receive (nil chan)");
    CHECK_EQ(go_chan_len(NULL), 0);
    CHECK_EQ(go_chan_cap(NULL), 0);
}

static void send_on_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 1);
    go_close(ch);
    go_send(ch, int, 1);
}

static void send_on_closed_buffered_with_room(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 4);
    go_send(ch, int, 1);
    go_close(ch);
    go_send(ch, int, 2);
}

static void close_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 0);
    go_close(ch);
    go_close(ch);
}

static void close_nil(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_close(NULL);
}

static void send_wrong_size(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int64_t, 1);
    go_send(ch, int32_t, 1);
}

static void recv_wrong_size(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(three_bytes, 1);
    go_send(ch, three_bytes, ((three_bytes){1, 2, 3}));
    int v;
    go_recv(ch, &v);
}

/* Go's limits on make(chan T, n): an element of 64 KiB or more, a buffer too big. */
typedef struct big_element {
    unsigned char bytes[1 << 16];
} big_element;

static void make_big_element(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_make_chan(big_element, 1);
}

static void make_huge_buffer(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_make_chan(int, (size_t)UINT32_MAX + 1);
}

/* On one line: the panic must name this line, the caller's, not the library's. */
enum { negative_make_line = __LINE__ }; static void make_negative_buffer(int argc, char **argv) { (void)argc, (void)argv; int n = -1; go_make_chan(int, n); }

static void test_make_limits_like_go(void)
{
    CHECK_FATAL(make_big_element, "makechan: invalid channel element type");
    CHECK_PANICS(make_huge_buffer, "makechan: size out of range");
    check_run run = check_capture(make_negative_buffer);
    if (CHECK_RUN_PANICKED(&run, "makechan: size out of range")) {
        char where[128];
        snprintf(where, sizeof where, "make_negative_buffer()\n\ttests/test_chan.c:%d\n", negative_make_line);
        CHECK_CONTAINS(run.output, where);
    }
    check_release(&run);
    /* Just under the element limit works. */
    typedef struct { unsigned char bytes[(1 << 16) - 1]; } largest;
    go_chan *ch = go_make_chan(largest, 2);
    static largest in, out;
    in.bytes[0] = 1;
    in.bytes[sizeof in.bytes - 1] = 2;
    go_send(ch, largest, in);
    CHECK(go_recv(ch, &out));
    CHECK_EQ(out.bytes[0], 1);
    CHECK_EQ(out.bytes[sizeof out.bytes - 1], 2);
    go_chan_release(ch);
}

static void test_misuse_panics_like_go(void)
{
    CHECK_PANICS(send_on_closed, "send on closed channel");
    CHECK_PANICS(send_on_closed_buffered_with_room, "send on closed channel");
    CHECK_PANICS(close_closed, "close of closed channel");
    CHECK_PANICS(close_nil, "close of nil channel");
    CHECK_PANICS(send_wrong_size, "channel elements are 8 bytes, used as a 4-byte type");
    CHECK_PANICS(recv_wrong_size, "channel elements are 3 bytes, used as a 4-byte type");
}

/* The panic names the goroutine and the line of the bad operation. */
static void test_panic_reports_site(void)
{
    check_run run = check_capture(close_closed);
    CHECK_EQ(run.status, 2);
    CHECK_CONTAINS(run.output, "\n\ngoroutine 1 [running]:\nclose_closed()\n\ttests/test_chan.c:");
    check_release(&run);
}

typedef struct ref_user {
    go_chan *ch; /* its own reference */
    go_chan *done;
} ref_user;

/* Uses a channel through its own reference after every other one is gone, then drops it. */
static void use_own_reference(void *arg)
{
    ref_user *u = arg;
    for (int i = 0; i < 3; i++)
        go_send(u->ch, int, i);
    int sum = 0, v;
    while (go_chan_len(u->ch) > 0 && go_recv(u->ch, &v))
        sum += v;
    go_chan_release(u->ch); /* the last reference: frees the channel */
    go_send(u->done, int, sum);
}

static void test_reference_counting_keeps_channel_alive(void)
{
    CHECK(go_chan_retain(NULL) == NULL);
    go_chan_release(NULL); /* no-op, like the nil channel */

    /* Retain returns the channel, and each reference must be released once: under ASan a
     * use after the last release or a missing release fails the test. */
    go_chan *ch = go_make_chan(int, 3), *done = go_make_chan(int, 0);
    CHECK(go_chan_retain(ch) == ch);
    go_chan_release(ch);
    ref_user u = {go_chan_retain(ch), done};
    go_chan_release(ch); /* the creator lets go first */
    go(use_own_reference, &u);
    int sum;
    CHECK(go_recv(done, &sum));
    CHECK_EQ(sum, 0 + 1 + 2);
    go_chan_release(done);
}

/* Freeing a channel a goroutine is still blocked on is a fatal error. */
static void release_with_waiter(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 0), *report = go_make_chan(recv_report, 1);
    one_recv r = {ch, report, false};
    int64_t id = go(receive_once, &r);
    CHECK_WAIT_STATE(id, "chan receive");
    go_chan_release(ch);
}

static void test_release_with_blocked_goroutine_is_fatal(void)
{
    CHECK_FATAL(release_with_waiter, "gocurrent: channel freed while goroutines are blocked on it");
}

/* "Share memory by communicating": plain (non-atomic) memory written before a send and read
 * after the matching receive is ordered by the channel. Under ThreadSanitizer any report here
 * fails the test binary. */
typedef struct message {
    int values[64];
    char text[32];
} message;

typedef struct relay_args {
    go_chan *in, *out;
    int rounds;
} relay_args;

/* Receives a pointer, reads and updates the plain memory behind it, passes the pointer on. */
static void relay(void *arg)
{
    relay_args a = *(relay_args *)arg; /* the caller reuses *arg once this is done */
    for (int r = 0; r < a.rounds; r++) {
        message *m;
        CHECK(go_recv(a.in, &m));
        for (int i = 0; i < 64; i++) {
            CHECK_EQ(m->values[i], r * 64 + i);
            m->values[i] += 1000;
        }
        CHECK_STREQ(m->text, "hello");
        m->text[0] = 'j';
        go_send(a.out, message *, m);
    }
}

static void test_pointer_over_channel_orders_plain_memory(void)
{
    enum { rounds = 200 };
    for (size_t cap = 0; cap <= 1; cap++) {
        go_chan *to = go_make_chan(message *, cap), *back = go_make_chan(message *, cap);
        relay_args a = {to, back, rounds};
        go(relay, &a);
        for (int r = 0; r < rounds; r++) {
            message *m = malloc(sizeof *m);
            for (int i = 0; i < 64; i++)
                m->values[i] = r * 64 + i;
            strcpy(m->text, "hello");
            go_send(to, message *, m);
            message *got;
            CHECK(go_recv(back, &got));
            CHECK(got == m);
            CHECK_EQ(got->values[63], r * 64 + 63 + 1000);
            CHECK_STREQ(got->text, "jello");
            free(got);
        }
        go_chan_release(to);
        go_chan_release(back);
    }
}

static void test_receive_drop_discards_value(void)
{
    go_chan *ch = go_make_chan(int, 2);
    go_send(ch, int, 1);
    go_send(ch, int, 2);
    CHECK(go_recv_drop(ch));
    int v;
    CHECK(go_recv(ch, &v));
    CHECK_EQ(v, 2);
    go_close(ch);
    CHECK(!go_recv_drop(ch));
    go_chan_release(ch);
}

static const check_case cases[] = {
    CHECK_CASE(test_unbuffered_receive_waits_for_sender),
    CHECK_CASE(test_unbuffered_send_waits_for_receiver),
    CHECK_CASE(test_buffered_is_fifo_with_len_and_cap),
    CHECK_CASE(test_buffered_wraps_around),
    CHECK_CASE(test_ring_capacities_over_many_laps),
    CHECK_CASE(test_values_of_several_sizes_are_copied_intact),
    CHECK_CASE(test_receive_reports_ok),
    CHECK_CASE(test_range_loop_ends_at_close),
    CHECK_CASE(test_close_drains_buffer_then_gives_zero_at_once),
    CHECK_CASE(test_close_wakes_blocked_receivers),
    CHECK_CASE(test_close_panics_blocked_sender),
    CHECK_CASE(test_nil_channel_blocks_forever),
    CHECK_CASE(test_make_limits_like_go),
    CHECK_CASE(test_misuse_panics_like_go),
    CHECK_CASE(test_panic_reports_site),
    CHECK_CASE(test_reference_counting_keeps_channel_alive),
    CHECK_CASE(test_release_with_blocked_goroutine_is_fatal),
    CHECK_CASE(test_pointer_over_channel_orders_plain_memory),
    CHECK_CASE(test_receive_drop_discards_value),
};

static const check_child children[] = {
    CHECK_CHILD(blocked_sender_then_close),
    CHECK_CHILD(make_big_element),
    CHECK_CHILD(make_huge_buffer),
    CHECK_CHILD(make_negative_buffer),
    CHECK_CHILD(send_on_closed),
    CHECK_CHILD(send_on_closed_buffered_with_room),
    CHECK_CHILD(close_closed),
    CHECK_CHILD(close_nil),
    CHECK_CHILD(send_wrong_size),
    CHECK_CHILD(recv_wrong_size),
    CHECK_CHILD(release_with_waiter),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
