/* Tests of the profiles (gocurrent/pprof.h) from inside the program: what each records, counted
 * exactly where the test controls how many events there are. What the readers make of the
 * files is tested by pprof_readers.cmake.
 *
 * Profiles are cumulative and never reset, as Go's are, so each test compares totals before and
 * after its own workload. Each test knows its goroutine is blocked before it wakes it (it waits
 * for the state), so the number of blocking events is exact, whatever the machine's speed. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/pprof.h"
#include "gocurrent/sync.h"

/* A profile as text, in a buffer the caller frees. Not inlined: the goroutine profile's test
 * finds its frame in the caller's stack. */
static __attribute__((noinline)) go_buffer profile(const char *name, int debug)
{
    go_buffer b = GO_BUFFER_INIT;
    CHECK(go_profile_write(name, go_buffer_writer(&b), debug));
    return b;
}

/* The sum of the event counts of a contention profile, and of its delays. */
typedef struct totals {
    long long count, delay;
} totals;

static totals contention_totals(const char *name)
{
    go_buffer b = profile(name, 0);
    const char *text = go_buffer_string(&b);
    CHECK(strncmp(text, "--- contention:\ncycles/second=1000000000\n", 41) == 0);
    totals t = {0, 0};
    for (const char *line = text; line != NULL && strncmp(line, "--- Memory map", 14) != 0;) {
        long long delay, count;
        if (sscanf(line, "%lld %lld @ 0x", &delay, &count) == 2) {
            t.count += count;
            t.delay += delay;
        }
        line = strchr(line, '\n');
        line = line != NULL ? line + 1 : NULL;
    }
    go_buffer_free(&b);
    return t;
}

/* ---- block ---- */

enum { events = 25 };

static void receive_all(void *ch)
{
    int v;
    while (go_recv(ch, &v)) {
    }
}

/* `events` receives that each block: main sends only once the receiver waits. */
static void blocking_receives(void)
{
    go_chan *ch = go_make_chan(int, 0);
    int64_t id = go(receive_all, ch);
    for (int i = 0; i < events; i++) {
        CHECK_WAIT_STATE(id, "chan receive");
        go_send(ch, int, i);
    }
    CHECK_WAIT_STATE(id, "chan receive");
    go_close(ch); /* one more wake-up: the close */
    go_goroutine_wait_returned(id);
    go_chan_release(ch);
}

static void test_block_rate_zero_records_nothing(void)
{
    go_set_block_profile_rate(0);
    totals before = contention_totals("block");
    blocking_receives();
    totals after = contention_totals("block");
    CHECK_EQ(after.count, before.count);
    CHECK_EQ(after.delay, before.delay);
}

static void test_block_rate_one_records_every_event(void)
{
    go_set_block_profile_rate(1);
    totals before = contention_totals("block");
    blocking_receives();
    go_set_block_profile_rate(0);
    totals after = contention_totals("block");
    CHECK_EQ(after.count - before.count, events + 1);
    CHECK(after.delay - before.delay > 0);
}

/* A rate of N ns keeps every event that blocked at least N ns: 2 ns is shorter than any park. */
static void test_block_rate_keeps_events_longer_than_it(void)
{
    go_set_block_profile_rate(2);
    totals before = contention_totals("block");
    blocking_receives();
    go_set_block_profile_rate(0);
    CHECK_EQ(contention_totals("block").count - before.count, events + 1);
}

/* Sleeping is not blocking (Go's block profile leaves it out). */
static void nap(void *unused)
{
    (void)unused;
    go_sleep(GO_MICROSECOND);
}

static void test_sleep_is_not_blocking(void)
{
    go_set_block_profile_rate(1);
    totals before = contention_totals("block");
    go_goroutine_wait_returned(go(nap, NULL));
    go_set_block_profile_rate(0);
    CHECK_EQ(contention_totals("block").count, before.count);
}

/* A WaitGroup's Wait blocks too: Done comes only once main waits. */
typedef struct finisher {
    go_wait_group wg;
    int64_t waiter;
} finisher;

static void finish_when_waited_for(void *arg)
{
    finisher *f = arg;
    go_goroutine_settle(f->waiter);
    go_wg_done(&f->wg);
}

static void test_wait_group_wait_is_blocking(void)
{
    go_set_block_profile_rate(1);
    totals before = contention_totals("block");
    finisher f = {GO_WAIT_GROUP_INIT, go_id()};
    go_wg_add(&f.wg, 1);
    go(finish_when_waited_for, &f);
    go_wg_wait(&f.wg);
    go_set_block_profile_rate(0);
    CHECK_EQ(contention_totals("block").count - before.count, 1);
}

/* ---- mutex ---- */

typedef struct contended {
    go_mutex mu;
    go_chan *turn, *done;
} contended;

