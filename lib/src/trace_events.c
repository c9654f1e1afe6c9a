/* trace_events.c - the tracer's observer of the seam (g.h): every change of a goroutine's
 * status becomes one event (two for a thread the runtime adopts: its creation and its start).
 *
 * An event is recorded on the thread making the change, into that thread's buffer, and names
 * as its goroutine (the batch's register) the one doing what it describes: the goroutine
 * itself when it starts, blocks or ends; its creator for a creation; its waker for an unblock
 * (0 for a timer or a thread the runtime does not know). Each event of a goroutine is stamped
 * later than its previous one (g->trace_tick), whichever thread recorded that one: a waker's
 * clock may lag the sleeper's by a few nanoseconds, and a reader must never see a goroutine
 * unblocked before it blocked. Timers firing are events too (TIMER), just before the unblocks
 * they cause.
 */
#include "g.h"
#include "monitor.h"
#include "trace_internal.h"

/* The format's reasons are the seam's (trace_format.h lists them). */
_Static_assert(GO__WAIT_CHAN_SEND == 1 && GO__WAIT_CHAN_RECEIVE == 2 && GO__WAIT_CHAN_SEND_NIL == 3 &&
                   GO__WAIT_CHAN_RECEIVE_NIL == 4 && GO__WAIT_SELECT == 5 && GO__WAIT_SELECT_NO_CASES == 6 &&
                   GO__WAIT_SLEEP == 7 && GO__WAIT_MUTEX == 8 && GO__WAIT_RWMUTEX_R == 9 &&
                   GO__WAIT_RWMUTEX_W == 10 && GO__WAIT_WAIT_GROUP == 11 && GO__WAIT_NETWORK == 12,
               "the trace format's wait reasons must match go__wait_reason");

static int64_t id_of(const go__g *g)
{
    return g != NULL ? g->id : 0;
}

/* CREATE: `by` created g at `where`. */
static void record_create(go__trace_buf *b, uint64_t t, go__g *g, go__g *by, go_site where)
{
    unsigned site = go__trace_site(b, t, where, 0);
    unsigned func = go__trace_string(b, t, g->func, 0);
    go__trace_setg(b, t, id_of(by));
    go__trace_event(b, GO__EV_CREATE, t);
    go__trace_uvarint(b, (uint64_t)g->id);
    go__trace_uvarint(b, func);
    go__trace_uvarint(b, site);
}

static void observe(const go__event *e)
{
    go__trace_buf *b = go__trace_begin();
    if (b == NULL)
        return;
    go__g *g = e->g;
    uint64_t t = go__trace_stamp(b, g->trace_tick);
    switch (e->to) {
    case GO__RUNNABLE:
        if (e->from == GO__WAITING) {
            go__trace_setg(b, t, id_of(e->by));
            go__trace_event(b, GO__EV_UNBLOCK, t);
            go__trace_uvarint(b, (uint64_t)g->id);
        } else {
            record_create(b, t, g, e->by, e->site);
        }
        break;
    case GO__RUNNING:
        if (e->from == GO__IDLE || e->from == GO__DEAD) {
            /* An adopted thread: created by nobody, running at once (a tick later). */
            record_create(b, t++, g, NULL, e->site);
        }
        go__trace_setg(b, t, g->id);
        go__trace_event(b, e->from == GO__SYSCALL ? GO__EV_SYSEXIT : GO__EV_START, t);
        break;
    case GO__WAITING: {
        unsigned site = go__trace_site(b, t, e->site, 0);
        go__trace_setg(b, t, g->id);
        go__trace_event(b, GO__EV_BLOCK, t);
        go__trace_uvarint(b, (uint64_t)e->reason);
        go__trace_uvarint(b, site);
        go__trace_object(b, e->object);
        break;
    }
    case GO__SYSCALL: {
        unsigned site = go__trace_site(b, t, e->site, 0);
        go__trace_setg(b, t, g->id);
        go__trace_event(b, GO__EV_SYSCALL, t);
        go__trace_uvarint(b, site);
        break;
    }
    case GO__DEAD:
        go__trace_setg(b, t, g->id);
        go__trace_event(b, GO__EV_END, t);
        break;
    case GO__IDLE:
        break;
    }
    g->trace_tick = t;
    go__trace_end(b);
}

/* TIMER: a timer is about to fire, on the monitor thread; the unblocks its firing makes follow
 * at once in the same buffer, which is how a reader knows the timer made them. */
static void observe_timer(const go__timer *timer, int64_t late)
{
    go__trace_buf *b = go__trace_begin();
    if (b == NULL)
        return;
    uint64_t t = go__trace_stamp(b, 0);
    go__trace_setg(b, t, 0);
    go__trace_event(b, GO__EV_TIMER, t);
    go__trace_uvarint(b, (uint64_t)timer->kind);
    go__trace_object(b, timer->object);
    go__trace_uvarint(b, late > 0 ? (uint64_t)late : 0);
    go__trace_end(b);
}

static const go__observer tracer = {observe, false};

void go__trace_events_on(void)
{
    go__observer_add(&tracer);
    atomic_store_explicit(&go__timer_fire_observer, observe_timer, memory_order_release);
}

void go__trace_events_off(void)
{
    atomic_store_explicit(&go__timer_fire_observer, NULL, memory_order_release);
    go__observer_remove(&tracer);
}
