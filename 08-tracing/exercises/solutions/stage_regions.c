/* Exercise stage-regions: measure each stage of a pipeline with regions.
 *
 * Task: put each stage's call in main's loop inside a region named after it, "load", "process"
 * and "save" (go_trace_start_region and go_trace_end_region, with no task: 0), so that the
 * trace times every stage of every item. The program then counts the regions and names the
 * slowest stage, as `gotrace regions` would.
 *
 * Test it (chapter 08's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R stage-regions
 */
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "gocurrent/builtin.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/trace.h"
#include "summary.h"

enum { ITEMS = 10 };

static go_int load(go_int i)
{
    go_sleep(20 * GO_MILLISECOND); /* a read */
    return i;
}

static go_int process(go_int item)
{
    go_sleep(1 * GO_MILLISECOND); /* a call to a fast service */
    return item * 2;
}

static void save(go_int item)
{
    (void)item;
    go_sleep(2 * GO_MILLISECOND); /* a write */
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
    for (go_int i = 0; i < ITEMS; i++) {
        go_trace_region r = go_trace_start_region(0, "load");
        go_int item = load(i);
        go_trace_end_region(r);
        r = go_trace_start_region(0, "process");
        item = process(item);
        go_trace_end_region(r);
        r = go_trace_start_region(0, "save");
        save(item);
        go_trace_end_region(r);
    }
    go_trace_stop();

    trace_summary s;
    trace_summarize(trace_path, &s);
    static const char *const stages[] = {"load", "process", "save"};
    const trace_span_stat *slowest = NULL;
    for (int k = 0; k < 3; k++) {
        const trace_span_stat *found = NULL;
        for (size_t i = 0; i < s.nregions; i++)
            if (strcmp(s.regions[i].name, stages[k]) == 0)
                found = &s.regions[i];
        printf("%s: %d regions\n", stages[k], found != NULL ? found->count : 0);
        if (found != NULL && (slowest == NULL || found->sum_ns > slowest->sum_ns))
            slowest = found;
    }
    printf("slowest stage: %s\n", slowest != NULL ? slowest->name : "(no regions)");
    return 0;
}
