/* patterns.c - chapter 05: Go's concurrency patterns, written in C.
 *
 * Each demo is one pattern: generators, consumers, pipelines, fan-out and fan-in, worker pools,
 * a mutex with a WaitGroup, cancellation (a done channel, a context) and the goroutine leak it
 * prevents, timeouts, a semaphore, an error group, and finally the same CPU-bound job on one
 * CPU and on all of them. Every demo but the last prints the same bytes on every run, and has a
 * Go twin (go/<demo>.go) that prints them too. `05-patterns --list` shows the demos.
 *
 * Where results arrive in an order that depends on scheduling, the demos print what the pattern
 * guarantees instead of the order: every value arrived exactly once, totals, sorted lists.
 * Nothing sleeps to put events in order. The only sleeps stand for slow work that a timeout or a
 * cancellation is meant to cut short, and they are 50 times longer than the timeout, so the
 * outcome never depends on timing luck.
 *
 * C has no closures. A Go goroutine started with `go func() { ... }()` captures its variables;
 * here the variables a goroutine needs travel in a struct, copied to the heap by CAPTURE and
 * freed by the goroutine when it has read them.
 */
#define _GNU_SOURCE /* sched_setaffinity, sched_getaffinity and the CPU_* macros (parallel) */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gocurrent/chan.h"
#include "gocurrent/context.h"
#include "gocurrent/demo.h"
#include "gocurrent/fmt.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/timer.h"

/* ---- Helpers ------------------------------------------------------------------------------- */

/* CAPTURE(T, fields...): a heap copy of the struct literal (T){fields...}, for a goroutine to
 * take as its argument and free. It is what a Go closure does for you: the goroutine may outlive
 * the function that started it, so its variables cannot stay on that function's stack. */
#define CAPTURE(T, ...) ((T *)capture(&(T){__VA_ARGS__}, sizeof(T)))

static void *capture(const void *value, size_t size)
{
    void *copy = malloc(size);
    if (copy == NULL)
        go_panic("runtime: out of memory");
    return memcpy(copy, value, size);
}

/* fmt prints a Go bool as the word true or false. */
static const char *bool_text(bool value)
{
    return value ? "true" : "false";
}


/* Prints "<who>: blocked [chan send]" or "<who>: returned", once goroutine `id` has settled. */
static void print_settled(const char *who, int64_t id)
{
    const char *state = go_goroutine_settle(id);
    if (state != NULL)
        printf("%s: blocked [%s]\n", who, state);
    else
        printf("%s: returned\n", who);
}

/* Prints "<who>: returned" once goroutine `id` has returned, which a cancelled goroutine does
 * soon: woken from its select, it has a few lines left to run. If it is still there after five
 * seconds, cancellation has failed, and this says where the goroutine is stuck instead. */
static void print_returned(const char *who, int64_t id)
{
    int64_t give_up = go_nanotime() + 5 * GO_SECOND;
    while (go_goroutine_state(id) != NULL && go_nanotime() < give_up)
        sched_yield();
    print_settled(who, id);
}

/* A consumer: receives from `in` until it is closed, printing the values on one line after a
 * label. It takes over the caller's reference to `in`. */
static void print_all(const char *label, go_chan *in)
{
    printf("%s", label);
    go_int v;
    while (go_recv(in, &v)) /* for v := range in */
        printf(" %" PRId64, v);
    printf("\n");
    go_chan_release(in);
}

/* Receives n values and prints each after a space. */
static void take(go_chan *in, int n)
{
    for (int i = 0; i < n; i++) {
        go_int v;
        go_recv(in, &v);
        printf(" %" PRId64, v);
    }
}

/* ---- Generator and consumer ---------------------------------------------------------------- */

typedef struct fib_args {
    go_chan *out;
    go_int n;
} fib_args;

static void fib_generator(void *arg)
{
    fib_args a = *(fib_args *)arg;
    free(arg);
    go_int x = 0, y = 1;
    for (go_int i = 0; i < a.n; i++) {
        go_send(a.out, go_int, x);
        go_int next = x + y;
        x = y;
        y = next;
    }
    go_close(a.out); /* the sender closes: this is what ends the receiver's range loop */
    go_chan_release(a.out);
}

/* fib(n) returns a channel that yields the first n Fibonacci numbers and is then closed. The
 * caller owns the returned reference; the generator goroutine holds its own. */
static go_chan *fib(go_int n)
{
    go_chan *out = go_make_chan(go_int, 0);
    go(fib_generator, CAPTURE(fib_args, go_chan_retain(out), n));
    return out;
}

/* A generator is a function that starts a goroutine and returns the channel it sends on. The
 * values are computed one at a time, as the receiver asks for them. */
static void demo_generator(void)
{
    print_all("fib(10):", fib(10));
    print_all("fib(3): ", fib(3));
}

