/* g.c - the seam's out-of-line half: the current goroutine, the observers, the names of
 * statuses. */
#include "g.h"

#include <stdio.h>

_Thread_local go__g *go__current_g;
go__g go__main_g = {.id = 1, .func = "main"};

go__g *go__current_if_any_slow(void)
{
    static _Thread_local int is_main = -1; /* not known yet */
    if (is_main < 0)
        is_main = go__is_main_thread();
    return is_main ? &go__main_g : NULL;
}

#ifdef GOCURRENT_CHECKS
void (*go__test_hook)(const char *window, size_t step);
#endif

_Atomic unsigned go__observing;
static _Atomic(const go__observer *) observers[GO__MAX_OBSERVERS];

/* Recomputes the bit for times from the slots. Called with the registry's slots updated. */
static void update_times_bit(void)
{
    bool times = false;
    for (int i = 0; i < GO__MAX_OBSERVERS; i++) {
        const go__observer *o = atomic_load(&observers[i]);
        times |= o != NULL && o->wants_times;
    }
    if (times)
        atomic_fetch_or(&go__observing, GO__OBSERVING_TIMES);
    else
        atomic_fetch_and(&go__observing, ~GO__OBSERVING_TIMES);
}

void go__observer_add(const go__observer *o)
{
    for (int i = 0; i < GO__MAX_OBSERVERS; i++) {
        const go__observer *empty = NULL;
        if (atomic_compare_exchange_strong(&observers[i], &empty, o)) {
            /* The slot is filled before its bit is set: whoever sees the bit finds o. */
            atomic_fetch_or(&go__observing, 1u << i);
            update_times_bit();
            return;
        }
    }
    go__throw("runtime: too many observers of goroutines", GO_HERE);
}

void go__observer_remove(const go__observer *o)
{
    for (int i = 0; i < GO__MAX_OBSERVERS; i++) {
        if (atomic_load(&observers[i]) == o) {
            atomic_fetch_and(&go__observing, ~(1u << i));
            atomic_store(&observers[i], NULL);
            update_times_bit();
            return;
        }
    }
}

void go__notify(const go__event *e)
{
    unsigned slots = atomic_load_explicit(&go__observing, memory_order_acquire);
    for (int i = 0; i < GO__MAX_OBSERVERS; i++) {
        if (!(slots & (1u << i)))
            continue;
        /* Removed meanwhile: the slot may be empty now. */
        const go__observer *o = atomic_load_explicit(&observers[i], memory_order_acquire);
        if (o != NULL)
            o->observe(e);
    }
}

static const char *wait_reason_string(go__wait_reason reason)
{
    switch (reason) {
    case GO__WAIT_NONE: return "waiting";
    case GO__WAIT_CHAN_SEND: return "chan send";
    case GO__WAIT_CHAN_RECEIVE: return "chan receive";
    case GO__WAIT_CHAN_SEND_NIL: return "chan send (nil chan)";
    case GO__WAIT_CHAN_RECEIVE_NIL: return "chan receive (nil chan)";
    case GO__WAIT_SELECT: return "select";
    case GO__WAIT_SELECT_NO_CASES: return "select (no cases)";
    case GO__WAIT_SLEEP: return "sleep";
    case GO__WAIT_MUTEX:
    case GO__WAIT_RWMUTEX_R:
    case GO__WAIT_RWMUTEX_W:
    case GO__WAIT_WAIT_GROUP: return "semacquire";
    case GO__WAIT_NETWORK: return "IO wait";
    }
    return "unknown";
}

const char *go__status_string(go__g *g)
{
    return go__status_name(g, go__status_of(g));
}

const char *go__status_name(go__g *g, go__status status)
{
    switch (status) {
    case GO__IDLE: return "idle";
    case GO__RUNNABLE: return "runnable";
    case GO__RUNNING: return "running";
    case GO__SYSCALL: return "syscall";
    case GO__WAITING:
        return wait_reason_string(atomic_load_explicit(&g->wait_reason, memory_order_relaxed));
    case GO__DEAD: return "dead";
    }
    return "unknown";
}

void go__transition_fail(go__g *g, go__status from, go__status to)
{
    /* Go's casgstatus says "bad g status"; name both ends of the arrow that does not exist. */
    static const char *const names[] = {"idle", "runnable", "running", "syscall", "waiting", "dead"};
    char message[128];
    snprintf(message, sizeof message, "runtime: goroutine %lld: bad status change %s -> %s",
             (long long)g->id, from <= GO__DEAD ? names[from] : "corrupt", names[to]);
    go__throw(message, GO_HERE);
}
