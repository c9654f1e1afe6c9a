/* Tests of the execution tracer (gocurrent/trace.h): small programs with known behaviour are
 * traced, the file decoded by the tests' reader (trace_reader.h), and the events checked: who
 * blocked where on what and who woke it, every life from creation to end, regions, tasks and
 * logs, goroutines alive at start, and that stopping while goroutines run flat out loses and
 * tears nothing. No test sleeps to pass or asserts on timing; the one duration checked is a
 * lower bound (a receive blocked while main slept must have lasted at least that long). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/demo.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/syscall.h"
#include "gocurrent/timer.h"
#include "gocurrent/trace.h"
#include "trace_format.h"
#include "trace_reader.h"

/* A trace file of this test's own, in the working directory. */
static const char *trace_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "test_trace-%s-%d.out", name, (int)getpid());
    return path;
}

/* Reads the trace at path, failing the case if it is not whole and valid. */
static bool read_trace(const char *path, trace *t)
{
    bool ok = trace_read(path, t);
    if (!ok)
        check_failed(__FILE__, __LINE__, "reading %s: %s", path, t->error);
    remove(path);
    return ok;
}

/* The goroutine an event is about: the one it names (creation, unblock, state), else the one
 * that did it; 0 for none (counters). */
static int64_t subject(const trace_event *e)
{
    if (e->type == GO__EV_CREATE || e->type == GO__EV_UNBLOCK || e->type == GO__EV_STATE)
        return e->arg_g;
    return e->type == GO__EV_COUNTERS ? 0 : e->g;
}

/* The events about goroutine gid, in order. */
static size_t events_of(const trace *t, int64_t gid, const trace_event **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->len && n < max; i++)
        if (subject(&t->events[i]) == gid)
            out[n++] = &t->events[i];
    return n;
}

/* ---- Every goroutine's life follows the state machine ---- */

enum { unknown, runnable, running, syscall_, waiting, dead }; /* the format's numbers, then more */

/* Checks every goroutine's events against g.h's state machine, as trace_format.h tells a
 * reader to: the first event about a goroutine introduces it, and a STATE only introduces. */
static void check_lives(const trace *t)
{
    enum { max_g = 1 << 16 };
    unsigned char *state = calloc(max_g, 1), *from_state = calloc(max_g, 1);
    for (size_t i = 0; i < t->len; i++) {
        const trace_event *e = &t->events[i];
        int64_t gid = subject(e);
        if (gid <= 0 || gid >= max_g)
            continue;
        int want = unknown, next = unknown;
        switch (e->type) {
        case GO__EV_CREATE: want = unknown, next = runnable; break;
        case GO__EV_START: want = runnable, next = running; break;
        case GO__EV_BLOCK: want = running, next = waiting; break;
        case GO__EV_UNBLOCK: want = waiting, next = runnable; break;
        case GO__EV_END: want = running, next = dead; break;
        case GO__EV_SYSCALL: want = running, next = syscall_; break;
        case GO__EV_SYSEXIT: want = syscall_, next = running; break;
        case GO__EV_STATE:
            if (state[gid] == unknown) {
                state[gid] = (unsigned char)e->state; /* runnable..waiting have the format's numbers */
                from_state[gid] = 1;
            }
            continue;
        default: continue;
        }
        bool introduced = state[gid] == unknown && e->type != GO__EV_CREATE;
        if (!introduced && state[gid] != want && !from_state[gid])
            check_failed(__FILE__, __LINE__, "goroutine %lld: %s in state %d (event %zu)",
                         (long long)gid, trace_event_name(e->type), state[gid], i);
        state[gid] = (unsigned char)next;
        from_state[gid] = 0;
    }
    free(state);
    free(from_state);
}

/* ---- A receiver blocked until main sends ---- */

/* On one line, so that the constant is the line the wait's site names. */
enum { recv_line = __LINE__ }; static void receive_one(void *ch) { int v; go_recv((go_chan *)ch, &v); }