typedef struct tally {
    go_int count;
    go_int sum;
} tally;

typedef struct consumer_args {
    go_chan *in;
    go_chan *report;
} consumer_args;

static void sum_consumer(void *arg)
{
    consumer_args a = *(consumer_args *)arg;
    free(arg);
    tally t = {0, 0};
    go_int v;
    while (go_recv(a.in, &v)) {
        t.count++;
        t.sum += v;
    }
    go_send(a.report, tally, t);
    go_chan_release(a.in);
    go_chan_release(a.report);
}

/* A consumer goroutine receives until the channel is closed. It cannot know the end otherwise,
 * so the producer (main, here) must close; the consumer then reports on a channel of its own. */
static void demo_consumer(void)
{
    go_chan *in = go_make_chan(go_int, 0);
    go_chan *report = go_make_chan(tally, 0);
    go(sum_consumer, CAPTURE(consumer_args, go_chan_retain(in), go_chan_retain(report)));

    for (go_int i = 1; i <= 100; i++)
        go_send(in, go_int, i);
    go_close(in);

    tally t;
    go_recv(report, &t);
    printf("the consumer received %" PRId64 " values, sum %" PRId64 "\n", t.count, t.sum);
    go_chan_release(in);
    go_chan_release(report);
}

/* ---- Pipeline ------------------------------------------------------------------------------ */

/* Each stage function starts a goroutine and returns its output channel, owned by the caller.
 * A stage that reads from `in` takes over the caller's reference to it, so stages nest the way
 * they do in Go: square(square(numbers(1, 5))). */

typedef struct range_args {
    go_chan *out;
    go_int lo, hi;
} range_args;

static void range_source(void *arg)
{
    range_args a = *(range_args *)arg;
    free(arg);
    for (go_int v = a.lo; v <= a.hi; v++)
        go_send(a.out, go_int, v);
    go_close(a.out);
    go_chan_release(a.out);
}

/* numbers(lo, hi): the first stage, a generator of lo, lo+1, ..., hi. */
static go_chan *numbers(go_int lo, go_int hi)
{
    go_chan *out = go_make_chan(go_int, 0);
    go(range_source, CAPTURE(range_args, go_chan_retain(out), lo, hi));
    return out;
}

typedef struct stage_args {
    go_chan *in;
    go_chan *out;
} stage_args;

static void square_stage(void *arg)
{
    stage_args a = *(stage_args *)arg;
    free(arg);
    go_int v;
    while (go_recv(a.in, &v))
        go_send(a.out, go_int, v * v);
    go_close(a.out); /* the input is closed and drained: pass the end on downstream */
    go_chan_release(a.in);
    go_chan_release(a.out);
}

static go_chan *square(go_chan *in)
{
    go_chan *out = go_make_chan(go_int, 0);
    go(square_stage, CAPTURE(stage_args, in, go_chan_retain(out)));
    return out;
}

static void sum_stage(void *arg)
{
    stage_args a = *(stage_args *)arg;
    free(arg);
    go_int total = 0, v;
    while (go_recv(a.in, &v))
        total += v;
    go_send(a.out, go_int, total);
    go_close(a.out);
    go_chan_release(a.in);
    go_chan_release(a.out);
}

/* sum(in): the last stage, which sends one value, the total of its input. */
static go_chan *sum(go_chan *in)
{
    go_chan *out = go_make_chan(go_int, 0);
    go(sum_stage, CAPTURE(stage_args, in, go_chan_retain(out)));
    return out;
}

/* A pipeline is stages joined by channels, each stage a goroutine. Values flow through one at a
 * time, every stage working at once on a different value, and the close at the source flows
 * down the chain and ends every stage in turn. One chain keeps the order of its values. */
static void demo_pipeline(void)
{
    print_all("square(1..5):        ", square(numbers(1, 5)));
    print_all("square(square(1..5)):", square(square(numbers(1, 5))));

    go_chan *total = sum(square(numbers(1, 100)));
    go_int v;
    go_recv(total, &v);
    printf("sum(square(1..100)):  %" PRId64 "\n", v);
    go_chan_release(total);
}

/* ---- Fan-out and fan-in -------------------------------------------------------------------- */

enum { FAN_WORKERS = 3, FAN_JOBS = 12 };

/* What one fan-out worker did. Each worker writes only its own record, so they share nothing;
 * main reads the records after the WaitGroup says every worker is done. */
typedef struct fan_worker {
    go_chan *jobs;
    go_wait_group *wg;
    go_int taken[FAN_JOBS];
    int n;
    go_int sum_of_squares;
} fan_worker;

static void squarer(void *arg)
{
    fan_worker *w = arg;
    go_int job;
    while (go_recv(w->jobs, &job)) {
        w->taken[w->n++] = job;
        w->sum_of_squares += job * job;
    }
    go_wg_done(w->wg);
}

