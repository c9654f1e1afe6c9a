/* g.h - goroutine records, and the seam that every change of a goroutine's status passes.
 *
 * A goroutine is a go__g record bound to one thread. Its status is Go's (runtime/runtime2.go),
 * and it changes in one place only, go__transition, as Go's changes in casgstatus:
 *
 *                          start/resume (itself)
 *     IDLE/DEAD --create--> RUNNABLE ------------> RUNNING --exit (itself)--> DEAD
 *     (by its creator)        ^                      |  |  ^
 *     IDLE/DEAD --adopt (itself)-------------------->+  |  |
 *                             |         park (itself)   |  | leave syscall (itself)
 *                             +-- ready (its waker) --- WAITING    SYSCALL
 *                                                       (reason, site, object)
 *
 *   create   go() makes a record for a new thread; the thread then starts itself.
 *   adopt    a thread the runtime did not start (main, or a foreign thread calling in) gets one.
 *   park     the goroutine commits to waiting, holding the lock of what it waits on (park.h).
 *   ready    whoever completes its operation (a sender for a receiver, close, an unlock, a
 *            timer on the monitor thread) makes it runnable again; exactly one waker does.
 *   resume   it runs again after a wake-up, on its own thread.
 *   exit     its thread ends; the record is kept for reuse (never freed, as Go's are not), so
 *            a dump may walk the list of records without a lock. (From RUNNABLE: the thread
 *            could not be created, and the program is about to die of it.)
 * SYSCALL is Go's status for a goroutine in a blocking system call; the wrappers of syscall.h
 * enter and leave it. A network wait (syscall.h) is a park whose waker is the goroutine's own
 * thread, back from poll(2): the one thread allowed to change its status then.
 *
 * Invariants:
 *   - status is written only by go__transition, and only along the arrows above.
 *   - a goroutine leaves RUNNING, RUNNABLE and SYSCALL only by its own hand; it leaves WAITING
 *     only by its waker's, exactly once per park. So status needs no lock: the one thread
 *     allowed to change it at any moment is known.
 *   - the wait (reason, site, object, since) is written by the goroutine before it becomes
 *     WAITING and stays until it waits again; so is its stack (stack_pcs), also on entering
 *     SYSCALL.
 * Other threads (dumps, the deadlock detector) read status and wait with relaxed loads: a
 * snapshot, as Go's traceback of a running program is. Relaxed on purpose: looking at a
 * goroutine must not synchronise with it in ThreadSanitizer's eyes (runtime.h).
 *
 * Observers. Whatever wants to know of goroutines' lives (the deadlock detector, the profiles,
 * the tracer) registers an observer, and go__transition tells it of every change. With none
 * registered the seam costs one predictable branch. An observer is called on the thread making
 * the change, sometimes with the lock of a channel or mutex held: it must not block, nor call
 * back into channels or sync.
 */
#ifndef GOCURRENT_G_H
#define GOCURRENT_G_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "gocurrent/goroutine.h"
#include "gocurrent/panic.h"
#include "checks.h"
#include "os.h"

typedef enum go__status {
    GO__IDLE,     /* a fresh record, never used */
    GO__RUNNABLE, /* created or readied, not yet running on its thread */
    GO__RUNNING,
    GO__SYSCALL,  /* in a blocking system call */
    GO__WAITING,  /* parked: see its wait reason */
    GO__DEAD,     /* its thread ended; the record waits for reuse */
} go__status;

/* Why a goroutine waits, printed in dumps exactly as Go 1.19 prints it. */
typedef enum go__wait_reason {
    GO__WAIT_NONE,
    GO__WAIT_CHAN_SEND,
    GO__WAIT_CHAN_RECEIVE,
    GO__WAIT_CHAN_SEND_NIL,
    GO__WAIT_CHAN_RECEIVE_NIL,
    GO__WAIT_SELECT,
    GO__WAIT_SELECT_NO_CASES,
    GO__WAIT_SLEEP,
    /* The sync package's waits, told apart for the profiles and the tracer; dumps print them
     * all as Go 1.19 does, "semacquire". */
    GO__WAIT_MUTEX,       /* Mutex.Lock (and Once.Do, which locks one) */
    GO__WAIT_RWMUTEX_R,   /* RWMutex.RLock */
    GO__WAIT_RWMUTEX_W,   /* RWMutex.Lock */
    GO__WAIT_WAIT_GROUP,  /* WaitGroup.Wait */
    /* A network wait (syscall.h), Go's "IO wait": readied by the poller, not by a goroutine. */
    GO__WAIT_NETWORK,
} go__wait_reason;

typedef struct go__g go__g;

enum { GO__G_STACK_DEPTH = 32 }; /* frames of a goroutine's stack kept for its profile */

