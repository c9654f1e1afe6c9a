/* wakeup - how long does it take the kernel to wake a thread sleeping on a futex?
 *
 * usage: wakeup [--quick]
 *
 * The figure behind gocurrent's parking policy (lib/src/park.c): a goroutine that must wait
 * stays awake for a while (spinning, then yielding its CPU) before it sleeps, because a sleeping
 * thread is slow to wake. This program measures how slow, with plain threads and no library:
 * a waker stores a timestamp and wakes a thread blocked in futex(FUTEX_WAIT); the woken thread
 * takes the difference when it runs again. The waker idles between wake-ups (the gap), so the
 * sleeper's CPU has gone idle, as it has when a goroutine waits for a slow partner. It prints the
 * percentiles of the latency for a few gaps. On bare metal expect a few microseconds; in a
 * virtual machine an idle virtual CPU may take tens of microseconds or more to come back.
 */
#define _GNU_SOURCE /* syscall(SYS_futex) */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The handshake: the waker sets `word` to 1 and wakes; the sleeper records, then sets it to 0. */
typedef struct trial {
    atomic_uint word;
    _Atomic int64_t woken_at_ns; /* when the waker called futex wake */
    int64_t *latencies;
    int count;
} trial;

static void *sleeper(void *arg)
{
    trial *t = arg;
    for (int i = 0; i < t->count; i++) {
        while (atomic_load(&t->word) == 0)
            syscall(SYS_futex, &t->word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
        t->latencies[i] = now_ns() - atomic_load(&t->woken_at_ns);
        atomic_store(&t->word, 0);
    }
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void measure(int gap_us, int count)
{
    trial t = {.latencies = calloc((size_t)count, sizeof(int64_t)), .count = count};
    pthread_t thread;
    if (t.latencies == NULL || pthread_create(&thread, NULL, sleeper, &t) != 0) {
        fprintf(stderr, "wakeup: cannot start the sleeping thread\n");
        exit(1);
    }
    for (int i = 0; i < count; i++) {
        usleep((useconds_t)gap_us);
        while (atomic_load(&t.word) != 0) /* the sleeper has not finished the last round */
            usleep(10);
        atomic_store(&t.woken_at_ns, now_ns());
        atomic_store(&t.word, 1);
        syscall(SYS_futex, &t.word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    }
    pthread_join(thread, NULL);
    qsort(t.latencies, (size_t)count, sizeof(int64_t), by_value);
#define PCT(p) ((double)t.latencies[(count - 1) * (p) / 100] / 1000.0)
    printf("%8d %10.1f %10.1f %10.1f %10.1f\n", gap_us, PCT(10), PCT(50), PCT(90), PCT(99));
#undef PCT
    free(t.latencies);
}

int main(int argc, char **argv)
{
    bool quick = argc == 2 && strcmp(argv[1], "--quick") == 0;
    if (argc > 2 || (argc == 2 && !quick)) {
        fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
        return 2;
    }
    int count = quick ? 20 : 2000;
    printf("futex wake-up latency, microseconds, %d wake-ups per row\n", count);
    printf("%8s %10s %10s %10s %10s\n", "gap(us)", "p10", "median", "p90", "p99");
    static const int gaps_us[] = {20, 100, 1000};
    for (size_t i = 0; i < sizeof gaps_us / sizeof gaps_us[0]; i++)
        measure(gaps_us[i], count);
    return 0;
}
