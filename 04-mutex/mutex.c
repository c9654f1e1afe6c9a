/* mutex.c - chapter 04: sync.Mutex and sync.RWMutex, in C.
 *
 * The library's go_mutex and go_rwmutex are Go's Mutex and RWMutex: goroutines that wait for
 * one park in the runtime, where a goroutine dump (and go_goroutine_state) shows them as
 * "semacquire", exactly as Go 1.19 does. Each demo mirrors a Go example; most have a Go twin
 * in go/<demo>.go that prints the same bytes.
 *
 * Who waits for whom is shown by the order of events, never by timing. The goroutines of a
 * scenario write what they do into an event log, and main decides when each may go on: it
 * starts one goroutine, asks the runtime what that goroutine is doing until it has settled
 * (blocked on the lock, or inside it waiting for main), and only then takes the next step. No
 * demo sleeps, so the output is the same on every run and on any machine.
 */
#define _GNU_SOURCE /* glibc's pthread_rwlockattr_setkind_np and gettid, for the glibc-rwlock demo */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gocurrent/builtin.h"
#include "gocurrent/chan.h"
#include "gocurrent/demo.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

/* ---- the racy counter and its fix ---------------------------------------------------------- */

enum { adders = 2, increments = 1000000 };

/* volatile keeps the loop as written: one load, one add and one store per increment. Without
 * it gcc at -O2 turns each goroutine's loop into a single `+= 1000000`, and the two goroutines
 * would almost never overlap. */
static volatile go_int racy_counter;

static go_int counter;
static go_mutex counter_mu = GO_MUTEX_INIT;
static go_wait_group adders_done = GO_WAIT_GROUP_INIT;
static atomic_int adders_arrived;

/* Returns once every adder has arrived here, so that they all count at the same time: without
 * it, one goroutine may finish its million before the other has even started. */
static void line_up(void)
{
    atomic_fetch_add(&adders_arrived, 1);
    while (atomic_load(&adders_arrived) < adders)
        sched_yield();
}

static void add_racy(void *arg)
{
    (void)arg;
    line_up();
    for (int i = 0; i < increments; i++)
        racy_counter++; /* load, add, store: the other goroutine's store can land in between */
    go_wg_done(&adders_done);
}

static void add_locked(void *arg)
{
    (void)arg;
    line_up();
    for (int i = 0; i < increments; i++) {
        go_mutex_lock(&counter_mu);
        counter++;
        go_mutex_unlock(&counter_mu);
    }
    go_wg_done(&adders_done);
}

/* Runs `adders` goroutines of fn and waits until all are done. */
static void run_adders(void (*fn)(void *arg))
{
    atomic_store(&adders_arrived, 0);
    go_wg_add(&adders_done, adders);
    for (int i = 0; i < adders; i++)
        go(fn, NULL);
    go_wg_wait(&adders_done);
}

static void demo_racy_counter(void)
{
    racy_counter = 0;
    run_adders(add_racy);
    printf("Counter: %" PRId64 " (want %d)\n", racy_counter, adders * increments);
    fflush(stdout); /* before the TSan build's closing "reported 1 warnings", as Go's -race does */
}

static void demo_mutex_counter(void)
{
    counter = 0;
    run_adders(add_locked);
    printf("Counter: %" PRId64 " (want %d)\n", counter, adders * increments);
}

/* ---- the notes' Mutex example: ten goroutines, one increment each -------------------------- */

static void increment_once(void *done)
{
    go_mutex_lock(&counter_mu);
    counter++;
    go_mutex_unlock(&counter_mu);
    go_wg_done(done);
}

static void demo_final_counter(void)
{
    go_wait_group done = GO_WAIT_GROUP_INIT;
    counter = 0;
    go_wg_add(&done, 10);
    for (int n = 1; n <= 10; n++)
        go(increment_once, &done);
    go_wg_wait(&done);
    printf("Final Counter: %" PRId64 "\n", counter);
}

/* ---- the event log ------------------------------------------------------------------------- */

