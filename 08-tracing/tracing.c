/* tracing.c - chapter 08: the execution tracer, Go's runtime/trace, on the notes' examples.
 *
 * Each demo traces itself into <demo>.trace in the current directory (go_trace_start_file and
 * go_trace_stop around its work, as the notes' trace.Start and trace.Stop), then reads the
 * trace back with gotrace's analysis (summary.h) and prints the figure the lesson is about,
 * followed by a line saying whether the trace shows what the notes claim. The reader opens the
 * same files with `gotrace stats`, `gotrace pprof` and the viewers. Times vary from run to run;
 * the claims are comparisons with a wide margin, computed from the trace, never typed in.
 *
 * Slow work is simulated as the notes simulate it: go_sleep stands for waiting on a database or
 * a disk, burn() for computing (it spins until the calling thread has used that much CPU).
 *
 * The demos that need more than the library are in files of their own: http.c (a trace over
 * HTTP), server.c (the encryption server), flight.c (the flight recorder), overhead.c.
 */
#define _GNU_SOURCE /* sched_setaffinity and the CPU_* macros (cpu-bound) */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gocurrent/chan.h"
#include "gocurrent/context.h"
#include "gocurrent/demo.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/timer.h"
#include "gocurrent/trace.h"
#include "summary.h"
#include "tracing.h"

/* ---- Helpers ------------------------------------------------------------------------------- */

void trace_begin(const char *path)
{
    int err = go_trace_start_file(path);
    if (err != 0)
        go_panic("trace.Start(%s): %s", path, go_trace_strerror(err));
}

void trace_end(const char *path)
{
    int err = go_trace_stop();
    if (err != 0)
        go_panic("trace.Stop(%s): %s", path, go_trace_strerror(err));
}

int64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double process_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

void burn(go_duration cpu)
{
    int64_t until = thread_cpu_ns() + cpu;
    volatile uint64_t x = 1;
    while (thread_cpu_ns() < until)
        for (int i = 0; i < 1000; i++)
            x = x * 6364136223846793005u + 1442695040888963407u;
}

const char *truth(bool b)
{
    return b ? "true" : "false";
}

static double share(double part, double whole)
{
    return whole > 0 ? 100.0 * part / whole : 0;
}

/* ---- collect: trace.Start and trace.Stop, with the errors the notes skip -------------------- */

static void ping(void *arg)
{
    go_chan *ch = arg;
    go_int v;
    while (go_recv(ch, &v))
        ;
    go_chan_release(ch);
}

static void demo_collect(void)
{
    int err = go_trace_start_file("no-such-dir/collect.trace");
    printf("trace.Start(no-such-dir/collect.trace): %s\n", go_trace_strerror(err));

    err = go_trace_start_file("collect.trace");
    printf("trace.Start(collect.trace): %s\n", err == 0 ? "ok" : go_trace_strerror(err));
    if (err != 0)
        return;
    err = go_trace_start_file("again.trace");
    printf("trace.Start(again.trace) while tracing: %s\n", go_trace_strerror(err));

    go_chan *ch = go_make_chan(go_int, 0);
    int64_t pinger = go(ping, go_chan_retain(ch));
    for (go_int i = 0; i < 10; i++)
        go_send(ch, go_int, i);
    go_close(ch);
    go_chan_release(ch);
    go_goroutine_wait_returned(pinger); /* so that its end is in the trace */

    err = go_trace_stop();
    printf("trace.Stop(): %s\n", err == 0 ? "ok" : go_trace_strerror(err));
    printf("trace.Stop() again: %s\n", go_trace_stop() == 0 ? "ok (nothing to stop)" : "error");

    trace_summary s;
    trace_summarize("collect.trace", &s);
    printf("collect.trace: main and %d ping goroutine, %llu bytes, %llu events\n", trace_group_of(&s, "ping")->count,
           (unsigned long long)s.bytes, (unsigned long long)s.events);
}

/* ---- hello: what even Hello, World's trace holds -------------------------------------------- */

