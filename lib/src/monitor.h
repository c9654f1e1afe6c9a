/* monitor.h - the runtime's own thread (Go's sysmon): timers, and a periodic tick.
 *
 * Timers live in a min-heap ordered by due time, guarded by the monitor's lock. A timer fires
 * by calling its function on the monitor thread with that lock held, so the function must not
 * block, nor start or stop timers. It fires before it stops counting as pending, so a goroutine
 * it wakes is never seen as stuck in between.
 */
#ifndef GOCURRENT_MONITOR_H
#define GOCURRENT_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "gocurrent/goroutine.h"

/* A timer: after d, and then every `period` if that is not 0, fire(t, now) runs on the monitor
 * thread. Embed it in a larger struct to give fire its context; it must stay valid until it has
 * fired for the last time or been stopped. */
typedef struct go__timer go__timer;
/* The trace format's timer kinds (trace_format.h); 0: other. */
typedef enum go__timer_kind { GO__TIMER_SLEEP = 1, GO__TIMER_CHAN, GO__TIMER_DEADLINE } go__timer_kind;
struct go__timer {
    int64_t when;
    go_duration period;
    void (*fire)(go__timer *t, int64_t now);
    /* For the tracer: what kind of timer, and what its firing acts on (the channel a channel
     * timer sends on, a context's Done channel; the timer itself, a sleep's, which is also the
     * sleeper's wait object). Zero for other timers. */
    go__timer_kind kind;
    const void *object;
    size_t index; /* in the heap */
    bool in_heap;
};

/* Starts the monitor thread, which calls every_tick after each wake-up and at least every
 * 100 ms, and returns its thread id. Called once, by the runtime's start. */
pid_t go__monitor_start(void (*every_tick)(void));

/* More functions for the tick, for modules above the monitor (the tracer's counters, the
 * schedtrace report): at most GO__MAX_TICK_HOOKS at once (too many is fatal). A hook runs on the monitor thread with no
 * lock held; it must not block for long. It may still be called once after its removal. */
enum { GO__MAX_TICK_HOOKS = 2 };
void go__monitor_tick_add(void (*hook)(void));
void go__monitor_tick_remove(void (*hook)(void));

void go__timer_start(go__timer *t, go_duration d, go_duration period);

/* Told of each timer just before it fires, on the monitor thread with its lock held, with how
 * late it is (ns after it was due): the tracer's, while tracing (NULL: none). It must not block. */
extern void (*_Atomic go__timer_fire_observer)(const go__timer *t, int64_t late);
/* Stops t. Returns true if it had not fired (a periodic timer: had not been stopped). */
bool go__timer_stop(go__timer *t);

/* How many timers are pending: each may still wake a goroutine. */
int go__timers_pending(void);

#endif