/* Fan-out: several goroutines receive from one channel. Each value goes to exactly one of them,
 * whichever is ready first, so the split changes from run to run; what never changes is that
 * every job is done once. */
static void demo_fan_out(void)
{
    go_chan *jobs = go_make_chan(go_int, 0);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    fan_worker workers[FAN_WORKERS];
    for (int i = 0; i < FAN_WORKERS; i++) {
        workers[i] = (fan_worker){.jobs = jobs, .wg = &wg};
        go_wg_add(&wg, 1); /* before go: Wait must not run ahead of the Add */
        go(squarer, &workers[i]);
    }
    for (go_int job = 1; job <= FAN_JOBS; job++)
        go_send(jobs, go_int, job);
    go_close(jobs);
    go_wg_wait(&wg);

    int times_taken[FAN_JOBS + 1] = {0};
    int total = 0;
    go_int sum_of_squares = 0;
    for (int i = 0; i < FAN_WORKERS; i++) {
        for (int k = 0; k < workers[i].n; k++)
            times_taken[workers[i].taken[k]]++;
        total += workers[i].n;
        sum_of_squares += workers[i].sum_of_squares;
    }
    bool once_each = true;
    for (int job = 1; job <= FAN_JOBS; job++)
        once_each = once_each && times_taken[job] == 1;
    go_int alone = 0;
    for (go_int job = 1; job <= FAN_JOBS; job++)
        alone += job * job;

    printf("%d workers took %d jobs; each job exactly once: %s\n", FAN_WORKERS, total,
           bool_text(once_each));
    printf("sum of squares: %" PRId64 " (one goroutine alone: %" PRId64 ")\n", sum_of_squares,
           alone);
    go_chan_release(jobs);
}

/* merge's shared state: the output and the count of inputs still open. The goroutine that
 * closes the output frees it. */
typedef struct merge_state {
    go_wait_group wg;
    go_chan *out;
} merge_state;

typedef struct forward_args {
    go_chan *in;
    merge_state *m;
} forward_args;

static void forward(void *arg)
{
    forward_args a = *(forward_args *)arg;
    free(arg);
    go_int v;
    while (go_recv(a.in, &v))
        go_send(a.m->out, go_int, v);
    go_chan_release(a.in);
    go_wg_done(&a.m->wg); /* the last use of m: after this the closer may free it */
}

static void close_when_done(void *arg)
{
    merge_state *m = arg;
    go_wg_wait(&m->wg);
    go_close(m->out); /* only now: a send by a forwarder after a close would panic */
    go_chan_release(m->out);
    free(m);
}

/* Fan-in: merge(ins) copies every input channel onto one output channel, one goroutine per
 * input, and closes the output when all inputs are closed. It takes over the references in
 * `ins`. */
static go_chan *merge(go_chan *const *ins, int n)
{
    go_chan *out = go_make_chan(go_int, 0);
    merge_state *m = CAPTURE(merge_state, GO_WAIT_GROUP_INIT, go_chan_retain(out));
    go_wg_add(&m->wg, n);
    for (int i = 0; i < n; i++)
        go(forward, CAPTURE(forward_args, ins[i], m));
    go(close_when_done, m);
    return out;
}

static int compare_ints(const void *a, const void *b)
{
    go_int x = *(const go_int *)a, y = *(const go_int *)b;
    return (x > y) - (x < y);
}

/* Fan-in: values from three generators arrive interleaved in an order that differs from run to
 * run, but each generator's own values keep their order, and sorting gives one answer. */
static void demo_fan_in(void)
{
    go_chan *const sources[] = {numbers(1, 4), numbers(101, 104), numbers(201, 204)};
    go_chan *merged = merge(sources, (int)GO_LEN(sources));

    go_int got[16];
    int n = 0;
    go_int last[GO_LEN(sources)] = {0};
    bool in_order = true;
    go_int v;
    while (go_recv(merged, &v)) {
        got[n++] = v;
        go_int *previous = &last[v / 100]; /* the source, from the hundreds digit */
        in_order = in_order && v > *previous;
        *previous = v;
    }
    go_chan_release(merged);

    printf("merged %d values from %zu channels\n", n, GO_LEN(sources));
    printf("each channel's values kept their order: %s\n", bool_text(in_order));
    qsort(got, (size_t)n, sizeof got[0], compare_ints);
    printf("sorted: ");
    go_println_ints(got, (size_t)n);
}

/* ---- Worker pool --------------------------------------------------------------------------- */

typedef struct pool_job {
    go_int id;
    go_int n;
} pool_job;

typedef struct pool_result {
    go_int id;
    go_int steps;
} pool_result;