/* Each turn: waits for the mutex main holds, gets it when main unlocks, reports back. */
static void contend(void *arg)
{
    contended *c = arg;
    int v;
    while (go_recv(c->turn, &v)) {
        go_mutex_lock(&c->mu);
        go_mutex_unlock(&c->mu);
        go_send(c->done, int, v);
    }
}

/* `events` contentions, each ended by main's unlock. */
static void contentions(void)
{
    contended c = {GO_MUTEX_INIT, go_make_chan(int, 0), go_make_chan(int, 0)};
    int64_t id = go(contend, &c);
    int v;
    for (int i = 0; i < events; i++) {
        go_mutex_lock(&c.mu);
        go_send(c.turn, int, i);
        CHECK_WAIT_STATE(id, "semacquire");
        go_mutex_unlock(&c.mu);
        go_recv(c.done, &v);
    }
    go_close(c.turn);
    go_goroutine_wait_returned(id);
    go_chan_release(c.turn);
    go_chan_release(c.done);
}

static void test_mutex_fraction_zero_records_nothing(void)
{
    CHECK_EQ(go_set_mutex_profile_fraction(0), 0);
    totals before = contention_totals("mutex");
    contentions();
    CHECK_EQ(contention_totals("mutex").count, before.count);
}

static void test_mutex_fraction_one_records_every_contention(void)
{
    go_set_mutex_profile_fraction(1);
    totals before = contention_totals("mutex");
    contentions();
    CHECK_EQ(go_set_mutex_profile_fraction(0), 1);
    totals after = contention_totals("mutex");
    CHECK_EQ(after.count - before.count, events);
    CHECK(after.delay - before.delay > 0);
}

/* The file says the fraction, for the readers to scale by; a negative rate only reads. */
static void test_mutex_fraction_is_the_sampling_period(void)
{
    go_set_mutex_profile_fraction(5);
    CHECK_EQ(go_set_mutex_profile_fraction(-1), 5);
    go_buffer b = profile("mutex", 0);
    CHECK(strstr(go_buffer_string(&b), "\nsampling period=5\n") != NULL);
    go_buffer_free(&b);
    go_set_mutex_profile_fraction(0);
}

/* ---- goroutine ---- */

enum { parked = 3 };

/* Between the goroutines' start function and their wait: a frame only a whole stack has. */
static __attribute__((noinline)) void receive_in_middle(go_chan *ch)
{
    int v;
    go_recv(ch, &v);
}
enum { receive_line = __LINE__ - 2 }; /* the go_recv above */

static __attribute__((noinline)) void parked_here(void *ch)
{
    receive_in_middle(ch);
}

/* The frame line of `func` in a debug=1 stack: `#`, the address, `func+0xOFF`, tabs, file:line
 * (the line starting at `frame`); returns the file:line part, or NULL if it is not that. */
static const char *frame_of(const char *frame, const char *func)
{
    unsigned long long address, offset;
    char name[128];
    int end = 0;
    if (sscanf(frame, "#\t0x%llx\t%127[^+\n]+0x%llx%n", &address, name, &offset, &end) != 3 ||
        strcmp(name, func) != 0)
        return NULL;
    return frame + end + strspn(frame + end, "\t");
}

static const char *next_line(const char *line)
{
    const char *end = strchr(line, '\n');
    return end != NULL ? end + 1 : line + strlen(line);
}

/* debug=1 is Go's text: per distinct stack its count and return addresses, the state (as Go
 * prints a label), then its frames. The three parked goroutines share one stack: the library's
 * receive, the function between, the start function; the caller's runs from go_profile_write_at
 * through this test's helper to main. With libdw each frame is named, with its file and line. */
