/* overhead.c - the demo `overhead`: what tracing costs on this machine, on issue 11's pipeline
 * (a producer, two hashing workers, a consumer, unbuffered channels), run untraced and traced,
 * alternating, so that a busy machine slows both alike. bench/tracebench measures the same
 * thing at length; this is the reader's quick look. */
#include <stdio.h>
#include <stdlib.h>

#include "gocurrent/chan.h"
#include "gocurrent/sync.h"
#include "summary.h"
#include "tracing.h"

enum { OVERHEAD_ITEMS = 20000, HASH_ROUNDS = 2000, OVERHEAD_RUNS = 3 };

typedef struct hash_pipeline {
    go_chan *items, *results;
    go_wait_group workers;
} hash_pipeline;

static void producer(void *arg)
{
    hash_pipeline *p = arg;
    for (go_int i = 0; i < OVERHEAD_ITEMS; i++)
        go_send(p->items, go_int, i);
    go_close(p->items);
}

static void hasher(void *arg)
{
    hash_pipeline *p = arg;
    go_int item;
    while (go_recv(p->items, &item)) {
        uint64_t h = (uint64_t)item;
        for (int r = 0; r < HASH_ROUNDS; r++) { /* a 64-bit mix (splitmix64's finaliser) */
            h ^= h >> 30;
            h *= 0xbf58476d1ce4e5b9u;
            h ^= h >> 27;
        }
        go_send(p->results, go_int, (go_int)(h >> 1));
    }
    go_wg_done(&p->workers);
}

static void close_results(void *arg)
{
    hash_pipeline *p = arg;
    go_wg_wait(&p->workers);
    go_close(p->results);
}

/* Runs the pipeline once and returns the process CPU time it took, in ms. */
static double run_pipeline(void)
{
    double start = process_cpu_ns();
    hash_pipeline p = {go_make_chan(go_int, 0), go_make_chan(go_int, 0), GO_WAIT_GROUP_INIT};
    go(producer, &p);
    go_wg_add(&p.workers, 2);
    go(hasher, &p);
    go(hasher, &p);
    go(close_results, &p);
    go_int result, received = 0;
    while (go_recv(p.results, &result))
        received++;
    if (received != OVERHEAD_ITEMS)
        go_panic("the pipeline lost items: %lld of %d", (long long)received, OVERHEAD_ITEMS);
    go_chan_release(p.items);
    go_chan_release(p.results);
    return (process_cpu_ns() - start) / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void demo_overhead(void)
{
    double off[OVERHEAD_RUNS], on[OVERHEAD_RUNS], ratio[OVERHEAD_RUNS], ev_per_s = 0, bytes_per_s = 0;
    trace_summary s;
    for (int i = 0; i < OVERHEAD_RUNS; i++) {
        off[i] = run_pipeline();
        trace_begin("overhead.trace");
        on[i] = run_pipeline();
        trace_end("overhead.trace");
        trace_summarize("overhead.trace", &s);
        ratio[i] = on[i] / off[i];
        ev_per_s = (double)s.events / (s.wall_ns / 1e9);
        bytes_per_s = (double)s.bytes / (s.wall_ns / 1e9);
    }
    qsort(off, OVERHEAD_RUNS, sizeof off[0], by_value);
    qsort(on, OVERHEAD_RUNS, sizeof on[0], by_value);
    qsort(ratio, OVERHEAD_RUNS, sizeof ratio[0], by_value);
    printf("pipeline of %d items, 2 hashing workers, %d runs each way (min / median / max)\n", OVERHEAD_ITEMS,
           OVERHEAD_RUNS);
    printf("CPU untraced:   %7.1f / %7.1f / %7.1f ms\n", off[0], off[1], off[2]);
    printf("CPU traced:     %7.1f / %7.1f / %7.1f ms\n", on[0], on[1], on[2]);
    printf("traced/untraced: %6.2f / %7.2f / %7.2f\n", ratio[0], ratio[1], ratio[2]);
    printf("last trace: %llu events, %llu bytes, %.2f bytes/event\n", (unsigned long long)s.events,
           (unsigned long long)s.bytes, (double)s.bytes / (double)s.events);
    printf("while tracing: %.2f M events/s, %.2f MB/s\n", ev_per_s / 1e6, bytes_per_s / 1e6);
}