typedef struct pool_args {
    go_chan *jobs;
    go_chan *results;
    go_wait_group *wg;
} pool_args;

/* The number of steps n takes to reach 1 in the Collatz sequence: a small job of varied size. */
static go_int collatz_steps(go_int n)
{
    go_int steps = 0;
    for (; n != 1; steps++)
        n = n % 2 == 0 ? n / 2 : 3 * n + 1;
    return steps;
}

static void pool_worker(void *arg)
{
    pool_args *a = arg; /* main's struct: main outlives every worker, it waits for them */
    pool_job j;
    while (go_recv(a->jobs, &j)) {
        pool_result r = {j.id, collatz_steps(j.n)};
        go_send(a->results, pool_result, r);
    }
    go_wg_done(a->wg);
}

/* A worker pool: a fixed number of goroutines take jobs from one channel and send results to
 * another. Results come back in any order, so each carries its job's id, and main puts it in
 * its place. */
static void demo_worker_pool(void)
{
    const go_int inputs[] = {27, 97, 871, 6171, 77031, 837799};
    enum { WORKERS = 3 };
    go_chan *jobs = go_make_chan(pool_job, GO_LEN(inputs));
    go_chan *results = go_make_chan(pool_result, 0);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    pool_args args = {jobs, results, &wg};
    for (int w = 0; w < WORKERS; w++) {
        go_wg_add(&wg, 1);
        go(pool_worker, &args);
    }

    for (size_t i = 0; i < GO_LEN(inputs); i++)
        go_send(jobs, pool_job, ((pool_job){(go_int)i, inputs[i]}));
    go_close(jobs); /* no more jobs: each worker's loop ends when the queue is empty */

    go_int steps[GO_LEN(inputs)];
    for (size_t i = 0; i < GO_LEN(inputs); i++) {
        pool_result r;
        go_recv(results, &r);
        steps[r.id] = r.steps;
    }
    go_wg_wait(&wg); /* every worker has seen the close and stopped */

    printf("%d workers, %zu jobs\n", WORKERS, GO_LEN(inputs));
    for (size_t i = 0; i < GO_LEN(inputs); i++)
        printf("job %zu: collatz(%" PRId64 ") takes %" PRId64 " steps\n", i, inputs[i], steps[i]);
    go_chan_release(jobs);
    go_chan_release(results);
}

/* ---- Mutex and WaitGroup ------------------------------------------------------------------- */

/* Two fields that must change together: the mutex guards both. */
typedef struct account {
    go_mutex mu;
    go_int balance;
    go_int deposits;
} account;

typedef struct depositor_args {
    account *acct;
    go_wait_group *wg;
} depositor_args;

static void depositor(void *arg)
{
    depositor_args *a = arg;
    for (go_int amount = 1; amount <= 1000; amount++) {
        go_mutex_lock(&a->acct->mu);
        a->acct->balance += amount;
        a->acct->deposits++;
        go_mutex_unlock(&a->acct->mu);
    }
    go_wg_done(a->wg);
}

/* Shared memory, done safely: a mutex makes each update of the account indivisible, and a
 * WaitGroup tells main when every goroutine has finished, so it reads the totals only then. */
static void demo_mutex_waitgroup(void)
{
    enum { DEPOSITORS = 4 };
    account acct = {GO_MUTEX_INIT, 0, 0};
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    depositor_args args = {&acct, &wg};
    go_wg_add(&wg, DEPOSITORS);
    for (int i = 0; i < DEPOSITORS; i++)
        go(depositor, &args);
    go_wg_wait(&wg);
    printf("%d goroutines made %" PRId64 " deposits, balance %" PRId64 " (want %d)\n", DEPOSITORS,
           acct.deposits, acct.balance, DEPOSITORS * 1000 * 1001 / 2);
}

/* ---- Cancellation and the goroutine leak --------------------------------------------------- */

/* A generator with no way to be told to stop. */
static void count_forever(void *arg)
{
    go_chan *out = arg;
    for (go_int v = 1;; v++)
        go_send(out, go_int, v);
    /* never reached: the goroutine's reference to out is never released either */
}

/* The leak: the consumer needs three values and moves on, but the generator is already waiting
 * to hand over the fourth. Nothing will ever receive it, so the goroutine waits forever, holding
 * its thread, its stack and the channel. Go cannot collect it; neither can C. */
static void demo_leak(void)
{
    go_chan *out = go_make_chan(go_int, 0);
    int64_t generator = go(count_forever, go_chan_retain(out));
    printf("took");
    take(out, 3);
    printf(", then stopped receiving\n");
    go_chan_release(out); /* main's reference; the generator keeps its own */
    print_settled("the generator", generator);
}

typedef struct until_done_args {
    go_chan *out;
    go_chan *done;
} until_done_args;

/* The same generator, listening on done as well: whichever comes first, a receiver for the next
 * value or the close of done. */
