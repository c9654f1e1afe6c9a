/* channels.c - chapter 03: Go's channels, written in C.
 *
 * Every demo mirrors one small Go example, and most have a Go twin (go/<demo>.go) that prints
 * exactly what the demo prints. `03-channels --list` shows the demos; naming one runs it alone.
 *
 * Where Go's own output order would depend on which goroutine the scheduler runs first, the
 * demos fix it with channels: only one goroutine prints at a time, and the others wait for a
 * signal. No demo sleeps, so no output depends on how fast the machine is.
 *
 * To show that an operation blocks, a demo asks the runtime what the blocked goroutine is doing
 * (go_goroutine_state), the same words a goroutine dump prints: "chan send", "chan receive".
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gocurrent/chan.h"
#include "gocurrent/demo.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/slice.h"

/* fmt prints a Go bool as the word true or false. */
static const char *bool_text(bool value)
{
    return value ? "true" : "false";
}



/* Two channels for one goroutine: the one it works on and a done signal (Go's chan struct{}).
 * The goroutine copies this struct first thing and owns one reference to each channel. */
typedef struct work {
    go_chan *ch;
    go_chan *done;
} work;

/* ---- Blocking ------------------------------------------------------------------------------ */

static void send_42(void *arg)
{
    work w = *(work *)arg;
    go_send(w.ch, go_int, 42); /* waits here until main receives */
    printf("Sent\n");
    go_close(w.done);
    go_chan_release(w.ch);
    go_chan_release(w.done);
}

/* An unbuffered channel has no room for a value: a send completes only when a receiver takes
 * the value from the sender's hands. Until main receives, the sender is blocked in "chan send". */
static void demo_send_unbuffered(void)
{
    go_chan *ch = go_make_chan(go_int, 0);
    go_chan *done = go_chan_make(0, 0);
    work w = {go_chan_retain(ch), go_chan_retain(done)};
    int64_t sender = go(send_42, &w);

    printf("the sender is blocked: [%s]\n", go_goroutine_settle(sender));
    go_int v;
    go_recv(ch, &v);
    go_recv_drop(done); /* let the sender print "Sent" before main prints the value */
    printf("%" PRId64 "\n", v);
    go_chan_release(ch);
    go_chan_release(done);
}

static void send_42_43(void *arg)
{
    work w = *(work *)arg;
    go_send(w.ch, go_int, 42); /* the buffer has room: returns at once */
    printf("42 is in the buffer\n");
    go_send(w.ch, go_int, 43); /* the buffer is full: waits until main receives */
    printf("Sent\n");
    go_close(w.done);
    go_chan_release(w.ch);
    go_chan_release(w.done);
}

/* A buffered send blocks only when the buffer is full. With capacity 1, the first send goes
 * straight into the buffer; the second waits until a receive makes room. */
static void demo_send_buffered_full(void)
{
    go_chan *ch = go_make_chan(go_int, 1);
    go_chan *done = go_chan_make(0, 0);
    work w = {go_chan_retain(ch), go_chan_retain(done)};
    int64_t sender = go(send_42_43, &w);

    const char *state = go_goroutine_settle(sender);
    printf("the sender is blocked: [%s], len(ch) = %zu, cap(ch) = %zu\n", state, go_chan_len(ch),
           go_chan_cap(ch));
    go_int v;
    go_recv(ch, &v);
    go_recv_drop(done); /* let the sender print "Sent" before main prints the value */
    printf("%" PRId64 "\n", v);
    go_recv(ch, &v);
    printf("%" PRId64 "\n", v);
    go_chan_release(ch);
    go_chan_release(done);
}

static void send_after_main_blocks(void *arg)
{
    go_chan *ch = arg;
    printf("main is blocked: [%s]\n", go_goroutine_settle(1)); /* main is always goroutine 1 */
    go_send(ch, go_int, 42);
    go_chan_release(ch);
}

/* A receive blocks while there is nothing to take: here the buffer is empty, so main waits in
 * "chan receive" until the goroutine sends. */
static void demo_receive_empty(void)
{
    go_chan *ch = go_make_chan(go_int, 1);
    go(send_after_main_blocks, go_chan_retain(ch));

    printf("Receiving\n");
    go_int v;
    go_recv(ch, &v);
    printf("%" PRId64 "\n", v);
    go_chan_release(ch);
}

