/* tracebench - what does the execution tracer cost? Each workload runs untraced and traced,
 * alternating, in the same process, and the table gives the medians and their ratio.
 *
 * usage: tracebench [--quick] [--runs N]
 *
 *   regions    a goroutine begins and ends regions in a tight loop: the hot path alone
 *              (buffer, clock, encoding), two events per iteration
 *   ping-pong  main and an echo goroutine hand an integer back and forth over unbuffered
 *              channels: every handoff is a block, an unblock and a start, recorded by the
 *              runtime's observer
 *   pipeline   issue 11's pipeline: a producer sends 200,000 integers on an unbuffered channel
 *              to 2 workers, each hashes its item (2,000 rounds of a 64-bit mix) and sends the
 *              result on an unbuffered channel to one consumer
 * For each: process CPU time off and on, and their ratio; the events and bytes the trace
 * holds; and the tracer's cost per event: (CPU on - CPU off) / events. CPU time is what to
 * read: on a shared 2-CPU machine wall-clock time swings with the neighbours' load. The
 * trace goes to a file in /tmp, deleted afterwards. Each workload runs a third time under the
 * flight recorder (8 MiB in memory, let go at the end): its CPU time, its cost per event (the
 * file trace's event count), and flight/off as min/median/max of the runs' ratios. --quick
 * runs tiny workloads once, to check the program works (a test does), not to measure.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/trace.h"

static int64_t cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (int64_t)t.tv_sec * GO_SECOND + t.tv_nsec;
}

/* ---- The workloads: each runs n units of work and returns when all is done ---- */

static void regions(long n)
{
    for (long i = 0; i < n; i++)
        go_trace_end_region(go_trace_start_region(0, "r"));
}

typedef struct pair {
    go_chan *a, *b;
    long n;
    go_wait_group done;
} pair;

static void echo(void *arg)
{
    pair *p = arg;
    go_int v;
    for (long i = 0; i < p->n; i++) {
        go_recv(p->a, &v);
        go_send(p->b, go_int, v);
    }
    go_wg_done(&p->done);
}

static void ping_pong(long n)
{
    pair p = {go_make_chan(go_int, 0), go_make_chan(go_int, 0), n, GO_WAIT_GROUP_INIT};
    go_wg_add(&p.done, 1);
    go(echo, &p);
    go_int v;
    for (long i = 0; i < n; i++) {
        go_send(p.a, go_int, i);
        go_recv(p.b, &v);
    }
    go_wg_wait(&p.done);
    go_chan_release(p.a);
    go_chan_release(p.b);
}

typedef struct pipeline {
    go_chan *items, *results;
    long n;
    go_wait_group workers, consumed;
    uint64_t sum;
} pipeline;

static void producer(void *arg)
{
    pipeline *p = arg;
    for (long i = 0; i < p->n; i++)
        go_send(p->items, go_int, i);
    go_close(p->items);
}

/* 2,000 rounds of a 64-bit mix (splitmix64's finaliser). */
static uint64_t hash(uint64_t x)
{
    for (int round = 0; round < 2000; round++) {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9u;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebu;
        x ^= x >> 31;
    }
    return x;
}

static void worker(void *arg)
{
    pipeline *p = arg;
    go_int item;
    while (go_recv(p->items, &item))
        go_send(p->results, uint64_t, hash((uint64_t)item));
    go_wg_done(&p->workers);
}

static void consumer(void *arg)
{
    pipeline *p = arg;
    uint64_t r;
    while (go_recv(p->results, &r))
        p->sum += r;
    go_wg_done(&p->consumed);
}

static void run_pipeline(long n)
{
    pipeline p = {go_make_chan(go_int, 0), go_make_chan(uint64_t, 0), n, GO_WAIT_GROUP_INIT,
                  GO_WAIT_GROUP_INIT, 0};
    go_wg_add(&p.workers, 2);
    go_wg_add(&p.consumed, 1);
    go(producer, &p);
    go(worker, &p);
    go(worker, &p);
    go(consumer, &p);
    go_wg_wait(&p.workers);
    go_close(p.results);
    go_wg_wait(&p.consumed);
    go_chan_release(p.items);
    go_chan_release(p.results);
}

/* ---- Reading the trace's size ---- */

static uint64_t uvarint(const unsigned char **p)
{
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        unsigned char byte = *(*p)++;
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return v;
    }
}