static void test_goroutine_profile_counts_and_groups(void)
{
    go_chan *ch = go_make_chan(int, 0);
    int64_t ids[parked];
    for (int i = 0; i < parked; i++)
        ids[i] = go(parked_here, ch);
    for (int i = 0; i < parked; i++)
        CHECK_WAIT_STATE(ids[i], "chan receive");

    go_buffer b = profile("goroutine", 1);
    const char *text = go_buffer_string(&b);
    char header[64];
    snprintf(header, sizeof header, "goroutine profile: total %d\n", go_num_goroutine());
    CHECK(strncmp(text, header, strlen(header)) == 0);
    /* Most goroutines first: the three parked ones share the first stack. */
    const char *parked_group = text + strlen(header);
    CHECK(strncmp(parked_group, "3 @ 0x", 6) == 0);
    const char *frame = next_line(parked_group);
    CHECK(strncmp(frame, "# labels: {\"state\":\"chan receive\"}\n#\t0x", 38) == 0);
    frame = next_line(frame);
    const char *running = strstr(text, "\n# labels: {\"state\":\"running\"}\n#\t0x");
    CHECK(running != NULL);
#ifdef GOCURRENT_TEST_LIBDW
    CHECK(frame_of(frame, "go_chan_recv") != NULL);
    const char *at = frame_of(next_line(frame), "receive_in_middle");
    char line[64];
    snprintf(line, sizeof line, "tests/test_pprof.c:%d\n", receive_line);
    CHECK(at != NULL && strstr(at, line) == at + strcspn(at, "\n") + 1 - strlen(line));
    CHECK(frame_of(next_line(next_line(frame)), "parked_here") != NULL);
    frame = next_line(running + 1);
    CHECK(frame_of(frame, "go_profile_write_at") != NULL);
    CHECK(frame_of(next_line(frame), "profile") != NULL);
    const char *caller = next_line(next_line(frame));
    CHECK(frame_of(caller, "test_goroutine_profile_counts_and_groups") != NULL);
#else
    printf("skipped: names in debug=1 (apt-get install libdw-dev to enable them)\n");
#endif
    go_buffer_free(&b);

    /* debug=2: the dumps, the caller first. */
    b = profile("goroutine", 2);
    text = go_buffer_string(&b);
    CHECK(strncmp(text, "goroutine 1 [running]:\nprofile()\n", 33) == 0);
    CHECK(strstr(text, " [chan receive]:\nreceive_in_middle()\n\ttests/test_pprof.c:") != NULL);
    go_buffer_free(&b);

    go_close(ch);
    for (int i = 0; i < parked; i++)
        go_goroutine_wait_returned(ids[i]);
    go_chan_release(ch);
}

/* Static, not on the test's stack: nothing orders the spinner's last look at it before the next
 * test's use of that stack (waiting for a goroutine to be gone is no synchronisation). */
static atomic_bool stop_spinning;

static void spin_until_told(void *stop)
{
    while (!atomic_load((atomic_bool *)stop))
        ;
}

/* A goroutine that is running on another thread cannot be walked: its one frame is the function
 * it was started with, named, without an address (the text once printed no frame at all). */
static void test_goroutine_profile_names_a_running_goroutine(void)
{
    atomic_store(&stop_spinning, false);
    int64_t id = go(spin_until_told, &stop_spinning);
    go_buffer b = profile("goroutine", 1);
    /* Running, or still runnable if its thread has not begun yet. */
    const char *text = go_buffer_string(&b), *prefix = "\n1 @\n# labels: {\"state\":\"";
    const char *frame = strstr(text, "\"}\n#\tspin_until_told\n");
    CHECK(frame != NULL);
    const char *group = frame;
    while (group > text && strncmp(group, prefix, strlen(prefix)) != 0)
        group--;
    const char *state = group + strlen(prefix);
    CHECK((frame - state == 7 && strncmp(state, "running", 7) == 0) ||
          (frame - state == 8 && strncmp(state, "runnable", 8) == 0));
    go_buffer_free(&b);
    atomic_store(&stop_spinning, true);
    go_goroutine_wait_returned(id);
}

/* A stack is saved by its goroutine at every wait, while profiles copy it: a copy is never torn
 * (the seqlock of pprof_stack.c). Two goroutines play ping-pong, each waiting in two places,
 * while profiles are taken; in every stack of theirs a profile shows, the library's call must be
 * the one its caller makes, and the caller must be its goroutine's: a torn copy mixes frames of
 * two waits. Checked where debug=1 names frames (libdw). */
typedef struct rally {
    go_chan *ping, *pong;
    atomic_bool stop;
    go_wait_group done; /* the players' last use of the rally happens before the test ends */
} rally;

static __attribute__((noinline)) void send_ping(rally *r) { go_send(r->ping, int, 1); }
static __attribute__((noinline)) void await_pong(rally *r)
{
    int v;
    go_recv(r->pong, &v);
}

static __attribute__((noinline)) void pinger(void *arg)
{
    rally *r = arg;
    while (!atomic_load(&r->stop)) {
        send_ping(r);
        await_pong(r);
    }
    go_close(r->ping);
    go_wg_done(&r->done);
}

static __attribute__((noinline)) bool await_ping(rally *r)
{
    int v;
    return go_recv(r->ping, &v);
}
static __attribute__((noinline)) void send_pong(rally *r) { go_send(r->pong, int, 1); }

static __attribute__((noinline)) void ponger(void *arg)
{
    rally *r = arg;
    while (await_ping(r))
        send_pong(r);
    go_wg_done(&r->done);
}

/* The function a debug=1 frame line names ("" if none), into name. */
static void frame_name(const char *line, char *name, size_t size)
{
    unsigned long long address;
    char format[32];
    snprintf(format, sizeof format, "#\t0x%%llx\t%%%zu[^+\n]", size - 1);
    if (sscanf(line, format, &address, name) != 2)
        name[0] = '\0';
}