static void demo_hello(void)
{
    trace_begin("hello.trace");
    printf("Hello, World!\n");
    trace_end("hello.trace");

    trace_summary s;
    trace_summarize("hello.trace", &s);
    printf("hello.trace: %llu bytes, %llu events\n", (unsigned long long)s.bytes,
           (unsigned long long)s.events);
    printf("goroutines: %zu (%s, %s when tracing started)\n", s.ng, s.g[0].func,
           s.g[0].ns[GT_EXEC] > 0 ? "running" : "not running");
    printf("counter samples: %d (goroutines by state, threads, heap: taken at start, then every 100ms)\n",
           s.ncounters);
}

/* ---- slow-sender: the notes' "Finding Goroutine Blocking" ------------------------------------ */

enum { SLOW_WORKERS = 10, SLOW_VALUES = 20 };

typedef struct slow_worker_args {
    go_chan *ch;
    go_wait_group *wg;
} slow_worker_args;

static volatile go_int processed_sum;

static void process(go_int v)
{
    processed_sum += v;
}

static void worker(void *arg)
{
    slow_worker_args *a = arg;
    go_int val;
    while (go_recv(a->ch, &val)) { /* blocks here if no data */
        go_sleep(10 * GO_MILLISECOND);
        process(val);
    }
    go_wg_done(a->wg);
}

static void print_goroutine(const trace_goroutine *g)
{
    char b[16];
    printf("Goroutine %llu (%s):\n", (unsigned long long)g->id, g->func);
    printf("  Execution:    %10s\n", trace_ms(b, g->ns[GT_EXEC]));
    printf("  Network wait: %10s\n", trace_ms(b, 0));
    printf("  Sync block:   %10s  <- the problem\n", trace_ms(b, g->ns[GT_SYNC]));
    printf("  Syscall:      %10s\n", trace_ms(b, g->ns[GT_SYSCALL]));
    printf("  Sched wait:   %10s\n", trace_ms(b, g->ns[GT_SCHED]));
    printf("  Sleep:        %10s\n", trace_ms(b, g->ns[GT_SLEEP]));
}

static void demo_slow_sender(void)
{
    trace_begin("slow-sender.trace");
    go_chan *ch = go_make_chan(go_int, 0);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    slow_worker_args args = {ch, &wg};
    go_wg_add(&wg, SLOW_WORKERS);
    for (int i = 0; i < SLOW_WORKERS; i++)
        go(worker, &args);
    for (go_int i = 0; i < SLOW_VALUES; i++) {
        go_send(ch, go_int, i);
        go_sleep(50 * GO_MILLISECOND); /* slow! */
    }
    go_close(ch);
    go_wg_wait(&wg);
    go_chan_release(ch);
    trace_end("slow-sender.trace");

    trace_summary s;
    trace_summarize("slow-sender.trace", &s);
    const trace_group *w = trace_group_of(&s, "worker");
    printf("%d workers, %d values sent 50ms apart, each takes a worker 10ms\n", w->count, SLOW_VALUES);
    for (size_t i = 0; i < s.ng; i++) {
        if (strcmp(s.g[i].func, "worker") == 0) {
            print_goroutine(&s.g[i]);
            break;
        }
    }
    double sync = share(w->ns[GT_REASON0 + 2], w->ns[GT_TOTAL]);
    double busy = share(w->ns[GT_EXEC] + w->ns[GT_SLEEP], w->ns[GT_TOTAL]);
    printf("all workers: %.0f%% of their time blocked on chan receive, %.0f%% working\n", sync, busy);
    printf("the workers mostly wait for the sender: %s\n", truth(sync > 2 * busy));
}

/* ---- regions: the notes' processRequest, a task with three regions --------------------------- */

typedef struct request {
    uint64_t task;
    int id;
    go_wait_group *wg;
} request;

static void query_database(void *arg)
{
    (void)arg;
    go_sleep(30 * GO_MILLISECOND); /* db.Query: waiting on another process */
}

static void process_result(void *arg)
{
    (void)arg;
    burn(500 * GO_MICROSECOND);
}

static void send_response(void *arg)
{
    (void)arg;
    go_sleep(1 * GO_MILLISECOND);
}

static void process_request(void *arg)
{
    request *req = arg;
    req->task = go_trace_new_task(0, "processRequest");
    go_trace_logf(req->task, "request", "id %d", req->id);
    go_trace_with_region(req->task, "database", query_database, NULL);
    go_trace_with_region(req->task, "process", process_result, NULL);
    go_trace_with_region(req->task, "response", send_response, NULL);
    go_trace_end_task(req->task);
    go_wg_done(req->wg);
}