static void count_until_done(void *arg)
{
    until_done_args a = *(until_done_args *)arg;
    free(arg);
    for (go_int v = 1;; v++)
        if (go_select(GO_SEND(a.out, &v), GO_RECV_DROP(a.done)) == 1)
            break; /* done is closed */
    go_close(a.out);
    go_chan_release(a.out);
    go_chan_release(a.done);
}

/* The fix: a done channel that the consumer closes when it stops listening. A close is seen by
 * every receiver at once, so one close can stop any number of goroutines. */
static void demo_done_channel(void)
{
    go_chan *out = go_make_chan(go_int, 0);
    go_chan *done = go_chan_make(0, 0); /* chan struct{}: only its close matters */
    int64_t generator =
        go(count_until_done, CAPTURE(until_done_args, go_chan_retain(out), go_chan_retain(done)));
    printf("took");
    take(out, 3);
    printf(", then closed done\n");
    go_close(done);
    print_returned("the generator", generator);

    go_int v;
    bool ok = go_recv(out, &v);
    printf("its channel is closed: v, ok = %" PRId64 ", %s\n", v, bool_text(ok));
    go_chan_release(out);
    go_chan_release(done);
}

typedef struct count_args {
    go_context *ctx;
    go_chan *out;
    go_int first;
} count_args;

/* Sends first, first+2, first+4, ... until ctx is cancelled. */
static void count_by_two(void *arg)
{
    count_args a = *(count_args *)arg;
    free(arg);
    for (go_int v = a.first;; v += 2)
        if (go_select(GO_SEND(a.out, &v), GO_RECV_DROP(go_context_done(a.ctx))) == 1)
            break;
    go_close(a.out);
    go_chan_release(a.out);
    go_context_release(a.ctx);
}

/* A context carries the done channel for you, says why it was closed (ctx.Err()), and forms a
 * tree: cancelling a context cancels every context derived from it. */
static void demo_context(void)
{
    go_context *ctx = go_with_cancel(go_background());
    go_context *child = go_with_cancel(ctx);
    go_chan *evens = go_make_chan(go_int, 0);
    go_chan *odds = go_make_chan(go_int, 0);
    int64_t even_gen =
        go(count_by_two, CAPTURE(count_args, go_context_retain(ctx), go_chan_retain(evens), 0));
    int64_t odd_gen =
        go(count_by_two, CAPTURE(count_args, go_context_retain(child), go_chan_retain(odds), 1));

    printf("evens:");
    take(evens, 3);
    printf("\nodds: ");
    take(odds, 3);
    printf("\n");

    go_cancel(ctx); /* child is derived from ctx: it is cancelled too */
    printf("cancel(ctx)\n");
    print_returned("the evens generator", even_gen);
    print_returned("the odds generator", odd_gen);
    printf("ctx.Err():   %s\n", go_context_err(ctx));
    printf("child.Err(): %s\n", go_context_err(child));

    go_cancel(child); /* Go's rule: call every cancel function, even after the parent's */
    go_context_release(child);
    go_context_release(ctx);
    go_chan_release(evens);
    go_chan_release(odds);
}

/* ---- Timeouts ------------------------------------------------------------------------------ */

/* Stands for `steps` milliseconds of slow work, done in 1 ms steps. Between steps it checks
 * whether `done` is closed, and if so stops early and returns false: a goroutine cannot be
 * stopped from outside, it has to look. A nil done is never closed. */
static bool slow_work(int steps, go_chan *done)
{
    for (int i = 0; i < steps; i++) {
        if (go_select(GO_RECV_DROP(done), GO_DEFAULT) == 0)
            return false;
        go_sleep(GO_MILLISECOND); /* stands for a millisecond of real work */
    }
    return true;
}

/* A job for the timeout demos: slow work, then the answer. The result channel has room for the
 * answer, so the job never blocks on sending it, even when nobody is listening any more. */
typedef struct slow_job {
    int steps;
    go_chan *done;
    go_chan *result; /* buffered, capacity 1 */
    go_wait_group *wg;
    bool stopped_early; /* main reads it after wg */
} slow_job;

static void run_slow_job(void *arg)
{
    slow_job *job = arg;
    job->stopped_early = !slow_work(job->steps, job->done);
    if (!job->stopped_early)
        go_send(job->result, go_int, 42);
    go_wg_done(job->wg);
}

/* A timeout: select on the answer and on a timer, and take whichever is ready first. The job
 * needs a second and the timer fires after 20 ms, so the timer wins on every run. Giving up on
 * the answer does not stop the job, though: main closes done to tell it, then waits for it. */