/* ---- Not blocking: select with default ----------------------------------------------------- */

/* A select with a default case never waits: if no other case can run at once, default runs. */
static void demo_select_default(void)
{
    go_chan *events = go_make_chan(go_int, 0);
    go_int e;
    switch (go_select(GO_RECV(events, &e, NULL), GO_DEFAULT)) {
    case 0:
        printf("received %" PRId64 "\n", e);
        break;
    case 1:
        printf("no value ready, did not wait\n");
        break;
    }

    /* The same for a send: nobody is receiving on events, so the send case cannot run. */
    go_int x = 1;
    switch (go_select(GO_SEND(events, &x), GO_DEFAULT)) {
    case 0:
        printf("sent %" PRId64 "\n", x);
        break;
    case 1:
        printf("no receiver ready, nothing sent\n");
        break;
    }

    /* A buffered value is ready, so the receive case runs and default does not. */
    go_chan *ready = go_make_chan(go_int, 1);
    go_send(ready, go_int, 7);
    switch (go_select(GO_RECV(ready, &e, NULL), GO_DEFAULT)) {
    case 0:
        printf("received %" PRId64 "\n", e);
        break;
    case 1:
        printf("no value ready, did not wait\n");
        break;
    }
    go_chan_release(events);
    go_chan_release(ready);
}

/* ---- Receiving from a closed channel ------------------------------------------------------- */

/* Closing does not throw buffered values away: they are received first, in order. After that,
 * every receive returns at once with the zero value, and ok is false. */
static void demo_closed_with_values(void)
{
    go_chan *ch = go_make_chan(go_int, 2);
    go_send(ch, go_int, 10);
    go_send(ch, go_int, 20);
    go_close(ch);

    go_int v;
    go_recv(ch, &v);
    printf("%" PRId64 "\n", v);
    go_recv(ch, &v);
    printf("%" PRId64 "\n", v);
    go_recv(ch, &v);
    printf("%" PRId64 "\n", v);
    bool ok = go_recv(ch, &v);
    printf("%" PRId64 " %s\n", v, bool_text(ok));
    go_chan_release(ch);
}

/* Go's string as a channel element: C has no string value, so the element is a fixed array of
 * bytes, copied in and out whole. Its zero value, all bytes zero, is the empty string. */
typedef struct label {
    char text[16];
} label;

/* A closed, empty channel of strings gives the empty string and false. */
static void demo_closed_empty(void)
{
    go_chan *names = go_make_chan(label, 0);
    go_close(names);

    label name = {"not received"};
    bool ok = go_recv(names, &name);
    printf("%s %s\n", name.text, bool_text(ok));
    printf("name = \"%s\", ok = %s\n", name.text, bool_text(ok));
    go_chan_release(names);
}

/* A sent zero and the zero of a closed channel look the same; only ok tells them apart. */
static void demo_comma_ok(void)
{
    go_chan *counts = go_make_chan(go_int, 1);
    go_send(counts, go_int, 0);
    go_close(counts);

    go_int n;
    bool ok = go_recv(counts, &n);
    printf("%" PRId64 " %s\n", n, bool_text(ok));
    ok = go_recv(counts, &n);
    printf("%" PRId64 " %s\n", n, bool_text(ok));
    go_chan_release(counts);
}

/* ---- Ranging over a channel ---------------------------------------------------------------- */

/* `for item := range queue` receives until the channel is closed and drained. In C that is a
 * loop on go_recv's ok. Closed with values buffered: every value, then the loop ends. */
static void demo_range_closed(void)
{
    go_chan *ch = go_make_chan(go_int, 2);
    go_send(ch, go_int, 10);
    go_send(ch, go_int, 20);
    go_close(ch);

    go_int v;
    while (go_recv(ch, &v))
        printf("%" PRId64 "\n", v);
    printf("the loop ended\n");
    go_chan_release(ch);
}

static void send_10_20(void *arg)
{
    go_chan *ch = arg;
    go_send(ch, go_int, 10);
    go_send(ch, go_int, 20);
    go_close(ch);
    go_chan_release(ch);
}

