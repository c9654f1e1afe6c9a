/* pprof_gperf.c - the CPU and heap profiles from gperftools (gocurrent/pprof_gperf.h): a thin,
 * thread-safe layer over libprofiler and tcmalloc's heap profiler that adds Go's refusals. */
#include "gocurrent/pprof_gperf.h"

#include <gperftools/heap-profiler.h>
#include <gperftools/profiler.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pprof_gperf_hooks.h"

/* Guards the start and stop of both profilers, so the "never both" check and the start it
 * allows are one step. */
static pthread_mutex_t profilers = PTHREAD_MUTEX_INITIALIZER;

/* Whether libprofiler is on, whoever started it (ours, or CPUPROFILE at load). */
static bool cpu_running(void)
{
    struct ProfilerState state;
    ProfilerGetCurrentState(&state);
    return state.enabled != 0;
}

const char *go_cpu_profile_start(const char *path)
{
    const char *err = NULL;
    pthread_mutex_lock(&profilers);
    if (cpu_running())
        err = "cpu profiling already in use";
    else if (IsHeapProfilerRunning())
        err = "heap profiling in use";
    else if (!ProfilerStart(path))
        err = "cannot create the CPU profile file";
    pthread_mutex_unlock(&profilers);
    return err;
}

void go_cpu_profile_stop(void)
{
    pthread_mutex_lock(&profilers);
    ProfilerStop();
    pthread_mutex_unlock(&profilers);
}

const char *go_heap_profile_start(const char *prefix)
{
    const char *err = NULL;
    pthread_mutex_lock(&profilers);
    if (IsHeapProfilerRunning())
        err = "heap profiling already in use";
    else if (cpu_running())
        err = "cpu profiling in use";
    else
        HeapProfilerStart(prefix);
    pthread_mutex_unlock(&profilers);
    return err;
}

bool go_heap_profile_write(go_writer w)
{
    /* GetHeapProfile returns a malloc'd string, empty when the profiler is off (and cut at
     * tcmalloc's 1 MB buffer). Not under our lock: it takes the heap profiler's own, and a slow
     * writer must not hold up a stop. */
    char *text = GetHeapProfile();
    size_t n = text != NULL ? strlen(text) : 0;
    bool ok = n > 0 && go_write(w, text, n) == n;
    free(text);
    return ok;
}

void go_heap_profile_stop(void)
{
    pthread_mutex_lock(&profilers);
    if (IsHeapProfilerRunning())
        HeapProfilerStop();
    pthread_mutex_unlock(&profilers);
}

const go__gperf_hooks_t go__gperf_hooks = {
    go_cpu_profile_start, go_cpu_profile_stop, go_heap_profile_start, go_heap_profile_write,
    go_heap_profile_stop,
};
