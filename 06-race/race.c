/* race.c - chapter 06: data races, the race detector, leaks and deadlocks.
 *
 * The racy demos (outcome GO_RACE) run only when named. Built plainly, as `06-race`, they
 * compute a wrong answer, or the right one by luck; built with ThreadSanitizer, as
 * `06-race-tsan`, they end in a report and exit status 66, as `go run -race` does. Every other
 * demo is clean: it prints the same bytes every time, and ThreadSanitizer finds nothing in it.
 *
 * No demo sleeps. Where a demo needs goroutines to run at the same moment, they meet at a
 * starting line (line_up below); where it needs to see a goroutine blocked, it asks the runtime
 * (go_goroutine_state).
 *
 * The racy demos flush stdout as soon as they print their result. ThreadSanitizer writes to
 * stderr, and the flush keeps the result line in the same place among its messages whether
 * stdout is a terminal (flushed at each newline) or a pipe (otherwise flushed only at exit).
 */
#include <inttypes.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/chan.h"
#include "gocurrent/demo.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

/* ---- A starting line for goroutines that must overlap -------------------------------------- */

/* Each runner checks in, then waits until all have checked in, so their loops run at the same
 * time even on a machine that would otherwise finish the first before starting the second.
 * Relaxed atomics order nothing but the atomic variable itself: the line starts the runners
 * together without creating any happens-before edge between them, so ThreadSanitizer judges
 * the loops that follow exactly as if the line were not there. */
typedef struct start_line {
    atomic_int arrived;
    int runners;
} start_line;

static void line_up(start_line *line)
{
    atomic_fetch_add_explicit(&line->arrived, 1, memory_order_relaxed);
    while (atomic_load_explicit(&line->arrived, memory_order_relaxed) < line->runners)
        sched_yield();
}

/* Each of the two goroutines of the counter demos adds 1 this many times. */
enum { INCREMENTS = 1000000 };

/* ---- counter: the data race ---------------------------------------------------------------- */

/* As in the Go notes: a global counter, a global WaitGroup, two goroutines. */
static go_int counter;
static go_wait_group counter_wg = GO_WAIT_GROUP_INIT;
static start_line counter_start = {0, 2};

static void increment(void *arg)
{
    (void)arg;
    line_up(&counter_start);
    for (int i = 0; i < INCREMENTS; i++) {
        counter++; /* the race: a load, an add and a store, and nothing orders them */
        /* For the compiler only: emits no instruction and synchronises nothing, but keeps gcc
         * from folding the whole loop into one `counter += 1000000` (see the README). */
        atomic_signal_fence(memory_order_seq_cst);
    }
    go_wg_done(&counter_wg);
}

/* Two goroutines add to one counter with no synchronisation at all. */
static void demo_counter(void)
{
    go_wg_add(&counter_wg, 2);
    go(increment, NULL);
    go(increment, NULL);
    go_wg_wait(&counter_wg);
    printf("Counter: %" PRId64 " (want %d)\n", counter, 2 * INCREMENTS);
    fflush(stdout);
}

/* ---- Prevention 1: initialise, then only read ---------------------------------------------- */

enum { SIEVE_SIZE = 1000, PRIME_COUNTERS = 4 };

/* Filled in by main before any goroutine exists, and never written again. */
static bool composite[SIEVE_SIZE];

/* One goroutine's job and result. Each goroutine writes only its own. */
typedef struct prime_count {
    go_int from, to;
    go_int primes;
} prime_count;

static go_wait_group counting = GO_WAIT_GROUP_INIT;

static void count_primes(void *arg)
{
    prime_count *job = arg;
    for (go_int n = job->from; n < job->to; n++)
        if (n >= 2 && !composite[n]) /* four goroutines read the table at once: no race */
            job->primes++;
    go_wg_done(&counting);
}

