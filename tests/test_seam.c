/* Tests of the runtime's seam (lib/src/g.h): every change of a goroutine's status passes
 * through one transition, which tells the observers that are on. An observer here records
 * what it is told, and each test checks the life it expects of one goroutine, in order: who
 * made each change, why it waited and on what, and the times a timing observer asks for.
 *
 * This test reaches inside the library (its private headers), as the profiles and the tracer
 * will. It turns the runtime's checks on for the seam's inline code compiled here. */
#define GOCURRENT_CHECKS 1
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "g.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/slice.h"
#include "gocurrent/sync.h"
#include "runtime.h"

/* ---- A recording observer ---- */

typedef struct record {
    int64_t id;
    go__status from, to;
    go__wait_reason reason;
    const void *object;
    int64_t by; /* the changer's id, 0 for none */
    int line;   /* the site's line */
    const char *func; /* the goroutine's function */
    int64_t wait_start, released_at;
} record;

/* The records, under a lock: an observer runs on many threads, and the test reads the records
 * after a goroutine's end, which nothing else orders (in ThreadSanitizer's eyes). */
enum { max_records = 4096 };
static pthread_mutex_t records_lock = PTHREAD_MUTEX_INITIALIZER;
static record records[max_records];
static int nrecords;

static void remember(const go__event *e)
{
    pthread_mutex_lock(&records_lock);
    if (nrecords < max_records)
        records[nrecords++] = (record){e->g->id, e->from, e->to, e->reason, e->object,
                                       e->by ? e->by->id : 0, e->site.line, e->g->func, e->g->wait_start,
                                       e->g->released_at};
    pthread_mutex_unlock(&records_lock);
}

static void forget_all(void)
{
    pthread_mutex_lock(&records_lock);
    nrecords = 0;
    pthread_mutex_unlock(&records_lock);
}

static const go__observer recorder = {remember, false};
static const go__observer timing_recorder = {remember, true};

/* The records of goroutine `id`, in order, into out (at most max); returns how many. */
static int life_of(int64_t id, record *out, int max)
{
    int n = 0;
    pthread_mutex_lock(&records_lock);
    for (int i = 0; i < nrecords && n < max; i++)
        if (records[i].id == id)
            out[n++] = records[i];
    pthread_mutex_unlock(&records_lock);
    return n;
}

/* Reads the life of goroutine `id` that waited once: created, started, parked, readied,
 * resumed, ended. Fails the case and returns false if it saw another number of changes. */
enum { one_wait_life = 6 };
#define CHECK_ONE_WAIT_LIFE(id, life) check_one_wait_life(__FILE__, __LINE__, (id), (life))
static bool check_one_wait_life(const char *file, int line, int64_t id, record life[16])
{
    int n = life_of(id, life, 16);
    if (n != one_wait_life)
        check_failed(file, line, "goroutine %lld changed status %d times, want %d", (long long)id, n,
                     one_wait_life);
    return n == one_wait_life;
}

/* ---- A goroutine's whole life ---- */

/* On one line, so that the constant is the line the wait's site names. */
enum { recv_line = __LINE__ }; static void receive_one(void *ch) { int v; go_recv((go_chan *)ch, &v); }

static void test_life_of_a_receiver(void)
{
    go_chan *ch = go_make_chan(int, 0);
    forget_all();
    go__observer_add(&recorder);
    int go_line = __LINE__ + 1;
    int64_t id = go(receive_one, ch);
    CHECK_WAIT_STATE(id, "chan receive");
    go_send(ch, int, 1);
    go_goroutine_wait_returned(id);
    go__observer_remove(&recorder);

    record life[16];
    if (!CHECK_ONE_WAIT_LIFE(id, life))
        return;
    int64_t main_id = go_id();
    /* Created by main at the go statement; started by itself. */
    CHECK(life[0].from == GO__IDLE || life[0].from == GO__DEAD);
    CHECK_EQ(life[0].to, GO__RUNNABLE);
    CHECK_EQ(life[0].by, main_id);
    CHECK_EQ(life[0].line, go_line);
    CHECK_STREQ(life[0].func, "receive_one");
    CHECK_EQ(life[1].from, GO__RUNNABLE);
    CHECK_EQ(life[1].to, GO__RUNNING);
    CHECK_EQ(life[1].by, 0);
    /* Parked on the channel at its receive; readied by main's send; resumed. */
    CHECK_EQ(life[2].to, GO__WAITING);
    CHECK_EQ(life[2].reason, GO__WAIT_CHAN_RECEIVE);
    CHECK(life[2].object == ch);
    CHECK_EQ(life[2].line, recv_line);
    CHECK_EQ(life[3].from, GO__WAITING);
    CHECK_EQ(life[3].to, GO__RUNNABLE);
    CHECK_EQ(life[3].reason, GO__WAIT_CHAN_RECEIVE);
    CHECK_EQ(life[3].by, main_id);
    CHECK_EQ(life[4].to, GO__RUNNING);
    /* Ended. */
    CHECK_EQ(life[5].from, GO__RUNNING);
    CHECK_EQ(life[5].to, GO__DEAD);
    /* No observer wanted times: none were taken. */
    CHECK_EQ(life[4].wait_start, 0);
    go_chan_release(ch);
}

