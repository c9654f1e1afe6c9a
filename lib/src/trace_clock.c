/* trace_clock.c - the tracer's ticks.
 *
 * The clock is most of an event's cost. CLOCK_MONOTONIC through the vDSO costs 25-40 ns here;
 * the CPU's time-stamp counter (rdtsc) about half that. The counter serves only if it is
 * invariant: it ticks at a constant rate whatever the CPU's frequency and sleep states, and
 * the kernel keeps it in step across CPUs (the constant_tsc and nonstop_tsc flags of
 * /proc/cpuinfo). Go 1.19 used it unchecked and its users saw "time stamps out of order" on
 * machines where it was not (golang/go#16755). Ticks are the counter divided by 64 (about 25
 * ns here, as Go's), so that deltas between events fit a byte or two; CLOCK_MONOTONIC's
 * nanoseconds are divided by 32 likewise. The trace converts ticks to time with two readings
 * of both clocks, at start and at stop (trace_format.h).
 */
#include "trace_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { tsc_shift = 6, ns_shift = 5 };

static bool use_tsc; /* chosen once, before the first trace; read after go__trace_on (acquire) */

static uint64_t monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

#if defined(__x86_64__)
static bool tsc_invariant(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL)
        return false;
    char line[4096];
    bool constant = false, nonstop = false;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "flags", 5) != 0)
            continue;
        constant = strstr(line, " constant_tsc") != NULL;
        nonstop = strstr(line, " nonstop_tsc") != NULL;
        break;
    }
    fclose(f);
    return constant && nonstop;
}

static uint64_t tsc(void)
{
    return __builtin_ia32_rdtsc();
}
#else
static bool tsc_invariant(void)
{
    return false;
}

static uint64_t tsc(void)
{
    return 0;
}
#endif

static void choose(void)
{
    const char *choice = getenv("GOCURRENT_TRACE_CLOCK");
    use_tsc = (choice == NULL || strcmp(choice, "monotonic") != 0) && tsc_invariant();
}

unsigned go__trace_clock_choose(void)
{
    /* Once: a goroutine's last tick (g->trace_tick) must stay comparable from trace to trace. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, choose);
    return use_tsc ? 1 : 0;
}

uint64_t go__trace_ticks(void)
{
    return use_tsc ? tsc() >> tsc_shift : monotonic_ns() >> ns_shift;
}

void go__trace_clock_pair(uint64_t *tick, uint64_t *ns)
{
    /* A thread preempted between the two readings would pair them a whole time slice apart,
     * and every time in the trace would shift: read the clock between two ticks, a few times,
     * and keep the tightest pair. */
    uint64_t best = UINT64_MAX;
    for (int attempt = 0; attempt < 16; attempt++) {
        uint64_t before = go__trace_ticks(), now = monotonic_ns(), after = go__trace_ticks();
        if (after - before < best) {
            best = after - before;
            *tick = before + best / 2;
            *ns = now;
        }
    }
}