/* The usual shape: a goroutine sends on an unbuffered channel and closes it when done; the
 * receiver's loop ends when it sees the close. */
static void demo_range_sender_closes(void)
{
    go_chan *ch = go_make_chan(go_int, 0);
    go(send_10_20, go_chan_retain(ch));

    go_int v;
    while (go_recv(ch, &v))
        printf("%" PRId64 "\n", v);
    printf("the loop ended\n");
    go_chan_release(ch);
}

/* Closed and empty: the first receive already reports the close, so the body never runs. */
static void demo_range_closed_empty(void)
{
    go_chan *queue = go_make_chan(go_int, 3);
    go_close(queue);

    go_int item;
    while (go_recv(queue, &item))
        printf("%" PRId64 "\n", item);
    printf("the loop ended without a value\n");
    go_chan_release(queue);
}

static void send_10(void *arg)
{
    go_chan *ch = arg;
    go_send(ch, go_int, 10);
    go_chan_release(ch);
}

/* Open, unbuffered, one value sent: the loop gets 10, then waits for a second value or a close.
 * The sender has returned, so neither can ever come: the runtime reports a deadlock. */
static void demo_range_open_unbuffered(void)
{
    go_chan *ch = go_make_chan(go_int, 0);
    go(send_10, go_chan_retain(ch));

    go_int v;
    while (go_recv(ch, &v))
        printf("%" PRId64 "\n", v);
    printf("the loop ended\n");
}

/* Open, buffered, one value buffered: the same ending, with no other goroutine at all. */
static void demo_range_open_buffered(void)
{
    go_chan *ch = go_make_chan(go_int, 1);
    go_send(ch, go_int, 10);

    go_int v;
    while (go_recv(ch, &v))
        printf("%" PRId64 "\n", v);
    printf("the loop ended\n");
}

/* Open and empty: the very first receive waits forever. */
static void demo_range_open_empty(void)
{
    go_chan *idle = go_make_chan(go_int, 0);

    go_int x;
    while (go_recv(idle, &x))
        printf("%" PRId64 "\n", x);
    printf("the loop ended\n");
}

/* ---- Misuse: panics and a nil channel ------------------------------------------------------ */

static void signal_and_close(void *arg)
{
    go_chan *signal = arg;
    go_send(signal, go_int, 10);
    go_close(signal);
    go_chan_release(signal);
}

/* Only one side may close a channel, once. Here main closes a channel the goroutine closed. */
static void demo_close_twice(void)
{
    go_chan *signal = go_make_chan(go_int, 0);
    go(signal_and_close, go_chan_retain(signal));

    go_int v;
    go_recv(signal, &v);
    printf("%" PRId64 "\n", v);
    bool ok = go_recv(signal, &v); /* returns once the goroutine has closed signal */
    printf("%" PRId64 " %s\n", v, bool_text(ok));
    go_close(signal);
}

/* A closed channel takes no more values, even with room in its buffer. */
static void demo_send_on_closed(void)
{
    go_chan *jobs = go_make_chan(go_int, 2);
    go_close(jobs);
    printf("len(jobs) = %zu, cap(jobs) = %zu\n", go_chan_len(jobs), go_chan_cap(jobs));
    go_send(jobs, go_int, 10);
}

/* A channel variable that was never made is nil, and closing it panics. */
static void demo_close_nil(void)
{
    go_chan *quit = NULL; /* var quit chan int */
    printf("quit == nil: %s\n", bool_text(quit == NULL));
    go_close(quit);
}

static void send_result(void *arg)
{
    go_chan *results = arg;
    go_send(results, go_int, 42);
}

/* The classic slip: a channel declared but never made. Sending to and receiving from a nil
 * channel both block forever, so here both goroutines wait for good. */
static void demo_nil_channel(void)
{
    go_chan *results = NULL; /* var results chan int: nil, make was forgotten */
    go(send_result, results);
    go_int v;
    go_recv(results, &v);
    printf("%" PRId64 "\n", v);
}

/* ---- Summary: which operations block, measured ----------------------------------------------- */

/* Each probe goroutine does one channel operation and returns, unless that operation blocks.
 * It owns one reference to its channel (none for a nil channel). */
