/* profbench - what the block and mutex profiles cost. Measured against the same workload with
 * the profile off, in the same run.
 *
 * usage: profbench [--quick] [--runs N]
 *
 * Two workloads, each run with its profile off and on, alternating, N times (default 5, odd):
 *   block  an unbuffered ping-pong: every receive blocks, so every round trip is two blocking
 *          events; block profile rate 0 against rate 1.
 *   mutex  four goroutines increment a counter under one go_mutex, each holding it for a few
 *          microseconds, so that many lock calls park; mutex profile fraction 0 against 1.
 * Each row prints both medians (ns per operation) with their minimum and maximum, the ratio
 * on/off, the events recorded per operation (read back from the profile) and what one costs:
 * the medians' difference divided by the events. That difference is small against the noise of
 * a shared machine, so the recorder's parts are then timed alone, in a loop on one thread: the
 * stack walk, the walk plus adding to a table, the clock read the seam adds twice per wait, and
 * the stack save every wait makes for the goroutine profile (on or off).
 * With gperftools (the program linked with gocurrent-gperf, as in the default build), three rows
 * more, for the profilers that are not the library's: a compute loop and the ping-pong with the
 * CPU profiler off and on (100 Hz, every thread), and malloc+free of 64 bytes with tcmalloc's
 * heap profiler off and on. They have no event count (the files are gperftools'); the ratio is
 * the figure. tcmalloc is then the malloc of every row.
 * --quick runs tiny workloads once, to check the program works, not to measure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/pprof.h"
#include "gocurrent/sync.h"
#ifdef GOCURRENT_HAVE_GPERF
#include "gocurrent/pprof_gperf.h"
#endif
#include "pprof_internal.h" /* the recorder's parts and the stack save, for the last rows */

enum { max_runs = 15 };

/* The events a contention profile holds now (the sum of its counts). */
static long long recorded(const char *profile)
{
    go_buffer b = GO_BUFFER_INIT;
    go_profile_write(profile, go_buffer_writer(&b), 0);
    long long total = 0;
    for (const char *line = go_buffer_string(&b); line != NULL && strncmp(line, "--- Memory", 10) != 0;) {
        long long delay, count;
        if (sscanf(line, "%lld %lld @", &delay, &count) == 2)
            total += count;
        line = strchr(line, '\n');
        line = line != NULL ? line + 1 : NULL;
    }
    go_buffer_free(&b);
    return total;
}

/* ---- block: unbuffered ping-pong ---- */

typedef struct pingpong {
    go_chan *ping, *pong;
    long n;
    go_wait_group done;
} pingpong;

static void echo(void *arg)
{
    pingpong *p = arg;
    int v;
    for (long i = 0; i < p->n; i++) {
        go_recv(p->ping, &v);
        go_send(p->pong, int, v);
    }
    go_wg_done(&p->done);
}

static double ping_pong(long n)
{
    pingpong p = {go_make_chan(int, 0), go_make_chan(int, 0), n, GO_WAIT_GROUP_INIT};
    go_wg_add(&p.done, 1);
    go(echo, &p);
    int64_t start = go_nanotime();
    int v;
    for (long i = 0; i < n; i++) {
        go_send(p.ping, int, (int)i);
        go_recv(p.pong, &v);
    }
    double ns = (double)(go_nanotime() - start) / (double)n;
    go_wg_wait(&p.done); /* p lives on this stack: echo must be done with it */
    go_chan_release(p.ping);
    go_chan_release(p.pong);
    return ns;
}

/* ---- mutex: a contended counter ---- */

enum { incrementers = 4, critical_work = 5000 };

typedef struct counter {
    go_mutex mu;
    long n, value;
    go_wait_group done;
} counter;

static void increment(void *arg)
{
    counter *c = arg;
    for (long i = 0; i < c->n; i++) {
        go_mutex_lock(&c->mu);
        /* A critical section long enough (a few microseconds) that waiters stop spinning and
         * park: the contention the mutex profile records. */
        for (volatile int work = 0; work < critical_work; work++) {
        }
        c->value++;
        go_mutex_unlock(&c->mu);
    }
    go_wg_done(&c->done);
}

static double contended_counter(long n)
{
    counter c = {GO_MUTEX_INIT, n / incrementers, 0, GO_WAIT_GROUP_INIT};
    go_wg_add(&c.done, incrementers);
    int64_t start = go_nanotime();
    for (int i = 0; i < incrementers; i++)
        go(increment, &c);
    go_wg_wait(&c.done);
    return (double)(go_nanotime() - start) / (double)n;
}

#ifdef GOCURRENT_HAVE_GPERF
/* ---- the gperftools profilers' workloads ---- */

uintptr_t compute_sink; /* not static: a compiler may delete stores nothing reads */

/* A serial mix no compiler can fold or vectorise: ns per 100 steps. */
static double compute(long n)
{
    int64_t start = go_nanotime();
    uintptr_t h = 1;
    for (long i = 0; i < n * 100; i++)
        h = (h ^ (h >> 29) ^ (uintptr_t)i) * (uintptr_t)0x9e3779b97f4a7c15u;
    compute_sink = h;
    return (double)(go_nanotime() - start) / (double)n;
}

/* malloc and free of 64 bytes: ns per pair. */
static double malloc_free(long n)
{
    int64_t start = go_nanotime();
    for (long i = 0; i < n; i++) {
        void *p = malloc(64);
        __asm__ volatile("" : : "r"(p) : "memory"); /* or gcc deletes the pair */
        free(p);
    }
    return (double)(go_nanotime() - start) / (double)n;
}

static void set_cpu(bool on)
{
    if (on)
        go_cpu_profile_start("/dev/null");
    else
        go_cpu_profile_stop();
}

static void set_heap(bool on)
{
    if (on)
        go_heap_profile_start("/dev/null");
    else
        go_heap_profile_stop();
}
#endif

/* ---- rows ---- */

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void set_block(bool on) { go_set_block_profile_rate(on ? 1 : 0); }
static void set_mutex(bool on) { go_set_mutex_profile_fraction(on ? 1 : 0); }

/* Runs work(n) off and on, alternating; prints the row. `profile` is the library's profile whose
 * events are counted, or NULL for gperftools' (no count). */
static void row(const char *name, const char *profile, void (*set)(bool), double (*work)(long), long n,
                int runs)
{
    double off[max_runs], on[max_runs];
    long long events = 0;
    for (int r = 0; r < runs; r++) {
        off[r] = work(n);
        long long before = profile != NULL ? recorded(profile) : 0;
        set(true);
        on[r] = work(n);
        set(false);
        events += profile != NULL ? recorded(profile) - before : 0;
    }
    qsort(off, (size_t)runs, sizeof off[0], by_value);
    qsort(on, (size_t)runs, sizeof on[0], by_value);
    /* Per event: the medians' difference over a run's events (noisy: the parts below are not). */
    double per_op = (double)events / runs / (double)n;
    printf("%-28s %8.0f [%.0f-%.0f] %8.0f [%.0f-%.0f] %6.2fx", name, off[runs / 2], off[0],
           off[runs - 1], on[runs / 2], on[0], on[runs - 1], on[runs / 2] / off[runs / 2]);
    if (profile == NULL)
        printf(" %12s %11s\n", "-", "-");
    else
        printf(" %9.2f/op %8.0f ns\n", per_op,
               events > 0 ? (on[runs / 2] - off[runs / 2]) / per_op : 0.0);
}

/* The recorder's parts, on this thread, `frames` calls deep (a goroutine's stack in a chapter is
 * about that): a stack walk, a walk plus a table add, and the clock read the seam makes twice
 * per wait while a profile is on. */
enum { frames = 10 };
static go__buckets scratch;

static __attribute__((noinline)) double walk(long n, bool add, int depth)
{
    if (depth > 1)
        return walk(n, add, depth - 1) + 0.0; /* + 0.0: a real call, not a jump */
    uintptr_t pcs[GO__PPROF_DEPTH];
    int64_t start = go_nanotime();
    for (long i = 0; i < n; i++) {
        int got = go__callers(pcs, GO__PPROF_DEPTH, 0);
        if (add)
            go__buckets_add(&scratch, pcs, got, 1, 1000);
    }
    return (double)(go_nanotime() - start) / (double)n;
}

/* What the goroutine profile adds to every wait, profile on or off: the goroutine saves its
 * stack into its record (g.h, go__save_stack), `depth` calls deep. */
static __attribute__((noinline)) double save_stack(long n, int depth)
{
    if (depth > 1)
        return save_stack(n, depth - 1) + 0.0;
    go__g *g = go__current();
    int64_t start = go_nanotime();
    for (long i = 0; i < n; i++)
        go__save_stack(g);
    return (double)(go_nanotime() - start) / (double)n;
}

static volatile int64_t clock_sink;

static double clock_read(long n)
{
    int64_t start = go_nanotime();
    for (long i = 0; i < n; i++)
        clock_sink = go_nanotime();
    return (double)(go_nanotime() - start) / (double)n;
}

int main(int argc, char **argv)
{
    int runs = 5;
    long scale = 200000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            runs = 1;
            scale = 200;
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--quick] [--runs N]\n", argv[0]);
            return 2;
        }
    }
    if (runs < 1 || runs > max_runs || runs % 2 == 0) {
        fprintf(stderr, "%s: --runs must be odd, 1 to %d\n", argv[0], max_runs);
        return 2;
    }
    printf("profiling cost, ns per operation, median [min-max] of %d runs\n", runs);
    printf("%-28s %22s %22s %7s %12s %11s\n", "", "off", "on", "on/off", "events", "per event");
    row("block ping-pong (rate 1)", "block", set_block, ping_pong, scale / 4, runs);
    row("mutex counter (fraction 1)", "mutex", set_mutex, contended_counter, scale / 10, runs);
#ifdef GOCURRENT_HAVE_GPERF
    row("compute x100 (cpu 100 Hz)", NULL, set_cpu, compute, scale * 5, runs);
    row("block ping-pong (cpu 100 Hz)", NULL, set_cpu, ping_pong, scale / 4, runs);
    row("malloc+free 64 B (heap prof)", NULL, set_heap, malloc_free, scale / 4, runs);
#endif
    printf("\nthe recorder's parts, ns per call on one thread, %d frames deep\n", frames);
    printf("stack walk (frame pointers)  %6.1f\n", walk(scale * 5, false, frames));
    printf("stack walk + table add       %6.1f\n", walk(scale * 5, true, frames));
    printf("clock read (go_nanotime)     %6.1f\n", clock_read(scale * 5));
    printf("stack save at a wait         %6.1f\n", save_stack(scale * 5, frames));
    return 0;
}
