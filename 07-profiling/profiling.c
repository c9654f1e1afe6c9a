/* profiling.c - chapter 07: Go's profiles, taken from a C program and read with pprof.
 *
 * One demo per profile kind of the notes, each with a workload that makes its lesson obvious:
 * a hot function for the CPU profile (the notes' primes), a retained buffer against churning
 * garbage for in-use against allocated space, a pipeline whose slow stage dominates the block
 * profile, a contended lock for the mutex profile, leaked goroutines for the goroutine profile,
 * goroutine starts for the threadcreate profile, busy goroutines for the schedtrace report; then
 * the profiles served over HTTP as net/http/pprof serves them, and what profiling costs.
 *
 * The demos that write a profile write it to the current directory, as the notes' Go does
 * (os.Create("cpu.prof")): the README runs them from the build directory. What they print is
 * the same on every run; the profiles' figures vary, and the README shows them with wildcards.
 *
 * The functions a profile must name are noinline: gcc describes a function it has also inlined
 * somewhere by a DWARF entry without a name of its own, which Go 1.19's pprof does not follow,
 * so it would show the samples as [07-profiling] (google-pprof names them).
 *
 * The CPU and heap demos need gperftools (the library's gocurrent-gperf part): the program has
 * them only when the build found it, and never under a sanitizer (GOCURRENT_HAVE_GPERF).
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gocurrent/chan.h"
#include "gocurrent/demo.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/pprof.h"
#include "gocurrent/sync.h"
#ifdef GOCURRENT_HAVE_GPERF
#include <math.h>

#include "gocurrent/pprof_gperf.h"
#endif
#ifdef GOCURRENT_HAVE_HTTP
#include "gocurrent/pprof_http.h"
#endif

#define NOINLINE __attribute__((noinline))

/* Keeps results from being optimised away: not static (clang deletes stores to a static that
 * nothing reads), atomic (two goroutines may store at once). */
atomic_uintptr_t sink;

/* Writes profile `name` to the file `path` for pprof (pprof.Lookup(name).WriteTo(f, 0)). */
static void write_profile(const char *name, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL || !go_profile_write(name, go_file_writer(f), 0) || fclose(f) != 0) {
        fprintf(stderr, "cannot write the %s profile to %s\n", name, path);
        exit(1);
    }
}

/* The CPU time of the calling thread, in seconds. (Not the process's: once a CPU profile has
 * armed its timer, even after it is disarmed, Linux 6 reads the process clock as of its last
 * tick, and a 0.3 ms measurement read 0.) */
static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#ifdef GOCURRENT_HAVE_GPERF
/* ---- cpu: the notes' primes, under pprof.StartCPUProfile ------------------------------------ */

enum { batch_size = 10000 };

typedef struct numbers {
    int limit;
    go_chan *out; /* of int *: batches of batch_size numbers, freed by the receiver */
} numbers;

/* Sends 2, 3, ..., limit-1 in batches, then closes the channel: the notes' generateNumbers. */
static NOINLINE void generate_numbers(void *arg)
{
    numbers *n = arg;
    for (int first = 2; first < n->limit; first += batch_size) {
        int *batch = malloc(batch_size * sizeof *batch);
        for (int i = 0; i < batch_size; i++)
            batch[i] = first + i < n->limit ? first + i : 0;
        go_send(n->out, int *, batch);
    }
    go_close(n->out);
}

/* Counts the primes among the numbers received, by trial division up to the square root: the
 * notes' calculatePrimes. */
static NOINLINE int calculate_primes(go_chan *in)
{
    int count = 0, *batch;
    while (go_recv(in, &batch)) {
        for (int i = 0; i < batch_size; i++) {
            int x = batch[i], limit = (int)sqrt((double)x);
            bool prime = x >= 2;
            for (int d = 2; prime && d <= limit; d++)
                prime = x % d != 0;
            count += prime;
        }
        free(batch);
    }
    return count;
}

