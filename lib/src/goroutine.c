/* goroutine.c - goroutine records: start, the main goroutine, adopted threads, exit, sleep.
 *
 * Every goroutine is one detached pthread plus a go__g record on the runtime's list of all
 * goroutines. The record is the thread's value for a pthread key, whose destructor runs when the
 * thread ends however it ends (the function returned, pthread_exit), so a goroutine is always
 * removed and un-counted exactly once.
 */
#define _GNU_SOURCE /* syscall(SYS_gettid) */
#include "runtime.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static _Thread_local go__g *current;
static pthread_key_t exit_key;
static atomic_int_fast64_t next_id = 1;

pid_t go__gettid(void)
{
    return (pid_t)syscall(SYS_gettid);
}

int64_t go_nanotime(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int64_t go__coarse_nanotime(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static go__g *new_g(const char *func, go_site created_by)
{
    go__g *g = calloc(1, sizeof *g);
    if (g == NULL)
        go_fatal("runtime: out of memory allocating a goroutine");
    g->id = atomic_fetch_add(&next_id, 1);
    g->func = func;
    g->created_by = created_by;
    g->rand_state = (uint64_t)g->id * 0x9E3779B97F4A7C15u ^ (uint64_t)go_nanotime();
    return g;
}

/* Binds g to the calling thread. */
static void bind_thread(go__g *g)
{
    g->tid = go__gettid();
    current = g;
    pthread_setspecific(exit_key, g);
}

/* The pthread key's destructor: the thread of g is ending. */
static void goroutine_exit(void *arg)
{
    go__g *g = arg;
    go__allg_remove(g);
    current = NULL;
    free(g);
    /* One goroutine fewer. If the rest were all waiting on this one, they are deadlocked now,
     * but this thread, still alive, counts as foreign until it is gone: the monitor's next
     * tick reports it. */
    go__sched_exit();
}

static void *goroutine_main(void *arg)
{
    go__g *g = arg;
    bind_thread(g);
    g->fn(g->arg);
    return NULL;
}

int64_t go_start(void (*fn)(void *arg), void *arg, const char *name, go_site where)
{
    go__current(); /* make sure the runtime (and a creator adopted from a foreign thread) exists */
    go__g *g = new_g(name, where);
    g->fn = fn;
    g->arg = arg;
    int64_t id = g->id;
    /* Counted and listed before the thread runs: from now on the creator cannot be the last
     * goroutine standing, and a dump shows the new one. */
    go__sched_start();
    go__allg_add(g);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int err = pthread_create(&thread, &attr, goroutine_main, g);
    pthread_attr_destroy(&attr);
    if (err != 0)
        go_fatal("newosproc: cannot create the thread of goroutine %" PRId64 " (%s)", id, strerror(err));
    return id;
}

go__g *go__current(void)
{
    if (current == NULL) {
        /* A thread the library did not start, blocking in it for the first time: adopt it, as
         * Go gives a goroutine to a C thread that calls into Go. */
        go__g *g = new_g("(thread)", (go_site){NULL, NULL, 0});
        go__sched_start();
        bind_thread(g);
        go__allg_add(g);
    }
    return current;
}

go__g *go__current_if_any(void)
{
    return current;
}

int64_t go_id(void)
{
    return go__current()->id;
}

void go_sleep_at(go_duration d, go_site where)
{
    go__g *g = go__current();
    go__set_wait(g, GO__WAIT_SLEEP, where);
    int64_t deadline = go_nanotime() + d;
    for (int64_t left = d; left > 0; left = deadline - go_nanotime()) {
        struct timespec ts = {left / 1000000000, left % 1000000000};
        nanosleep(&ts, NULL);
    }
    go__set_wait(g, GO__WAIT_NONE, where);
}

/* The runtime starts before main: the main thread becomes goroutine 1, then the monitor thread
 * starts and the threads present at that point (a sanitizer's own) are noted as not foreign. */
__attribute__((constructor)) static void runtime_init(void)
{
    if (pthread_key_create(&exit_key, goroutine_exit) != 0)
        abort();
    go__sched_init();
    go__g *main_g = new_g("main", (go_site){NULL, NULL, 0});
    go__sched_start();
    bind_thread(main_g);
    go__allg_add(main_g);
    go__monitor_start();
    go__threads_note_baseline();
    if (getenv("GOCURRENT_LEAK_REPORT") != NULL)
        atexit(go_report_leaks);
}
