/* goroutine.c - goroutines' lives: go(), adopting threads, exit, sleep; starting the runtime.
 *
 * Every goroutine is one detached pthread plus a go__g record. The record is the thread's value
 * for a pthread key, whose destructor runs when the thread ends however it ends (the function
 * returned, pthread_exit), so a goroutine always passes to DEAD exactly once. Every change of
 * status goes through go__transition (g.h); this file makes the ones that begin and end a life.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "allg.h"
#include "deadlock.h"
#include "monitor.h"
#include "os.h"
#include "park.h"
#include "runtime.h"
#include "schedtrace.h"
#include "stack.h"

static pthread_key_t exit_key;
static atomic_int_fast64_t next_id = 2; /* 1 is main's */
atomic_bool go__runtime_started;

/* Binds g to the calling thread and makes it the thread's goroutine. */
static void bind_thread(go__g *g)
{
    g->tid = go__gettid();
    go__current_g = g;
    pthread_setspecific(exit_key, g);
}

/* The pthread key's destructor: the thread of g is ending. */
static void goroutine_exit(void *arg)
{
    go__g *g = arg;
    go__current_g = NULL;
    g->tid = 0;
    go__transition(g, GO__DEAD, GO__WAIT_NONE, (go_site){NULL, NULL, 0}, NULL, NULL);
    if (g != &go__main_g)
        go__allg_free(g); /* the last touch: the record may be reused at once */
}

/* A record for a new goroutine, dying if there is no memory for one (with no lock held). */
static go__g *new_g(const char *func, go_site created_by)
{
    go__g *g = go__allg_new();
    if (g == NULL)
        go_fatal("runtime: out of memory allocating a goroutine");
    g->id = atomic_fetch_add(&next_id, 1);
    g->func = func;
    g->created_by = created_by;
    g->rand_state = (uint64_t)g->id * 0x9E3779B97F4A7C15u ^ (uint64_t)go_nanotime();
    return g;
}

/* fork() copies only the calling thread: in the child, the other goroutines and the monitor
 * thread do not exist, the runtime's counts and locks describe the parent, and a goroutine that
 * blocked would wait forever. So the child's first change of a goroutine's status (go(), any
 * blocking operation, a sleep) is a fatal error that says so, through an observer the child
 * registers; operations that never block (a send with room in the buffer) still work. */
static const char forked_message[] =
    "gocurrent: goroutines cannot run in a fork()ed child: only the forking thread was copied "
    "(exec a program, or use posix_spawn)";

static void refuse_in_child(const go__event *e)
{
    go__die("fatal error: ", go__current_if_any(), e->site, false, "%s", forked_message);
}

static const go__observer fork_guard = {refuse_in_child, false};

static void forked_child(void)
{
    go__observer_add(&fork_guard);
}

static void start_once(void)
{
    if (pthread_key_create(&exit_key, goroutine_exit) != 0)
        go_fatal("runtime: cannot create the goroutine exit key");
    go__deadlock_start();
    go__schedtrace_start();
    go__stack_watch_overflows();
    /* Goroutine 1 is the main thread's, whichever thread starts the runtime. */
    go__main_g.rand_state = 0x9E3779B97F4A7C15u ^ (uint64_t)go_nanotime();
    go__main_g.tid = getpid();
    go__allg_add_static(&go__main_g);
    go__transition(&go__main_g, GO__RUNNING, GO__WAIT_NONE, (go_site){NULL, NULL, 0}, NULL, NULL);
    if (getenv("GOCURRENT_LEAK_REPORT") != NULL)
        atexit(go_report_leaks);
    pthread_atfork(NULL, NULL, forked_child);
    atomic_store_explicit(&go__runtime_started, true, memory_order_release);
}

void go__runtime_start(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, start_once);
}

go__g *go__current(void)
{
    if (go__current_g != NULL)
        return go__current_g;
    go__runtime_ensure();
    go__g *g = go__current_if_any_slow();
    if (g == NULL) {
        /* A thread the library did not start, blocking in it for the first time: adopt it, as
         * Go gives a goroutine to a C thread that calls into Go. */
        g = new_g("(thread)", (go_site){NULL, NULL, 0});
        go__transition(g, GO__RUNNING, GO__WAIT_NONE, (go_site){NULL, NULL, 0}, NULL, NULL);
    }
    bind_thread(g);
    return g;
}