enum { primes_limit = 3000000 };

static int count_primes(int limit)
{
    numbers n = {limit, go_make_chan(int *, 4)};
    go(generate_numbers, &n);
    int count = calculate_primes(n.out);
    go_chan_release(n.out);
    return count;
}

static void demo_cpu(void)
{
    const char *err = go_cpu_profile_start("cpu.prof"); /* pprof.StartCPUProfile(f) */
    if (err != NULL) {
        fprintf(stderr, "cpu.prof: %s\n", err);
        exit(1);
    }
    int count = count_primes(primes_limit);
    go_cpu_profile_stop(); /* defer pprof.StopCPUProfile() */
    printf("%d primes below %d\n", count, primes_limit);
}

/* ---- heap: a retained buffer against churning garbage --------------------------------------- */

enum { buffer_size = 1 << 20, kept_buffers = 8, churned_buffers = 256 };
static char *kept[kept_buffers];

/* Allocates buffers and keeps them: still in use when the profile is written. */
static NOINLINE void retain_buffers(void)
{
    for (int i = 0; i < kept_buffers; i++)
        memset(kept[i] = malloc(buffer_size), 1, buffer_size);
}

/* Allocates `count` buffers of `size` bytes, using and freeing each at once: garbage, in Go's
 * words. */
static NOINLINE void churn_garbage(int count, size_t size)
{
    for (int i = 0; i < count; i++) {
        char *p = malloc(size);
        memset(p, 2, size);
        /* Tells gcc the memory is read, or it deletes the memset and the malloc/free pair. */
        __asm__ volatile("" : : "r"(p) : "memory");
        free(p);
    }
}

static void demo_heap(void)
{
    const char *err = go_heap_profile_start("heap");
    if (err != NULL) {
        fprintf(stderr, "heap: %s\n", err);
        exit(1);
    }
    retain_buffers();
    churn_garbage(churned_buffers, buffer_size);
    FILE *f = fopen("heap.prof", "w"); /* pprof.WriteHeapProfile(f) */
    if (f == NULL || !go_heap_profile_write(go_file_writer(f)) || fclose(f) != 0) {
        fprintf(stderr, "cannot write heap.prof\n");
        exit(1);
    }
    go_heap_profile_stop();
    printf("kept %d MB, churned %d MB\n", kept_buffers * buffer_size >> 20,
           churned_buffers * buffer_size >> 20);
    for (int i = 0; i < kept_buffers; i++)
        free(kept[i]);
}

/* ---- overhead: what the CPU and heap profilers cost ----------------------------------------- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { overhead_runs = 5, overhead_primes = 1000000, overhead_mallocs = 50000 };

typedef struct timing {
    const char *workload, *profile;
    double ms[overhead_runs]; /* CPU time of each run, sorted once all are in */
} timing;

static void print_timing(const timing *t, const timing *off)
{
    printf("%-14s  %-13s  %8.2f  %8.2f  %8.2f  %6.2f\n", t->workload, t->profile, t->ms[0],
           t->ms[overhead_runs / 2], t->ms[overhead_runs - 1],
           t->ms[overhead_runs / 2] / off->ms[overhead_runs / 2]);
}

/* Runs each workload with its profiler off and on, alternating, and prints main's CPU time per
 * run: main does the work (the primes' generator, 4% of it, runs elsewhere), the profilers' cost
 * (a signal handler, a hook in malloc) is CPU time spent on its thread, and CPU time is less
 * disturbed than wall time by the other programs of a busy machine. */