static void probe_send(void *arg)
{
    go_chan *ch = arg;
    go_send(ch, go_int, 1);
    go_chan_release(ch);
}

static void probe_receive(void *arg)
{
    go_chan *ch = arg;
    go_int v;
    go_recv(ch, &v);
    go_chan_release(ch);
}

static void probe_range(void *arg)
{
    go_chan *ch = arg;
    go_int v;
    while (go_recv(ch, &v)) {
    }
    go_chan_release(ch);
}

static void probe_close(void *arg)
{
    go_chan *ch = arg;
    go_close(ch);
    go_chan_release(ch);
}

static void probe_select_default(void *arg)
{
    go_chan *ch = arg;
    go_int v;
    go_select(GO_RECV(ch, &v, NULL), GO_DEFAULT);
    go_chan_release(ch);
}

static void probe_select(void *arg)
{
    work w = *(work *)arg; /* two channels to wait on: w.ch and w.done */
    go_select(GO_RECV_DROP(w.ch), GO_RECV_DROP(w.done));
    go_chan_release(w.ch);
    go_chan_release(w.done);
}

/* Starts a probe, watches it until it has blocked or returned, and prints the table's row.
 * Returns the probe's id. */
static int64_t probe_row(const char *operation, void (*probe)(void *), void *arg)
{
    int64_t id = go(probe, arg);
    const char *state = go_goroutine_settle(id);
    if (state != NULL)
        printf("%-45s  %-6s  blocked [%s]\n", operation, "YES", state);
    else
        printf("%-45s  %-6s  returned\n", operation, "no");
    return id;
}

/* A goroutine blocked in a receive on ch, for the rows where a receiver is already waiting. */
static int64_t waiting_receiver(go_chan *ch)
{
    int64_t id = go(probe_receive, go_chan_retain(ch));
    go_goroutine_settle(id);
    return id;
}

static int64_t waiting_sender(go_chan *ch)
{
    int64_t id = go(probe_send, go_chan_retain(ch));
    go_goroutine_settle(id);
    return id;
}

static void demo_summary(void)
{
    printf("%-45s  %-6s  %s\n", "operation", "blocks", "the probe goroutine");
    go_chan *ch;
    int64_t id, helper;

    ch = go_make_chan(go_int, 0);
    id = probe_row("ch <- v, unbuffered, no receiver", probe_send, go_chan_retain(ch));
    go_recv_drop(ch); /* release the probe */
    go_goroutine_wait_returned(id);
    go_chan_release(ch);

    ch = go_make_chan(go_int, 0);
    helper = waiting_receiver(ch);
    probe_row("ch <- v, unbuffered, a receiver waiting", probe_send, go_chan_retain(ch));
    go_goroutine_wait_returned(helper);
    go_chan_release(ch);

    ch = go_make_chan(go_int, 0);
    id = probe_row("<-ch, unbuffered, no sender", probe_receive, go_chan_retain(ch));
    go_send(ch, go_int, 1);
    go_goroutine_wait_returned(id);
    go_chan_release(ch);

    ch = go_make_chan(go_int, 0);
    helper = waiting_sender(ch);
    probe_row("<-ch, unbuffered, a sender waiting", probe_receive, go_chan_retain(ch));
    go_goroutine_wait_returned(helper);
    go_chan_release(ch);

    ch = go_make_chan(go_int, 1);
    probe_row("ch <- v, buffered, room in the buffer", probe_send, go_chan_retain(ch));
    go_chan_release(ch);

    ch = go_make_chan(go_int, 1);
    go_send(ch, go_int, 1);
    id = probe_row("ch <- v, buffered, buffer full", probe_send, go_chan_retain(ch));
    go_recv_drop(ch);
    go_goroutine_wait_returned(id);
    go_chan_release(ch);

    ch = go_make_chan(go_int, 1);
    go_send(ch, go_int, 1);
    probe_row("<-ch, buffered, a value in the buffer", probe_receive, go_chan_retain(ch));
    go_chan_release(ch);

    ch = go_make_chan(go_int, 1);
    id = probe_row("<-ch, buffered, buffer empty", probe_receive, go_chan_retain(ch));
    go_send(ch, go_int, 1);
    go_goroutine_wait_returned(id);
    go_chan_release(ch);

    ch = go_make_chan(go_int, 1);
    go_close(ch);
    probe_row("<-ch, closed (zero value, ok false)", probe_receive, go_chan_retain(ch));
    go_chan_release(ch);

    ch = go_make_chan(go_int, 1);
    go_send(ch, go_int, 1);
    id = probe_row("for range ch, open, one value buffered", probe_range, go_chan_retain(ch));
    go_close(ch); /* ends the probe's loop */
    go_goroutine_wait_returned(id);
    go_chan_release(ch);

    ch = go_make_chan(go_int, 1);
    go_send(ch, go_int, 1);
    go_close(ch);
    probe_row("for range ch, closed, one value buffered", probe_range, go_chan_retain(ch));
    go_chan_release(ch);

    /* Nothing can release these two: they stay blocked until the program exits. */
    probe_row("ch <- v, nil channel", probe_send, NULL);
    probe_row("<-ch, nil channel", probe_receive, NULL);

    ch = go_make_chan(go_int, 0);
    probe_row("select with default, nothing ready", probe_select_default, go_chan_retain(ch));
    go_chan_release(ch);

    ch = go_make_chan(go_int, 0);
    go_chan *other = go_make_chan(go_int, 0);
    work w = {go_chan_retain(ch), go_chan_retain(other)};
    id = probe_row("select without default, nothing ready", probe_select, &w);
    go_close(ch); /* a receive case on a closed channel can run */
    go_goroutine_wait_returned(id);
    go_chan_release(ch);
    go_chan_release(other);

    ch = go_make_chan(go_int, 0);
    probe_row("close(ch)", probe_close, go_chan_retain(ch));
    go_chan_release(ch);
}