/* The events a trace file holds: the sum of its batches' counts (lib/src/trace_format.h). */
static uint64_t count_events(const char *path, long *bytes)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f == NULL || fstat(fileno(f), &st) != 0) {
        perror(path);
        exit(1);
    }
    unsigned char *data = malloc((size_t)st.st_size + 1);
    size_t len = fread(data, 1, (size_t)st.st_size, f);
    fclose(f);
    uint64_t events = 0;
    const unsigned char *p = data + 16, *end = data + len;
    while (p < end) {
        int kind = *p++;
        uint64_t size = uvarint(&p);
        const unsigned char *next = p + size;
        if (kind == 2) { /* BATCH: buffer, tid, seq, events, ... */
            uvarint(&p), uvarint(&p), uvarint(&p);
            events += uvarint(&p);
        }
        p = next;
    }
    free(data);
    *bytes = (long)len;
    return events;
}

/* ---- Running a row ---- */

typedef struct sample {
    int64_t cpu;
    uint64_t events;
    long bytes;
} sample;

typedef enum mode { OFF, TRACED, FLIGHT } mode;

/* The flight recorder's size here: Go's FlightRecorder examples keep a few MiB. */
enum { flight_bytes = 8 << 20 };

static sample measure(void (*work)(long), long n, mode m)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/tracebench-%d.trace", (int)getpid());
    sample s = {0, 0, 0};
    if (m == TRACED && go_trace_start_file(path) != 0) {
        perror("go_trace_start_file");
        exit(1);
    }
    if (m == FLIGHT && go_trace_flight_start(flight_bytes) != 0) {
        perror("go_trace_flight_start");
        exit(1);
    }
    int64_t start = cpu_now();
    work(n);
    if (m != OFF)
        go_trace_stop(); /* the flight recorder's: lets what it holds go */
    s.cpu = cpu_now() - start;
    if (m == TRACED) {
        s.events = count_events(path, &s.bytes);
        remove(path);
    }
    return s;
}

static int by_cpu(const void *a, const void *b)
{
    int64_t x = ((const sample *)a)->cpu, y = ((const sample *)b)->cpu;
    return (x > y) - (x < y);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void row(const char *name, void (*work)(long), long n, int runs)
{
    sample off[15], on[15], flight[15];
    double flight_ratio[15];
    for (int i = 0; i < runs; i++) {
        off[i] = measure(work, n, OFF);
        on[i] = measure(work, n, TRACED);
        flight[i] = measure(work, n, FLIGHT);
        flight_ratio[i] = (double)flight[i].cpu / (double)off[i].cpu;
    }
    qsort(off, (size_t)runs, sizeof *off, by_cpu);
    qsort(on, (size_t)runs, sizeof *on, by_cpu);
    qsort(flight, (size_t)runs, sizeof *flight, by_cpu);
    qsort(flight_ratio, (size_t)runs, sizeof *flight_ratio, by_value);
    sample a = off[runs / 2], b = on[runs / 2], c = flight[runs / 2];
    double events = (double)(b.events ? b.events : 1);
    printf("%-10s %10.1f %10.1f %7.3f %11llu %9.2f %9.1f %10.1f %9.1f %5.3f/%5.3f/%5.3f\n", name, (double)a.cpu / 1e6,
           (double)b.cpu / 1e6, (double)b.cpu / (double)a.cpu, (unsigned long long)b.events, (double)b.bytes / events,
           (double)(b.cpu - a.cpu) / events, (double)c.cpu / 1e6, (double)(c.cpu - a.cpu) / events, flight_ratio[0],
           flight_ratio[runs / 2], flight_ratio[runs - 1]);
}

int main(int argc, char **argv)
{
    bool quick = false;
    int runs = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = true;
            runs = 1;
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--quick] [--runs N]\n", argv[0]);
            return 2;
        }
    }
    if (runs < 1 || runs > 15 || runs % 2 == 0) {
        fprintf(stderr, "%s: --runs must be odd, 1 to 15\n", argv[0]);
        return 2;
    }
    long scale = quick ? 100 : 1;
    printf("%-10s %10s %10s %7s %11s %9s %9s %10s %9s %17s\n", "workload", "cpu off ms", "cpu on ms", "on/off",
           "events", "bytes/ev", "ns/ev", "flight ms", "flight ns", "flight/off m/m/M");
    row("regions", regions, 2000000 / scale, runs);
    row("ping-pong", ping_pong, 200000 / scale, runs);
    row("pipeline", run_pipeline, 200000 / scale, runs);
    return 0;
}
