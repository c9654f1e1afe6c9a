/* goroutines.c - the goroutine analysis (goroutines.h). */
#include "goroutines.h"

#include <stdlib.h>
#include <string.h>

#include "trace_format.h"

static const struct {
    const char *title, *key;
} metrics[GT_NMETRICS] = {
    [GT_EXEC] = {"Execution", "exec_ns"},
    [GT_SCHED] = {"Scheduler wait", "sched_wait_ns"},
    [GT_NET] = {"Network wait", "net_wait_ns"},
    [GT_SYNC] = {"Sync block", "sync_block_ns"},
    [GT_SYSCALL] = {"Blocking syscall", "syscall_ns"},
    [GT_SLEEP] = {"Sleep", "sleep_ns"},
    [GT_TOTAL] = {"Total", "total_ns"},
    [GT_REASON0 + 0] = {"  other", "sync_other_ns"},
    [GT_REASON0 + 1] = {"  chan send", "sync_chan_send_ns"},
    [GT_REASON0 + 2] = {"  chan receive", "sync_chan_receive_ns"},
    [GT_REASON0 + 3] = {"  chan send (nil)", "sync_nil_chan_send_ns"},
    [GT_REASON0 + 4] = {"  chan receive (nil)", "sync_nil_chan_receive_ns"},
    [GT_REASON0 + 5] = {"  select", "sync_select_ns"},
    [GT_REASON0 + 6] = {"  select (no cases)", "sync_select_no_cases_ns"},
    [GT_REASON0 + 8] = {"  Mutex.Lock", "sync_mutex_ns"},
    [GT_REASON0 + 9] = {"  RWMutex.RLock", "sync_rwmutex_rlock_ns"},
    [GT_REASON0 + 10] = {"  RWMutex.Lock", "sync_rwmutex_lock_ns"},
    [GT_REASON0 + 11] = {"  WaitGroup.Wait", "sync_waitgroup_ns"},
};

const char *gt_metric_title(int metric) { return metrics[metric].title; }
const char *gt_metric_key(int metric) { return metrics[metric].key; }
bool gt_metric_used(int metric) { return metrics[metric].title != NULL; }

static size_t intern_site(gt_goroutines *a, const gt_site *s)
{
    if (s->func.len == 0 && s->file.len == 0)
        return SIZE_MAX;
    size_t slot = s->serial % (sizeof a->cache / sizeof a->cache[0]);
    if (s->serial != 0 && a->cache[slot].serial == s->serial)
        return a->cache[slot].site;
    char key[2 * GO__TRACE_MAX_NAME + 32];
    int n = snprintf(key, sizeof key, "%.*s\n%.*s\n%llu", (int)s->func.len, s->func.p, (int)s->file.len, s->file.p,
                     (unsigned long long)s->line);
    size_t site = gt_names_intern(&a->sites, key, (size_t)n < sizeof key ? (size_t)n : sizeof key - 1);
    a->cache[slot].serial = s->serial;
    a->cache[slot].site = site;
    return site;
}

/* The metric a goroutine's time in its current state counts towards. */
static int metric_of(const gt_g *g)
{
    switch (g->state) {
    case GO__TRACE_RUNNING: return GT_EXEC;
    case GO__TRACE_RUNNABLE: return GT_SCHED;
    case GO__TRACE_SYSCALL: return GT_SYSCALL;
    default:
        return g->reason == GT_REASON_SLEEP ? GT_SLEEP : g->reason == GT_REASON_NETWORK ? GT_NET : GT_REASON0 + g->reason;
    }
}

/* Closes g's interval in its current state at tick and moves it to state. */
static void transition(gt_goroutines *a, gt_g *g, int state, uint64_t tick)
{
    /* A goroutine's ticks strictly increase (trace_format.h); the guard only keeps a corrupt
     * trace from adding a huge unsigned difference. */
    uint64_t d = tick > g->since ? tick - g->since : 0;
    int m = metric_of(g);
    g->t[m] += d;
    if (m >= GT_REASON0)
        g->t[GT_SYNC] += d;
    if (m != GT_EXEC && a->on_wait != NULL)
        a->on_wait(a->arg, g, m, d);
    if (a->on_slice != NULL && d > 0)
        a->on_slice(a->arg, g, g->since, tick);
    g->state = state;
    g->since = tick;
}

static gt_g *add(gt_goroutines *a, uint64_t id, int state, uint64_t tick)
{
    gt_g *g = calloc(1, sizeof *g);
    g->id = id;
    g->func = gt_names_intern(&a->funcs, "", 0);
    g->state = state;
    g->site = SIZE_MAX;
    g->since = g->created = tick;
    gt_idmap_put(&a->live, id, g);
    return g;
}

/* The goroutine id, introduced if this is its first event (trace_format.h: it was alive when
 * tracing started, in the state the event moves it from). */
static gt_g *get(gt_goroutines *a, uint64_t id, int from)
{
    gt_g *g = gt_idmap_get(&a->live, id);
    return g != NULL ? g : add(a, id, from, a->clock.tick0);
}

static void done(gt_goroutines *a, gt_g *g, uint64_t tick)
{
    g->t[GT_TOTAL] = tick > g->created ? tick - g->created : 0;
    if (a->on_done != NULL)
        a->on_done(a->arg, g);
}

void gt_goroutines_event(gt_goroutines *a, const gt_event *e)
{
    gt_g *g;
    if (e->type == GO__EV_CREATE) {
        g = gt_idmap_get(&a->live, e->arg_g);
        if (g == NULL)
            g = add(a, e->arg_g, GO__TRACE_RUNNABLE, e->tick);
        else
            transition(a, g, GO__TRACE_RUNNABLE, e->tick);
        g->func = gt_names_intern(&a->funcs, e->func.p, e->func.len);
        g->site = intern_site(a, &e->site);
        return;
    }
    if (e->type == GO__EV_STATE) {
        g = gt_idmap_get(&a->live, e->arg_g);
        if (g == NULL) {
            g = add(a, e->arg_g, e->state, a->clock.tick0);
            g->reason = e->reason;
            g->site = intern_site(a, e->state == GO__TRACE_WAITING ? &e->site : &e->created);
        }
        g->func = gt_names_intern(&a->funcs, e->func.p, e->func.len);
        return;
    }
    if (e->type == GO__EV_UNBLOCK) {
        transition(a, get(a, e->arg_g, GO__TRACE_WAITING), GO__TRACE_RUNNABLE, e->tick);
        return;
    }
    if (e->g == 0) /* the runtime's own thread or a timer: no goroutine's state changes */
        return;
    switch (e->type) {
    case GO__EV_START: transition(a, get(a, e->g, GO__TRACE_RUNNABLE), GO__TRACE_RUNNING, e->tick); break;
    case GO__EV_BLOCK:
        g = get(a, e->g, GO__TRACE_RUNNING);
        transition(a, g, GO__TRACE_WAITING, e->tick);
        g->reason = e->reason;
        g->site = intern_site(a, &e->site);
        break;
    case GO__EV_SYSCALL:
        g = get(a, e->g, GO__TRACE_RUNNING);
        transition(a, g, GO__TRACE_SYSCALL, e->tick);
        g->site = intern_site(a, &e->site);
        break;
    case GO__EV_SYSEXIT: transition(a, get(a, e->g, GO__TRACE_SYSCALL), GO__TRACE_RUNNING, e->tick); break;
    case GO__EV_END:
        g = get(a, e->g, GO__TRACE_RUNNING);
        transition(a, g, GO__TRACE_RUNNING, e->tick);
        done(a, g, e->tick);
        free(gt_idmap_remove(&a->live, g->id));
        break;
    default: break; /* tasks, regions, logs, counters: not goroutine states */
    }
}

void gt_goroutines_cut(gt_goroutines *a, uint64_t id, uint64_t tick)
{
    gt_g *g = get(a, id, GO__TRACE_RUNNING);
    /* Only a running goroutine enters or leaves regions, so no wait is split in two for
     * on_wait; the guard keeps a corrupt trace from doing it. */
    if (g->state == GO__TRACE_RUNNING)
        transition(a, g, g->state, tick);
}

static void finish_one(uint64_t id, void *value, void *arg)
{
    gt_goroutines *a = arg;
    gt_g *g = value;
    (void)id;
    transition(a, g, g->state, a->clock.tick1);
    done(a, g, a->clock.tick1);
}

void gt_goroutines_finish(gt_goroutines *a)
{
    /* As in Go's profiles, a wait counts when it ends: one still open at the trace's end is
     * in its goroutine's times but not reported as a wait. */
    void (*on_wait)(void *, const gt_g *, int, uint64_t) = a->on_wait;
    a->on_wait = NULL;
    gt_idmap_each(&a->live, finish_one, a);
    a->on_wait = on_wait;
}

static void free_one(uint64_t id, void *value, void *arg)
{
    (void)id, (void)arg;
    free(value);
}

void gt_goroutines_free(gt_goroutines *a)
{
    gt_idmap_each(&a->live, free_one, NULL);
    gt_idmap_free(&a->live);
    gt_names_free(&a->funcs);
    gt_names_free(&a->sites);
}