static void test_block_unblock_start(void)
{
    const char *path = trace_path("block");
    go_chan *ch = go_make_chan(int, 0);
    CHECK_EQ(go_trace_start_file(path), 0);
    CHECK(go_trace_is_enabled());
    int go_line = __LINE__ + 1;
    int64_t id = go(receive_one, ch);
    CHECK_WAIT_STATE(id, "chan receive");
    int64_t before_send = go_nanotime();
    go_sleep(20 * GO_MILLISECOND); /* a known wait to measure, not a synchronisation */
    go_send(ch, int, 1);
    go_goroutine_wait_returned(id);
    CHECK_EQ(go_trace_stop(), 0);
    CHECK(!go_trace_is_enabled());

    trace t;
    if (read_trace(path, &t)) {
        const trace_event *life[16];
        size_t n = events_of(&t, id, life, 16);
        CHECK_EQ(n, 6);
        if (n == 6) {
            int64_t main_id = go_id();
            CHECK_EQ(life[0]->type, GO__EV_CREATE);
            CHECK_EQ(life[0]->g, main_id);
            CHECK_STREQ(life[0]->func, "receive_one");
            CHECK_EQ(life[0]->site.line, go_line);
            CHECK_STREQ(life[0]->site.func, "test_block_unblock_start");
            CHECK_EQ(life[1]->type, GO__EV_START);
            CHECK_EQ(life[2]->type, GO__EV_BLOCK);
            CHECK_EQ(life[2]->reason, 2); /* chan receive */
            CHECK_EQ(life[2]->site.line, recv_line);
            CHECK_STREQ(life[2]->site.func, "receive_one");
            CHECK(strstr(life[2]->site.file, "test_trace.c") != NULL);
            CHECK(life[2]->object == (uintptr_t)ch);
            CHECK_EQ(life[3]->type, GO__EV_UNBLOCK);
            CHECK_EQ(life[3]->g, main_id); /* main's send woke it */
            CHECK_EQ(life[4]->type, GO__EV_START);
            CHECK_EQ(life[5]->type, GO__EV_END);
            /* It blocked before main's 20 ms sleep began and was woken after it ended (with 1%
             * for the conversion of ticks to time, which two readings calibrate). */
            CHECK(life[2]->ns <= before_send + 200 * GO_MICROSECOND);
            CHECK(life[3]->ns - life[2]->ns >= 20 * GO_MILLISECOND * 99 / 100);
            for (int k = 1; k < 5; k++)
                CHECK(life[k]->tick < life[k + 1]->tick);
        }
        check_lives(&t);
        CHECK_EQ(t.dropped, 0);
    }
    trace_free(&t);
    go_chan_release(ch);
}

/* ---- A blocking system call, and a network wait ---- */

enum { read_line = __LINE__ }; static void read_byte(void *fd) { char c; go_read(*(int *)fd, &c, 1); }
enum { accept_line = __LINE__ }; static void accept_one(void *fd) { close(go_net_accept(*(int *)fd, NULL, NULL)); }