static void test_goroutine_profile_stacks_are_never_torn(void)
{
    rally r = {go_make_chan(int, 0), go_make_chan(int, 0), false, GO_WAIT_GROUP_INIT};
    go_wg_add(&r.done, 2);
    int64_t ids[2] = {go(pinger, &r), go(ponger, &r)};
    /* Each waiting place, the library's call it makes, and its goroutine. */
    static const char *const waits[][3] = {
        {"send_ping", "go_chan_send", "pinger"}, {"await_pong", "go_chan_recv", "pinger"},
        {"await_ping", "go_chan_recv", "ponger"}, {"send_pong", "go_chan_send", "ponger"},
    };
    for (int round = 0; round < 200; round++) {
        go_buffer b = profile("goroutine", 1);
#ifdef GOCURRENT_TEST_LIBDW
        char leaf[128] = "", caller[128] = "", start[128];
        for (const char *line = go_buffer_string(&b); *line != '\0'; line = next_line(line)) {
            frame_name(line, start, sizeof start);
            for (size_t w = 0; w < sizeof waits / sizeof waits[0]; w++)
                if (strcmp(caller, waits[w][0]) == 0) {
                    CHECK_EQ(strcmp(leaf, waits[w][1]), 0);
                    CHECK_EQ(strcmp(start, waits[w][2]), 0);
                }
            memcpy(leaf, caller, sizeof leaf);
            memcpy(caller, start, sizeof caller);
        }
#endif
        go_buffer_free(&b);
    }
#ifndef GOCURRENT_TEST_LIBDW
    printf("skipped: names in debug=1 (apt-get install libdw-dev to enable them)\n");
#endif
    atomic_store(&r.stop, true);
    go_wg_wait(&r.done);
    for (int i = 0; i < 2; i++)
        go_goroutine_wait_returned(ids[i]);
    go_chan_release(r.ping);
    go_chan_release(r.pong);
}

/* debug=0 is profile.proto: a message that starts with its sample type (field 1, bytes); protoc
 * decodes it in pprof_readers.cmake. */
static void test_goroutine_profile_proto_starts_with_sample_type(void)
{
    go_buffer b = profile("goroutine", 0);
    CHECK(b.len > 2);
    CHECK_EQ((unsigned char)b.data[0], 1u << 3 | 2);
    go_buffer_free(&b);
}

/* ---- threadcreate ---- */

static long long threadcreate_total(void)
{
    go_buffer b = profile("threadcreate", 0);
    long long total = -1;
    CHECK_EQ(sscanf(go_buffer_string(&b), "threadcreate profile: total %lld", &total), 1);
    CHECK(strstr(go_buffer_string(&b), "\n--- Memory map: ---\n") != NULL);
    go_buffer_free(&b);
    return total;
}

static void test_threadcreate_counts_goroutines_started_while_on(void)
{
    long long before = threadcreate_total();
    go_goroutine_wait_returned(go(nap, NULL));
    CHECK_EQ(threadcreate_total(), before);
    go_set_threadcreate_profile(true);
    for (int i = 0; i < parked; i++)
        go_goroutine_wait_returned(go(nap, NULL));
    go_set_threadcreate_profile(false);
    CHECK_EQ(threadcreate_total(), before + parked);
}

/* ---- writing ---- */

static size_t refuse(void *self, const void *bytes, size_t n)
{
    (void)self, (void)bytes;
    return n / 2;
}

static void test_unknown_profile_and_failing_writer(void)
{
    go_buffer b = GO_BUFFER_INIT;
    CHECK(!go_profile_write("heap", go_buffer_writer(&b), 0));
    CHECK_EQ(b.len, 0u);
    static const go_writer_type refusing = {"refusing", refuse};
    CHECK(!go_profile_write("block", ((go_writer){&refusing, NULL}), 0));
}

static const check_case cases[] = {
    CHECK_CASE(test_block_rate_zero_records_nothing),
    CHECK_CASE(test_block_rate_one_records_every_event),
    CHECK_CASE(test_block_rate_keeps_events_longer_than_it),
    CHECK_CASE(test_sleep_is_not_blocking),
    CHECK_CASE(test_wait_group_wait_is_blocking),
    CHECK_CASE(test_mutex_fraction_zero_records_nothing),
    CHECK_CASE(test_mutex_fraction_one_records_every_contention),
    CHECK_CASE(test_mutex_fraction_is_the_sampling_period),
    CHECK_CASE(test_goroutine_profile_counts_and_groups),
    CHECK_CASE(test_goroutine_profile_names_a_running_goroutine),
    CHECK_CASE(test_goroutine_profile_stacks_are_never_torn),
    CHECK_CASE(test_goroutine_profile_proto_starts_with_sample_type),
    CHECK_CASE(test_threadcreate_counts_goroutines_started_while_on),
    CHECK_CASE(test_unknown_profile_and_failing_writer),
};
CHECK_MAIN(cases)
