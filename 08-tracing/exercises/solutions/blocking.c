/* Exercise blocking: trace a program whose goroutines block, and see it in the trace.
 *
 * Task: trace the run: start tracing into trace_path before the workers start
 * (go_trace_start_file) and stop it once they are done (go_trace_stop), checking both errors
 * as the chapter's collect demo does (print go_trace_strerror's message and exit with status 1).
 * The program then reads the trace and must find the workers blocked on chan receive for most
 * of their lives; open the same trace with `gotrace stats` to see it yourself.
 *
 * Test it (chapter 08's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R blocking
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>

#include "gocurrent/builtin.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/trace.h"
#include "summary.h"

typedef struct shared {
    go_chan *jobs;
    go_wait_group wg;
} shared;

static void worker(void *arg)
{
    shared *s = arg;
    go_int job;
    while (go_recv(s->jobs, &job)) /* blocks while main is slow */
        ;
    go_wg_done(&s->wg);
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
    shared s = {go_make_chan(go_int, 0), GO_WAIT_GROUP_INIT};
    go_wg_add(&s.wg, 4);
    for (int i = 0; i < 4; i++)
        go(worker, &s);
    for (go_int i = 0; i < 10; i++) {
        go_send(s.jobs, go_int, i);
        go_sleep(20 * GO_MILLISECOND); /* a slow sender */
    }
    go_close(s.jobs);
    go_wg_wait(&s.wg);
    go_chan_release(s.jobs);
    err = go_trace_stop();
    if (err != 0) {
        printf("trace.Stop(): %s\n", go_trace_strerror(err));
        return 1;
    }

    trace_summary sum;
    trace_summarize(trace_path, &sum);
    const trace_group *w = trace_group_of(&sum, "worker");
    bool blocked = w->ns[GT_REASON0 + 2] > w->ns[GT_TOTAL] / 2;
    printf("%d workers, blocked on chan receive most of their time: %s\n", w->count, blocked ? "true" : "false");
    return blocked ? 0 : 1;
}