struct go__g {
    int64_t id;
    _Atomic int status; /* a go__status: written by go__transition only */

    /* The wait: what it waits for, where, on what object, and since when (the coarse clock,
     * for dumps). Written by the goroutine itself before it becomes WAITING. */
    _Atomic int wait_reason; /* a go__wait_reason */
    _Atomic(const char *) wait_func;
    _Atomic(const char *) wait_file;
    atomic_int wait_line;
    _Atomic(const void *) wait_object;
    _Atomic int64_t wait_since;
    /* Precise times of the last wait, stamped only while an observer wants them (Go's sudog
     * acquiretime/releasetime): when it began waiting (0: not stamped), and when its waker
     * readied it. Block time is released_at - wait_start, the wake-up latency the time from
     * released_at to the resume. Written by the goroutine, then by its waker, then read by the
     * goroutine after the wake-up: the park word orders them. */
    int64_t wait_start;
    int64_t released_at;
    /* The tracer's timestamp of its last event (trace_events.c), so that an event about it made
     * on another thread (its waker's unblock) is stamped later than the one before (its block).
     * Written, like status, only by the thread allowed to change its status. */
    uint64_t trace_tick;

    const char *func;   /* the function it runs, for observers ("main" for goroutine 1) */
    go_site created_by; /* where go() started it; func is NULL for main and adopted threads */
    pid_t tid;          /* its thread's kernel id while it lives, 0 once dead */
    void (*fn)(void *arg);
    void *arg;
    uint64_t rand_state; /* select's random choice, per goroutine so it needs no lock */

    /* Its stack (return addresses, innermost first) as it was when it last began to wait or
     * entered a system call, for the goroutine profile: walked by the goroutine itself on the
     * way (pprof_stack.c), so that a profile shows other goroutines' whole stacks. A seqlock:
     * stack_seq is odd while the goroutine rewrites the stack, so a reader can tell a torn copy
     * (go__stack_saved). */
    atomic_uint stack_seq;
    /* The frame of the function its thread began with (goroutine.c), where a walk of its stack
     * ends, as Go's ends at goexit: what lies below (libc's thread start, a sanitizer's) says
     * nothing about the program. NULL for an adopted thread: its walk goes to the end. */
    const void *entry_frame;
    atomic_int stack_depth;
    _Atomic uintptr_t stack_pcs[GO__G_STACK_DEPTH];

    /* The private semaphore it sleeps on when parked (park.c). */
    atomic_uint park_word;
    /* A select's waiters are on several queues; the first waker to flip this from 0 to 1 owns
     * the wake-up, the others skip the waiter (Go's g.selectDone). */
    atomic_int select_done;

    _Atomic(go__g *) all_next; /* every record ever made (allg.c) */
    go__g *free_next;          /* dead records, for reuse (allg.c) */
};

/* ---- Observers ---- */

/* One change of status, as an observer is told of it. */
typedef struct go__event {
    go__g *g;
    go__status from, to;
    go__wait_reason reason; /* the wait begun (to WAITING) or ended (from WAITING) */
    go_site site;           /* the wait's site (WAITING); the go statement (creation) */
    const void *object;     /* what it waits on: a channel, a mutex, a WaitGroup; or NULL */
    go__g *by;              /* who made the change if not g itself: its creator, its waker;
                             * NULL for the runtime (a timer) or a thread that is not a
                             * goroutine */
} go__event;

typedef struct go__observer {
    void (*observe)(const go__event *e);
    bool wants_times; /* stamp g->wait_start and g->released_at while this one is on */
} go__observer;

/* Turns an observer on or off. At most GO__MAX_OBSERVERS at once (too many is fatal). The
 * observer must stay valid forever (a static object): a change already under way on another
 * thread may still call it after go__observer_remove returns. */
enum { GO__MAX_OBSERVERS = 4 };
void go__observer_add(const go__observer *o);
void go__observer_remove(const go__observer *o);

/* Bit i: slot i holds an observer. Bit GO__MAX_OBSERVERS: one of them wants times. */
extern _Atomic unsigned go__observing;
#define GO__OBSERVING_TIMES (1u << GO__MAX_OBSERVERS)

/* Tells every observer on (out of line: off the fast path). */
void go__notify(const go__event *e);

/* ---- The transition ---- */

/* Whether a move from one status to another is one of the arrows above. */
static inline bool go__transition_allowed(go__status from, go__status to)
{
    switch (to) {
    case GO__RUNNABLE: return from == GO__IDLE || from == GO__DEAD || from == GO__WAITING;
    case GO__RUNNING:
        return from == GO__RUNNABLE || from == GO__IDLE || from == GO__DEAD || from == GO__SYSCALL;
    case GO__SYSCALL:
    case GO__WAITING: return from == GO__RUNNING;
    case GO__DEAD: return from == GO__RUNNING || from == GO__RUNNABLE;
    case GO__IDLE: return false;
    }
    return false;
}