static void test_syscall_and_network_wait(void)
{
    const char *path = trace_path("syscall");
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    struct sockaddr_in addr;
    int listener = check_listen_loopback(&addr);
    CHECK_EQ(go_trace_start_file(path), 0);
    int64_t reader = go(read_byte, &fds[0]), acceptor = go(accept_one, &listener);
    /* Synchronised: both are in their waits before anything arrives. */
    CHECK_WAIT_STATE(reader, "syscall");
    CHECK_WAIT_STATE(acceptor, "IO wait");
    CHECK_EQ(write(fds[1], "x", 1), 1);
    int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(go_net_connect(client, (struct sockaddr *)&addr, sizeof addr), 0);
    go_goroutine_wait_returned(reader);
    go_goroutine_wait_returned(acceptor);
    CHECK_EQ(go_trace_stop(), 0);
    close(client);
    close(listener);
    close(fds[0]);
    close(fds[1]);

    trace t;
    if (read_trace(path, &t)) {
        /* The reader: a syscall at its line, and back. */
        const trace_event *life[16];
        size_t n = events_of(&t, reader, life, 16);
        CHECK_EQ(n, 5);
        if (n == 5) {
            CHECK_EQ(life[2]->type, GO__EV_SYSCALL);
            CHECK_EQ(life[2]->site.line, read_line);
            CHECK_STREQ(life[2]->site.func, "read_byte");
            CHECK_EQ(life[3]->type, GO__EV_SYSEXIT);
            CHECK_EQ(life[4]->type, GO__EV_END);
        }
        /* The acceptor: a network wait on the listener, readied by no goroutine (the poller),
         * then accept(2) as a syscall. */
        n = events_of(&t, acceptor, life, 16);
        CHECK_EQ(n, 8);
        if (n == 8) {
            CHECK_EQ(life[2]->type, GO__EV_BLOCK);
            CHECK_EQ(life[2]->reason, 12);
            CHECK_EQ(life[2]->site.line, accept_line);
            CHECK(life[2]->object == (uintptr_t)listener);
            CHECK_EQ(life[3]->type, GO__EV_UNBLOCK);
            CHECK_EQ(life[3]->g, 0);
            CHECK_EQ(life[4]->type, GO__EV_START);
            CHECK_EQ(life[5]->type, GO__EV_SYSCALL);
            CHECK_EQ(life[5]->site.line, accept_line);
            CHECK_EQ(life[6]->type, GO__EV_SYSEXIT);
            CHECK_EQ(life[7]->type, GO__EV_END);
        }
        check_lives(&t);
    }
    trace_free(&t);
}

/* ---- Timers: who readied whom ---- */

static void sleep_briefly(void *unused)
{
    (void)unused;
    go_sleep(GO_MILLISECOND);
}

static void receive_tick(void *ch)
{
    go_recv_drop((go_chan *)ch);
}

/* The event that follows e in e's buffer (the reader keeps each buffer's order), or NULL. */
static const trace_event *next_in_buffer(const trace *t, const trace_event *e)
{
    for (const trace_event *n = e + 1; n < t->events + t->len; n++)
        if (n->buffer == e->buffer)
            return n;
    return NULL;
}

static void test_timers_unblock(void)
{
    const char *path = trace_path("timers");
    CHECK_EQ(go_trace_start_file(path), 0);
    int64_t sleeper = go(sleep_briefly, NULL);
    go_chan *tick = go_after(20 * GO_MILLISECOND);
    int64_t receiver = go(receive_tick, tick);
    go_goroutine_wait_returned(sleeper);
    go_goroutine_wait_returned(receiver);
    CHECK_EQ(go_trace_stop(), 0);

    trace t;
    if (read_trace(path, &t)) {
        /* The sleeper blocks on its timer; that timer's TIMER, from no goroutine, is followed in
         * its buffer by the sleeper's UNBLOCK. */
        const trace_event *life[16];
        size_t n = events_of(&t, sleeper, life, 16);
        CHECK(n >= 4 && life[2]->type == GO__EV_BLOCK && life[2]->reason == 7);
        int sleeps = 0, ticks = 0;
        for (size_t i = 0; n >= 4 && i < t.len; i++) {
            const trace_event *e = &t.events[i], *next = next_in_buffer(&t, e);
            if (e->type != GO__EV_TIMER)
                continue;
            CHECK_EQ(e->g, 0);
            if (e->timer_kind == 1 && e->object == life[2]->object) {
                sleeps++;
                CHECK(next != NULL && next->type == GO__EV_UNBLOCK && next->arg_g == sleeper && next->g == 0);
                CHECK(next != NULL && next->tick >= life[2]->tick);
            } else if (e->timer_kind == 2 && e->object == (uintptr_t)tick) {
                ticks++;
                /* If the receiver was blocked on the channel by then (it almost always is: the
                 * timer fires 20 ms after), the timer's send readied it. */
                const trace_event *r[16];
                size_t m = events_of(&t, receiver, r, 16);
                bool waiting = m >= 3 && r[2]->type == GO__EV_BLOCK && r[2]->tick < e->tick;
                if (waiting)
                    CHECK(next != NULL && next->type == GO__EV_UNBLOCK && next->arg_g == receiver);
            }
        }
        CHECK_EQ(sleeps, 1);
        CHECK_EQ(ticks, 1);
        check_lives(&t);
    }
    trace_free(&t);
    go_chan_release(tick);
}

