/* os_linux.c - the runtime's platform layer on Linux (os.h). */
#define _GNU_SOURCE /* syscall(2), sched_getaffinity */
#include "os.h"

#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "gocurrent/goroutine.h"
#include "gocurrent/private/valgrind.h"

pid_t go__gettid(void)
{
    return (pid_t)syscall(SYS_gettid);
}

bool go__is_main_thread(void)
{
    return go__gettid() == getpid();
}

static int64_t read_clock(clockid_t clock)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (int64_t)now.tv_sec * GO_SECOND + now.tv_nsec;
}

int64_t go_nanotime(void)
{
    return read_clock(CLOCK_MONOTONIC);
}

int64_t go__coarse_nanotime(void)
{
    return read_clock(CLOCK_MONOTONIC_COARSE);
}

void go__futex_wait(atomic_uint *word, unsigned expected)
{
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

void go__futex_wake_one(atomic_uint *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

bool go__on_valgrind;

#ifdef GO__VALGRIND_ENABLED
/* Before main, and so before any thread the library could describe to Valgrind. */
__attribute__((constructor)) static void detect_valgrind(void)
{
    go__on_valgrind = RUNNING_ON_VALGRIND;
}
#endif

/* Read once: the runtime sizes its parking policy by it. (A program that pins itself to fewer
 * CPUs later, as bench/chanbench does, re-executes itself so that the runtime sees the pin.) */
static atomic_int ncpu;

int go__ncpu(void)
{
    int n = atomic_load_explicit(&ncpu, memory_order_relaxed);
    if (n == 0) {
        cpu_set_t cpus;
        n = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
        /* Threads may race to fill it in, harmlessly: not for Helgrind and DRD to check. Each
         * store follows this, so no access they could see conflicts with another. */
        GO__IGNORE_RACES(&ncpu, sizeof ncpu);
        atomic_store_explicit(&ncpu, n, memory_order_relaxed);
    }
    return n;
}

bool go__may_spin(void)
{
    return go__ncpu() > 1;
}

void go__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

long go__thread_count(void)
{
    FILE *f = fopen("/proc/self/stat", "r");
    if (f == NULL)
        return -1;
    char line[1024];
    bool read = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    /* The command name (field 2) is in parentheses and may hold anything: skip past the last
     * ')', then field 3 (state) through field 19, to field 20. */
    char *p = read ? strrchr(line, ')') : NULL;
    long n = -1;
    if (p == NULL || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %ld",
                            &n) != 1)
        return -1;
    return n;
}
