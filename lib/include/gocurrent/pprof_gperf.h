/* pprof_gperf.h - the CPU and heap profiles, from gperftools: Go's pprof.StartCPUProfile and
 * pprof.WriteHeapProfile. Link the target `gocurrent-gperf` (Debian libgoogle-perftools-dev).
 *
 *     const char *err = go_cpu_profile_start("cpu.out");    // pprof.StartCPUProfile(f)
 *     if (err != NULL) ... err is Go's message, e.g. "cpu profiling already in use" ...
 *     ... run the program ...
 *     go_cpu_profile_stop();                                 // pprof.StopCPUProfile()
 *
 * then `go tool pprof -top ./program cpu.out` or `google-pprof --text ./program cpu.out`.
 *
 * These are real profilers, not the library's recorders (pprof.h): libprofiler samples every
 * thread's stack 100 times a second of CPU time (SIGPROF), and tcmalloc's heap profiler records
 * every allocation and free. They are a separate, optional part of the library: its core needs
 * neither, and a program that links this part gets tcmalloc as its malloc.
 *
 * Never both at once: the heap profiler unwinds the stack inside every malloc, so a CPU profile
 * taken meanwhile shows mostly the heap profiler (a third to a half of the samples, measured).
 * Starting one while the other runs is refused. Neither runs under a sanitizer (tcmalloc and the
 * sanitizers both replace malloc): the library is not built there.
 *
 * Each start returns NULL on success, or a message (a static string, as Go's error) saying why
 * not. Thread-safe.
 */
#ifndef GOCURRENT_PPROF_GPERF_H
#define GOCURRENT_PPROF_GPERF_H

#include <stdbool.h>

#include "writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Starts the CPU profile, written by libprofiler to the file at `path` (gperftools' binary
 * format, which both readers read; it carries the memory map). Fails with Go's "cpu profiling
 * already in use" if a CPU profile runs (one of ours, or one the CPUPROFILE environment variable
 * started), "heap profiling in use" if the heap profile runs, or "cannot create the CPU profile
 * file" (libprofiler says which on stderr).
 * Stacks: Debian's libprofiler unwinds with libunwind and drops the sampled function's caller
 * and its caller (gperftools#1526); start the program with TCMALLOC_STACKTRACE_METHOD=generic_fp
 * in its environment for whole stacks (frame pointers needed; for CPU profiles only: tcmalloc's
 * heap profiler records no stacks with it). */
const char *go_cpu_profile_start(const char *path);

/* Stops the CPU profile and completes its file. Does nothing if none runs. */
void go_cpu_profile_stop(void);

/* Starts the heap profile: from now on every allocation and free is recorded, with its stack.
 * tcmalloc also dumps the profile on its own to `prefix`.NNNN.heap each time 1 GB more has been
 * allocated or 100 MB more is in use (unless HEAP_PROFILE_ALLOCATION_INTERVAL=0 and
 * HEAP_PROFILE_INUSE_INTERVAL=0 were in the environment when the program started). Fails with
 * "heap profiling already in use" or "cpu profiling in use". */
const char *go_heap_profile_start(const char *prefix);

/* pprof.WriteHeapProfile(w): writes the heap profile recorded so far to w, as tcmalloc's text
 * (`heap profile: ... @ heapprofile`, then the memory map), which both readers read. It holds
 * the four values Go's heap profile has: in-use space and objects (what is still allocated) and
 * allocated space and objects (everything since the start), shown with `go tool pprof
 * -sample_index=inuse_space|inuse_objects|alloc_space|alloc_objects` (google-pprof:
 * --inuse_space, --alloc_space, ...). Returns false if the heap profile is not running or w
 * failed to take every byte. */
bool go_heap_profile_write(go_writer w);

/* Stops the heap profile and forgets what it recorded. Does nothing if none runs. */
void go_heap_profile_stop(void);

#ifdef __cplusplus
}
#endif

#endif