/* ---- Create and end counts ---- */

static void do_nothing(void *wg)
{
    go_wg_done((go_wait_group *)wg);
}

static void test_create_end_counts(void)
{
    enum { n = 50 };
    const char *path = trace_path("counts");
    int64_t ids[n];
    CHECK_TRACE_GOROUTINES(path, n, do_nothing, ids);

    trace t;
    if (read_trace(path, &t)) {
        int created = 0, ended = 0;
        for (size_t i = 0; i < t.len; i++) {
            const trace_event *e = &t.events[i];
            if (e->type == GO__EV_CREATE && strcmp(e->func, "do_nothing") == 0)
                created++;
            for (int k = 0; k < n; k++)
                ended += e->type == GO__EV_END && e->g == ids[k];
        }
        CHECK_EQ(created, n);
        CHECK_EQ(ended, n);
        check_lives(&t);
    }
    trace_free(&t);
}

/* ---- Regions, tasks and logs ---- */

typedef struct work {
    uint64_t task;
    go_wait_group *wg;
} work;

static void inner(void *arg)
{
    work *w = arg;
    go_trace_log(w->task, "step", "inside");
}

static void regions(void *arg)
{
    work *w = arg;
    go_trace_region outer = go_trace_start_region(w->task, "outer");
    go_trace_with_region(w->task, "inner", inner, w);
    go_trace_with_region(w->task, "inner", inner, w);
    go_trace_end_region(outer);
    go_wg_done(w->wg);
}

static void test_regions_tasks_logs(void)
{
    const char *path = trace_path("regions");
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    CHECK_EQ(go_trace_start_file(path), 0);
    uint64_t parent = go_trace_new_task(0, "order");
    uint64_t child = go_trace_new_task(parent, "brew");
    CHECK(parent != 0 && child != parent);
    go_trace_logf(parent, "orderID", "%d", 42);
    work w[2] = {{parent, &wg}, {child, &wg}};
    go_wg_add(&wg, 2);
    int64_t a = go(regions, &w[0]), b = go(regions, &w[1]);
    go_wg_wait(&wg);
    go_trace_end_task(child);
    go_trace_end_task(parent);
    go_goroutine_wait_returned(a);
    go_goroutine_wait_returned(b);
    CHECK_EQ(go_trace_stop(), 0);

    trace t;
    if (read_trace(path, &t)) {
        int tasks = 0, ends = 0, logs = 0, inside[2] = {0, 0};
        for (size_t i = 0; i < t.len; i++) {
            const trace_event *e = &t.events[i];
            if (e->type == GO__EV_TASK) {
                tasks++;
                if (e->id == parent)
                    CHECK(e->parent == 0 && strcmp(e->name, "order") == 0);
                else
                    CHECK(e->id == child && e->parent == parent && strcmp(e->name, "brew") == 0);
            } else if (e->type == GO__EV_TASKEND) {
                ends++;
            } else if (e->type == GO__EV_LOG && strcmp(e->name, "orderID") == 0) {
                logs++;
                CHECK_EQ(e->id, parent);
                CHECK_STREQ(e->message, "42");
                CHECK_EQ(e->g, go_id());
            } else if (e->type == GO__EV_LOG) {
                CHECK_STREQ(e->name, "step");
                CHECK(e->g == a || e->g == b);
                CHECK_EQ(e->id, e->g == a ? parent : child);
                inside[e->g == b]++;
            }
        }
        CHECK_EQ(tasks, 2);
        CHECK_EQ(ends, 2);
        CHECK_EQ(logs, 1);
        CHECK_EQ(inside[0], 2);
        CHECK_EQ(inside[1], 2);
        /* Per goroutine, regions nest and each end matches the innermost begin. */
        int64_t gs[2] = {a, b};
        for (int k = 0; k < 2; k++) {
            const char *stack[8];
            int depth = 0, opened = 0;
            for (size_t i = 0; i < t.len; i++) {
                const trace_event *e = &t.events[i];
                if (e->g != gs[k])
                    continue;
                if (e->type == GO__EV_REGION) {
                    CHECK(depth < 8);
                    CHECK_EQ(e->id, w[k].task);
                    stack[depth++] = e->name;
                    opened++;
                } else if (e->type == GO__EV_REGIONEND) {
                    CHECK(depth > 0);
                    if (depth > 0)
                        CHECK_STREQ(e->name, stack[--depth]);
                } else if (e->type == GO__EV_LOG) {
                    CHECK_EQ(depth, 2);
                    CHECK_STREQ(stack[1], "inner");
                }
            }
            CHECK_EQ(depth, 0);
            CHECK_EQ(opened, 3);
        }
    }
    trace_free(&t);
}