/* What the goroutines of one demo did, in the order they did it. The log's own lock is a plain
 * pthread mutex on purpose: a goroutine that waits a moment for the log is "running" to the
 * runtime, so it is never mistaken for one blocked on the lock under study ("semacquire"). */
enum { log_capacity = 32, line_capacity = 80 };

static struct {
    pthread_mutex_t lock;
    int len;
    char lines[log_capacity][line_capacity];
} event_log = {PTHREAD_MUTEX_INITIALIZER, 0, {{0}}};

static void record(const char *format, ...) __attribute__((format(printf, 1, 2)));

static void record(const char *format, ...)
{
    pthread_mutex_lock(&event_log.lock);
    if (event_log.len == log_capacity)
        go_panic("the event log is full");
    va_list args;
    va_start(args, format);
    vsnprintf(event_log.lines[event_log.len++], line_capacity, format, args);
    va_end(args);
    pthread_mutex_unlock(&event_log.lock);
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Prints the log, sorted if asked, and empties it for the next demo. */
static void print_log(bool sorted)
{
    pthread_mutex_lock(&event_log.lock);
    if (sorted)
        qsort(event_log.lines, (size_t)event_log.len, line_capacity, compare_lines);
    for (int i = 0; i < event_log.len; i++)
        printf("%s\n", event_log.lines[i]);
    event_log.len = 0;
    pthread_mutex_unlock(&event_log.lock);
}

/* ---- watching a goroutine without timing it ------------------------------------------------ */


/* What a settled state means in these demos, for the log. */
static const char *meaning(const char *state)
{
    if (state == NULL)
        return "has finished";
    if (strcmp(state, "semacquire") == 0)
        return "is blocked [semacquire]";
    if (strcmp(state, "chan receive") == 0)
        return "holds the lock, waiting for main [chan receive]";
    return state;
}

/* ---- a scene: one lock, and goroutines that take it as readers or writers ------------------ */

typedef struct scene {
    go_mutex *m;       /* the lock under study: a Mutex, */
    go_rwmutex *rw;    /* or else an RWMutex */
    atomic_int holders; /* goroutines inside the lock right now */
    go_wait_group done; /* counts the actors that have not finished */
} scene;

#define SCENE_MUTEX(m) {(m), NULL, 0, GO_WAIT_GROUP_INIT}
#define SCENE_RWMUTEX(rw) {NULL, (rw), 0, GO_WAIT_GROUP_INIT}

/* The role an actor or main plays, for enter() and leave(). */
enum { as_reader = false, as_writer = true };

/* Takes the scene's lock: a reader takes an RWMutex's read lock, everyone else the lock
 * itself. Logs the call, then the entry with how many goroutines are inside with it. */
static void enter(scene *s, const char *who, bool writer)
{
    if (s->m != NULL) {
        record("%s: Lock()", who);
        go_mutex_lock(s->m);
    } else if (writer) {
        record("%s: Lock()", who);
        go_rwmutex_lock(s->rw);
    } else {
        record("%s: RLock()", who);
        go_rwmutex_rlock(s->rw);
    }
    int inside = atomic_fetch_add(&s->holders, 1) + 1;
    record("%s: %s (holders: %d)", who, writer ? "writing" : "reading", inside);
}

/* Leaves the lock. The log says so before the lock is released: once it is, the next
 * goroutine may enter and log at once. */
static void leave(scene *s, const char *who, bool writer)
{
    atomic_fetch_sub(&s->holders, 1);
    if (s->m != NULL) {
        record("%s: Unlock()", who);
        go_mutex_unlock(s->m);
    } else if (writer) {
        record("%s: Unlock()", who);
        go_rwmutex_unlock(s->rw);
    } else {
        record("%s: RUnlock()", who);
        go_rwmutex_runlock(s->rw);
    }
}

/* A goroutine of a scene. */
typedef struct actor {
    const char *name;
    bool writer;
    scene *scene;
    go_chan *hold; /* while open, the actor stays inside the lock; NULL: it leaves at once */
    int64_t id;
} actor;

static void act(void *arg)
{
    actor *a = arg;
    enter(a->scene, a->name, a->writer);
    if (a->hold != NULL)
        go_recv_drop(a->hold); /* main closes it to let the actor out */
    leave(a->scene, a->name, a->writer);
    go_wg_done(&a->scene->done);
}

/* Starts the actor and waits until it has settled; logs what main then sees. */
static void start(actor *a)
{
    go_wg_add(&a->scene->done, 1);
    a->id = go(act, a);
    record("main: %s %s", a->name, meaning(go_goroutine_settle(a->id)));
}

/* An actor that will stay inside the lock until main lets it go. */
static actor holding(const char *name, bool writer, scene *s)
{
    return (actor){name, writer, s, go_chan_make(0, 0), 0};
}

/* Lets an actor that holds the lock leave, and waits until it has finished. */
static void let_go(actor *a)
{
    record("main: lets %s go", a->name);
    go_close(a->hold);
    go_goroutine_wait_returned(a->id);
    go_chan_release(a->hold);
}

/* ---- the notes' RWMutex example ------------------------------------------------------------ */

static go_rwmutex data_rw = GO_RWMUTEX_INIT;
static go_int data;
static go_wait_group data_wg = GO_WAIT_GROUP_INIT;

static void read_data(void *arg)
{
    go_int id = *(const go_int *)arg;
    go_rwmutex_rlock(&data_rw);
    record("Goroutine %" PRId64 " reading data: %" PRId64, id, data);
    go_rwmutex_runlock(&data_rw);
    go_wg_done(&data_wg);
}

static void write_data(void *arg)
{
    (void)arg;
    go_rwmutex_lock(&data_rw);
    data++;
    record("Writing data: %" PRId64, data);
    go_rwmutex_unlock(&data_rw);
    go_wg_done(&data_wg);
}

/* Five readers and a writer. In Go the lines come out in whatever order the goroutines run. To
 * fix it, main holds the write lock until all six are queued: then the readers go first,
 * together, and the writer after them, in Go as here. Which reader logs first is still up to
 * the scheduler, so the log is sorted; the writer's line sorts last, where it happened. */
static void demo_rwmutex(void)
{
    static const go_int ids[] = {0, 1, 2, 3, 4};
    data = 0;
    go_rwmutex_lock(&data_rw);
    for (size_t i = 0; i < GO_LEN(ids); i++) {
        go_wg_add(&data_wg, 1);
        go_goroutine_settle(go(read_data, (void *)&ids[i]));
    }
    go_wg_add(&data_wg, 1);
    go_goroutine_settle(go(write_data, NULL));
    go_rwmutex_unlock(&data_rw);
    go_wg_wait(&data_wg);
    print_log(true);
}

/* ---- Mutex versus RWMutex, and the contention they record ---------------------------------- */

/* The same three readers against a Mutex that main holds, then against an RWMutex that main
 * holds for reading. The Mutex makes them queue and take turns; the RWMutex lets them in. */
static void demo_contention(void)
{
    go_mutex m = GO_MUTEX_INIT;
    scene s = SCENE_MUTEX(&m);
    actor readers[] = {{"reader 1", as_reader, &s, NULL, 0}, {"reader 2", as_reader, &s, NULL, 0},
                       {"reader 3", as_reader, &s, NULL, 0}};
    printf("sync.Mutex, held by main:\n");
    enter(&s, "main", as_writer);
    for (size_t i = 0; i < GO_LEN(readers); i++)
        start(&readers[i]);
    leave(&s, "main", as_writer);
    go_wg_wait(&s.done);
    print_log(false);
    go_lock_waits waits = go_mutex_waits(&m);
    printf("lock calls that waited: %lld, for more than 0 ns in all: %s\n", (long long)waits.count, waits.total_ns > 0 ? "true" : "false");

    go_rwmutex rw = GO_RWMUTEX_INIT;
    scene t = SCENE_RWMUTEX(&rw);
    printf("\nsync.RWMutex, read-locked by main:\n");
    enter(&t, "main", as_reader);
    for (size_t i = 0; i < GO_LEN(readers); i++) {
        readers[i].scene = &t;
        start(&readers[i]);
    }
    leave(&t, "main", as_reader);
    go_wg_wait(&t.done);
    print_log(false);
    printf("lock calls that waited: %lld\n", (long long)go_rwmutex_waits(&rw).count);
}

/* ---- the scenarios ------------------------------------------------------------------------- */

/* Case 1: while one goroutine holds Lock, readers and writers alike wait until it unlocks. */
static void demo_writer_holds(void)
{
    go_rwmutex rw = GO_RWMUTEX_INIT;
    scene s = SCENE_RWMUTEX(&rw);
    actor r1 = {"reader 1", as_reader, &s, NULL, 0};
    actor w2 = {"writer 2", as_writer, &s, NULL, 0};
    enter(&s, "main", as_writer);
    start(&r1);
    start(&w2);
    leave(&s, "main", as_writer);
    go_wg_wait(&s.done);
    print_log(false);
}

/* Case 2.1: while one goroutine holds RLock, other readers enter at once, and all read
 * together. */
static void demo_readers_share(void)
{
    go_rwmutex rw = GO_RWMUTEX_INIT;
    scene s = SCENE_RWMUTEX(&rw);
    actor readers[] = {holding("reader 1", as_reader, &s), holding("reader 2", as_reader, &s),
                       holding("reader 3", as_reader, &s)};
    enter(&s, "main", as_reader);
    for (size_t i = 0; i < GO_LEN(readers); i++)
        start(&readers[i]);
    for (size_t i = 0; i < GO_LEN(readers); i++)
        let_go(&readers[i]);
    leave(&s, "main", as_reader);
    go_wg_wait(&s.done);
    print_log(false);
}

/* Case 2.2: a writer waits until every reader has left, not just the first. */
static void demo_writer_waits(void)
{
    go_rwmutex rw = GO_RWMUTEX_INIT;
    scene s = SCENE_RWMUTEX(&rw);
    actor r1 = holding("reader 1", as_reader, &s);
    actor w2 = {"writer 2", as_writer, &s, NULL, 0};
    enter(&s, "main", as_reader);
    start(&r1);
    start(&w2);
    leave(&s, "main", as_reader);
    record("main: writer 2 %s", meaning(go_goroutine_settle(w2.id)));
    let_go(&r1);
    go_wg_wait(&s.done);
    print_log(false);
}

/* Writer preference: once a writer waits, a new reader waits too, although only readers hold
 * the lock. Without this, readers that keep overlapping could keep a writer out for ever. */
static void demo_writer_preference(void)
{
    go_rwmutex rw = GO_RWMUTEX_INIT;
    scene s = SCENE_RWMUTEX(&rw);
    actor r1 = holding("reader 1", as_reader, &s);
    actor w2 = {"writer 2", as_writer, &s, NULL, 0};
    actor r3 = {"reader 3", as_reader, &s, NULL, 0};
    start(&r1);
    start(&w2);
    start(&r3);
    let_go(&r1);
    go_wg_wait(&s.done);
    print_log(false);
}

/* ---- glibc's pthread_rwlock: who goes first is a setting ----------------------------------- */

/* What the kernel says thread `tid` is doing: its state letter from /proc/self/task/<tid>/stat
 * ('R' running, 'S' sleeping, ...), and from .../syscall the system call it sleeps in and that
 * call's first argument (for futex, the address it waits on). Returns false while the thread
 * is not inside a system call ("running"). */
static bool thread_syscall(pid_t tid, char *state, long *number, uintptr_t *arg0)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        go_panic("cannot read %s", path);
    const char *after_name = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
    fclose(f);
    *state = after_name != NULL ? after_name[2] : '?';

    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    f = fopen(path, "r");
    if (f == NULL)
        go_panic("cannot read %s", path);
    bool in_syscall = fgets(line, sizeof line, f) && sscanf(line, "%ld %" SCNxPTR, number, arg0) == 2;
    fclose(f);
    return in_syscall;
}