/* A table written once, before the goroutines start, and then only read by all of them. */
static void demo_read_only(void)
{
    for (go_int n = 2; n * n < SIEVE_SIZE; n++)
        if (!composite[n])
            for (go_int multiple = n * n; multiple < SIEVE_SIZE; multiple += n)
                composite[multiple] = true;

    prime_count jobs[PRIME_COUNTERS];
    go_int share = SIEVE_SIZE / PRIME_COUNTERS;
    go_wg_add(&counting, PRIME_COUNTERS);
    for (go_int i = 0; i < PRIME_COUNTERS; i++) {
        jobs[i] = (prime_count){i * share, (i + 1) * share, 0};
        go(count_primes, &jobs[i]);
    }
    go_wg_wait(&counting);

    go_int total = 0;
    for (go_int i = 0; i < PRIME_COUNTERS; i++) {
        printf("primes in [%" PRId64 ", %" PRId64 "): %" PRId64 "\n", jobs[i].from, jobs[i].to,
               jobs[i].primes);
        total += jobs[i].primes;
    }
    printf("primes below %d: %" PRId64 "\n", SIEVE_SIZE, total);
}

/* ---- Prevention 2: share memory by communicating ------------------------------------------- */

enum { MESSAGES = 1000 };

/* The channels of the demo. Every goroutine that uses them holds its own references. */
typedef struct tally {
    go_chan *increments; /* chan int: each value is added to the count */
    go_chan *total;      /* chan int: the owner's answer, once increments is closed */
} tally;

/* The only goroutine that can see the count: it is a local variable of this function. */
static void count_owner(void *arg)
{
    tally t = *(tally *)arg; /* a copy: main's struct is gone once main has the total */
    go_int count = 0, delta;
    while (go_recv(t.increments, &delta)) /* for delta := range increments */
        count += delta;
    go_send(t.total, go_int, count);
    go_chan_release(t.increments);
    go_chan_release(t.total);
}

static go_wait_group senders = GO_WAIT_GROUP_INIT;

static void send_increments(void *arg)
{
    go_chan *increments = arg;
    for (int i = 0; i < MESSAGES; i++)
        go_send(increments, go_int, 1);
    go_chan_release(increments);
    go_wg_done(&senders);
}

/* The racy counter's two goroutines send their increments to the goroutine that owns the
 * count, instead of touching it. */
static void demo_channels(void)
{
    tally t = {go_make_chan(go_int, 0), go_make_chan(go_int, 0)};
    tally owners = {go_chan_retain(t.increments), go_chan_retain(t.total)};
    go(count_owner, &owners);

    go_wg_add(&senders, 2);
    go(send_increments, go_chan_retain(t.increments));
    go(send_increments, go_chan_retain(t.increments));
    go_wg_wait(&senders);
    go_close(t.increments); /* no more increments: the owner's range loop ends */

    go_int count;
    go_recv(t.total, &count);
    printf("Counter: %" PRId64 "\n", count);
    go_chan_release(t.increments);
    go_chan_release(t.total);
}

/* ---- Prevention 3: a mutex ----------------------------------------------------------------- */

static go_int locked_counter;
static go_mutex counter_mu = GO_MUTEX_INIT;
static go_wait_group locked_wg = GO_WAIT_GROUP_INIT;
static start_line locked_start = {0, 2};

static void increment_locked(void *arg)
{
    (void)arg;
    line_up(&locked_start);
    for (int i = 0; i < INCREMENTS; i++) {
        go_mutex_lock(&counter_mu);
        locked_counter++; /* only one goroutine at a time gets here */
        go_mutex_unlock(&counter_mu);
    }
    go_wg_done(&locked_wg);
}

/* The racy counter, with each increment inside Lock and Unlock. */
static void demo_mutex(void)
{
    go_wg_add(&locked_wg, 2);
    go(increment_locked, NULL);
    go(increment_locked, NULL);
    go_wg_wait(&locked_wg);
    printf("Counter: %" PRId64 "\n", locked_counter);
}

/* ---- And atomics --------------------------------------------------------------------------- */

static _Atomic go_int atomic_counter;
static go_wait_group atomic_wg = GO_WAIT_GROUP_INIT;
static start_line atomic_start = {0, 2};

