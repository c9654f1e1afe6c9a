/* os.h - what the runtime asks of Linux: clocks, thread ids, futexes, CPUs.
 *
 * The one file that knows the platform (Go's os_linux.go). Everything here is a leaf: it calls
 * nothing else of the runtime, and nothing here can fail in a way the runtime must handle.
 */
#ifndef GOCURRENT_OS_H
#define GOCURRENT_OS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The kernel's id of the calling thread, and whether the caller is the process's first thread
 * (the one main runs on). */
pid_t go__gettid(void);
bool go__is_main_thread(void);

/* A monotonic clock that is cheap to read (a few ns, not tens) but ticks only every few
 * milliseconds: enough for stamping when a goroutine blocked, which dumps print in minutes and
 * the leak report in milliseconds. (The precise clock is the public go_nanotime.) */
int64_t go__coarse_nanotime(void);

/* Sleeps while *word == expected (or until woken; callers loop), and wakes one sleeper on word:
 * what the runtime's lock and goroutine parking both sleep on. */
void go__futex_wait(atomic_uint *word, unsigned expected);
void go__futex_wake_one(atomic_uint *word);

/* The CPUs the process may run on (its affinity mask when first asked), at least 1; and whether
 * spinning can pay: with one CPU, the goroutine a spinner waits for cannot run meanwhile. */
int go__ncpu(void);
bool go__may_spin(void);

/* The kernel's count of the process's threads (num_threads, field 20 of /proc/self/stat, kept
 * exactly by the kernel), or -1 if it cannot be read. */
long go__thread_count(void);

/* One polite iteration of a spin loop (the CPU's pause instruction). */
void go__cpu_relax(void);

#endif