/* ---- Goroutines alive at start ---- */

enum { held_line = __LINE__ }; static void held(void *ch) { int v; go_recv((go_chan *)ch, &v); }

static void test_alive_at_start(void)
{
    const char *path = trace_path("alive");
    go_chan *ch = go_make_chan(int, 0);
    int create_line = __LINE__ + 1;
    int64_t id = go(held, ch);
    CHECK_WAIT_STATE(id, "chan receive");
    CHECK_EQ(go_trace_start_file(path), 0);
    go_send(ch, int, 1);
    go_goroutine_wait_returned(id);
    CHECK_EQ(go_trace_stop(), 0);

    trace t;
    if (read_trace(path, &t)) {
        const trace_event *life[16];
        size_t n = events_of(&t, id, life, 16);
        CHECK_EQ(n, 4);
        if (n == 4) {
            CHECK_EQ(life[0]->type, GO__EV_STATE);
            CHECK_EQ(life[0]->state, GO__TRACE_WAITING);
            CHECK_EQ(life[0]->reason, 2);
            CHECK_EQ(life[0]->site.line, held_line);
            CHECK(life[0]->object == (uintptr_t)ch);
            CHECK_STREQ(life[0]->func, "held");
            CHECK_EQ(life[0]->created.line, create_line);
            CHECK_EQ(life[1]->type, GO__EV_UNBLOCK);
            CHECK_EQ(life[2]->type, GO__EV_START);
            CHECK_EQ(life[3]->type, GO__EV_END);
        }
        /* Main was running. */
        const trace_event *main_life[4];
        CHECK(events_of(&t, go_id(), main_life, 4) > 0 && main_life[0]->type == GO__EV_STATE &&
              main_life[0]->state == GO__TRACE_RUNNING);
        check_lives(&t);
    }
    trace_free(&t);
    go_chan_release(ch);
}

/* ---- Starting twice ---- */

static void test_start_twice_is_an_error(void)
{
    const char *path = trace_path("twice");
    CHECK_EQ(go_trace_start_file(path), 0);
    int err = go_trace_start(STDERR_FILENO);
    CHECK_EQ(err, EBUSY);
    CHECK_STREQ(go_trace_strerror(err), "tracing is already enabled");
    CHECK_EQ(go_trace_start_file(path), EBUSY);
    CHECK_EQ(go_trace_stop(), 0);
    CHECK_EQ(go_trace_stop(), 0); /* stopping while off does nothing */
    trace t;
    read_trace(path, &t);
    trace_free(&t);
}

