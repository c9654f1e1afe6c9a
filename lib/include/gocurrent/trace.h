/* trace.h - the execution tracer: Go's runtime/trace in C.
 *
 *     if (go_trace_start_file("trace.out") != 0) ...   // trace.Start(f)
 *     ... the program runs ...
 *     go_trace_stop();                                 // trace.Stop()
 *
 * While tracing, the runtime records every change of every goroutine's state: its creation
 * (by whom, to run what, from which go statement), each start and resumption, each block (why:
 * a channel send or receive, select, sleep, a Mutex, RWMutex or WaitGroup, the network; on
 * which object; at which line) and who unblocked it, its system calls, and its end. System
 * calls and network waits are those made through syscall.h's wrappers (go_read, go_net_read,
 * ...): a plain read(2) looks like running, to the tracer as to Go's for cgo calls. Each timer
 * that fires (a go_sleep ending, a go_after or ticker tick, a context's deadline) is an event
 * too, followed by the wake-ups it makes: who readied whom, when no goroutine did. Goroutines alive when tracing starts are
 * recorded with their state then. Every 100 ms it records counters: goroutines by state,
 * threads, and heap bytes in use (malloc's, C's stand-in for Go's heap rows). A program adds
 * its own structure with tasks, regions and logs, as with Go's trace.NewTask, trace.WithRegion
 * and trace.Log.
 *
 * Each thread records into a buffer of its own, with no lock, so an event costs a few tens of
 * nanoseconds and a few bytes; buffers are written out as they fill and at stop. When tracing
 * is off the runtime pays one predictable branch per change of state. The file's format is
 * versioned and documented in the library's source, lib/src/trace_format.h, for the tools that
 * read it.
 *
 * Errors are returned as Go returns an error: 0 for success, else an errno value, which
 * go_trace_strerror turns into a message. Starting while tracing is EBUSY, whose message is
 * Go's: "tracing is already enabled".
 */
#ifndef GOCURRENT_TRACE_H
#define GOCURRENT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* trace.Start(w): starts tracing into the file descriptor fd (a file, a pipe, a socket), which
 * stays the caller's: stop does not close it. Starts the runtime if it has not started.
 * Returns 0; EBUSY if tracing is already enabled; ENOSYS if the kernel lacks what stop needs
 * (membarrier(2)); or the errno of writing the file's header. Safe to call from any thread. */
int go_trace_start(int fd);

/* Starts tracing into a new file at path (created or truncated, mode 0666 less the umask),
 * which stop closes. Returns as go_trace_start does, or the errno of open(2). */
int go_trace_start_file(const char *path);

/* trace.Stop(): stops tracing, writes out every thread's buffer and the trace's end, and
 * closes the file if go_trace_start_file opened it. (Stops the flight recorder too, below,
 * letting what it holds go.) Callable from any thread at any moment,
 * while other goroutines run: whatever they recorded before stop is written whole, and nothing
 * after. Returns 0; or the errno of the first write that failed during the trace (then the
 * trace's end counts the events lost), or of close(2). Does nothing and returns 0 if tracing is
 * off. */
int go_trace_stop(void);

/* trace.IsEnabled(): whether tracing is on (a snapshot: another thread may stop it). */
bool go_trace_is_enabled(void);

/* The message for an error of go_trace_start or go_trace_stop: Go's "tracing is already
 * enabled" for EBUSY, strerror's text otherwise. A static string. */
const char *go_trace_strerror(int err);

/* ---- The flight recorder ---- */

/* Go 1.25's trace.FlightRecorder: records as tracing does, but keeps the trace in memory,
 * only its newest part, and writes it out on demand: when a request was slow, when a check
 * failed, when the program is about to die.
 *
 *     go_trace_flight_start(8 << 20);        // keep about the last 8 MiB of events
 *     ...
 *     if (took > 300 * GO_MILLISECOND)        // something went wrong just now:
 *         go_trace_flight_write(fd);          //   what led up to it, as a trace file
 *     ...
 *     go_trace_stop();                        // stops it; what it holds is let go
 *
 * Starts the flight recorder, keeping the newest max_bytes of events (whole 32 KiB batches,
 * so up to one batch more, and at least each thread's latest). While it runs, tracing is on
 * (go_trace_is_enabled; a go_trace_start is EBUSY, as is a second flight recorder); the cost
 * per event is tracing's, plus a copy of each full buffer into memory. Returns 0; EBUSY if
 * tracing is on; EINVAL if max_bytes is 0; ENOSYS as go_trace_start. go_trace_stop stops it. */
int go_trace_flight_start(size_t max_bytes);

/* FlightRecorder.WriteTo: writes what the flight recorder holds to fd (which stays the
 * caller's) as a trace file that gotrace reads like any other: the newest events up to now,
 * and every goroutine alive, in the state it has been in since the window began if it did
 * nothing since. Recording pauses while it writes (events of that moment are not recorded)
 * and starts again into an empty window: unlike Go's, a second write holds only what came
 * after the first. Safe from any goroutine at any moment. Returns 0; EINVAL if the flight
 * recorder is not running; or the errno of writing. */
int go_trace_flight_write(int fd);

/* ---- Tasks, regions, logs ---- */

/* trace.NewTask: begins a task named `name` (what the task is, e.g. "makeCappuccino"), a child
 * of task `parent` (0: none), and returns its id, never 0. Ids are made whether or not tracing
 * is on, so code need not care; the task is recorded only if it is. name is copied (cut at 200
 * bytes). */
uint64_t go_trace_new_task(uint64_t parent, const char *name);

/* task.End(): ends task `task`. */
void go_trace_end_task(uint64_t task);

/* trace.Log: records message under category (either may be ""), attached to task (0: none).
 * Both are copied (the category cut at 200 bytes, the message at 1000). go_trace_logf formats
 * the message as printf does. */
void go_trace_log(uint64_t task, const char *category, const char *message);
void go_trace_logf(uint64_t task, const char *category, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* A region: a stretch of one goroutine's time, with a name, in a task. Regions of a goroutine
 * nest; end each on the goroutine that started it, innermost first. */
typedef struct go_trace_region {
    uint64_t task;
    const char *name;
} go_trace_region;

/* trace.StartRegion: begins a region named `name` in task (0: none) on the calling goroutine
 * and returns it for go_trace_end_region. name must stay valid until the region ends. */
go_trace_region go_trace_start_region(uint64_t task, const char *name);

/* region.End(): ends the calling goroutine's innermost region, r. */
void go_trace_end_region(go_trace_region r);

/* trace.WithRegion: runs fn(arg) inside a region named `name` of task. */
void go_trace_with_region(uint64_t task, const char *name, void (*fn)(void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif
