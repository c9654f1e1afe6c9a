/* chanbench - how fast are the workbook's channels? Measured against a baseline in the same run.
 *
 * usage: chanbench [--quick] [--runs N] [ROW...]
 *
 * Each row runs the same workload twice: on gocurrent's channels (and mutex) and on the
 * baseline of baseline.h, the mutex-and-two-condvars channel a C programmer writes first. Runs
 * alternate between the two, several times, and the row prints each side's median with its
 * minimum and maximum, and the ratio of the medians: how many times faster gocurrent is. The
 * ratio is what to read: it holds on a noisy machine, where absolute figures do not.
 *
 * The table is printed twice: with every CPU, and then with the whole process pinned to one CPU
 * (the program re-executes itself after sched_setaffinity, so every thread, the runtime's own
 * included, inherits the pin): the analogue of GOMAXPROCS=1. --quick runs tiny workloads once,
 * to check the program works, not to measure. --runs N sets the runs per row (default 5, odd, at
 * most 15); ROW arguments keep only the rows whose names contain one of them ("select").
 */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

/* The workloads. Each gets n operations to do and reports nanoseconds per operation. */
typedef struct workload {
    long n;
    int producers, consumers; /* for the streaming rows */
    size_t cap;
    go_chan *a, *b;           /* gocurrent's */
    base_chan *ba, *bb;       /* the baseline's */
    go_wait_group done;
    go_mutex mutex;
    pthread_mutex_t base_mutex;
    int64_t counter;
} workload;

static workload *new_workload(long n, size_t cap, int producers, int consumers)
{
    workload *w = calloc(1, sizeof *w);
    *w = (workload){.n = n, .producers = producers, .consumers = consumers, .cap = cap,
                    .done = GO_WAIT_GROUP_INIT, .mutex = GO_MUTEX_INIT};
    pthread_mutex_init(&w->base_mutex, NULL);
    return w;
}

static double per_op(int64_t start, long n)
{
    return (double)(go_nanotime() - start) / (double)n;
}

/* ---- unbuffered ping-pong: main sends on a, an echo goroutine answers on b ---- */

static void echo(void *arg)
{
    workload *w = arg;
    go_int v;
    for (long i = 0; i < w->n; i++) {
        go_recv(w->a, &v);
        go_send(w->b, go_int, v);
    }
    go_wg_done(&w->done);
}

static double ping_pong(long n)
{
    workload *w = new_workload(n, 0, 1, 1);
    w->a = go_make_chan(go_int, 0);
    w->b = go_make_chan(go_int, 0);
    go_wg_add(&w->done, 1);
    go(echo, w);
    int64_t start = go_nanotime();
    go_int v;
    for (long i = 0; i < n; i++) {
        go_send(w->a, go_int, i);
        go_recv(w->b, &v);
    }
    double ns = per_op(start, 2 * n); /* two one-way handoffs per round trip */
    go_wg_wait(&w->done);
    go_chan_release(w->a);
    go_chan_release(w->b);
    free(w);
    return ns;
}

static void base_echo(void *arg)
{
    workload *w = arg;
    for (long i = 0; i < w->n; i++)
        base_chan_send(w->bb, base_chan_recv(w->ba));
    go_wg_done(&w->done);
}

static double base_ping_pong(long n)
{
    workload *w = new_workload(n, 0, 1, 1);
    w->ba = base_chan_make(0);
    w->bb = base_chan_make(0);
    go_wg_add(&w->done, 1);
    go(base_echo, w);
    int64_t start = go_nanotime();
    for (long i = 0; i < n; i++) {
        base_chan_send(w->ba, i);
        base_chan_recv(w->bb);
    }
    double ns = per_op(start, 2 * n);
    go_wg_wait(&w->done);
    base_chan_free(w->ba);
    base_chan_free(w->bb);
    free(w);
    return ns;
}

/* ---- streams: P producers and C consumers share one channel; n items in all ---- */

static void producer(void *arg)
{
    workload *w = arg;
    for (long i = 0; i < w->n / w->producers; i++)
        go_send(w->a, go_int, i);
    go_wg_done(&w->done);
}

static void consumer(void *arg)
{
    workload *w = arg;
    go_int v;
    for (long i = 0; i < w->n / w->consumers; i++)
        go_recv(w->a, &v);
    go_wg_done(&w->done);
}

static void base_producer(void *arg)
{
    workload *w = arg;
    for (long i = 0; i < w->n / w->producers; i++)
        base_chan_send(w->ba, i);
    go_wg_done(&w->done);
}

static void base_consumer(void *arg)
{
    workload *w = arg;
    for (long i = 0; i < w->n / w->consumers; i++)
        base_chan_recv(w->ba);
    go_wg_done(&w->done);
}