/* ---- Stop while 8 goroutines run flat out ---- */

/* Each runner logs 0, 1, 2, ... as fast as it can, with channel handoffs in between (pairs
 * ping-pong), until told to stop. A trace of any window must hold, for each runner, one
 * unbroken run of numbers, and every batch whole (the reader checks counts and sequences).
 * The even runner of a pair decides when the pair stops: it closes its peer's channel.
 *
 * Each pair runs flat out only up to a limit main sets per round, and waits there. Without it
 * the trace's size was unbounded: main stops the trace when the slowest pair has logged 500
 * times, and pairs are not served alike (the two holding park.c's stay-awake places hand off
 * through sched_yield, the others through futex wake-ups): measured under ASan on one CPU, two
 * pairs logged 120,000-147,000 times while the other two logged 500, so each round wrote
 * 130-150 MB and the reader held it all; on a loaded machine that took minutes, and looked
 * like a hang. */
enum { runners = 8, logged_per_round = 500, round_limit = 4 * logged_per_round };
typedef struct runner {
    go_chan *mine, *peer;
    atomic_bool *stop;
    atomic_llong progress; /* iterations done */
    atomic_llong limit;    /* an even runner waits once progress reaches it (main moves it) */
    go_chan *resume;       /* main's nudge after moving limit (capacity 1) */
    go_wait_group *wg;
    int index;
} runner;

static const char padding[] = "................................................................"
                              "................................................................";

static void run_flat_out(void *arg)
{
    runner *r = arg;
    int v = 0;
    for (uint64_t i = 0;; i++) {
        /* Padded, so that 500 iterations fill a buffer twice over. */
        go_trace_logf(0, "seq", "%d %llu %.*s", r->index, (unsigned long long)i, 120, padding);
        atomic_store(&r->progress, (long long)i);
        if (r->index % 2 == 0) {
            while ((long long)i >= atomic_load(&r->limit) && !atomic_load(r->stop))
                go_recv_drop(r->resume);
            if (atomic_load(r->stop)) {
                go_close(r->peer);
                break;
            }
            go_send(r->peer, int, v);
            go_recv(r->mine, &v);
        } else {
            if (!go_recv(r->mine, &v))
                break;
            go_send(r->peer, int, v);
        }
    }
    go_wg_done(r->wg);
}

/* Moves the limit of even runner r and nudges it: a runner waiting at its old limit looks
 * again; one not waiting finds the nudge (or an older one) when it next waits, and looks. */
static void move_limit(runner *r, long long limit)
{
    atomic_store(&r->limit, limit);
    int nudge = 0;
    go_select(GO_SEND(r->resume, &nudge), GO_DEFAULT);
}