static const go_demo demos[] = {
    GO_DEMO("send-unbuffered", demo_send_unbuffered, GO_NORMAL, "a send on an unbuffered channel waits for a receiver"),
    GO_DEMO("send-buffered-full", demo_send_buffered_full, GO_NORMAL, "a buffered send waits only when the buffer is full"),
    GO_DEMO("receive-empty", demo_receive_empty, GO_NORMAL, "a receive waits until there is a value"),
    GO_DEMO("select-default", demo_select_default, GO_NORMAL, "select with default never waits"),
    GO_DEMO("closed-with-values", demo_closed_with_values, GO_NORMAL, "a closed channel gives its buffered values, then zeros"),
    GO_DEMO("closed-empty", demo_closed_empty, GO_NORMAL, "a closed, empty chan string gives \"\" and false"),
    GO_DEMO("comma-ok", demo_comma_ok, GO_NORMAL, "v, ok tells a sent zero from a closed channel"),
    GO_DEMO("range-closed", demo_range_closed, GO_NORMAL, "range over a closed channel with values: all, then the loop ends"),
    GO_DEMO("range-sender-closes", demo_range_sender_closes, GO_NORMAL, "range until the sending goroutine closes the channel"),
    GO_DEMO("range-closed-empty", demo_range_closed_empty, GO_NORMAL, "range over a closed, empty channel: no iteration"),
    GO_DEMO("range-open-unbuffered", demo_range_open_unbuffered, GO_DEADLOCK, "range over an open unbuffered channel: 10, then deadlock"),
    GO_DEMO("range-open-buffered", demo_range_open_buffered, GO_DEADLOCK, "range over an open buffered channel: 10, then deadlock"),
    GO_DEMO("range-open-empty", demo_range_open_empty, GO_DEADLOCK, "range over an open, empty channel: deadlock at once"),
    GO_DEMO("close-twice", demo_close_twice, GO_PANIC, "closing a closed channel panics"),
    GO_DEMO("send-on-closed", demo_send_on_closed, GO_PANIC, "sending on a closed channel panics"),
    GO_DEMO("close-nil", demo_close_nil, GO_PANIC, "closing a nil channel panics"),
    GO_DEMO("nil-channel", demo_nil_channel, GO_DEADLOCK, "send and receive on a nil channel block forever: deadlock"),
    GO_DEMO("summary", demo_summary, GO_NORMAL, "which operations block: the table, measured by probe goroutines"),
};

GO_DEMO_MAIN(demos)