static void demo_regions(void)
{
    enum { REQUESTS = 5 };
    trace_begin("regions.trace");
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    request reqs[REQUESTS];
    go_wg_add(&wg, REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
        reqs[i] = (request){0, i + 1, &wg};
        go(process_request, &reqs[i]);
    }
    go_wg_wait(&wg);
    trace_end("regions.trace");

    trace_summary s;
    trace_summarize("regions.trace", &s);
    char b[16], c[16];
    printf("%d processRequest tasks, each %s on average\n", s.tasks[0].count,
           trace_ms(b, s.tasks[0].sum_ns / s.tasks[0].count));
    const trace_span_stat *slowest = NULL;
    for (size_t i = 0; i < s.nregions; i++) {
        const trace_span_stat *r = &s.regions[i];
        printf("  region %-9s %d times, avg %8s, max %8s\n", r->name, r->count,
               trace_ms(b, r->sum_ns / r->count), trace_ms(c, r->max_ns));
        if (slowest == NULL || r->sum_ns > slowest->sum_ns)
            slowest = r;
    }
    printf("the slowest phase is %s\n", slowest->name);
}

/* ---- worker-pool: the notes' pool with tasks and regions, at several sizes ------------------- */

enum { POOL_TASKS = 100 };

typedef struct pool {
    go_chan *jobs;
    go_wait_group wg;
} pool;

static void compute(void *arg)
{
    (void)arg;
    go_sleep(10 * GO_MILLISECOND); /* the notes' compute: 10ms of waiting */
    burn(1 * GO_MILLISECOND);      /* and, here, 1ms of CPU, so that CPUs run out */
}

static void pool_worker(void *arg)
{
    pool *p = arg;
    go_int job;
    while (go_recv(p->jobs, &job)) {
        uint64_t task = go_trace_new_task(0, "task");
        go_trace_with_region(task, "compute", compute, NULL);
        go_trace_end_task(task);
    }
    go_wg_done(&p->wg);
}

static void run_pool(int workers, const char *path)
{
    trace_begin(path);
    pool p = {go_make_chan(go_int, 0), GO_WAIT_GROUP_INIT};
    go_wg_add(&p.wg, workers);
    for (int i = 0; i < workers; i++)
        go(pool_worker, &p);
    for (go_int i = 0; i < POOL_TASKS; i++)
        go_send(p.jobs, go_int, i);
    go_close(p.jobs);
    go_wg_wait(&p.wg);
    go_chan_release(p.jobs);
    trace_end(path);
}

static void demo_worker_pool(void)
{
    static const int sizes[] = {1, 2, 5, 10, 20, 50};
    enum { NSIZES = sizeof sizes / sizeof sizes[0] };
    double wall[NSIZES];
    printf("%d tasks of 10ms waiting + 1ms CPU, by pool size (traces pool-N.trace)\n", POOL_TASKS);
    printf("workers       wall  task avg  workers idle\n");
    for (int i = 0; i < NSIZES; i++) {
        char path[32];
        snprintf(path, sizeof path, "pool-%d.trace", sizes[i]);
        run_pool(sizes[i], path);
        trace_summary s;
        trace_summarize(path, &s);
        const trace_group *w = trace_group_of(&s, "pool_worker");
        const trace_span_stat *task = &s.tasks[0];
        char b[16], c[16];
        wall[i] = s.wall_ns;
        printf("%7d %10s %9s %12.0f%%\n", sizes[i], trace_ms(b, s.wall_ns), trace_ms(c, task->sum_ns / task->count),
               share(w->ns[GT_REASON0 + 2], w->ns[GT_TOTAL]));
    }
    /* The best size: the smallest pool within 10% of the fastest. */
    double fastest = wall[0];
    for (int i = 1; i < NSIZES; i++)
        if (wall[i] < fastest)
            fastest = wall[i];
    int best = 0;
    while (wall[best] > 1.1 * fastest)
        best++;
    printf("best pool size: %d (the smallest within 10%% of the fastest)\n", sizes[best]);
    printf("1 worker is the slowest: %s\n", truth(wall[0] > 1.1 * fastest && best > 0));
}

/* ---- deadlock: the notes' two mutexes taken in opposite orders ------------------------------- */