static void test_stop_while_running_loses_nothing(void)
{
    atomic_bool stop = false;
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    runner rs[runners];
    go_chan *chans[runners], *resumes[runners];
    for (int i = 0; i < runners; i++) {
        chans[i] = go_make_chan(int, 0);
        resumes[i] = go_make_chan(int, 1);
    }
    for (int i = 0; i < runners; i++)
        rs[i] = (runner){chans[i], chans[i ^ 1], &stop, 0, 0, resumes[i], &wg, i};
    go_wg_add(&wg, runners);
    for (int i = 0; i < runners; i++)
        go(run_flat_out, &rs[i]);

    for (int round = 0; round < 3; round++) {
        const char *path = trace_path("flat-out");
        /* Flat out before the start, and after it up to round_limit more iterations each. */
        for (int i = 0; i < runners; i += 2)
            move_limit(&rs[i], atomic_load(&rs[i].progress) + round_limit);
        CHECK_EQ(go_trace_start_file(path), 0);
        long long from[runners];
        for (int i = 0; i < runners; i++)
            from[i] = atomic_load(&rs[i].progress);
        for (int i = 0; i < runners; i += 2)
            move_limit(&rs[i], from[i] + round_limit);
        /* Let every runner fill its buffer a few times over: wait for their progress. */
        for (int i = 0; i < runners; i++)
            while (atomic_load(&rs[i].progress) < from[i] + logged_per_round)
                check_pause();
        CHECK_EQ(go_trace_stop(), 0);
        trace t;
        if (!read_trace(path, &t)) {
            trace_free(&t);
            continue;
        }
        long long last[runners];
        int seen[runners] = {0};
        for (size_t i = 0; i < t.len; i++) {
            const trace_event *e = &t.events[i];
            int index;
            unsigned long long n;
            if (e->type != GO__EV_LOG || strcmp(e->name, "seq") != 0 ||
                sscanf(e->message, "%d %llu", &index, &n) != 2)
                continue;
            if (seen[index]++ && (long long)n != last[index] + 1)
                check_failed(__FILE__, __LINE__, "round %d: runner %d logged %llu after %lld", round,
                             index, n, last[index]);
            last[index] = (long long)n;
        }
        for (int i = 0; i < runners; i++)
            CHECK(seen[i] >= logged_per_round);
        CHECK(t.batches >= 2 * runners); /* buffers filled and were written out mid-trace */
        check_lives(&t);
        CHECK_EQ(t.dropped, 0);
        trace_free(&t);
    }
    atomic_store(&stop, true);
    for (int i = 0; i < runners; i += 2)
        move_limit(&rs[i], 0);
    go_wg_wait(&wg);
    for (int i = 0; i < runners; i++) {
        go_chan_release(chans[i]);
        go_chan_release(resumes[i]);
    }
}

/* ---- The flight recorder ---- */

static void log_numbers(void *arg)
{
    long *n = arg;
    for (long i = 0; i < *n; i++)
        go_trace_logf(0, "n", "%ld %.*s", i, 100, padding);
}

/* The "n" logs of a trace: how many, the first and the last; and whether they were unbroken. */
static bool logged_run(const trace *t, long *count, long *first, long *last)
{
    bool unbroken = true;
    *count = 0;
    for (size_t i = 0; i < t->len; i++) {
        const trace_event *e = &t->events[i];
        long v;
        if (e->type != GO__EV_LOG || strcmp(e->name, "n") != 0 || sscanf(e->message, "%ld", &v) != 1)
            continue;
        if ((*count)++ == 0)
            *first = v;
        else
            unbroken &= v == *last + 1;
        *last = v;
    }
    return unbroken;
}