static void increment_atomic(void *arg)
{
    (void)arg;
    line_up(&atomic_start);
    for (int i = 0; i < INCREMENTS; i++)
        atomic_fetch_add(&atomic_counter, 1); /* one indivisible read-modify-write */
    go_wg_done(&atomic_wg);
}

/* The racy counter, with each increment one atomic read-modify-write. */
static void demo_atomic(void)
{
    go_wg_add(&atomic_wg, 2);
    go(increment_atomic, NULL);
    go(increment_atomic, NULL);
    go_wg_wait(&atomic_wg);
    printf("Counter: %" PRId64 "\n", atomic_load(&atomic_counter));
}

/* ---- volatile is not synchronisation ------------------------------------------------------- */

static volatile go_int volatile_counter;
static go_wait_group volatile_wg = GO_WAIT_GROUP_INIT;
static start_line volatile_start = {0, 2};

static void increment_volatile(void *arg)
{
    (void)arg;
    line_up(&volatile_start);
    for (int i = 0; i < INCREMENTS; i++)
        volatile_counter++; /* a volatile load and a volatile store: still two steps */
    go_wg_done(&volatile_wg);
}

/* The racy counter with the counter declared volatile: the same race. */
static void demo_volatile(void)
{
    go_wg_add(&volatile_wg, 2);
    go(increment_volatile, NULL);
    go(increment_volatile, NULL);
    go_wg_wait(&volatile_wg);
    printf("Counter: %" PRId64 " (want %d)\n", volatile_counter, 2 * INCREMENTS);
    fflush(stdout);
}

/* ---- Memory synchronisation: publishing data behind a flag --------------------------------- */

static go_int relaxed_message;
static atomic_bool relaxed_ready;

static void publish_relaxed(void *arg)
{
    (void)arg;
    relaxed_message = 42;
    atomic_store_explicit(&relaxed_ready, true, memory_order_relaxed); /* orders nothing */
}

/* A goroutine writes a message, then raises a flag; main waits for the flag and reads the
 * message. The flag is atomic, but relaxed: seeing it raised says nothing about the message. */
static void demo_relaxed_flag(void)
{
    go(publish_relaxed, NULL);
    while (!atomic_load_explicit(&relaxed_ready, memory_order_relaxed))
        sched_yield();
    printf("message: %" PRId64 "\n", relaxed_message); /* the race */
    fflush(stdout);
}

static go_int published_message;
static atomic_bool published_ready;

static void publish_release(void *arg)
{
    (void)arg;
    published_message = 42;
    /* release: every write before this store is visible to whoever acquires the value */
    atomic_store_explicit(&published_ready, true, memory_order_release);
}

/* The same, with a release store and an acquire load: the flag now publishes the message. */
static void demo_release_acquire(void)
{
    go(publish_release, NULL);
    while (!atomic_load_explicit(&published_ready, memory_order_acquire))
        sched_yield();
    printf("message: %" PRId64 "\n", published_message); /* ordered after the write: no race */
}

/* ---- A goroutine leak ----------------------------------------------------------------------- */

/* Stands for slow work whose caller wants the answer: it hands the answer over on an unbuffered
 * channel, so it waits until somebody receives. */
static void fetch(void *arg)
{
    go_chan *answer = arg;
    go_send(answer, go_int, 42);
    go_chan_release(answer);
}

/* Starts fetch, then checks its own argument, and on a bad key returns without receiving. The
 * id of the fetching goroutine goes to *fetcher so that the demo can watch it. */
static bool lookup(go_int key, go_int *value, int64_t *fetcher)
{
    go_chan *answer = go_make_chan(go_int, 0);
    *fetcher = go(fetch, go_chan_retain(answer));
    if (key < 0) {
        go_chan_release(answer); /* the caller's reference; fetch keeps its own, forever */
        return false;
    }
    go_recv(answer, value);
    go_chan_release(answer);
    return true;
}

/* Stands for a worker that serves jobs until its channel is closed. */
static void serve(void *arg)
{
    go_chan *jobs = arg;
    go_int job;
    while (go_recv(jobs, &job)) /* for job := range jobs */
        continue;               /* a real worker would do the job here */
    go_chan_release(jobs);
}

