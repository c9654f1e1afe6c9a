/* runtime.h - the runtime's private core: goroutine records, parking, wait queues and the
 * scheduler counts the deadlock detector reads. Not installed; the library's .c files share it.
 *
 * Blocking follows Go's runtime (runtime/proc.go gopark/goready, runtime/chan.go): a goroutine
 * that must wait puts a waiter record (Go's sudog) on the queue of what it waits for while
 * holding that object's lock, commits to parking, releases the lock, and sleeps on its own
 * private semaphore. Whoever completes its operation (a sender for a waiting receiver, close,
 * a WaitGroup reaching zero) takes the waiter off the queue under the same lock, fills in the
 * result, and readies exactly that goroutine. Nobody waits on a shared condition variable.
 */
#ifndef GOCURRENT_RUNTIME_H
#define GOCURRENT_RUNTIME_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "gocurrent/goroutine.h"
#include "gocurrent/panic.h"
#include "gocurrent/sync.h"

/* The runtime's bookkeeping must not synchronise goroutines in ThreadSanitizer's eyes. Go's race
 * detector does not see inside Go's runtime, so only the language's own happens-before edges
 * (the go statement, channel operations, locks, WaitGroup) order goroutines there. Here the list
 * of all goroutines has a lock, taken when one starts and when one ends: TSan would take that
 * for an edge from every goroutine's end to the next one's start, and miss races Go reports.
 * So that lock's regions are hidden from TSan (reads, writes and synchronisation), and the
 * scheduler's counts and the wait reasons use relaxed atomics, which TSan never treats as
 * synchronisation. */
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

/* Why a goroutine is blocked, printed in dumps exactly as Go 1.19 prints it. */
typedef enum go__wait_reason {
    GO__WAIT_NONE, /* running: not blocked in the library */
    GO__WAIT_RUNNABLE, /* readied by another goroutine, not yet running again */
    GO__WAIT_CHAN_SEND,
    GO__WAIT_CHAN_RECEIVE,
    GO__WAIT_CHAN_SEND_NIL,
    GO__WAIT_CHAN_RECEIVE_NIL,
    GO__WAIT_SELECT,
    GO__WAIT_SELECT_NO_CASES,
    GO__WAIT_SLEEP,
    GO__WAIT_SEMACQUIRE, /* WaitGroup.Wait, Mutex.Lock: Go 1.19 prints "semacquire" for both */
} go__wait_reason;

const char *go__wait_reason_string(go__wait_reason reason);

typedef struct go__g go__g;

/* A goroutine. Owned by the runtime; freed when the goroutine's thread ends. */
struct go__g {
    int64_t id;
    const char *func;    /* the function it runs ("main" for goroutine 1) */
    go_site created_by;  /* where go() started it; func is NULL for main and adopted threads */
    pid_t tid;           /* the kernel's id of its thread, to tell known threads from foreign */
    void (*fn)(void *arg);
    void *arg;
    uint64_t rand_state; /* select's random choice, per goroutine so it needs no lock */

    /* What it is blocked in, for dumps. Written only by the goroutine itself: the reason last,
     * with release order, so that a reader who sees a reason sees its site (go__set_wait). */
    _Atomic int wait_reason; /* a go__wait_reason */
    _Atomic(const char *) wait_func;
    _Atomic(const char *) wait_file;
    atomic_int wait_line;
    _Atomic int64_t wait_since; /* go__coarse_nanotime() when it blocked */

    /* The private semaphore (sched.c): PARK_IDLE, PARK_READY or PARK_SLEEPING, and a futex. */
    atomic_uint park_word;

    /* A select's waiters are on several queues; the first waker to flip this from 0 to 1 owns
     * the wake-up, the others skip the waiter (Go's g.selectDone). */
    atomic_int select_done;

    go__g *all_next; /* the list of all goroutines, for dumps */
};

/* The calling thread's goroutine, making one for a thread the library did not start. */
go__g *go__current(void);
/* The calling thread's goroutine, or NULL for a thread that has none (the monitor's). */
go__g *go__current_if_any(void);

/* Records (or clears, with GO__WAIT_NONE) why and where g is blocked, for dumps. Only g itself
 * calls it (go__ready also marks it runnable). go__get_wait reads them back from any thread: a
 * snapshot, consistent except that a goroutine blocking again at that moment may show its old
 * site with its new reason. Relaxed: looking at a goroutine is not synchronising with it. */
void go__set_wait(go__g *g, go__wait_reason reason, go_site where);
go__wait_reason go__get_wait(go__g *g, go_site *where, int64_t *since);

/* The list of all goroutines (allg.c). */
void go__allg_add(go__g *g);
void go__allg_remove(go__g *g);

