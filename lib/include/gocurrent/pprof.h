/* pprof.h - profiles that pprof reads: Go's runtime/pprof for the library's goroutines.
 *
 *     go_set_block_profile_rate(1);                  // runtime.SetBlockProfileRate(1)
 *     ... run the program ...
 *     FILE *f = fopen("block.out", "w");
 *     go_profile_write("block", go_file_writer(f), 0);   // pprof.Lookup("block").WriteTo(f, 0)
 *     fclose(f);
 *
 * then `go tool pprof -top block.out` or `google-pprof --text ./program block.out`.
 *
 * The profiles, as Go's (runtime/pprof):
 *   block         where goroutines blocked waiting: channel send and receive, select, WaitGroup,
 *                 Mutex, RWMutex and Once (not sleep). Charged to the blocked goroutine's stack,
 *                 in nanoseconds blocked and number of waits. Off until go_set_block_profile_rate.
 *   mutex         contended Mutex and RWMutex (and Once): the time waiters waited, charged to
 *                 the stack of the goroutine whose unlock woke them, as Go charges it: what to
 *                 shorten is the critical section that unlock ends. Off until
 *                 go_set_mutex_profile_fraction.
 *   goroutine     every live goroutine, and its stack.
 *   threadcreate  the stacks that started OS threads: every go() starts one, where Go would
 *                 reuse its few threads. Off until go_set_threadcreate_profile.
 * Block, mutex and threadcreate count from when they are turned on until the program ends (Go's
 * are never reset either); turning one off keeps what it has, turning it on again adds to it.
 *
 * Stacks are return addresses, found by following frame pointers: cheap (well under a
 * microsecond per event) but only as complete as the frame pointers are. The library is built
 * with -fno-omit-frame-pointer; build your program with it too, or stacks stop at the first
 * function without one. The recorder never looks up names: the readers do, from the program's
 * memory map, which every file carries, and the program's symbols (build with -g for lines).
 * Go 1.19's pprof names fewer functions than google-pprof in a gcc -O2 program: main (moved to
 * .text.startup) and gcc's specialised copies (f.constprop.0, f.isra.0, f.part.0) show as
 * [program]; -fno-reorder-functions -fno-ipa-cp -fno-ipa-sra -fno-partial-inlining keeps them
 * nameable (the workbook builds this way), and a function inlined in some callers needs noinline.
 * At most 32 frames of a stack are kept, and at most a few thousand distinct stacks per profile;
 * events beyond that are counted as "discarded samples".
 *
 * Cost when a profile is off: nothing beyond the one branch every goroutine status change
 * already has (the recorder is an observer of the runtime, registered only while a profile is on).
 * The goroutine profile, which like Go's is never off, costs every wait (and every system call of
 * syscall.h) one walk of the waiting goroutine's stack: about 20 ns, against the hundreds of a
 * channel handoff (bench/README.md).
 */
#ifndef GOCURRENT_PPROF_H
#define GOCURRENT_PPROF_H

#include <stdbool.h>

#include "panic.h"
#include "writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* runtime.SetBlockProfileRate(rate): rate <= 0 turns the block profile off (the default); 1
 * records every blocking event; N > 1 records every event that blocked at least N nanoseconds
 * and a shorter one of d ns with probability d/N, counted as N/d events of N ns each so that
 * totals stay unbiased (Go's sampling). */
void go_set_block_profile_rate(int rate);

/* runtime.SetMutexProfileFraction(rate): rate 0 turns the mutex profile off (the default); 1
 * records every contention event; N > 1 records one in N on average, and the file says so
 * (`sampling period=N`), so the readers scale counts and delays back up. A negative rate only
 * reads. Returns the previous rate. */
int go_set_mutex_profile_fraction(int rate);

/* Turns the threadcreate profile on or off (off by default: Go records its threads always, but
 * here every go() makes one, and recording costs a stack walk on each). */
void go_set_threadcreate_profile(bool on);

/* pprof.Lookup(name).WriteTo(w, debug): writes the profile `name` ("block", "mutex",
 * "goroutine", "threadcreate") to w. Returns false for an unknown name or if w fails to take
 * every byte. Formats, chosen for what each reader accepts:
 *   block, mutex   the legacy contention text (`--- contention:`, delays in ns, return
 *                  addresses, the memory map), read by go tool pprof and google-pprof; any debug.
 *   goroutine      debug 0: profile.proto, uncompressed, read by go tool pprof (google-pprof
 *                  has no goroutine profile): every goroutine's stack as return addresses, with
 *                  the memory map, for pprof to name, and its state as the label "state". Each
 *                  goroutine walks its own stack (frame pointers, at most 32 frames) whenever it
 *                  begins to wait or enters a system call, so a waiting goroutine's stack is
 *                  whole, down to the wait inside the library (go_chan_recv, go_mutex_lock_at,
 *                  ...), as Go's shows runtime.gopark; the caller's is walked from
 *                  go_profile_write_at. A goroutine running or runnable on another thread
 *                  cannot be walked from here: its stack is one frame, named, without an
 *                  address: the function it was started with ("main" for goroutine 1).
 *                  debug 1: the same, aggregated, as Go's text for people: `goroutine profile:
 *                  total N`, then per distinct stack (most goroutines first) `COUNT @ 0x...`,
 *                  `# labels: {"state":"..."}` and a line per frame, `#  0xADDR  func+0xOFF
 *                  file:line`, named in the process from the program's symbols and DWARF lines
 *                  when the library was built with libdw (Debian libdw-dev; otherwise the
 *                  address alone). The first call reads the program's debug information (tens
 *                  of milliseconds); later ones reuse it. Where the environment sets
 *                  DEBUGINFOD_URLS, libdw may also ask those servers for the debug information
 *                  of libraries that lack it (libc's): unset it to keep profiles offline.
 *                  debug 2: every goroutine as the deadlock detector and panics print them.
 *   threadcreate   the legacy count text (`threadcreate profile: total N`, return addresses,
 *                  the memory map), read by go tool pprof; any debug.
 * The profile is a snapshot: recording goes on meanwhile. Call with no lock of the library's
 * held. */
#define go_profile_write(name, w, debug) go_profile_write_at((name), (w), (debug), GO_HERE)
bool go_profile_write_at(const char *name, go_writer w, int debug, go_site where);

#ifdef __cplusplus
}
#endif

#endif