/* Two goroutines that can never finish: a sender nobody receives from, and a receiver on a
 * channel nobody will send on or close. The runtime's leak report says where they are stuck. */
static void demo_leak(void)
{
    go_int value;
    int64_t fetcher;
    if (lookup(7, &value, &fetcher))
        printf("lookup(7): %" PRId64 "\n", value);
    go_goroutine_wait_returned(fetcher); /* received from, so it ends: the report below will not list it */
    if (!lookup(-1, &value, &fetcher))
        printf("lookup(-1): bad key, gave up without receiving\n");

    /* The job waits in the buffer, so serve takes it without blocking: the first time serve
     * blocks is the wait for job 2, and settle below sees that wait, not an earlier one. */
    go_chan *jobs = go_make_chan(go_int, 1);
    go_send(jobs, go_int, 1);
    int64_t server = go(serve, go_chan_retain(jobs));
    go_chan_release(jobs); /* forgot close(jobs): serve waits for job 2 forever */

    printf("goroutine %" PRId64 " is blocked: [%s]\n", fetcher, go_goroutine_settle(fetcher));
    printf("goroutine %" PRId64 " is blocked: [%s]\n", server, go_goroutine_settle(server));
    go_report_leaks();
}

/* The fixed lookup: a buffer of one gives the answer somewhere to go, so fetch can always
 * finish, whether or not the caller still wants the answer. */
static bool lookup_buffered(go_int key, go_int *value, int64_t *fetcher)
{
    go_chan *answer = go_make_chan(go_int, 1);
    *fetcher = go(fetch, go_chan_retain(answer));
    if (key < 0) {
        go_chan_release(answer);
        return false;
    }
    go_recv(answer, value);
    go_chan_release(answer);
    return true;
}

/* The same two goroutines, fixed: both return, and nothing is left blocked. */
static void demo_leak_fixed(void)
{
    go_int value;
    int64_t fetcher;
    if (!lookup_buffered(-1, &value, &fetcher))
        printf("lookup(-1): bad key, gave up without receiving\n");
    go_goroutine_wait_returned(fetcher);
    printf("fetch has returned\n");

    go_chan *jobs = go_make_chan(go_int, 1);
    go_send(jobs, go_int, 1);
    int64_t server = go(serve, go_chan_retain(jobs));
    go_close(jobs); /* range ends once the jobs sent so far are served */
    go_chan_release(jobs);
    go_goroutine_wait_returned(server);
    printf("serve has returned\n");
}

/* ---- Lock order ---------------------------------------------------------------------------- */

typedef struct account {
    int number; /* gives the accounts an order, for transfer_ordered */
    go_mutex mu;
    go_int balance;
} account;

/* Locks the account money leaves first, then the one it goes to. */
static void transfer(account *from, account *to, go_int amount)
{
    go_mutex_lock(&from->mu);
    go_mutex_lock(&to->mu);
    from->balance -= amount;
    to->balance += amount;
    go_mutex_unlock(&to->mu);
    go_mutex_unlock(&from->mu);
}

typedef struct payment {
    account *from, *to;
    go_int amount;
} payment;

static go_wait_group paying = GO_WAIT_GROUP_INIT;

static void pay(void *arg)
{
    payment *p = arg;
    transfer(p->from, p->to, p->amount);
    go_wg_done(&paying);
}

static account alice = {1, GO_MUTEX_INIT, 100}, bob = {2, GO_MUTEX_INIT, 100};

/* alice pays bob, and later bob pays alice: two goroutines take the same two mutexes in
 * opposite orders. They run one after the other, so this run cannot hang, but two such
 * payments made at the same moment can. */
static void demo_lock_order(void)
{
    payment first = {&alice, &bob, 10}, second = {&bob, &alice, 5};
    go_wg_add(&paying, 1);
    go(pay, &first);
    go_wg_wait(&paying);

    go_wg_add(&paying, 1);
    go(pay, &second);
    go_wg_wait(&paying);
    printf("alice: %" PRId64 ", bob: %" PRId64 "\n", alice.balance, bob.balance);
    fflush(stdout);
}