typedef struct two_locks {
    go_mutex mu1, mu2;
    go_chan *done;
} two_locks;

static void lock_1_then_2(void *arg)
{
    two_locks *l = arg;
    go_mutex_lock(&l->mu1);
    go_sleep(10 * GO_MILLISECOND);
    go_mutex_lock(&l->mu2);
    go_mutex_unlock(&l->mu2);
    go_mutex_unlock(&l->mu1);
    go_send(l->done, bool, true);
}

static void lock_2_then_1(void *arg)
{
    two_locks *l = arg;
    go_mutex_lock(&l->mu2);
    go_sleep(10 * GO_MILLISECOND);
    go_mutex_lock(&l->mu1); /* DEADLOCK! */
    go_mutex_unlock(&l->mu1);
    go_mutex_unlock(&l->mu2);
    go_send(l->done, bool, true);
}

/* The notes' test: wait for either goroutine, or give up after a second. The two goroutines
 * stay blocked for the rest of the program, as they would in Go. */
static void demo_deadlock_trace(void)
{
    static two_locks l = {GO_MUTEX_INIT, GO_MUTEX_INIT, NULL};
    l.done = go_make_chan(bool, 0);
    trace_begin("deadlock.trace");
    go(lock_1_then_2, &l);
    go(lock_2_then_1, &l);
    go_chan *timeout = go_after(GO_SECOND);
    int chosen = go_select(GO_RECV_DROP(l.done), GO_RECV_DROP(timeout));
    go_chan_release(timeout);
    trace_end("deadlock.trace");
    printf("%s\n", chosen == 0 ? "done" : "Deadlock detected (no goroutine done after 1s)");

    trace_summary s;
    trace_summarize("deadlock.trace", &s);
    static const char *const lockers[] = {"lock_1_then_2", "lock_2_then_1"};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < s.ng; i++) {
            const trace_goroutine *g = &s.g[i];
            if (strcmp(g->func, lockers[k]) != 0)
                continue;
            char b[16], c[16];
            printf("%s: at the end of the trace, waiting on %s\n", g->func, g->waiting);
            printf("  Mutex.Lock wait %s of its %s\n", trace_ms(b, g->ns[GT_REASON0 + 8]), trace_ms(c, g->ns[GT_TOTAL]));
        }
    }
}

/* Without the timeout, the runtime sees that no goroutine can ever run again. */
static void demo_deadlock(void)
{
    static two_locks l = {GO_MUTEX_INIT, GO_MUTEX_INIT, NULL};
    l.done = go_make_chan(bool, 0);
    go(lock_1_then_2, &l);
    go(lock_2_then_1, &l);
    go_recv_drop(l.done);
    go_recv_drop(l.done);
}

/* ---- pipeline: the notes' before and after, compared trace to trace -------------------------- */

enum { ITEMS = 20 };

static go_int load(go_int item)
{
    go_sleep(10 * GO_MILLISECOND); /* reading it: waiting */
    return item;
}

static go_int process_item(go_int item)
{
    burn(1 * GO_MILLISECOND); /* computing */
    return item * item;
}

static go_int saved_sum;

static void save(go_int item)
{
    go_sleep(10 * GO_MILLISECOND); /* writing it: waiting */
    saved_sum += item;
}

static void process_pipeline(void)
{
    go_int loaded[ITEMS], processed[ITEMS];
    for (go_int i = 0; i < ITEMS; i++) /* Stage 1: Load (sequential!) */
        loaded[i] = load(i);
    for (go_int i = 0; i < ITEMS; i++) /* Stage 2: Process (sequential!) */
        processed[i] = process_item(loaded[i]);
    for (go_int i = 0; i < ITEMS; i++) /* Stage 3: Save (sequential!) */
        save(processed[i]);
}

typedef struct stages {
    go_chan *load_ch, *process_ch;
    go_wait_group wg;
} stages;

static void loader(void *arg)
{
    stages *st = arg;
    for (go_int i = 0; i < ITEMS; i++)
        go_send(st->load_ch, go_int, load(i));
    go_close(st->load_ch);
}

static void processor(void *arg)
{
    stages *st = arg;
    go_int item;
    while (go_recv(st->load_ch, &item))
        go_send(st->process_ch, go_int, process_item(item));
    go_wg_done(&st->wg);
}