/* Waits until thread `tid` sleeps in futex(2) on an address inside `lock`: that is where
 * glibc's pthread_rwlock_wrlock waits. Asking the kernel takes no guess about timing. */
static void wait_asleep_on(pid_t tid, const pthread_rwlock_t *lock)
{
    const uintptr_t first = (uintptr_t)lock, end = first + sizeof *lock;
    for (;;) {
        char state;
        long number;
        uintptr_t address;
        if (thread_syscall(tid, &state, &number, &address) && state == 'S' && number == SYS_futex &&
            address >= first && address < end)
            return;
        sched_yield();
    }
}

typedef struct glibc_writer {
    pthread_rwlock_t *lock;
    _Atomic pid_t tid; /* set just before it calls wrlock */
    atomic_bool writing;
    go_wait_group done;
} glibc_writer;

static void write_glibc(void *arg)
{
    glibc_writer *w = arg;
    record("writer 2: pthread_rwlock_wrlock()");
    atomic_store(&w->tid, gettid());
    pthread_rwlock_wrlock(w->lock);
    atomic_store(&w->writing, true);
    record("writer 2: writing");
    record("writer 2: pthread_rwlock_unlock()");
    pthread_rwlock_unlock(w->lock);
    go_wg_done(&w->done);
}

typedef struct glibc_reader {
    pthread_rwlock_t *lock;
    go_chan *hold;
} glibc_reader;