static void test_flight_recorder(void)
{
    enum { max_bytes = 64 * 1024 };
    go_chan *never = go_make_chan(int, 0);
    int idle_line = __LINE__ + 1;
    int64_t idle = go(held, never); /* blocked before the window, and all through it */
    CHECK_WAIT_STATE(idle, "chan receive");
    CHECK_EQ(go_trace_flight_start(max_bytes), 0);
    CHECK(go_trace_is_enabled());
    CHECK_EQ(go_trace_flight_start(max_bytes), EBUSY);
    CHECK_EQ(go_trace_start(STDERR_FILENO), EBUSY);

    long n = 20000, done = 0; /* about 3 MB of logs: the ring lets most go */
    for (int window = 0; window < 2; window++) {
        go_goroutine_wait_returned(go(log_numbers, &n));
        const char *path = trace_path("flight");
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        CHECK(fd >= 0);
        CHECK_EQ(go_trace_flight_write(fd), 0);
        off_t size = lseek(fd, 0, SEEK_CUR);
        close(fd);
        /* The newest max_bytes, in whole batches (32 KiB, the tracer's buffers): a batch more
         * per buffer at most, a handful of threads here. */
        CHECK(size > 0 && size < max_bytes + 8 * 32 * 1024);
        trace t;
        if (read_trace(path, &t)) {
            long count, first = -1, last = -1;
            CHECK(logged_run(&t, &count, &first, &last));
            CHECK(count > 0 && count < n);
            CHECK_EQ(last, n - 1); /* up to the newest event */
            CHECK(first > 0);      /* the oldest let go */
            /* The idle goroutine's BLOCK is long gone: STATEs (the window's start's, if its
             * thread's batch is kept; the one written at the end) introduce it, waiting where
             * it has waited since before the window. */
            const trace_event *life[4];
            size_t k = events_of(&t, idle, life, 4);
            CHECK(k >= 1 && k <= 2);
            for (size_t i = 0; i < k; i++) {
                CHECK_EQ(life[i]->type, GO__EV_STATE);
                CHECK_EQ(life[i]->state, GO__TRACE_WAITING);
                CHECK_EQ(life[i]->reason, 2);
                CHECK_EQ(life[i]->site.line, held_line);
                CHECK_EQ(life[i]->created.line, idle_line);
            }
            CHECK_EQ(t.dropped, 0);
        }
        trace_free(&t);
        done++;
    }
    CHECK_EQ(done, 2);
    CHECK_EQ(go_trace_stop(), 0);
    CHECK(!go_trace_is_enabled());
    CHECK_EQ(go_trace_flight_write(STDERR_FILENO), EINVAL);
    go_send(never, int, 1);
    go_goroutine_wait_returned(idle);
    go_chan_release(never);
}

/* ---- The monotonic clock, and the demo harness's --trace ---- */

static void traced_demo(void)
{
    go_chan *ch = go_make_chan(int, 0);
    int64_t id = go(receive_one, ch);
    go_send(ch, int, 7);
    go_goroutine_wait_returned(id);
    go_chan_release(ch);
}

static const go_demo demos[] = {GO_DEMO("traced", traced_demo, GO_NORMAL, "a goroutine receives once")};

/* A child: runs the demo harness with --trace argv[1]. */
static void demo_with_trace(int argc, char **argv)
{
    CHECK(argc == 2);
    char *args[] = {"demo", "--trace", argv[1], "traced", NULL};
    CHECK_EQ(go_demo_main(4, args, demos, 1), 0);
}

static void check_traced_demo(const char *path, unsigned clock)
{
    trace t;
    if (read_trace(path, &t)) {
        CHECK_EQ(t.clock, clock);
        int created = 0, blocked = 0;
        for (size_t i = 0; i < t.len; i++) {
            created += t.events[i].type == GO__EV_CREATE && strcmp(t.events[i].func, "receive_one") == 0;
            blocked += t.events[i].type == GO__EV_BLOCK;
        }
        CHECK_EQ(created, 1);
        CHECK(blocked >= 1);
        check_lives(&t);
    }
    trace_free(&t);
}

static void test_demo_flag_and_monotonic_clock(void)
{
    const char *path = trace_path("demo");
    check_run run = check_spawn("demo_with_trace", CHECK_ARGS(path),
                                CHECK_ARGS("GOCURRENT_TRACE_CLOCK=monotonic"));
    CHECK_EQ(run.status, 0);
    check_release(&run);
    check_traced_demo(path, 0);
}

static const check_case cases[] = {
    CHECK_CASE(test_block_unblock_start),
    CHECK_CASE(test_syscall_and_network_wait),
    CHECK_CASE(test_timers_unblock),
    CHECK_CASE(test_create_end_counts),
    CHECK_CASE(test_regions_tasks_logs),
    CHECK_CASE(test_alive_at_start),
    CHECK_CASE(test_start_twice_is_an_error),
    CHECK_CASE(test_stop_while_running_loses_nothing),
    CHECK_CASE(test_flight_recorder),
    CHECK_CASE(test_demo_flag_and_monotonic_clock),
};

static const check_child children[] = {
    CHECK_CHILD(demo_with_trace),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
