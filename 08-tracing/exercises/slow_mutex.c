/* Exercise slow-mutex: find the contended mutex in a trace, and fix it.
 *
 * Task: four workers each look something up in a cache and record a statistic, 20 times, and
 * spend most of their time waiting for a Mutex. Find which of the two mutexes it is (`gotrace
 * pprof --kind=sync` on the trace, then `go tool pprof -top`, names the function that waits),
 * and shorten that mutex's critical section so that the workers wait for Mutex.Lock less
 * than 10% of their time. The counts must stay right.
 *
 * Test it (chapter 08's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R slow-mutex
 */
#include <libgen.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/trace.h"
#include "summary.h"

enum { WORKERS = 4, ROUNDS = 20 };

static go_mutex cache_mu = GO_MUTEX_INIT;
static go_int cache_hits;
static go_mutex stats_mu = GO_MUTEX_INIT;
static go_int stats_recorded;

static void lookup_cache(void)
{
    go_mutex_lock(&cache_mu);
    cache_hits++;
    go_mutex_unlock(&cache_mu);
}

static void record_stats(void)
{
    go_mutex_lock(&stats_mu);
    go_sleep(1 * GO_MILLISECOND); /* writing the statistic to a slow log */
    stats_recorded++;
    go_mutex_unlock(&stats_mu);
}

static void worker(void *arg)
{
    go_wait_group *wg = arg;
    for (int i = 0; i < ROUNDS; i++) {
        lookup_cache();
        record_stats();
    }
    go_wg_done(wg);
}

int main(int argc, char **argv)
{
    (void)argc;
    char trace_path[256];
    snprintf(trace_path, sizeof trace_path, "%s.trace", basename(argv[0]));
    int err = go_trace_start_file(trace_path);
    if (err != 0) {
        printf("trace.Start(%s): %s\n", trace_path, go_trace_strerror(err));
        return 1;
    }
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    go_wg_add(&wg, WORKERS);
    for (int i = 0; i < WORKERS; i++)
        go(worker, &wg);
    go_wg_wait(&wg);
    go_trace_stop();

    trace_summary s;
    trace_summarize(trace_path, &s);
    const trace_group *w = trace_group_of(&s, "worker");
    printf("cache hits %lld, statistics recorded %lld\n", (long long)cache_hits, (long long)stats_recorded);
    printf("Mutex.Lock wait under 10%% of the workers' time: %s\n",
           w->ns[GT_REASON0 + 8] < 0.1 * w->ns[GT_TOTAL] ? "true" : "false");
    return 0;
}
