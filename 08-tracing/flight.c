/* flight.c - the demo `flight-recorder`: the answer to "when do I start tracing?". The flight
 * recorder (Go 1.25's trace.FlightRecorder) traces all the time into memory, keeping only the
 * newest events, and the program writes them out when something goes wrong: here, a request
 * that takes too long. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gocurrent/goroutine.h"
#include "gocurrent/trace.h"
#include "summary.h"
#include "tracing.h"

enum { REQUESTS = 100, SLOW_REQUEST = 73 };

static void query(void *arg)
{
    int id = *(int *)arg;
    /* One request in a hundred finds the database slow. */
    go_sleep(id == SLOW_REQUEST ? 100 * GO_MILLISECOND : 1 * GO_MILLISECOND);
}

static void handle(int id)
{
    uint64_t task = go_trace_new_task(0, "request");
    go_trace_logf(task, "request", "id %d", id);
    go_trace_with_region(task, "database", query, &id);
    go_trace_end_task(task);
}

void demo_flight_recorder(void)
{
    int err = go_trace_flight_start(1 << 20); /* keep about the last MiB */
    if (err != 0)
        go_panic("go_trace_flight_start: %s", go_trace_strerror(err));
    bool written = false;
    for (int id = 1; id <= REQUESTS; id++) {
        int64_t start = go_nanotime();
        handle(id);
        int64_t took = go_nanotime() - start;
        if (took > 80 * GO_MILLISECOND && !written) {
            /* Too slow: write out what led up to it. */
            int fd = open("flight.trace", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
            if (fd < 0 || (err = go_trace_flight_write(fd)) != 0 || close(fd) != 0)
                go_panic("writing flight.trace: %s", fd < 0 || err == 0 ? strerror(errno) : go_trace_strerror(err));
            printf("request %d took %s: the flight recorder wrote flight.trace\n", id,
                   trace_ms((char[16]){0}, (double)took));
            written = true;
        }
    }
    trace_end("the flight recorder");

    trace_summary s;
    trace_summarize("flight.trace", &s);
    const trace_span_stat *db = trace_region_of(&s, "database");
    bool slow_logged = false;
    for (size_t i = 0; i < s.nlogs; i++)
        slow_logged |= strcmp(s.logs[i].message, "id 73") == 0;
    printf("flight.trace: %d requests ended in it, the longest database region %s\n", s.tasks[0].count,
           trace_ms((char[16]){0}, db->max_ns));
    printf("it holds the slow request: %s\n", truth(slow_logged && db->max_ns >= 100e6));
}