static void demo_overhead(void)
{
    timing primes_off = {"primes", "off", {0}}, primes_on = {"primes", "cpu 100 Hz", {0}};
    timing churn_off = {"malloc 64 B", "off", {0}}, churn_on = {"malloc 64 B", "heap profiler", {0}};
    for (int run = 0; run < overhead_runs; run++) {
        double t0 = cpu_seconds();
        count_primes(overhead_primes);
        double t1 = cpu_seconds();
        go_cpu_profile_start("/dev/null");
        count_primes(overhead_primes);
        go_cpu_profile_stop();
        double t2 = cpu_seconds();
        churn_garbage(overhead_mallocs, 64);
        double t3 = cpu_seconds();
        go_heap_profile_start("/dev/null");
        churn_garbage(overhead_mallocs, 64);
        go_heap_profile_stop();
        double t4 = cpu_seconds();
        primes_off.ms[run] = (t1 - t0) * 1e3, primes_on.ms[run] = (t2 - t1) * 1e3;
        churn_off.ms[run] = (t3 - t2) * 1e3, churn_on.ms[run] = (t4 - t3) * 1e3;
    }
    timing *all[] = {&primes_off, &primes_on, &churn_off, &churn_on};
    for (int i = 0; i < 4; i++)
        qsort(all[i]->ms, overhead_runs, sizeof all[i]->ms[0], compare_doubles);
    printf("%d runs each, alternating; main's CPU time per run, ms\n", overhead_runs);
    printf("%-14s  %-13s  %8s  %8s  %8s  %6s\n", "workload", "profile", "min", "median", "max",
           "ratio");
    print_timing(&primes_off, &primes_off);
    print_timing(&primes_on, &primes_off);
    print_timing(&churn_off, &churn_off);
    print_timing(&churn_on, &churn_off);
}
#endif

/* ---- block: a pipeline whose slow stage dominates ------------------------------------------- */

enum { items = 50 };

typedef struct stage {
    go_chan *in, *out;
    go_wait_group *done;
} stage;

/* Sends 1..items: waits for the slow stage to take each. */
static NOINLINE void produce(void *arg)
{
    stage *s = arg;
    for (int i = 1; i <= items; i++)
        go_send(s->out, int, i);
    go_close(s->out);
    go_wg_done(s->done);
}

/* The slow stage: a millisecond of work per item. */
static NOINLINE void slow_square(void *arg)
{
    stage *s = arg;
    int v;
    while (go_recv(s->in, &v)) {
        go_sleep(GO_MILLISECOND);
        go_send(s->out, int, v * v);
    }
    go_close(s->out);
    go_wg_done(s->done);
}

/* Sums what arrives: waits for the slow stage to deliver each. */
static NOINLINE long consume(go_chan *in)
{
    long sum = 0;
    int v;
    while (go_recv(in, &v))
        sum += v;
    return sum;
}

static void demo_block(void)
{
    go_set_block_profile_rate(1); /* runtime.SetBlockProfileRate(1) */
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    go_chan *numbers = go_make_chan(int, 0), *squares = go_make_chan(int, 0);
    stage first = {NULL, numbers, &wg}, second = {numbers, squares, &wg};
    go_wg_add(&wg, 2);
    go(produce, &first);
    go(slow_square, &second);
    long sum = consume(squares);
    go_wg_wait(&wg);
    write_profile("block", "block.prof");
    printf("sum of squares 1..%d: %ld\n", items, sum);
    go_chan_release(numbers);
    go_chan_release(squares);
}

/* ---- mutex: a contended lock ---------------------------------------------------------------- */

enum { workers = 4, rounds = 200 };

typedef struct account {
    go_mutex mu;
    long balance;
    go_wait_group done;
} account;

/* Busy work inside the critical section: what makes the lock contended. */
static NOINLINE void audit(account *a)
{
    uintptr_t h = (uintptr_t)a->balance;
    for (int i = 0; i < 20000; i++) /* a mix no compiler can shortcut (clang sums h*31+i) */
        h = (h ^ (h >> 29) ^ (uintptr_t)i) * (uintptr_t)0x9e3779b97f4a7c15u;
    sink = h;
}