static void read_glibc(void *arg)
{
    glibc_reader *r = arg;
    record("reader 1: pthread_rwlock_rdlock() = %d", pthread_rwlock_rdlock(r->lock));
    go_recv_drop(r->hold);
    record("reader 1: pthread_rwlock_unlock()");
    pthread_rwlock_unlock(r->lock);
}

static const char *errno_name(int err)
{
    return err == 0 ? "0" : err == EBUSY ? "EBUSY" : strerror(err);
}

/* Reader 1 holds the lock, writer 2 blocks in wrlock, then reader 3 (main) tries to read. */
static void glibc_scenario(const char *kind_name, int kind)
{
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, kind);
    pthread_rwlock_t lock;
    pthread_rwlock_init(&lock, &attr);
    pthread_rwlockattr_destroy(&attr);

    printf("%s:\n", kind_name);
    glibc_reader r1 = {&lock, go_chan_make(0, 0)};
    int64_t r1_id = go(read_glibc, &r1);
    go_goroutine_settle(r1_id); /* it holds the read lock and waits on r1.hold */
    glibc_writer w2 = {&lock, 0, false, GO_WAIT_GROUP_INIT};
    go_wg_add(&w2.done, 1);
    go(write_glibc, &w2);
    while (atomic_load(&w2.tid) == 0)
        sched_yield();
    wait_asleep_on(atomic_load(&w2.tid), &lock);
    record("main: writer 2 sleeps in futex() on the lock");

    int tried = pthread_rwlock_tryrdlock(&lock);
    record("reader 3: pthread_rwlock_tryrdlock() = %s", errno_name(tried));
    record("main: lets reader 1 go");
    go_close(r1.hold);
    go_goroutine_wait_returned(r1_id);
    if (tried == 0) {
        /* Reader 3 still holds the lock, so the writer cannot have entered. */
        record("main: writer 2 is writing: %s", atomic_load(&w2.writing) ? "true" : "false");
        record("reader 3: pthread_rwlock_unlock()");
        pthread_rwlock_unlock(&lock);
    }
    go_wg_wait(&w2.done);
    print_log(false);
    go_chan_release(r1.hold);
    pthread_rwlock_destroy(&lock);
}