/* Whether a thread the runtime did not start, and does not know as a sanitizer's or its own,
 * is alive: such a thread might still send on a channel, so its existence rules a deadlock out.
 * Reads /proc/self/task; if that cannot be read, answers true (never a false report). */
bool go__foreign_threads_exist(void);
/* Notes the threads alive now, other than goroutines, as the runtime's and sanitizers' own. */
void go__threads_note_baseline(void);

/* The scheduler's counts (sched.c): a goroutine started or adopted, a goroutine ended. */
void go__sched_start(void);
void go__sched_exit(void);

/* A waiter on a wait queue: Go's sudog. Lives on the waiting goroutine's stack. */
typedef struct go__waiter {
    go__g *g;
    void *elem;          /* a channel op's value: source for a send, destination for a receive */
    bool success;        /* set by the waker: the operation happened (false: woken by close) */
    bool is_select;      /* one of several waiters of a select: claim it through g->select_done */
    int case_index;      /* for a select: which case this waiter stands for */
    bool fired;          /* set by the waker on the one waiter it completed or closed */
    bool retry;          /* ...or woke to try again: a buffered channel has a value, or room */
    struct go__waiter *next, *prev;
} go__waiter;

void go__waitq_push(go__waitq *q, go__waiter *w);
/* Takes the first waiter that can be woken, skipping select waiters another waker claimed.
 * Returns NULL if there is none. */
go__waiter *go__waitq_pop(go__waitq *q);
/* Removes w if it is still queued (a select cleaning up the cases that did not fire). */
void go__waitq_remove(go__waitq *q, go__waiter *w);

/* Parking, in two steps because the waiter must be queued and counted before the lock that
 * guards the queue is released, but must sleep only after:
 *
 *     lock(object); go__waitq_push(&object->queue, &w);
 *     go__park_commit(g, reason, where);
 *     unlock(object);
 *     go__park(g);
 *
 * go__park_commit records why and where g blocks and counts it as parked; go__park then sleeps
 * until go__ready(g), checking first whether every goroutine is now parked (a deadlock). */
void go__park_commit(go__g *g, go__wait_reason reason, go_site where);
void go__park(go__g *g);

/* Wakes a parked (or committed) goroutine. Called by the waker, after it took g's waiter off
 * its queue; it un-counts g as parked at once, so the detector never sees a woken goroutine as
 * still asleep. */
void go__ready(go__g *g);

/* Timers that can still fire keep a program from being deadlocked: a goroutine may be waiting
 * for one. The timer code counts them here. */
void go__timers_pending_add(int delta);

/* A timer of the monitor thread (monitor.c): after d, and then every `period` if that is not
 * 0, the monitor calls fire(t, now) on its own thread with the timer lock held, so fire must
 * not block nor start or stop timers. Embed a go__timer in a larger struct to give fire its
 * context; it must stay valid until it has fired for the last time or been stopped. */
typedef struct go__timer go__timer;
struct go__timer {
    int64_t when;
    go_duration period;
    void (*fire)(go__timer *t, int64_t now);
    size_t index; /* in the heap */
    bool in_heap;
};
void go__timer_start(go__timer *t, go_duration d, go_duration period);
/* Stops t. Returns true if it had not fired (a periodic timer: had not been stopped). */
bool go__timer_stop(go__timer *t);

/* Checks for a deadlock and, if every goroutine is parked with nothing left to wake them,
 * prints Go's fatal error and dump and exits 2. Called after every park, and
 * periodically by the monitor thread. */
void go__check_deadlock(void);

/* Writes goroutine dumps to stderr as Go's traceback does: `self` (if not NULL) first, shown
 * running at `where`; then, if `all`, every other goroutine in order of id. */
void go__dump_goroutines(go__g *self, go_site where, bool all);

/* "fatal error: all goroutines are asleep - deadlock!", every goroutine's dump, exit 2. */
_Noreturn void go__report_deadlock(void);

/* Sets up parking for the CPUs the process may use (called once, at start). */
void go__sched_init(void);

/* Whether spinning can pay: another CPU may be running the goroutine we wait for. */
bool go__may_spin(void);
/* One polite iteration of a spin loop (the CPU's pause instruction). */
void go__cpu_relax(void);

/* The monitor thread (timers and the periodic deadlock check), started with the runtime. */
void go__monitor_start(void);
pid_t go__monitor_tid(void);

pid_t go__gettid(void);

/* A monotonic clock that is cheap to read (a few ns, not tens) but ticks only every few
 * milliseconds: what every park can afford for stamping when a goroutine blocked, which the
 * leak report prints in milliseconds. */
int64_t go__coarse_nanotime(void);

#endif