/* A sleeping goroutine waits like any other, and the runtime (a timer) readies it. */
static void nap(void *unused)
{
    (void)unused;
    go_sleep(GO_MILLISECOND);
}

static void test_sleep_parks_and_a_timer_readies(void)
{
    forget_all();
    go__observer_add(&recorder);
    int64_t id = go(nap, NULL);
    go_goroutine_wait_returned(id);
    go__observer_remove(&recorder);

    record life[16];
    if (!CHECK_ONE_WAIT_LIFE(id, life))
        return;
    CHECK_EQ(life[2].to, GO__WAITING);
    CHECK_EQ(life[2].reason, GO__WAIT_SLEEP);
    CHECK_EQ(life[3].to, GO__RUNNABLE);
    CHECK_EQ(life[3].by, 0); /* the monitor thread's timer, not a goroutine */
}

/* With an observer that wants times, a wait is stamped when it begins and when its waker
 * readies it, and the resumed goroutine sees both. */
typedef struct timed_wait {
    go_chan *ch;
    int64_t before_send, after_recv;
} timed_wait;

static void receive_timed(void *arg)
{
    timed_wait *t = arg;
    int v;
    go_recv(t->ch, &v);
    t->after_recv = go_nanotime();
}

static void test_times_are_stamped_for_a_timing_observer(void)
{
    timed_wait t = {go_make_chan(int, 0), 0, 0};
    forget_all();
    go__observer_add(&timing_recorder);
    int64_t id = go(receive_timed, &t);
    CHECK_WAIT_STATE(id, "chan receive");
    t.before_send = go_nanotime();
    go_send(t.ch, int, 1);
    go_goroutine_wait_returned(id);
    go__observer_remove(&timing_recorder);

    record life[16];
    if (!CHECK_ONE_WAIT_LIFE(id, life))
        return;
    record resumed = life[4];
    CHECK_EQ(resumed.to, GO__RUNNING);
    CHECK(resumed.wait_start > 0);
    /* It began waiting before main sent, was released during the send, and resumed after. */
    CHECK(resumed.wait_start <= t.before_send);
    CHECK(resumed.released_at >= t.before_send);
    CHECK(resumed.released_at <= t.after_recv);
    go_chan_release(t.ch);
}

/* Observers see every goroutine's birth and death: go_num_goroutine is the detector's count. */
static void test_num_goroutine_counts_lives(void)
{
    int before = go_num_goroutine();
    go_chan *ch = go_make_chan(int, 0);
    int64_t id = go(receive_one, ch);
    CHECK_EQ(go_num_goroutine(), before + 1);
    go_send(ch, int, 1);
    go_goroutine_wait_returned(id);
    CHECK_EQ(go_num_goroutine(), before);
    go_chan_release(ch);
}

/* A program that uses only the kit (slices here) never starts the runtime: no monitor thread,
 * no /proc, and it is goroutine 1 all the same. */
static void uses_slices_only(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_arena heap = GO_ARENA_INIT;
    go_slice s = go_make(&heap, int, 0, 4);
    for (int i = 0; i < 10; i++)
        s = go_append(&heap, s, int, i);
    printf("len %zu, goroutines %d, runtime started: %s\n", go_len(s), go_num_goroutine(),
           atomic_load(&go__runtime_started) ? "yes" : "no");
    go_arena_free(&heap);
}

static void test_kit_alone_starts_no_runtime(void)
{
    check_run run = check_capture(uses_slices_only);
    CHECK_EQ(run.status, 0);
    CHECK_STREQ(run.output, "len 10, goroutines 1, runtime started: no\n");
    check_release(&run);
}

/* A change that is no arrow of the state machine is a fatal error where checks are on. */
static void make_running_goroutine_runnable(int argc, char **argv)
{
    (void)argc, (void)argv;
    go__transition(go__current(), GO__RUNNABLE, GO__WAIT_NONE, GO_HERE, NULL, NULL);
}

static void test_bad_transition_is_fatal(void)
{
    CHECK_FATAL(make_running_goroutine_runnable, "runtime: goroutine 1: bad status change running -> runnable");
}

static const check_case cases[] = {
    CHECK_CASE(test_life_of_a_receiver),
    CHECK_CASE(test_sleep_parks_and_a_timer_readies),
    CHECK_CASE(test_times_are_stamped_for_a_timing_observer),
    CHECK_CASE(test_num_goroutine_counts_lives),
    CHECK_CASE(test_bad_transition_is_fatal),
    CHECK_CASE(test_kit_alone_starts_no_runtime),
};

static const check_child children[] = {
    CHECK_CHILD(make_running_goroutine_runnable),
    CHECK_CHILD(uses_slices_only),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