/* Deposits under the lock, auditing while holding it: the unlock others wait for is here. */
static NOINLINE void deposit_and_audit(void *arg)
{
    account *a = arg;
    for (int i = 0; i < rounds; i++) {
        go_mutex_lock(&a->mu);
        a->balance += 1;
        audit(a);
        go_mutex_unlock(&a->mu);
    }
    go_wg_done(&a->done);
}

static void demo_mutex(void)
{
    go_set_mutex_profile_fraction(1); /* runtime.SetMutexProfileFraction(1) */
    account a = {GO_MUTEX_INIT, 0, GO_WAIT_GROUP_INIT};
    go_wg_add(&a.done, workers);
    for (int i = 0; i < workers; i++)
        go(deposit_and_audit, &a);
    go_wg_wait(&a.done);
    write_profile("mutex", "mutex.prof");
    printf("balance: %ld\n", a.balance);
}

/* ---- goroutine: leaked goroutines ----------------------------------------------------------- */

enum { leaked = 3 };

/* Waits for an answer nobody sends: leaked until main closes the channel. */
static NOINLINE void wait_for_answer(void *ch)
{
    int v;
    go_recv(ch, &v);
}

/* Tries to report a result nobody receives: leaked until main receives it. */
static NOINLINE void report_result(void *ch)
{
    go_send(ch, int, 42);
}

static void demo_goroutine(void)
{
    go_chan *answers = go_make_chan(int, 0), *results = go_make_chan(int, 0);
    int64_t ids[leaked + 1];
    for (int i = 0; i < leaked; i++)
        ids[i] = go(wait_for_answer, answers);
    ids[leaked] = go(report_result, results);
    for (int i = 0; i <= leaked; i++)
        go_goroutine_settle(ids[i]);

    go_profile_write("goroutine", go_file_writer(stdout), 1); /* ?debug=1 */
    printf("\n");
    go_profile_write("goroutine", go_file_writer(stdout), 2); /* ?debug=2 */
    write_profile("goroutine", "goroutine.prof");   /* ?debug=0, for pprof */

    /* End the leak, so the program exits clean. */
    go_close(answers);
    int v;
    go_recv(results, &v);
    for (int i = 0; i <= leaked; i++)
        go_goroutine_wait_returned(ids[i]);
    go_chan_release(answers);
    go_chan_release(results);
}

/* ---- threadcreate: where the threads came from ---------------------------------------------- */

static NOINLINE void idle_worker(void *ch)
{
    int v;
    go_recv(ch, &v);
}

/* Starts the pool: each go() is a new OS thread. */
static NOINLINE void start_pool(go_chan *quit, int64_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        ids[i] = go(idle_worker, quit);
}

enum { pool_size = 5 };

static void demo_threadcreate(void)
{
    go_set_threadcreate_profile(true);
    go_chan *quit = go_make_chan(int, 0);
    int64_t ids[pool_size];
    start_pool(quit, ids, pool_size);
    go_set_threadcreate_profile(false);
    write_profile("threadcreate", "threadcreate.prof");
    go_close(quit);
    for (int i = 0; i < pool_size; i++)
        go_goroutine_wait_returned(ids[i]);
    go_chan_release(quit);
    printf("started %d goroutines, %d threads\n", pool_size, pool_size);
}

/* ---- schedtrace: the runtime's state, every period ------------------------------------------ */

typedef struct spinner {
    double seconds;
    go_wait_group *done;
} spinner;

/* Burns `seconds` of its own thread's CPU time. */
static NOINLINE void spin(void *arg)
{
    spinner *s = arg;
    double start = cpu_seconds();
    uintptr_t h = 0;
    while (cpu_seconds() - start < s->seconds)
        for (int i = 0; i < 10000; i++) /* as in audit */
            h = (h ^ (h >> 29) ^ (uintptr_t)i) * (uintptr_t)0x9e3779b97f4a7c15u;
    sink = h;
    go_wg_done(s->done);
}