static void closer(void *arg)
{
    stages *st = arg;
    go_wg_wait(&st->wg);
    go_close(st->process_ch);
}

/* The CPUs this process may run on (its affinity mask). */
static cpu_set_t usable_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        go_panic("sched_getaffinity: %s", strerror(errno));
    return set;
}

/* runtime.NumCPU(). */
static int num_cpu(void)
{
    cpu_set_t set = usable_cpus();
    return CPU_COUNT(&set);
}

static void process_pipeline_optimized(void)
{
    stages st = {go_make_chan(go_int, 10), go_make_chan(go_int, 10), GO_WAIT_GROUP_INIT};
    go(loader, &st);
    int workers = num_cpu();
    go_wg_add(&st.wg, workers);
    for (int i = 0; i < workers; i++)
        go(processor, &st);
    go(closer, &st);
    go_int item;
    while (go_recv(st.process_ch, &item)) /* Stage 3: Save */
        save(item);
    go_chan_release(st.load_ch);
    go_chan_release(st.process_ch);
}

typedef struct run_figures {
    double wall, cpu; /* ns: the trace's length, and the process's CPU time meanwhile */
    int goroutines;
    go_int sum;
} run_figures;

static run_figures traced_run(const char *path, void (*run)(void))
{
    saved_sum = 0;
    double cpu = process_cpu_ns();
    trace_begin(path);
    run();
    trace_end(path);
    cpu = process_cpu_ns() - cpu;
    trace_summary s;
    trace_summarize(path, &s);
    return (run_figures){s.wall_ns, cpu, 1 + s.created, saved_sum};
}

static void demo_pipeline(void)
{
    run_figures before = traced_run("before.trace", process_pipeline);
    run_figures after = traced_run("after.trace", process_pipeline_optimized);
    char b[16];
    printf("%d items: load 10ms waiting, process 1ms CPU, save 10ms waiting\n", ITEMS);
    printf("%-12s %10s %10s %10s %5s\n", "", "wall", "CPU/wall", "goroutines", "sum");
    printf("%-12s %10s %9.0f%% %10d %5lld\n", "before.trace", trace_ms(b, before.wall),
           share(before.cpu, before.wall), before.goroutines, (long long)before.sum);
    printf("%-12s %10s %9.0f%% %10d %5lld\n", "after.trace", trace_ms(b, after.wall),
           share(after.cpu, after.wall), after.goroutines, (long long)after.sum);
    printf("after takes less wall time: %s\n", truth(after.wall < 0.9 * before.wall));
    printf("after keeps the CPUs busier: %s\n", truth(after.cpu / after.wall > before.cpu / before.wall));
}

/* ---- alloc-pressure: the notes' "Measuring GC Impact", in a language without a GC ------------ */

static void allocate(void *arg)
{
    char **items = arg;
    for (int i = 0; i < 100000; i++) {
        items[i] = malloc(1024);
        if (items[i] == NULL)
            go_panic("runtime: out of memory");
        memset(items[i], 1, 1024); /* touch it, as Go's make zeroes it */
    }
}

static void release(void *arg)
{
    char **items = arg;
    for (int i = 0; i < 100000; i++)
        free(items[i]);
}

static void demo_alloc_pressure(void)
{
    char **items = malloc(100000 * sizeof *items);
    if (items == NULL)
        go_panic("runtime: out of memory");
    trace_begin("alloc.trace");
    go_trace_with_region(0, "allocate", allocate, items);
    /* The tracer samples the heap every 100ms (Go's trace records it at every GC): hold the
     * items across two samples so the trace sees them. */
    go_sleep(200 * GO_MILLISECOND);
    go_trace_with_region(0, "free", release, items);
    trace_end("alloc.trace");
    free(items);

    trace_summary s;
    trace_summarize("alloc.trace", &s);
    char b[16], c[16];
    printf("100000 allocations of 1024 bytes: region allocate %s, region free %s\n",
           trace_ms(b, trace_region_of(&s, "allocate")->sum_ns), trace_ms(c, trace_region_of(&s, "free")->sum_ns));
    double grown = (double)(s.heap_max - s.heap_first) / (1 << 20);
    printf("heap in use: %.0f MiB more at its peak than at the start\n", grown);
    printf("the heap counter saw the 98 MiB: %s\n", truth(grown > 90 && grown < 110));
    printf("time the program spent in a garbage collector: none (C has none)\n");
}

