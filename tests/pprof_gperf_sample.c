/* pprof_gperf_sample - a program of demos, profiled with the harness's --cpuprofile and
 * --memprofile, for the tests that read the files with go tool pprof and google-pprof
 * (pprof_readers.cmake, PROFILES=gperf). Each demo has the function its profile must name:
 *   hot        hot_loop, the CPU profile's first row;
 *   heap       retain_buffers, first by in-use space (it keeps its memory), and churn_garbage,
 *              first by allocated space (it allocates far more, and frees it all);
 *   refusals   no profile: checks the API's refusals (one CPU profile at a time, never CPU and
 *              heap together), printing "refusals ok" or what went wrong, and exits 1 if so.
 * noinline, for the reason pprof_sample.c gives.
 *
 * usage: pprof_gperf_sample [harness flags] [hot|heap|refusals]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gocurrent/demo.h"
#include "gocurrent/pprof_gperf.h"

/* ---- hot: one function burns the CPU ---- */

volatile double sink; /* keeps results (and allocations) from being optimised away */

static double seconds_of_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

__attribute__((noinline)) void hot_loop(double seconds)
{
    double start = seconds_of_cpu(), sum = 0;
    while (seconds_of_cpu() - start < seconds)
        for (int i = 1; i < 100000; i++)
            sum += sqrt((double)i);
    sink = sum;
}

static void hot(void)
{
    hot_loop(1.0);
    printf("burnt 1 s of CPU in hot_loop\n");
}

/* ---- heap: retained buffers against churning garbage ---- */

enum { retained = 64, churned = 4096, size = 64 * 1024 };
static void *kept[retained];

__attribute__((noinline)) void retain_buffers(void)
{
    for (int i = 0; i < retained; i++)
        memset(kept[i] = malloc(size), 1, size);
}

__attribute__((noinline)) void churn_garbage(void)
{
    for (int i = 0; i < churned; i++) {
        char *p = malloc(size);
        memset(p, 2, size);
        sink = p[i % size];
        free(p);
    }
}

static void heap(void)
{
    retain_buffers();
    churn_garbage();
    printf("kept %d KB, churned %d MB\n", retained * size / 1024, churned * (size / 1024) / 1024);
}

/* ---- refusals ---- */

static int failures;

static void expect(const char *what, const char *got, const char *want)
{
    if ((got == NULL) != (want == NULL) || (got != NULL && strcmp(got, want) != 0)) {
        printf("%s: got \"%s\", want \"%s\"\n", what, got ? got : "(success)",
               want ? want : "(success)");
        failures++;
    }
}

static void refusals(void)
{
    expect("cpu start", go_cpu_profile_start("/dev/null"), NULL);
    expect("second cpu start", go_cpu_profile_start("/dev/null"), "cpu profiling already in use");
    expect("heap while cpu", go_heap_profile_start("/tmp/unused"), "cpu profiling in use");
    go_cpu_profile_stop();
    go_cpu_profile_stop(); /* a second stop does nothing */
    expect("heap start", go_heap_profile_start("/tmp/unused"), NULL);
    expect("second heap start", go_heap_profile_start("/tmp/unused"), "heap profiling already in use");
    expect("cpu while heap", go_cpu_profile_start("/dev/null"), "heap profiling in use");
    go_heap_profile_stop();
    go_buffer b = GO_BUFFER_INIT;
    if (go_heap_profile_write(go_buffer_writer(&b))) {
        printf("the heap profile was written while stopped\n");
        failures++;
    }
    go_buffer_free(&b);
    printf(failures == 0 ? "refusals ok\n" : "refusals FAILED\n");
    if (failures > 0)
        exit(1);
}

static const go_demo demos[] = {
    GO_DEMO("hot", hot, GO_NORMAL, "one function burns a second of CPU"),
    GO_DEMO("heap", heap, GO_NORMAL, "retained buffers against churning garbage"),
    GO_DEMO("refusals", refusals, GO_NORMAL, "one CPU profile at a time, never CPU and heap"),
};

GO_DEMO_MAIN(demos)
