/* runtime.h - what every part of the runtime shares: starting it, dying, and hiding the
 * runtime's bookkeeping from ThreadSanitizer. Not installed.
 *
 * The runtime's files, from the bottom up (each uses only those above it, and any may die):
 *   os_linux.c   clocks, thread ids, futexes, CPUs                          (os.h)
 *   lock.c       the runtime's own lock, for channels                       (lock.h)
 *   g.c          goroutine records, their status, the seam and observers    (g.h)
 *   allg.c       every record, lookups, dumps, the leak report              (allg.h)
 *   waitq.c      waiters and wait queues                                    (waitq.h)
 *   park.c       parking and readying                                       (park.h)
 *   monitor.c    the monitor thread and its timers                          (monitor.h)
 *   deadlock.c   the deadlock detector, an observer of the seam             (deadlock.h)
 *   schedtrace.c GOCURRENT_SCHEDTRACE's periodic report, a monitor tick hook  (schedtrace.h)
 *   panic.c      panics, fatal errors, throws: how a program dies           (runtime.h)
 *   goroutine.c  go(), adopting threads, exit, sleep, starting the runtime  (runtime.h)
 * and on top, the library's Go API: chan.c, select.c, timer.c, sync.c, context.c; and the
 * diagnostics, observers of the seam that the runtime knows nothing of: the tracer, trace*.c
 * (trace_internal.h maps its files), and the profiles, pprof_*.c (pprof_internal.h).
 */
#ifndef GOCURRENT_RUNTIME_H
#define GOCURRENT_RUNTIME_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "gocurrent/private/tsan.h"
#include "gocurrent/private/valgrind.h"
#include "g.h"

/* The runtime's bookkeeping must not synchronise goroutines in ThreadSanitizer's eyes. Go's race
 * detector does not see inside Go's runtime, so only the language's own happens-before edges
 * (the go statement, channel operations, locks, WaitGroup) order goroutines there. Here the list
 * of all goroutines has a lock, taken when one starts and when one ends: TSan would take that
 * for an edge from every goroutine's end to the next one's start, and miss races Go reports.
 * So that lock's regions are hidden from TSan (reads, writes and synchronisation), and the
 * detector's counts and the goroutines' statuses use relaxed atomics, which TSan never treats
 * as synchronisation.
 *
 * Helgrind and DRD are told the same story differently (gocurrent/private/valgrind.h): atomics
 * order nothing for them, so the language's edges are described to them where TSan sees them
 * (the lock, the park word, a ring cell's stamp, select's claim, a mutex), and the bookkeeping
 * words are marked as never to be checked where the runtime makes them (GO__IGNORE_RACES) or,
 * for what has no such place (a statically initialised Once), in valgrind/gocurrent.supp. The
 * lock of the list of all goroutines is a pthread mutex they do see and cannot be told to
 * ignore: to them it orders a goroutine's end before the next one's start. */
#ifdef GO__TSAN_ENABLED
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
void AnnotateIgnoreSyncBegin(const char *file, int line);
void AnnotateIgnoreSyncEnd(const char *file, int line);
#define GO__TSAN_HIDE_BEGIN()                                                                 \
    (AnnotateIgnoreReadsBegin(__FILE__, __LINE__), AnnotateIgnoreWritesBegin(__FILE__, __LINE__), \
     AnnotateIgnoreSyncBegin(__FILE__, __LINE__))
#define GO__TSAN_HIDE_END()                                                                 \
    (AnnotateIgnoreSyncEnd(__FILE__, __LINE__), AnnotateIgnoreWritesEnd(__FILE__, __LINE__), \
     AnnotateIgnoreReadsEnd(__FILE__, __LINE__))
#else
#define GO__TSAN_HIDE_BEGIN() ((void)0)
#define GO__TSAN_HIDE_END() ((void)0)
#endif

/* The runtime starts on first use, not when the program starts: a program that uses only the
 * kit (slices, fmt, the demo harness) starts no thread and reads no /proc. Starting makes the
 * main thread goroutine 1, turns the deadlock detector on (which starts the monitor thread) and
 * arms the leak report. Everything that needs the runtime calls go__runtime_ensure first;
 * go__current does for every blocking operation. */
extern atomic_bool go__runtime_started;
void go__runtime_start(void);
static inline void go__runtime_ensure(void)
{
    if (!atomic_load_explicit(&go__runtime_started, memory_order_acquire))
        go__runtime_start();
}

/* How a program dies (panic.c): flushes stdout, prints "<kind><message>", a blank line and
 * the dumps (`self` first at `where`, if not NULL; every other goroutine if `all`), and exits
 * 2. The first caller wins; later ones wait for the end. Takes no lock a caller may hold. */
_Noreturn void go__die(const char *kind, go__g *self, go_site where, bool all, const char *format, ...)
    __attribute__((format(printf, 5, 6)));

#endif