/* Not inlined: its frame is where its goroutine's stack walks end (g.h, entry_frame). */
static __attribute__((noinline)) void *goroutine_main(void *arg)
{
    go__g *g = arg;
    g->entry_frame = __builtin_frame_address(0);
    go__stack_enter();
    bind_thread(g);
    go__transition(g, GO__RUNNING, GO__WAIT_NONE, (go_site){NULL, NULL, 0}, NULL, NULL);
    g->fn(g->arg);
    return NULL;
}

/* Go's report when the OS refuses a thread, with the limit that was likely hit, then its fatal
 * error. err is pthread_create's (glibc says EAGAIN for every kind of refusal). */
static _Noreturn void thread_refused(int err, go_site where)
{
    fflush(stdout);
    fprintf(stderr, "runtime: failed to create new OS thread (have %d already; errno=%d)\n",
            go_num_goroutine(), err);
    struct rlimit as, nproc;
    if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
        fprintf(stderr, "runtime: may need to increase the address space limit (ulimit -v: %llu KiB; "
                "each goroutine reserves a %zu-byte stack, see go_set_max_stack)\n",
                (unsigned long long)as.rlim_cur / 1024, go__stack_size());
    else if (getrlimit(RLIMIT_NPROC, &nproc) == 0 && nproc.rlim_cur != RLIM_INFINITY)
        fprintf(stderr, "runtime: may need to increase max user processes (ulimit -u: %llu)\n",
                (unsigned long long)nproc.rlim_cur);
    fprintf(stderr, "runtime: the kernel also caps threads at /proc/sys/kernel/threads-max and "
            "pid_max\n");
    go_fatal_at(where, "newosproc");
}

int64_t go_start(void (*fn)(void *arg), void *arg, const char *name, go_site where)
{
    if (fn == NULL)
        go_fatal_at(where, "go of nil func value");
    go__g *creator = go__current(); /* starts the runtime, and adopts a foreign creator */
    go__g *g = new_g(name, where);
    g->fn = fn;
    g->arg = arg;
    int64_t id = g->id;
    /* Runnable (so counted live, and listed) before the thread runs: from now on the creator
     * cannot be the last goroutine standing, and a dump shows the new one. */
    go__transition(g, GO__RUNNABLE, GO__WAIT_NONE, where, NULL, creator);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    go__stack_attr(&attr);
    pthread_t thread;
    int err = pthread_create(&thread, &attr, goroutine_main, g);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        /* It never ran: gone before the report, which lists the goroutines that exist. */
        go__transition(g, GO__DEAD, GO__WAIT_NONE, where, NULL, creator);
        thread_refused(err, where);
    }
    return id;
}

int go_num_goroutine(void)
{
    /* Before the runtime starts, main is the only goroutine. */
    if (!atomic_load_explicit(&go__runtime_started, memory_order_acquire))
        return 1;
    return go__deadlock_live();
}

int64_t go_id(void)
{
    return go__current()->id;
}

/* time.Sleep: a timer readies the goroutine, which parks meanwhile like any other wait. */
typedef struct sleep_timer {
    go__timer t;
    go__g *g;
} sleep_timer;

static void wake_sleeper(go__timer *t, int64_t now)
{
    (void)now;
    go__ready(((sleep_timer *)t)->g); /* the last touch: the sleeper may return at once */
}

void go_sleep_at(go_duration d, go_site where)
{
    go__g *g = go__current();
    if (d <= 0)
        return;
    sleep_timer st = {.t.fire = wake_sleeper, .t.kind = GO__TIMER_SLEEP, .t.object = &st.t, .g = g};
    /* Committed before the timer exists, so the timer cannot ready it too early. Its object is
     * the timer, which the tracer names when it fires. */
    go__park_commit(g, GO__WAIT_SLEEP, where, &st.t);
    go__timer_start(&st.t, d, 0);
    go__park(g);
}