static void demo_timeout(void)
{
    go_chan *done = go_chan_make(0, 0);
    go_chan *result = go_make_chan(go_int, 1);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    slow_job job = {1000, done, result, &wg, false};
    go_wg_add(&wg, 1);
    go(run_slow_job, &job);

    go_chan *timeout = go_after(20 * GO_MILLISECOND);
    go_int answer;
    switch (go_select(GO_RECV(result, &answer, NULL), GO_RECV_DROP(timeout))) {
    case 0:
        printf("answer: %" PRId64 "\n", answer);
        break;
    case 1:
        printf("no answer after 20 ms: timed out\n");
        break;
    }
    go_close(done);
    go_wg_wait(&wg);
    printf("after close(done), the job stopped early: %s\n", bool_text(job.stopped_early));
    go_chan_release(timeout);
    go_chan_release(result);
    go_chan_release(done);
}

/* Runs a job of `steps` ms under a context with the given deadline and prints the outcome. */
static void run_with_deadline(const char *label, int steps, go_duration deadline)
{
    go_context *ctx = go_with_timeout(go_background(), deadline);
    go_chan *result = go_make_chan(go_int, 1);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    slow_job job = {steps, go_context_done(ctx), result, &wg, false};
    go_wg_add(&wg, 1);
    go(run_slow_job, &job);

    go_int answer;
    switch (go_select(GO_RECV(result, &answer, NULL), GO_RECV_DROP(go_context_done(ctx)))) {
    case 0:
        printf("%s: answer %" PRId64 "\n", label, answer);
        break;
    case 1:
        printf("%s: %s\n", label, go_context_err(ctx));
        break;
    }
    go_wg_wait(&wg);
    printf("%s: the job stopped early: %s\n", label, bool_text(job.stopped_early));
    go_cancel(ctx); /* stops the deadline's timer if it has not fired */
    go_context_release(ctx);
    go_chan_release(result);
}

/* The same with a context: the deadline travels with ctx, so the job sees it and stops by
 * itself, and ctx.Err() says why. */
static void demo_deadline(void)
{
    run_with_deadline("1 s job, 20 ms deadline", 1000, 20 * GO_MILLISECOND);
    run_with_deadline("quick job, 1 s deadline", 0, GO_SECOND);
}

/* ---- Semaphore ----------------------------------------------------------------------------- */

enum { SEM_TASKS = 10, SEM_LIMIT = 3 };

typedef struct sem_state {
    go_chan *sem;  /* buffered, capacity SEM_LIMIT: a full buffer means no room */
    go_chan *gate; /* closed by main once it has looked */
    go_wait_group wg;
    atomic_int running;
    atomic_int most;
} sem_state;

static void limited_task(void *arg)
{
    sem_state *s = arg;
    go_send(s->sem, char, 0); /* acquire: blocks while SEM_LIMIT tokens are in the buffer */
    int now = atomic_fetch_add(&s->running, 1) + 1;
    int most = atomic_load(&s->most);
    while (now > most && !atomic_compare_exchange_weak(&s->most, &most, now))
        ;
    go_recv_drop(s->gate); /* the work; the first ones wait here until main has looked */
    atomic_fetch_sub(&s->running, 1);
    go_recv_drop(s->sem); /* release: take a token out, making room for one more */
    go_wg_done(&s->wg);
}

/* A semaphore from a buffered channel: to enter, put a token in; to leave, take one out. With
 * capacity 3 a fourth goroutine waits on a full buffer. To show that the limit is reached, not
 * just respected, the first goroutines inside wait at a gate until main has seen every
 * goroutine settle: three inside, the rest blocked on the semaphore. */
static void demo_semaphore(void)
{
    sem_state s = {.sem = go_make_chan(char, SEM_LIMIT), /* Go: make(chan struct{}, 3) */
                   .gate = go_chan_make(0, 0),
                   .wg = GO_WAIT_GROUP_INIT};
    int64_t ids[SEM_TASKS];
    go_wg_add(&s.wg, SEM_TASKS);
    for (int i = 0; i < SEM_TASKS; i++)
        ids[i] = go(limited_task, &s);

    int inside = 0, waiting = 0;
    for (int i = 0; i < SEM_TASKS; i++) {
        const char *state = go_goroutine_settle(ids[i]);
        inside += state != NULL && strcmp(state, "chan receive") == 0;
        waiting += state != NULL && strcmp(state, "chan send") == 0;
    }
    printf("%d tasks, capacity %zu: %d inside, %d blocked on the semaphore\n", SEM_TASKS,
           go_chan_cap(s.sem), inside, waiting);
    go_close(s.gate);
    go_wg_wait(&s.wg);
    printf("all %d finished; most running at once: %d\n", SEM_TASKS, atomic_load(&s.most));
    go_chan_release(s.sem);
    go_chan_release(s.gate);
}

/* ---- An error group ------------------------------------------------------------------------ */

