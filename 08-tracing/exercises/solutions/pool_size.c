/* Exercise pool-size: size a worker pool from its trace.
 *
 * Task: set WORKERS to the smallest pool with which the trace shows all 8 "compute" regions
 * running at once and no worker left without a task. Each task waits 100 ms (as a call to
 * another service would), so tasks overlap freely: run the program with a few sizes and read
 * its output, or open the trace with `gotrace regions`.
 *
 * Test it (chapter 08's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R pool-size
 */
#include <libgen.h>
#include <stdatomic.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/trace.h"
#include "summary.h"

enum { WORKERS = 8, TASKS = 8 };

typedef struct pool {
    go_chan *jobs;
    go_wait_group wg;
    atomic_int idle_workers; /* workers that ran no task */
} pool;

static void compute(void *arg)
{
    (void)arg;
    go_sleep(100 * GO_MILLISECOND);
}

static void pool_worker(void *arg)
{
    pool *p = arg;
    go_int job;
    int ran = 0;
    while (go_recv(p->jobs, &job)) {
        uint64_t task = go_trace_new_task(0, "task");
        go_trace_with_region(task, "compute", compute, NULL);
        go_trace_end_task(task);
        ran++;
    }
    if (ran == 0)
        atomic_fetch_add(&p->idle_workers, 1);
    go_wg_done(&p->wg);
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
    pool p = {go_make_chan(go_int, 0), GO_WAIT_GROUP_INIT, 0};
    go_wg_add(&p.wg, WORKERS);
    /* Every worker is waiting for a job before the first is sent, so that how fast threads
     * start on a busy machine does not decide who gets which job. */
    int64_t ids[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        ids[i] = go(pool_worker, &p);
    for (int i = 0; i < WORKERS; i++)
        go_goroutine_settle(ids[i]);
    for (go_int i = 0; i < TASKS; i++)
        go_send(p.jobs, go_int, i);
    go_close(p.jobs);
    go_wg_wait(&p.wg);
    go_chan_release(p.jobs);
    go_trace_stop();

    trace_summary s;
    trace_summarize(trace_path, &s);
    printf("%d tasks on %d workers: at most %d compute regions at once, %d workers without a task\n", TASKS, WORKERS,
           s.regions_open_max, atomic_load(&p.idle_workers));
    return 0;
}
