/* pprof_sample - writes one file of each profile kind into a directory, for the tests that read
 * them with go tool pprof and google-pprof (pprof_readers.cmake). Each workload has one function
 * that the profile must name:
 *   block         consume_slow_feed, which waits on a channel whose producer works between
 *                 sends, against consume_fast_feed, whose producer does not;
 *   mutex         holder_unlocks, whose unlock wakes a waiter (waiter_locks must not appear);
 *   threadcreate  start_workers, the caller of go();
 *   goroutine     parked_receiver, the start function of three goroutines that wait in
 *                 await_answer, which it calls (the whole stack, not only its ends); and
 *                 spinning_worker, running meanwhile, a stack of one named frame.
 *
 * Those functions are marked noinline: gcc describes a function it has also inlined somewhere
 * by a DWARF entry without a name of its own (DW_AT_abstract_origin), which Go 1.19's pprof does
 * not follow, so it shows such a function as [pprof_sample] (google-pprof names it).
 *
 * usage: pprof_sample DIR
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/pprof.h"
#include "gocurrent/sync.h"

enum { items = 20, parked = 3 };

/* ---- block: a slow feed and a fast one ---- */

static void feed(go_chan *ch, go_duration work)
{
    for (int i = 0; i < items; i++) {
        if (work > 0)
            go_sleep(work); /* the producer's work between items: what its consumer waits for */
        go_send(ch, int, i);
    }
}

static void slow_producer(void *ch) { feed(ch, GO_MILLISECOND); }
static void fast_producer(void *ch) { feed(ch, 0); }

static __attribute__((noinline)) void consume(go_chan *ch, go_wait_group *wg)
{
    int v;
    for (int i = 0; i < items; i++)
        go_recv(ch, &v);
    go_wg_done(wg);
}

typedef struct feed_args {
    go_chan *ch;
    go_wait_group *wg;
} feed_args;

static __attribute__((noinline)) void consume_slow_feed(void *arg)
{
    feed_args *a = arg;
    consume(a->ch, a->wg);
}

static __attribute__((noinline)) void consume_fast_feed(void *arg)
{
    feed_args *a = arg;
    consume(a->ch, a->wg);
}

static void block_workload(void)
{
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    feed_args slow = {go_make_chan(int, 0), &wg}, fast = {go_make_chan(int, 0), &wg};
    go_wg_add(&wg, 2);
    go(consume_slow_feed, &slow);
    go(consume_fast_feed, &fast);
    go(slow_producer, slow.ch);
    go(fast_producer, fast.ch);
    go_wg_wait(&wg);
    go_chan_release(slow.ch);
    go_chan_release(fast.ch);
}

/* ---- mutex: the holder's unlock wakes the waiter ---- */

/* Each turn the waiter blocks on the mutex the holder holds, and is let go by its unlock; the
 * holder locks again only after the waiter has unlocked, so only the holder's unlocks wake. */
typedef struct lock_args {
    go_mutex mu;
    go_chan *turn, *done;
} lock_args;

static __attribute__((noinline)) void waiter_locks(void *arg)
{
    lock_args *a = arg;
    int v;
    while (go_recv(a->turn, &v)) {
        go_mutex_lock(&a->mu);
        go_mutex_unlock(&a->mu);
        go_send(a->done, int, v);
    }
}

static __attribute__((noinline)) void holder_unlocks(lock_args *a, int64_t waiter)
{
    int v;
    for (int i = 0; i < items; i++) {
        go_mutex_lock(&a->mu);
        go_send(a->turn, int, i);
        go_goroutine_settle(waiter); /* the waiter now waits for the mutex */
        go_mutex_unlock(&a->mu);
        go_recv(a->done, &v);
    }
}

static void mutex_workload(void)
{
    lock_args a = {GO_MUTEX_INIT, go_make_chan(int, 0), go_make_chan(int, 0)};
    int64_t waiter = go(waiter_locks, &a);
    holder_unlocks(&a, waiter);
    go_close(a.turn);
    go_goroutine_wait_returned(waiter);
    go_chan_release(a.turn);
    go_chan_release(a.done);
}

/* ---- threadcreate and goroutine: goroutines parked in one place ---- */

/* Between the goroutine's start function and the wait: a frame only a whole stack shows. */
static __attribute__((noinline)) void await_answer(go_chan *ch)
{
    int v;
    go_recv(ch, &v);
}

static __attribute__((noinline)) void parked_receiver(void *ch)
{
    await_answer(ch);
}

/* A goroutine running while the profile is written: its stack cannot be walked from outside, so
 * the profile names its start function alone (no address), beside the others' addresses. */
static atomic_bool stop_spinning;
static atomic_bool spinning;

static __attribute__((noinline)) void spinning_worker(void *arg)
{
    (void)arg;
    atomic_store(&spinning, true);
    while (!atomic_load(&stop_spinning))
        ;
}

static __attribute__((noinline)) void start_workers(go_chan *ch, int64_t *ids)
{
    for (int i = 0; i < parked; i++)
        ids[i] = go(parked_receiver, ch);
}

static void write_profile(const char *dir, const char *name, const char *file, int debug)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    if (f == NULL || !go_profile_write(name, go_file_writer(f), debug) || fclose(f) != 0) {
        fprintf(stderr, "pprof_sample: cannot write %s\n", path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pprof_sample DIR\n");
        return 2;
    }
    go_set_block_profile_rate(1);
    block_workload();
    go_set_block_profile_rate(0);
    go_set_mutex_profile_fraction(1);
    mutex_workload();
    go_set_mutex_profile_fraction(0);

    go_set_threadcreate_profile(true);
    go_chan *ch = go_make_chan(int, 0);
    int64_t ids[parked];
    start_workers(ch, ids);
    go_set_threadcreate_profile(false);
    for (int i = 0; i < parked; i++)
        go_goroutine_settle(ids[i]);

    write_profile(argv[1], "block", "block.out", 0);
    write_profile(argv[1], "mutex", "mutex.out", 0);
    write_profile(argv[1], "threadcreate", "threadcreate.out", 0);
    int64_t spinner = go(spinning_worker, NULL);
    while (!atomic_load(&spinning))
        ;
    write_profile(argv[1], "goroutine", "goroutine.pb", 0);
    atomic_store(&stop_spinning, true);
    go_goroutine_wait_returned(spinner);
    go_close(ch);
    for (int i = 0; i < parked; i++)
        go_goroutine_wait_returned(ids[i]);
    go_chan_release(ch);
    return 0;
}