static void demo_schedtrace(void)
{
    enum { spinners = 2, sleepers = 3 };
    go_wait_group done = GO_WAIT_GROUP_INIT;
    spinner busy = {0.5, &done};
    go_chan *never = go_make_chan(int, 0);
    int64_t waiting[sleepers];
    for (int i = 0; i < sleepers; i++)
        waiting[i] = go(idle_worker, never);
    go_wg_add(&done, spinners);
    for (int i = 0; i < spinners; i++)
        go(spin, &busy);
    go_wg_wait(&done); /* main waits too: 2 goroutines run, 4 wait */
    go_close(never);
    for (int i = 0; i < sleepers; i++)
        go_goroutine_wait_returned(waiting[i]);
    go_chan_release(never);
    printf("%d goroutines spun %.1f s of CPU each while %d waited\n", spinners, busy.seconds,
           sleepers + 1);
}

#ifdef GOCURRENT_HAVE_HTTP
/* ---- server: the profiles over HTTP, as net/http/pprof serves them -------------------------- */

typedef struct shop {
    account till;
    atomic_bool open;
} shop;

/* Deposits and audits under the shared lock until the shop closes: work for the CPU profile,
 * waits for the block and mutex profiles. */
static NOINLINE void serve_customers(void *arg)
{
    shop *s = arg;
    while (atomic_load(&s->open)) {
        go_mutex_lock(&s->till.mu);
        s->till.balance += 1;
        audit(&s->till);
        go_mutex_unlock(&s->till.mu);
    }
    go_wg_done(&s->till.done);
}

static void demo_server(void)
{
    enum { clerks = 2 };
    go_set_block_profile_rate(1);
    go_set_mutex_profile_fraction(1);
    const char *err;
    go_pprof_http *srv = go_pprof_http_start(NULL, 0, &err); /* import _ "net/http/pprof" */
    if (srv == NULL) {
        fprintf(stderr, "server: %s\n", err);
        exit(1);
    }
    shop s = {{GO_MUTEX_INIT, 0, GO_WAIT_GROUP_INIT}, true};
    go_wg_add(&s.till.done, clerks);
    for (int i = 0; i < clerks; i++)
        go(serve_customers, &s);
    printf("http://127.0.0.1:%d/debug/pprof/\n", go_pprof_http_port(srv));
    fflush(stdout);

    while (getchar() != EOF) /* serve until the input ends */
        ;
    atomic_store(&s.open, false);
    go_wg_wait(&s.till.done);
    go_pprof_http_stop(srv);
}
#endif

static const go_demo demos[] = {
#ifdef GOCURRENT_HAVE_GPERF
    GO_DEMO("cpu", demo_cpu, GO_NORMAL, "the notes' primes under the CPU profiler: cpu.prof"),
    GO_DEMO("heap", demo_heap, GO_NORMAL, "a retained buffer against churning garbage: heap.prof"),
#endif
    GO_DEMO("block", demo_block, GO_NORMAL, "a pipeline whose slow stage blocks the others: block.prof"),
    GO_DEMO("mutex", demo_mutex, GO_NORMAL, "four goroutines contend for one lock: mutex.prof"),
    GO_DEMO("goroutine", demo_goroutine, GO_NORMAL, "leaked goroutines, as debug=1, debug=2 and goroutine.prof"),
    GO_DEMO("threadcreate", demo_threadcreate, GO_NORMAL, "every go() starts a thread: threadcreate.prof"),
    GO_DEMO("schedtrace", demo_schedtrace, GO_NORMAL, "busy and waiting goroutines, for GOCURRENT_SCHEDTRACE"),
#ifdef GOCURRENT_HAVE_GPERF
    GO_DEMO("overhead", demo_overhead, GO_NORMAL, "CPU time with each gperftools profiler off and on"),
#endif
#ifdef GOCURRENT_HAVE_HTTP
    GO_DEMO("server", demo_server, GO_SERVER, "/debug/pprof/ on a kernel-picked port, until stdin ends"),
#endif
};

GO_DEMO_MAIN(demos)