/* The fix: every goroutine takes the two mutexes in one global order, the accounts' numbers. */
static void transfer_ordered(account *from, account *to, go_int amount)
{
    account *first = from->number < to->number ? from : to;
    account *second = first == from ? to : from;
    go_mutex_lock(&first->mu);
    go_mutex_lock(&second->mu);
    from->balance -= amount;
    to->balance += amount;
    go_mutex_unlock(&second->mu);
    go_mutex_unlock(&first->mu);
}

static void pay_ordered(void *arg)
{
    payment *p = arg;
    transfer_ordered(p->from, p->to, p->amount);
    go_wg_done(&paying);
}

static account carol = {3, GO_MUTEX_INIT, 100}, dave = {4, GO_MUTEX_INIT, 100};

/* Both payments at the same moment, each locking the lower-numbered account first. */
static void demo_lock_ordered(void)
{
    payment first = {&carol, &dave, 10}, second = {&dave, &carol, 5};
    go_wg_add(&paying, 2);
    go(pay_ordered, &first);
    go(pay_ordered, &second);
    go_wg_wait(&paying);
    printf("carol: %" PRId64 ", dave: %" PRId64 "\n", carol.balance, dave.balance);
}

/* ---- A channel deadlock -------------------------------------------------------------------- */

/* One side of a conversation: it waits to be spoken to, then answers. */
typedef struct talker {
    go_chan *hear, *say;
} talker;

static go_wait_group talking = GO_WAIT_GROUP_INIT;

static void talk(void *arg)
{
    talker *t = arg;
    go_int word;
    go_recv(t->hear, &word); /* waits for the other side to speak first */
    go_send(t->say, go_int, word + 1);
    go_wg_done(&talking);
}

/* Two goroutines each wait to receive from the other before sending, and main waits for both:
 * every goroutine is blocked, and nothing can wake any of them. The runtime ends the program.
 * (The channels are never released: the program dies in go_wg_wait.) */
static void demo_deadlock(void)
{
    go_chan *to_alice = go_make_chan(go_int, 0), *to_bob = go_make_chan(go_int, 0);
    talker alice_side = {to_alice, to_bob}, bob_side = {to_bob, to_alice};
    go_wg_add(&talking, 2);
    go(talk, &alice_side);
    go(talk, &bob_side);
    go_wg_wait(&talking);
    printf("they talked\n");
}

static const go_demo demos[] = {
    GO_DEMO("counter", demo_counter, GO_RACE, "two goroutines increment one counter: a data race"),
    GO_DEMO("read-only", demo_read_only, GO_NORMAL,
            "prevention 1: initialise a table, then only read it"),
    GO_DEMO("channels", demo_channels, GO_NORMAL,
            "prevention 2: one goroutine owns the counter, the others send to it"),
    GO_DEMO("mutex", demo_mutex, GO_NORMAL, "prevention 3: a mutex around each increment"),
    GO_DEMO("atomic", demo_atomic, GO_NORMAL, "and atomics: atomic_fetch_add"),
    GO_DEMO("volatile", demo_volatile, GO_RACE, "volatile is not synchronisation: the same race"),
    GO_DEMO("relaxed-flag", demo_relaxed_flag, GO_RACE,
            "a relaxed flag publishes nothing: the message races"),
    GO_DEMO("release-acquire", demo_release_acquire, GO_NORMAL,
            "a release store and an acquire load publish the message"),
    GO_DEMO("leak", demo_leak, GO_NORMAL,
            "two goroutines blocked forever, and the runtime's leak report"),
    GO_DEMO("leak-fixed", demo_leak_fixed, GO_NORMAL, "the same goroutines, fixed: both return"),
    GO_DEMO("lock-order", demo_lock_order, GO_RACE,
            "two mutexes taken in opposite orders: a potential deadlock"),
    GO_DEMO("lock-ordered", demo_lock_ordered, GO_NORMAL,
            "the fix: one global order for the two mutexes"),
    GO_DEMO("deadlock", demo_deadlock, GO_DEADLOCK,
            "two goroutines each wait for the other to speak first"),
};

GO_DEMO_MAIN(demos)
