/* view_sample - a small traced program with something of everything the viewers draw, for
 * their tests and the docs' screenshot: `view_sample TRACE_FILE`.
 *
 * An order (a task) with a child task: a producer sends 40 items on an unbuffered channel to
 * 3 workers (each hashes its item inside a region, logs every tenth, and counts under a shared
 * mutex), whose results go to a consumer on a second channel; main waits on a WaitGroup, then
 * sleeps 5 ms. So the rows show running, runnable, chan send/receive, Mutex.Lock, WaitGroup.Wait
 * and sleep; regions nest (work > hash); creation and unblocking arrows; logs; counters. */
#include <stdio.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/trace.h"

enum { ITEMS = 40, WORKERS = 3 };

typedef struct shared {
    go_chan *items, *results;
    go_mutex mu;
    long counted;
    uint64_t task;
    go_wait_group wg;
} shared;

static void produce(void *arg)
{
    shared *s = arg;
    for (int i = 0; i < ITEMS; i++)
        go_send(s->items, int, i);
    go_close(s->items);
}

static uint64_t hash(uint64_t x)
{
    for (int round = 0; round < 20000; round++)
        x = (x ^ (x >> 31)) * 0x9e3779b97f4a7c15u;
    return x;
}

static void work(void *arg)
{
    shared *s = arg;
    int item;
    while (go_recv(s->items, &item)) {
        go_trace_region outer = go_trace_start_region(s->task, "work");
        go_trace_region inner = go_trace_start_region(s->task, "hash");
        uint64_t h = hash((uint64_t)item);
        go_trace_end_region(inner);
        if (item % 10 == 0)
            go_trace_logf(s->task, "progress", "item %d hashed", item);
        go_mutex_lock(&s->mu);
        s->counted++;
        go_mutex_unlock(&s->mu);
        go_trace_end_region(outer);
        go_send(s->results, uint64_t, h);
    }
    go_wg_done(&s->wg);
}

static void consume(void *arg)
{
    shared *s = arg;
    uint64_t h, sum = 0;
    for (int i = 0; i < ITEMS; i++) {
        go_recv(s->results, &h);
        sum ^= h;
    }
    go_trace_logf(s->task, "done", "checksum %llx", (unsigned long long)sum);
    go_wg_done(&s->wg);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: view_sample TRACE_FILE\n");
        return 2;
    }
    int err = go_trace_start_file(argv[1]);
    if (err != 0) {
        fprintf(stderr, "view_sample: %s: %s\n", argv[1], go_trace_strerror(err));
        return 1;
    }
    shared s = {.items = go_make_chan(int, 0), .results = go_make_chan(uint64_t, 0), .mu = GO_MUTEX_INIT,
                .wg = GO_WAIT_GROUP_INIT};
    uint64_t order = go_trace_new_task(0, "order");
    s.task = go_trace_new_task(order, "hash items");
    go_wg_add(&s.wg, WORKERS + 1);
    go(produce, &s);
    for (int i = 0; i < WORKERS; i++)
        go(work, &s);
    go(consume, &s);
    go_wg_wait(&s.wg);
    go_trace_end_task(s.task);
    go_trace_log(order, "sleep", "resting 5 ms");
    go_sleep(5 * GO_MILLISECOND);
    go_trace_end_task(order);
    err = go_trace_stop();
    go_chan_release(s.items);
    go_chan_release(s.results);
    if (err != 0) {
        fprintf(stderr, "view_sample: %s\n", go_trace_strerror(err));
        return 1;
    }
    return s.counted == ITEMS ? 0 : 1;
}