static double stream(long n, size_t cap, int producers, int consumers, bool baseline)
{
    workload *w = new_workload(n, cap, producers, consumers);
    if (baseline)
        w->ba = base_chan_make(cap);
    else
        w->a = go_make_chan(go_int, cap);
    go_wg_add(&w->done, producers + consumers);
    int64_t start = go_nanotime();
    for (int i = 0; i < consumers; i++)
        baseline ? go(base_consumer, w) : go(consumer, w);
    for (int i = 0; i < producers; i++)
        baseline ? go(base_producer, w) : go(producer, w);
    go_wg_wait(&w->done);
    double ns = per_op(start, n);
    if (baseline)
        base_chan_free(w->ba);
    else
        go_chan_release(w->a);
    free(w);
    return ns;
}

static double stream_unbuffered(long n) { return stream(n, 0, 1, 1, false); }
static double base_stream_unbuffered(long n) { return stream(n, 0, 1, 1, true); }
static double stream_1p1c(long n) { return stream(n, 128, 1, 1, false); }
static double base_stream_1p1c(long n) { return stream(n, 128, 1, 1, true); }
static double stream_4p4c(long n) { return stream(n, 128, 4, 4, false); }
static double base_stream_4p4c(long n) { return stream(n, 128, 4, 4, true); }

/* ---- select over two channels that are always ready; the value goes back where it came from */

static double select_ready(long n)
{
    go_chan *a = go_make_chan(go_int, 1), *b = go_make_chan(go_int, 1);
    go_send(a, go_int, 1);
    go_send(b, go_int, 2);
    go_int v;
    int64_t start = go_nanotime();
    for (long i = 0; i < n; i++) {
        int chosen = go_select(GO_RECV(a, &v, NULL), GO_RECV(b, &v, NULL));
        go_send(chosen == 0 ? a : b, go_int, v);
    }
    double ns = per_op(start, n);
    go_chan_release(a);
    go_chan_release(b);
    return ns;
}

/* The baseline has no select: a C programmer polls each channel in turn (random first, for
 * fairness, as select is). */
static double base_select_ready(long n)
{
    base_chan *a = base_chan_make(1), *b = base_chan_make(1);
    base_chan_send(a, 1);
    base_chan_send(b, 2);
    unsigned seed = 1;
    int64_t v;
    int64_t start = go_nanotime();
    for (long i = 0; i < n; i++) {
        base_chan *from = rand_r(&seed) & 1 ? a : b;
        if (!base_chan_try_recv(from, &v)) {
            from = from == a ? b : a;
            if (!base_chan_try_recv(from, &v))
                abort(); /* one of the two always holds a value */
        }
        base_chan_send(from, v);
    }
    double ns = per_op(start, n);
    base_chan_free(a);
    base_chan_free(b);
    return ns;
}

/* ---- select with default on two empty channels: the cost of finding nothing ready ---- */

static double select_default(long n)
{
    go_chan *a = go_make_chan(go_int, 1), *b = go_make_chan(go_int, 1);
    go_int v;
    long defaults = 0;
    int64_t start = go_nanotime();
    for (long i = 0; i < n; i++)
        defaults += go_select(GO_RECV(a, &v, NULL), GO_RECV(b, &v, NULL), GO_DEFAULT) == 2;
    double ns = per_op(start, n);
    if (defaults != n)
        abort();
    go_chan_release(a);
    go_chan_release(b);
    return ns;
}

static double base_select_default(long n)
{
    base_chan *a = base_chan_make(1), *b = base_chan_make(1);
    int64_t v;
    long defaults = 0;
    int64_t start = go_nanotime();
    for (long i = 0; i < n; i++)
        defaults += !base_chan_try_recv(a, &v) && !base_chan_try_recv(b, &v);
    double ns = per_op(start, n);
    if (defaults != n)
        abort();
    base_chan_free(a);
    base_chan_free(b);
    return ns;
}

/* ---- a counter incremented by 4 goroutines: under a mutex, or owned by one goroutine ---- */

enum { counter_goroutines = 4 };

static void mutex_incrementer(void *arg)
{
    workload *w = arg;
    for (long i = 0; i < w->n / counter_goroutines; i++) {
        go_mutex_lock(&w->mutex);
        w->counter++;
        go_mutex_unlock(&w->mutex);
    }
    go_wg_done(&w->done);
}

static void base_mutex_incrementer(void *arg)
{
    workload *w = arg;
    for (long i = 0; i < w->n / counter_goroutines; i++) {
        pthread_mutex_lock(&w->base_mutex);
        w->counter++;
        pthread_mutex_unlock(&w->base_mutex);
    }
    go_wg_done(&w->done);
}

static double mutex_counter(long n, bool baseline)
{
    workload *w = new_workload(n, 0, counter_goroutines, 0);
    go_wg_add(&w->done, counter_goroutines);
    int64_t start = go_nanotime();
    for (int i = 0; i < counter_goroutines; i++)
        baseline ? go(base_mutex_incrementer, w) : go(mutex_incrementer, w);
    go_wg_wait(&w->done);
    double ns = per_op(start, n);
    if (w->counter != n / counter_goroutines * counter_goroutines)
        abort();
    pthread_mutex_destroy(&w->base_mutex);
    free(w);
    return ns;
}