/* ---- leak: goroutine count rising ------------------------------------------------------------ */

enum { WAVES = 5, PER_WAVE = 10 };

typedef struct handler_args {
    go_chan *reply;      /* nobody ever sends on it */
    go_context *ctx;     /* NULL in the leaky version */
} handler_args;

static void wait_reply(void *arg)
{
    handler_args *a = arg;
    go_recv_drop(a->reply); /* blocks for ever */
}

static void wait_reply_or_cancel(void *arg)
{
    handler_args *a = arg;
    go_select(GO_RECV_DROP(a->reply), GO_RECV_DROP(go_context_done(a->ctx)));
}

static void print_alive(const trace_summary *s)
{
    int base = s->logs[0].alive;
    for (size_t i = 1; i < s->nlogs; i++)
        printf("  %-13s %3d goroutines more than at the start\n", s->logs[i].message, s->logs[i].alive - base);
}

static void demo_leak(void)
{
    static go_chan *reply;
    reply = go_make_chan(go_int, 0);
    static handler_args leaky;
    leaky = (handler_args){reply, NULL};
    trace_begin("leak.trace");
    go_trace_log(0, "leak", "start");
    for (int wave = 1; wave <= WAVES; wave++) {
        for (int i = 0; i < PER_WAVE; i++)
            go(wait_reply, &leaky);
        go_trace_logf(0, "leak", "after wave %d", wave);
    }
    trace_end("leak.trace");
    trace_summary s;
    trace_summarize("leak.trace", &s);
    printf("leak.trace: each wave starts %d goroutines that wait for a reply\n", PER_WAVE);
    print_alive(&s);

    go_context *ctx = go_with_cancel(go_background());
    handler_args fixed = {reply, ctx};
    int64_t ids[WAVES * PER_WAVE];
    trace_begin("leak-fixed.trace");
    go_trace_log(0, "leak", "start");
    for (int wave = 1; wave <= WAVES; wave++) {
        for (int i = 0; i < PER_WAVE; i++)
            ids[(wave - 1) * PER_WAVE + i] = go(wait_reply_or_cancel, &fixed);
        go_trace_logf(0, "leak", "after wave %d", wave);
    }
    go_cancel(ctx);
    for (int i = 0; i < WAVES * PER_WAVE; i++)
        go_goroutine_wait_returned(ids[i]);
    go_trace_log(0, "leak", "after cancel");
    trace_end("leak-fixed.trace");
    go_context_release(ctx);
    trace_summarize("leak-fixed.trace", &s);
    printf("leak-fixed.trace: the same, and each also watches a context that main cancels\n");
    print_alive(&s);
}

/* ---- contention: many goroutines blocked on one mutex ---------------------------------------- */

enum { LOCKERS = 4, UPDATES = 20 };

typedef struct shared_total {
    go_mutex mu;
    go_int total;
    go_wait_group wg;
} shared_total;

static void update_inside_lock(void *arg)
{
    shared_total *t = arg;
    for (int i = 0; i < UPDATES; i++) {
        go_mutex_lock(&t->mu);
        burn(500 * GO_MICROSECOND); /* computing the update while holding the lock */
        t->total++;
        go_mutex_unlock(&t->mu);
    }
    go_wg_done(&t->wg);
}

static void update_outside_lock(void *arg)
{
    shared_total *t = arg;
    for (int i = 0; i < UPDATES; i++) {
        burn(500 * GO_MICROSECOND); /* computing first, alone */
        go_mutex_lock(&t->mu);
        t->total++;                 /* then a critical section of one add */
        go_mutex_unlock(&t->mu);
    }
    go_wg_done(&t->wg);
}

