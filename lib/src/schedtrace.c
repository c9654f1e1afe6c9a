/* schedtrace.c - the periodic report of the runtime's state (schedtrace.h).
 *
 * It sits above allg (the walk that counts goroutines by state) and the monitor (the tick that
 * runs it), and only the runtime's start knows of it: neither the monitor nor allg depends on it.
 */
#include "schedtrace.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gocurrent/goroutine.h"
#include "allg.h"
#include "monitor.h"
#include "os.h"

/* Written once before the hook is added, then read and written by the monitor thread only. */
static int64_t period_ns, started, next_report, last_report, last_cpu_ns;

static int64_t cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

typedef struct counts {
    int goroutines, by_status[GO__DEAD + 1];
} counts;

/* Counts one goroutine (go__allg_each_live calls it with the list's lock held). */
static void count(go__g *g, void *arg)
{
    counts *c = arg;
    c->goroutines++;
    c->by_status[go__status_of(g)]++;
}

static void report(void)
{
    int64_t now = go_nanotime();
    if (now < next_report)
        return;
    counts c = {0};
    go__allg_each_live(count, &c);
    int64_t cpu = cpu_ns();
    double busy = (double)(cpu - last_cpu_ns) / (double)(now - last_report);
    int procs = go__ncpu(), running = c.by_status[GO__RUNNING];
    fprintf(stderr,
            "SCHED %lldms: gomaxprocs=%d idleprocs=%d threads=%ld goroutines=%d running=%d "
            "runnable=%d syscall=%d waiting=%d cpu=%.2f\n",
            (long long)((now - started) / 1000000), procs, running < procs ? procs - running : 0,
            go__thread_count(), c.goroutines, running, c.by_status[GO__RUNNABLE],
            c.by_status[GO__SYSCALL], c.by_status[GO__WAITING], busy);
    last_report = now, last_cpu_ns = cpu;
    /* The next period ends a period after this one, not after this late tick: no drift. */
    while (next_report <= now)
        next_report += period_ns;
}

void go__schedtrace_start(void)
{
    const char *setting = getenv("GOCURRENT_SCHEDTRACE");
    long ms = setting != NULL ? strtol(setting, NULL, 10) : 0;
    if (ms <= 0)
        return;
    period_ns = ms * 1000000;
    started = last_report = go_nanotime();
    next_report = started + period_ns;
    last_cpu_ns = cpu_ns();
    go__monitor_tick_add(report);
}