static double go_mutex_counter(long n) { return mutex_counter(n, false); }
static double pthread_mutex_counter(long n) { return mutex_counter(n, true); }

/* The channel counter: the producers of a 4-to-1 stream send increments to the owner. */
static double chan_counter(long n) { return stream(n, 128, counter_goroutines, 1, false); }
static double base_chan_counter(long n) { return stream(n, 128, counter_goroutines, 1, true); }

typedef struct row {
    const char *name;
    double (*workbook)(long n);
    double (*baseline)(long n);
    long n; /* operations per run */
} row;

static const row rows[] = {
    {"unbuffered ping-pong, ns/handoff", ping_pong, base_ping_pong, 20000},
    {"unbuffered stream 1P1C, ns/item", stream_unbuffered, base_stream_unbuffered, 40000},
    {"buffered(128) 1P1C, ns/item", stream_1p1c, base_stream_1p1c, 400000},
    {"buffered(128) 4P4C, ns/item", stream_4p4c, base_stream_4p4c, 400000},
    {"select, 2 ready channels, ns/op", select_ready, base_select_ready, 400000},
    {"select+default, 2 empty, ns/op", select_default, base_select_default, 1000000},
    {"counter under a mutex, ns/inc", go_mutex_counter, pthread_mutex_counter, 400000},
    {"counter owned by a goroutine, ns/inc", chan_counter, base_chan_counter, 400000},
};

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { max_reps = 15 };

/* The ROW arguments: a row runs if there are none or its name contains one of them. */
static char **row_filters;
static int row_filter_count;

static bool row_selected(const row *r)
{
    for (int i = 0; i < row_filter_count; i++)
        if (strstr(r->name, row_filters[i]) != NULL)
            return true;
    return row_filter_count == 0;
}

static void run_table(int reps, long scale_down)
{
    printf("%-38s %22s %22s %8s\n", "", "gocurrent", "baseline", "speedup");
    printf("%-38s %22s %22s %8s\n", "", "median [min-max]", "median [min-max]", "");
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        if (!row_selected(&rows[r]))
            continue;
        double ours[max_reps], theirs[max_reps];
        long n = rows[r].n / scale_down;
        /* Alternate the two sides so that both see the same moments of machine noise. */
        for (int i = 0; i < reps; i++) {
            ours[i] = rows[r].workbook(n);
            theirs[i] = rows[r].baseline(n);
        }
        qsort(ours, (size_t)reps, sizeof ours[0], by_value);
        qsort(theirs, (size_t)reps, sizeof theirs[0], by_value);
        char mine[64], base[64];
        snprintf(mine, sizeof mine, "%.0f [%.0f-%.0f]", ours[reps / 2], ours[0], ours[reps - 1]);
        snprintf(base, sizeof base, "%.0f [%.0f-%.0f]", theirs[reps / 2], theirs[0], theirs[reps - 1]);
        printf("%-38s %22s %22s %7.2fx\n", rows[r].name, mine, base, theirs[reps / 2] / ours[reps / 2]);
        fflush(stdout);
    }
}

static _Noreturn void usage(const char *program)
{
    fprintf(stderr, "usage: %s [--quick] [--runs N] [ROW...]\n", program);
    exit(2);
}

int main(int argc, char **argv)
{
    bool quick = false, pinned = false;
    int reps = 5;
    int first_row = argc;
    for (int i = 1; i < argc && first_row == argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = true;
        } else if (strcmp(argv[i], "--pinned") == 0) {
            pinned = true;
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            char *end;
            long runs = strtol(argv[++i], &end, 10);
            if (*end != '\0' || runs < 1 || runs > max_reps || runs % 2 == 0)
                usage(argv[0]);
            reps = (int)runs;
        } else if (argv[i][0] == '-') {
            usage(argv[0]);
        } else {
            first_row = i;
        }
    }
    row_filters = argv + first_row;
    row_filter_count = argc - first_row;
    if (quick)
        reps = 1;
    long scale_down = quick ? 100 : 1;

    if (!pinned) {
        printf("gocurrent channel benchmarks: %d run%s per row, ns per operation\n\n", reps,
               reps == 1 ? "" : "s");
        printf("all %ld CPUs\n", sysconf(_SC_NPROCESSORS_ONLN));
    } else {
        printf("\none CPU (the whole process pinned to CPU 0: GOMAXPROCS=1)\n");
    }
    run_table(reps, scale_down);
    if (pinned)
        return 0;

    /* Pin this thread, then become a new process: every thread it starts inherits the pin. */
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) {
        perror("sched_setaffinity");
        return 1;
    }
    fflush(stdout);
    /* The same arguments, with --pinned first. */
    char **args = calloc((size_t)argc + 2, sizeof *args);
    args[0] = argv[0];
    args[1] = "--pinned";
    for (int i = 1; i < argc; i++)
        args[i + 1] = argv[i];
    execv("/proc/self/exe", args);
    perror("execv");
    return 1;
}