/* errgroup.Group, built from a WaitGroup, a Once and a context: group_go runs a task in a new
 * goroutine; the first task to return an error records it and cancels ctx, so the others can
 * stop; group_wait waits for all and returns that first error. Errors are strings here, NULL
 * for nil. */
typedef const char *task_fn(go_context *ctx, void *arg);

typedef struct group {
    go_context *ctx; /* given to every task */
    go_wait_group wg;
    go_once once;
    const char *err; /* written once, under once; read after wg */
} group;

static void group_init(group *g, go_context *parent)
{
    *g = (group){go_with_cancel(parent), GO_WAIT_GROUP_INIT, GO_ONCE_INIT, NULL};
}

typedef struct group_task {
    group *g;
    task_fn *fn;
    void *arg;
} group_task;

typedef struct first_error {
    group *g;
    const char *err;
} first_error;

static void keep_first(void *arg)
{
    first_error *first = arg;
    first->g->err = first->err;
    go_cancel(first->g->ctx);
}

static void run_task(void *arg)
{
    group_task t = *(group_task *)arg;
    free(arg);
    const char *err = t.fn(t.g->ctx, t.arg);
    if (err != NULL)
        go_once_do(&t.g->once, keep_first, &(first_error){t.g, err});
    go_wg_done(&t.g->wg);
}

static void group_go(group *g, task_fn *fn, void *arg)
{
    go_wg_add(&g->wg, 1);
    go(run_task, CAPTURE(group_task, g, fn, arg));
}

static const char *group_wait(group *g)
{
    go_wg_wait(&g->wg);
    go_cancel(g->ctx);
    go_context_release(g->ctx);
    return g->err;
}

typedef struct fetch {
    const char *name;
    const char *failure; /* NULL: succeeds, after a second */
    const char *err;     /* what the task returned */
} fetch;

/* A task: fails at once with its failure, or works for a second unless ctx is cancelled. */
static const char *run_fetch(go_context *ctx, void *arg)
{
    fetch *f = arg;
    if (f->failure != NULL)
        f->err = f->failure;
    else
        f->err = slow_work(1000, go_context_done(ctx)) ? NULL : go_context_err(ctx);
    return f->err;
}

/* Three tasks; b fails at once. Its error is the one Wait returns, and the cancel it triggers
 * makes a and c give up, with errors of their own that Once keeps out. */
static void demo_errgroup(void)
{
    fetch fetches[] = {{"a", NULL, NULL}, {"b", "fetch b: connection refused", NULL},
                       {"c", NULL, NULL}};
    group g;
    group_init(&g, go_background());
    for (size_t i = 0; i < GO_LEN(fetches); i++)
        group_go(&g, run_fetch, &fetches[i]);
    const char *err = group_wait(&g);

    printf("Wait() returned: %s\n", err);
    for (size_t i = 0; i < GO_LEN(fetches); i++)
        printf("  task %s returned: %s\n", fetches[i].name, fetches[i].err);
}

/* ---- Concurrency and parallelism ----------------------------------------------------------- */

enum { PRIME_LIMIT = 3000000, PRIME_CHUNKS = 30 };

typedef struct span {
    uint32_t lo, hi; /* [lo, hi) */
} span;

static bool is_prime(uint32_t n)
{
    if (n < 2)
        return false;
    if (n % 2 == 0)
        return n == 2;
    for (uint32_t d = 3; d * d <= n; d += 2)
        if (n % d == 0)
            return false;
    return true;
}

typedef struct prime_worker {
    go_chan *spans;
    go_wait_group *wg;
    go_int primes; /* this worker's own count: no sharing, no lock */
    int cpus;      /* how many CPUs the worker's thread was allowed to run on */
} prime_worker;

static int allowed_cpus(void)
{
    cpu_set_t mask;
    if (sched_getaffinity(0, sizeof mask, &mask) != 0)
        go_panic("sched_getaffinity: %s", strerror(errno));
    return CPU_COUNT(&mask);
}

static void count_primes(void *arg)
{
    prime_worker *w = arg;
    w->cpus = allowed_cpus();
    span s;
    while (go_recv(w->spans, &s))
        for (uint32_t n = s.lo; n < s.hi; n++)
            w->primes += is_prime(n);
    go_wg_done(w->wg);
}

static double seconds(int64_t ns)
{
    return (double)ns / 1e9;
}

