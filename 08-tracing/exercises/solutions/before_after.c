/* Exercise before-after: compare two traces, before and after an optimisation.
 *
 * Task: fetch_all_after starts as a copy of fetch_all_before, which fetches ten items one after
 * the other, each fetch waiting 20 ms. Make it fetch them concurrently: a goroutine per item,
 * each writing its own slot of results, and a go_wait_group to wait for them all. The program
 * traces both versions into their own files and compares the traces' wall times: "after" must
 * take under half the time of "before", with the same results. Compare them yourself with
 * `gotrace stats` on the two files.
 *
 * Test it (chapter 08's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R before-after
 */
#include <libgen.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/trace.h"
#include "summary.h"

enum { ITEMS = 10 };

static go_int fetch(go_int id)
{
    go_sleep(20 * GO_MILLISECOND); /* a request to another service */
    return id;
}

static void fetch_all_before(go_int results[ITEMS])
{
    for (go_int i = 0; i < ITEMS; i++)
        results[i] = fetch(i);
}

typedef struct fetch_job {
    go_int id;
    go_int *result;
    go_wait_group *wg;
} fetch_job;

static void fetch_one(void *arg)
{
    fetch_job *job = arg;
    *job->result = fetch(job->id);
    go_wg_done(job->wg);
}

static void fetch_all_after(go_int results[ITEMS])
{
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    fetch_job jobs[ITEMS];
    go_wg_add(&wg, ITEMS);
    for (go_int i = 0; i < ITEMS; i++) {
        jobs[i] = (fetch_job){i, &results[i], &wg};
        go(fetch_one, &jobs[i]);
    }
    go_wg_wait(&wg);
}

/* Runs fetch_all traced into <program>-<name>.trace; prints and returns the trace's length. */
static double traced(const char *program, const char *name, void (*fetch_all)(go_int *))
{
    char path[256];
    snprintf(path, sizeof path, "%s-%s.trace", program, name);
    int err = go_trace_start_file(path);
    if (err != 0) {
        printf("trace.Start(%s): %s\n", path, go_trace_strerror(err));
        return 0;
    }
    go_int results[ITEMS] = {0};
    fetch_all(results);
    go_trace_stop();
    go_int sum = 0;
    for (int i = 0; i < ITEMS; i++)
        sum += results[i];
    printf("%s: %d items fetched, sum %lld\n", name, ITEMS, (long long)sum);
    trace_summary s;
    trace_summarize(path, &s);
    return s.wall_ns;
}

int main(int argc, char **argv)
{
    (void)argc;
    const char *program = basename(argv[0]);
    double before = traced(program, "before", fetch_all_before);
    double after = traced(program, "after", fetch_all_after);
    printf("after takes under half the wall time of before: %s\n", after < before / 2 ? "true" : "false");
    return 0;
}