static void demo_glibc_rwlock(void)
{
    glibc_scenario("PTHREAD_RWLOCK_PREFER_READER_NP (the default)", PTHREAD_RWLOCK_PREFER_READER_NP);
    printf("\n");
    glibc_scenario("PTHREAD_RWLOCK_PREFER_WRITER_NP", PTHREAD_RWLOCK_PREFER_WRITER_NP);
    printf("\n");
    glibc_scenario("PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP",
                   PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
}

/* ---- unlocking on every path --------------------------------------------------------------- */

static go_mutex account_mu = GO_MUTEX_INIT;
static go_int balance;

/* Takes `amount` out of the balance and stores what is left in *left; returns NULL, or why it
 * refused. The bug: the refusal returns with account_mu still locked. */
static const char *withdraw_forgetting(go_int amount, go_int *left)
{
    go_mutex_lock(&account_mu);
    if (amount > balance)
        return "insufficient funds";
    balance -= amount;
    *left = balance;
    go_mutex_unlock(&account_mu);
    return NULL;
}

/* C's closest thing to `defer mu.Unlock()`: gcc and clang call a variable's cleanup function
 * when it goes out of scope, by whichever return. */
static void unlock_at_exit(go_mutex **held)
{
    go_mutex_unlock(*held);
}

static const char *withdraw(go_int amount, go_int *left)
{
    /* `unused`: the variable is never read, only its cleanup matters (clang warns otherwise). */
    go_mutex *held __attribute__((cleanup(unlock_at_exit), unused)) = &account_mu;
    go_mutex_lock(&account_mu);
    if (amount > balance)
        return "insufficient funds";
    balance -= amount;
    *left = balance;
    return NULL;
}

static void withdraw_all(const char *(*take)(go_int amount, go_int *left))
{
    static const go_int amounts[] = {30, 100, 20};
    balance = 100;
    for (size_t i = 0; i < GO_LEN(amounts); i++) {
        go_int left = 0;
        const char *err = take(amounts[i], &left);
        if (err != NULL)
            printf("withdraw %" PRId64 ": refused: %s\n", amounts[i], err);
        else
            printf("withdraw %" PRId64 ": ok, %" PRId64 " left\n", amounts[i], left);
    }
}

static void demo_defer_unlock(void)
{
    withdraw_all(withdraw);
}

static void demo_forgot_unlock(void)
{
    withdraw_all(withdraw_forgetting);
}

/* Unlocking a Mutex that is not locked is a fatal error in Go, not a panic: recover cannot
 * catch it. */
static void demo_unlock_unlocked(void)
{
    go_mutex m = GO_MUTEX_INIT;
    go_mutex_lock(&m);
    go_mutex_unlock(&m);
    printf("locked once, unlocked once; unlocking again\n");
    go_mutex_unlock(&m);
}

static const go_demo demos[] = {
    GO_DEMO("racy-counter", demo_racy_counter, GO_RACE,
            "two goroutines add to one counter unlocked: a data race, the total may come out short"),
    GO_DEMO("mutex-counter", demo_mutex_counter, GO_NORMAL,
            "the same with a Mutex around each increment: the total is exact"),
    GO_DEMO("final-counter", demo_final_counter, GO_NORMAL,
            "ten goroutines increment under a Mutex: Final Counter: 10"),
    GO_DEMO("rwmutex", demo_rwmutex, GO_NORMAL,
            "five readers and a writer share an RWMutex (lines sorted)"),
    GO_DEMO("contention", demo_contention, GO_NORMAL,
            "readers queue behind a Mutex but enter an RWMutex: 3 waits, then 0"),
    GO_DEMO("writer-holds", demo_writer_holds, GO_NORMAL,
            "while a writer holds Lock, readers and writers wait"),
    GO_DEMO("readers-share", demo_readers_share, GO_NORMAL,
            "while a reader holds RLock, other readers enter at once"),
    GO_DEMO("writer-waits", demo_writer_waits, GO_NORMAL,
            "a writer waits until every reader has left"),
    GO_DEMO("writer-preference", demo_writer_preference, GO_NORMAL,
            "once a writer waits, new readers wait behind it"),
    GO_DEMO("glibc-rwlock", demo_glibc_rwlock, GO_NORMAL,
            "glibc lets readers pass a waiting writer unless told otherwise"),
    GO_DEMO("defer-unlock", demo_defer_unlock, GO_NORMAL,
            "an unlock that runs on every return, C's defer mu.Unlock()"),
    GO_DEMO("forgot-unlock", demo_forgot_unlock, GO_DEADLOCK,
            "a return that skips Unlock leaves the Mutex locked: the next Lock never returns"),
    GO_DEMO("unlock-unlocked", demo_unlock_unlocked, GO_PANIC,
            "unlocking an unlocked Mutex is a fatal error"),
};

GO_DEMO_MAIN(demos)
