/* goroutine.h - goroutines: functions running concurrently on threads the runtime knows.
 *
 *     static void worker(void *arg) { go_chan *results = arg; ... }
 *     go(worker, results);                    // go worker(results)
 *
 * Each goroutine is a pthread started through the library, so the runtime knows it: its id
 * (the main thread is goroutine 1, the others count up from 2), where it was started, and,
 * whenever it blocks in a library operation, why and where. That is what lets the runtime print
 * Go's goroutine dumps and detect a deadlock.
 *
 * As in Go, a goroutine cannot be joined or cancelled: use a channel or a go_wait_group to learn
 * that it finished. When main returns the process exits, whatever other goroutines are doing.
 * A thread the library did not start becomes a goroutine (with a new id) the first time it
 * blocks in a library operation; until then, and whenever it was started (even before main, by
 * a constructor or a shared library), the deadlock detector counts it as a thread that might
 * wake anyone, so it never reports a deadlock while such a thread lives.
 *
 * As Go does, a program whose runtime has started answers `kill -QUIT <pid>` by printing every
 * goroutine's dump ("SIGQUIT: quit", then where each one is blocked) and exiting with status 2,
 * unless the program installed its own SIGQUIT handler first.
 *
 * The runtime starts on first use (the first go(), blocking operation, timer or sleep), not
 * when the program starts: a program that only uses slices starts no thread. (Under
 * ThreadSanitizer it creates and joins one thread before main, so that TSan's own background
 * thread, started then, is known for what it is.)
 *
 * Linux only (futexes, /proc). Limits are the OS's: each goroutine is a thread, so creating one
 * costs what pthread_create costs (tens of microseconds, against Go's fraction of one), and their
 * number is capped by the kernel's thread limits (pid_max, ulimit -u) and by address space, as
 * each has a full thread stack.
 */
#ifndef GOCURRENT_GOROUTINE_H
#define GOCURRENT_GOROUTINE_H

#include <stddef.h>
#include <stdint.h>

#include "panic.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Nanoseconds, as Go's time.Duration. */
typedef int64_t go_duration;
#define GO_NANOSECOND ((go_duration)1)
#define GO_MICROSECOND ((go_duration)1000)
#define GO_MILLISECOND ((go_duration)1000000)
#define GO_SECOND ((go_duration)1000000000)

/* go fn(arg): runs fn(arg) in a new goroutine. The runtime keeps the function's name (for the
 * profiles and the tracer); dumps show where a goroutine blocked and where it was created, as the
 * innermost and outermost lines of Go's. arg is passed as is: it must stay valid until the goroutine is done with it. Failing to
 * create the thread is fatal, as running out of memory is in Go. Returns the goroutine's id. */
#define go(fn, arg) go_start((fn), (arg), #fn, GO_HERE)
int64_t go_start(void (*fn)(void *arg), void *arg, const char *name, go_site where);

/* debug.SetMaxStack: the stack size of goroutines started from now on, in bytes (at least
 * PTHREAD_STACK_MIN); returns the previous size. The default is 1 MiB, not a pthread's 8 MiB:
 * each goroutine reserves its whole stack as address space. A goroutine that overflows it dies
 * as Go's does: "runtime: goroutine stack exceeds N-byte limit", "fatal error: stack overflow"
 * (detected by a guard below the stack; under AddressSanitizer, ASan reports it instead). */
size_t go_set_max_stack(size_t bytes);

/* The calling goroutine's id (runtime.Goid in Go's internals). */
int64_t go_id(void);

/* time.Sleep(d): blocks the calling goroutine for at least d. A sleeping goroutine will wake by
 * itself, so it never counts towards a deadlock. */
#define go_sleep(d) go_sleep_at((d), GO_HERE)
void go_sleep_at(go_duration d, go_site where);

/* What goroutine `id` is doing at this instant, as a dump would say it: "running", or why it is
 * blocked ("chan send", "chan receive (nil chan)", "select", "sleep", "semacquire", ...), or
 * NULL once no goroutine has that id (it returned). The answer may be stale a moment later; it
 * is meant for demos and tests that watch another goroutine block, without timing it. */
const char *go_goroutine_state(int64_t id);

/* Waits until goroutine `id` has stopped running: it blocked in the library, or it returned.
 * Returns why it is blocked, as go_goroutine_state says it, or NULL once it has returned. It
 * looks again and again, yielding the CPU in between, with no timeout: the answer is the
 * goroutine's settled state however fast or loaded the machine is. For demos and tests that
 * must know another goroutine has blocked before they go on, without timing it. */
const char *go_goroutine_settle(int64_t id);

/* Waits until goroutine `id` has returned (Go has no join; for demos and tests, as above).
 * It is not a synchronisation: like looking at a goroutine in Go's debugger, it orders nothing,
 * and ThreadSanitizer sees no happens-before edge from the goroutine's last write to the
 * caller's next read. Reading a result the goroutine wrote is then a data race, in TSan's eyes
 * and in the memory model's. To collect a result, receive it on a channel, or have the
 * goroutine call go_wg_done and go_wg_wait for it: both are the edges Go's memory model names. */
void go_goroutine_wait_returned(int64_t id);

/* runtime.NumGoroutine(): the number of goroutines that exist now, main included. */
int go_num_goroutine(void);

/* The leak report: prints to stderr every goroutine other than the caller that is blocked in
 * the library, where, and for how long (in milliseconds), in the layout of a goroutine dump.
 * Prints nothing if there is none. Goroutines still blocked when a program ends are leaked: in
 * Go as here, nothing ever frees them. Opt-in at exit: when the environment variable
 * GOCURRENT_LEAK_REPORT is set (to anything), the runtime calls this as the program exits. */
void go_report_leaks(void);

/* A monotonic clock in nanoseconds, for measuring durations (time.Now / time.Since). */
int64_t go_nanotime(void);

#ifdef __cplusplus
}
#endif

#endif