/* Saves the calling goroutine g's stack in g->stack_pcs, from the caller of go__transition on
 * (pprof_stack.c): when it begins to wait or enters a system call. Out of line, and cheap (a
 * frame-pointer walk: tens of nanoseconds, measured in bench/README.md). */
void go__save_stack(go__g *g);

/* Copies into pcs (room for GO__G_STACK_DEPTH) the stack g saved at its last wait or system
 * call, from any thread, and returns its depth; 0 if g was saving it meanwhile (a torn copy is
 * never returned). Look only while g waits: it saves a new one at its next wait. */
int go__stack_saved(go__g *g, uintptr_t *pcs);

/* Throws "bad status change" (out of line: the checks' slow path). */
void go__transition_fail(go__g *g, go__status from, go__status to);

/* Moves g to status `to`: the one place a status changes. For WAITING, reason, site and object
 * say what it waits for (they are recorded first); `by` is the goroutine making the change for
 * g (its creator, its waker), or NULL. The status changes and every observer on is told (in
 * the order explained inside). A move that is not an arrow of the diagram is a fatal error in
 * builds with runtime checks (checks.h). */
static inline void go__transition(go__g *g, go__status to, go__wait_reason reason, go_site site,
                                  const void *object, go__g *by)
{
    go__status from = (go__status)atomic_load_explicit(&g->status, memory_order_relaxed);
    if (GO__CHECKS && !go__transition_allowed(from, to))
        go__transition_fail(g, from, to);
    unsigned observing = atomic_load_explicit(&go__observing, memory_order_relaxed);
    if (to == GO__WAITING || to == GO__SYSCALL)
        go__save_stack(g); /* before anyone can see it waiting: a profile then finds it saved */
    if (to == GO__WAITING) {
        atomic_store_explicit(&g->wait_func, site.func, memory_order_relaxed);
        atomic_store_explicit(&g->wait_file, site.file, memory_order_relaxed);
        atomic_store_explicit(&g->wait_line, site.line, memory_order_relaxed);
        atomic_store_explicit(&g->wait_object, object, memory_order_relaxed);
        atomic_store_explicit(&g->wait_since, go__coarse_nanotime(), memory_order_relaxed);
        atomic_store_explicit(&g->wait_reason, (int)reason, memory_order_relaxed);
        g->wait_start = observing & GO__OBSERVING_TIMES ? go_nanotime() : 0;
    } else if (from == GO__WAITING) {
        reason = (go__wait_reason)atomic_load_explicit(&g->wait_reason, memory_order_relaxed);
        if (to == GO__RUNNABLE && g->wait_start != 0)
            g->released_at = go_nanotime();
    }
    /* Status and observers in the order that keeps what others can see consistent: a wait is
     * visible before observers hear of it (a deadlock report an observer makes shows the
     * goroutine waiting), an exit only after (once go_goroutine_state no longer finds the
     * goroutine, go_num_goroutine no longer counts it). */
    if (to != GO__DEAD)
        atomic_store_explicit(&g->status, (int)to, memory_order_relaxed);
    if (observing != 0)
        go__notify(&(go__event){g, from, to, reason, site, object, by});
    if (to == GO__DEAD)
        atomic_store_explicit(&g->status, (int)to, memory_order_relaxed);
}

/* The status of g now, from any thread (a snapshot). */
static inline go__status go__status_of(go__g *g)
{
    return (go__status)atomic_load_explicit(&g->status, memory_order_relaxed);
}

/* What g is doing, as a dump's header says it: "running", "runnable", "syscall", or why it
 * waits ("chan send", "semacquire", ...). go__status_name says it of a status already read
 * (with g's wait reason if it is WAITING), so that one snapshot answers both "alive?" and "doing
 * what?". */
const char *go__status_string(go__g *g);
const char *go__status_name(go__g *g, go__status status);

/* ---- The current goroutine ---- */

/* The calling thread's goroutine, adopting a thread that has none (and starting the runtime
 * on first use: goroutine.c). */
go__g *go__current(void);

/* The calling thread's goroutine without adopting: NULL for a thread that has none (the
 * monitor's, a foreign one), except that the main thread is goroutine 1 even before the runtime
 * starts, so that a panic in a program without goroutines prints Go's dump. */
extern _Thread_local go__g *go__current_g;
go__g *go__current_if_any_slow(void);

/* Goroutine 1, the main thread's: a static record, so that a program that never starts the
 * runtime still dies with Go's "goroutine 1 [running]" dump. */
extern go__g go__main_g;
static inline go__g *go__current_if_any(void)
{
    return go__current_g != NULL ? go__current_g : go__current_if_any_slow();
}

#endif