static int64_t cpu_time(void)
{
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* Counts the primes below PRIME_LIMIT with a pool of `workers` goroutines, whose threads may
 * run on the CPUs of `mask`, and prints the count and the wall and CPU time taken. Returns the
 * wall time. */
static int64_t timed_count(const cpu_set_t *mask, int workers)
{
    /* A new thread starts with its creator's CPU mask: set main's, and the workers inherit it. */
    cpu_set_t saved;
    if (sched_getaffinity(0, sizeof saved, &saved) != 0 ||
        sched_setaffinity(0, sizeof *mask, mask) != 0)
        go_panic("sched_setaffinity: %s", strerror(errno));

    int64_t wall = go_nanotime(), cpu = cpu_time();
    go_chan *spans = go_make_chan(span, PRIME_CHUNKS);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    prime_worker *pool = calloc((size_t)workers, sizeof *pool);
    if (pool == NULL)
        go_panic("runtime: out of memory");
    for (int i = 0; i < workers; i++) {
        pool[i] = (prime_worker){spans, &wg, 0, 0};
        go_wg_add(&wg, 1);
        go(count_primes, &pool[i]);
    }
    for (uint32_t i = 0; i < PRIME_CHUNKS; i++) {
        span s = {i * (PRIME_LIMIT / PRIME_CHUNKS), (i + 1) * (PRIME_LIMIT / PRIME_CHUNKS)};
        go_send(spans, span, s);
    }
    go_close(spans);
    go_wg_wait(&wg);
    wall = go_nanotime() - wall;
    cpu = cpu_time() - cpu;

    go_int primes = 0;
    int cpus = 0;
    for (int i = 0; i < workers; i++) {
        primes += pool[i].primes;
        cpus = pool[i].cpus > cpus ? pool[i].cpus : cpus;
    }
    printf("%" PRId64 " primes, %.3f s wall, %.3f s CPU, on %d CPU%s\n", primes, seconds(wall),
           seconds(cpu), cpus, cpus == 1 ? "" : "s");
    free(pool);
    go_chan_release(spans);
    if (sched_setaffinity(0, sizeof saved, &saved) != 0)
        go_panic("sched_setaffinity: %s", strerror(errno));
    return wall;
}

/* The same goroutines doing the same work, first with their threads allowed on one CPU (the
 * analogue of GOMAXPROCS=1: concurrent, not parallel), then on every CPU the process may use
 * (parallel). The count is the same; the wall time is not. The times vary from run to run. */
static void demo_parallel(void)
{
    cpu_set_t all;
    if (sched_getaffinity(0, sizeof all, &all) != 0)
        go_panic("sched_getaffinity: %s", strerror(errno));
    int workers = CPU_COUNT(&all); /* as Go's default GOMAXPROCS: runtime.NumCPU() */
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &all)) {
            CPU_SET(cpu, &one);
            break;
        }
    }

    printf("primes below %d, %d chunks, one worker goroutine per CPU\n", PRIME_LIMIT, PRIME_CHUNKS);
    int64_t serial = timed_count(&one, workers);
    int64_t parallel = timed_count(&all, workers);
    printf("speedup: %.2fx\n", (double)serial / (double)parallel);
}

static const go_demo demos[] = {
    GO_DEMO("generator", demo_generator, GO_NORMAL,
            "a function returns a channel that a goroutine fills"),
    GO_DEMO("consumer", demo_consumer, GO_NORMAL,
            "a goroutine receives until the channel is closed, then reports"),
    GO_DEMO("pipeline", demo_pipeline, GO_NORMAL, "stages joined by channels, each a goroutine"),
    GO_DEMO("fan-out", demo_fan_out, GO_NORMAL,
            "workers share one channel: each job goes to exactly one"),
    GO_DEMO("fan-in", demo_fan_in, GO_NORMAL, "merge several channels into one"),
    GO_DEMO("worker-pool", demo_worker_pool, GO_NORMAL,
            "a fixed pool of workers, jobs in, results out, placed by id"),
    GO_DEMO("mutex-waitgroup", demo_mutex_waitgroup, GO_NORMAL,
            "a mutex guards shared totals, a WaitGroup waits for the writers"),
    GO_DEMO("leak", demo_leak, GO_NORMAL,
            "a consumer stops early: the generator is blocked forever"),
    GO_DEMO("done-channel", demo_done_channel, GO_NORMAL,
            "closing a done channel stops the generator: no leak"),
    GO_DEMO("context", demo_context, GO_NORMAL,
            "cancelling a context stops every goroutine watching it or its children"),
    GO_DEMO("timeout", demo_timeout, GO_NORMAL, "select on the answer and a timer: the timer wins"),
    GO_DEMO("deadline", demo_deadline, GO_NORMAL, "a context with a deadline stops a slow job"),
    GO_DEMO("semaphore", demo_semaphore, GO_NORMAL,
            "a buffered channel lets at most 3 goroutines in at once"),
    GO_DEMO("errgroup", demo_errgroup, GO_NORMAL,
            "an error group: the first error wins, the others are cancelled"),
    GO_DEMO("parallel", demo_parallel, GO_NORMAL,
            "a CPU-bound job on 1 CPU and on all: wall times and speedup"),
};

GO_DEMO_MAIN(demos)