/* Runs LOCKERS goroutines of fn and returns their Mutex.Lock wait as a share of their time. */
static double mutex_share(const char *path, void (*fn)(void *), const char *name)
{
    shared_total t = {GO_MUTEX_INIT, 0, GO_WAIT_GROUP_INIT};
    trace_begin(path);
    go_wg_add(&t.wg, LOCKERS);
    for (int i = 0; i < LOCKERS; i++)
        go_start(fn, &t, name, GO_HERE);
    go_wg_wait(&t.wg);
    trace_end(path);
    trace_summary s;
    trace_summarize(path, &s);
    const trace_group *g = trace_group_of(&s, name);
    double wait = share(g->ns[GT_REASON0 + 8], g->ns[GT_TOTAL]);
    printf("%-22s total %lld, %d goroutines: %3.0f%% of their time waiting for Mutex.Lock, %3.0f%% running\n",
           path, (long long)t.total, g->count, wait, share(g->ns[GT_EXEC], g->ns[GT_TOTAL]));
    return wait;
}

static void demo_contention(void)
{
    double before = mutex_share("contention.trace", update_inside_lock, "update_inside_lock");
    double after = mutex_share("contention-fixed.trace", update_outside_lock, "update_outside_lock");
    printf("a shorter critical section cuts the wait: %s\n", truth(after < before / 2));
}

/* ---- bottleneck: workers waiting on one channel, then fixed ---------------------------------- */

enum { JOBS = 40, BOTTLENECK_WORKERS = 4 };

typedef struct line {
    go_chan *jobs, *results;
    go_wait_group workers, savers;
} line;

static void line_worker(void *arg)
{
    line *l = arg;
    go_int job;
    while (go_recv(l->jobs, &job)) {
        go_sleep(1 * GO_MILLISECOND); /* the work */
        go_send(l->results, go_int, job);
    }
    go_wg_done(&l->workers);
}

static void saver(void *arg)
{
    line *l = arg;
    go_int result;
    while (go_recv(l->results, &result))
        go_sleep(2 * GO_MILLISECOND); /* a slow write */
    go_wg_done(&l->savers);
}

/* Returns the workers' chan send wait as a share of their time, with `savers` savers and a
 * results channel of capacity `buffer`. */
static double send_share(const char *path, int savers, size_t buffer)
{
    line l = {go_make_chan(go_int, JOBS), go_make_chan(go_int, buffer), GO_WAIT_GROUP_INIT, GO_WAIT_GROUP_INIT};
    for (go_int i = 0; i < JOBS; i++)
        go_send(l.jobs, go_int, i);
    go_close(l.jobs);
    trace_begin(path);
    go_wg_add(&l.workers, BOTTLENECK_WORKERS);
    for (int i = 0; i < BOTTLENECK_WORKERS; i++)
        go(line_worker, &l);
    go_wg_add(&l.savers, savers);
    for (int i = 0; i < savers; i++)
        go(saver, &l);
    go_wg_wait(&l.workers);
    go_close(l.results);
    go_wg_wait(&l.savers);
    trace_end(path);
    go_chan_release(l.jobs);
    go_chan_release(l.results);
    trace_summary s;
    trace_summarize(path, &s);
    const trace_group *w = trace_group_of(&s, "line_worker");
    char b[16];
    double send = share(w->ns[GT_REASON0 + 1], w->ns[GT_TOTAL]);
    printf("%-22s %d saver%s, buffer %2zu: %s wall, workers %3.0f%% of their time blocked on chan send\n", path,
           savers, savers == 1 ? " " : "s", buffer, trace_ms(b, s.wall_ns), send);
    return send;
}

static void demo_bottleneck(void)
{
    printf("%d jobs, %d workers (1ms each) send results to savers (2ms each)\n", JOBS, BOTTLENECK_WORKERS);
    double before = send_share("bottleneck.trace", 1, 0);
    double after = send_share("bottleneck-fixed.trace", 2 * BOTTLENECK_WORKERS, JOBS);
    printf("a buffer and more savers unblock the workers: %s\n", truth(after < before / 2));
}

/* ---- cpu-bound: more goroutines that want a CPU than CPUs ------------------------------------ */

static void spinner(void *arg)
{
    go_wait_group *wg = arg;
    int64_t start = thread_cpu_ns();
    burn(50 * GO_MILLISECOND);
    go_trace_logf(0, "cpu", "%lld", (long long)(thread_cpu_ns() - start));
    go_wg_done(wg);
}

/* Runs n spinners on one CPU; returns how many times longer than their CPU time they were
 * "running" (the tracer's Execution: on a thread the kernel may not be running). */
static double stretch(const char *path, int n)
{
    cpu_set_t all = usable_cpus(), one;
    CPU_ZERO(&one);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &all)) {
            CPU_SET(cpu, &one);
            break;
        }
    }
    /* A new thread inherits its creator's affinity: narrow main's, start, restore. */
    sched_setaffinity(0, sizeof one, &one);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    trace_begin(path);
    go_wg_add(&wg, n);
    for (int i = 0; i < n; i++)
        go(spinner, &wg);
    go_wg_wait(&wg);
    trace_end(path);
    sched_setaffinity(0, sizeof all, &all);

    trace_summary s;
    trace_summarize(path, &s);
    double running = 0, cpu = 0;
    for (size_t i = 0; i < s.ng; i++)
        if (strcmp(s.g[i].func, "spinner") == 0)
            running += s.g[i].ns[GT_EXEC];
    for (size_t i = 0; i < s.nlogs; i++)
        cpu += strtod(s.logs[i].message, NULL);
    char b[16], c[16];
    printf("%-21s %d spinner%s on 1 CPU: running %9s, on the CPU %8s: %3.0f%% waiting for it\n", path, n,
           n == 1 ? " " : "s", trace_ms(b, running), trace_ms(c, cpu), share(running - cpu, running));
    return running / cpu;
}

static void demo_cpu_bound(void)
{
    double many = stretch("cpu-bound.trace", 4);
    double one = stretch("cpu-bound-fixed.trace", 1);
    printf("running/CPU: %.1f with 4 goroutines, %.1f with 1\n", many, one);
    /* Four spinners sharing one CPU get a quarter of it each, whatever else the machine runs:
     * other load only stretches them more. */
    printf("4 goroutines on 1 CPU each ran at least twice their CPU time: %s\n", truth(many >= 2));
}

static const go_demo demos[] = {
    GO_DEMO("collect", demo_collect, GO_NORMAL, "trace.Start and trace.Stop, with their errors"),
    GO_DEMO("hello", demo_hello, GO_NORMAL, "what the trace of Hello, World holds"),
    GO_DEMO("slow-sender", demo_slow_sender, GO_NORMAL,
            "a slow sender: the goroutine analysis shows idle workers"),
    GO_DEMO("regions", demo_regions, GO_NORMAL, "processRequest: a task with three regions, timed"),
    GO_DEMO("worker-pool", demo_worker_pool, GO_NORMAL,
            "a worker pool traced at six sizes: the table finds the best one"),
    GO_DEMO("deadlock-trace", demo_deadlock_trace, GO_NORMAL,
            "two mutexes in opposite orders: the trace shows both goroutines stuck"),
    GO_DEMO("deadlock", demo_deadlock, GO_DEADLOCK, "the same without a timeout: the runtime reports it"),
    GO_DEMO("pipeline", demo_pipeline, GO_NORMAL,
            "a sequential pipeline against a concurrent one, trace to trace"),
    GO_DEMO("alloc-pressure", demo_alloc_pressure, GO_NORMAL,
            "100000 allocations: the heap counter, and no GC"),
    GO_DEMO("leak", demo_leak, GO_NORMAL, "a goroutine leak: the count rises, and a context fixes it"),
    GO_DEMO("contention", demo_contention, GO_NORMAL,
            "lock contention: high Mutex.Lock wait, then a shorter critical section"),
    GO_DEMO("bottleneck", demo_bottleneck, GO_NORMAL,
            "a channel bottleneck: workers blocked on send, then a buffer and more receivers"),
    GO_DEMO("cpu-bound", demo_cpu_bound, GO_NORMAL,
            "more goroutines than CPUs: running, but waiting for a CPU"),
    GO_DEMO("http-trace", demo_http_trace, GO_NORMAL,
            "GET /debug/pprof/trace?seconds=1: a trace over HTTP, one at a time"),
    GO_DEMO("encrypt-server", demo_encrypt_server, GO_NORMAL,
            "the notes' encryption server, traced under hey's load, stopped by SIGINT"),
    GO_DEMO("flight-recorder", demo_flight_recorder, GO_NORMAL,
            "trace all the time in memory, write it out when a request is slow"),
    GO_DEMO("overhead", demo_overhead, GO_NORMAL,
            "what tracing costs here: CPU traced against untraced, events/s, bytes/s"),
};

GO_DEMO_MAIN(demos)
