/* allg.c - the list of every goroutine record, lookups by id, dumps and the leak report. */
#include "allg.h"

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

/* Under ThreadSanitizer a record is never reused: the new goroutine's writes to it would race,
 * in TSan's eyes, with the dead one's, since the lock that orders them is hidden from TSan (and
 * must be). So a TSan build keeps one record per goroutine ever started (about 200 bytes). */
#ifdef GO__TSAN_ENABLED
#define GO__TSAN_ENABLED_P 1
#else
#define GO__TSAN_ENABLED_P 0
#endif

/* Guards changes to the list and the free list. Readers that only look may walk without it
 * (allg.h); those that want a consistent picture take it. */
static pthread_mutex_t allg_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(go__g *) allg; /* newest first; dumps sort by id */
static go__g *free_list;

/* allg_lock, hidden from ThreadSanitizer with everything done under it (see runtime.h). */
static void lock_allg(void)
{
    GO__TSAN_HIDE_BEGIN();
    pthread_mutex_lock(&allg_lock);
}

static void unlock_allg(void)
{
    pthread_mutex_unlock(&allg_lock);
    GO__TSAN_HIDE_END();
}

/* The first record of the list, for a walk that follows all_next. */
static go__g *first_g(void)
{
    return atomic_load_explicit(&allg, memory_order_acquire);
}

static go__g *next_g(go__g *g)
{
    return atomic_load_explicit(&g->all_next, memory_order_acquire);
}

go__g *go__allg_new(void)
{
    lock_allg();
    go__g *g = GO__TSAN_ENABLED_P ? NULL : free_list;
    if (g != NULL)
        free_list = g->free_next;
    unlock_allg();
    if (g != NULL) {
        /* Clear everything but the status (DEAD) and the links. */
        go__g *keep_next = next_g(g);
        int status = go__status_of(g);
        memset(g, 0, sizeof *g);
        atomic_init(&g->status, status);
        atomic_init(&g->all_next, keep_next);
        return g;
    }
    g = calloc(1, sizeof *g);
    if (g != NULL)
        go__allg_add_static(g);
    return g;
}

void go__allg_add_static(go__g *g)
{
    /* A record is the runtime's bookkeeping, read by other threads on purpose (g.h): not for
     * Helgrind and DRD to check. */
    GO__IGNORE_RACES(g, sizeof *g);
    lock_allg();
    atomic_store_explicit(&g->all_next, first_g(), memory_order_relaxed);
    atomic_store_explicit(&allg, g, memory_order_release);
    unlock_allg();
}

void go__allg_free(go__g *g)
{
    GO__CHECK(go__status_of(g) == GO__DEAD, "freeing the record of a living goroutine");
    lock_allg();
    g->free_next = free_list;
    free_list = g;
    unlock_allg();
}

static bool is_alive(go__g *g)
{
    go__status s = go__status_of(g);
    return s != GO__IDLE && s != GO__DEAD;
}

void go__allg_each_live(void (*fn)(go__g *g, void *arg), void *arg)
{
    lock_allg();
    for (go__g *g = first_g(); g != NULL; g = next_g(g))
        if (is_alive(g))
            fn(g, arg);
    unlock_allg();
}

bool go__allg_all_goroutines(const pid_t *tids, size_t count)
{
    bool all = true;
    lock_allg();
    for (size_t i = 0; i < count && all; i++) {
        bool found = false;
        for (go__g *g = first_g(); g != NULL && !found; g = next_g(g))
            found = g->tid == tids[i] && is_alive(g);
        all = found;
    }
    unlock_allg();
    return all;
}

const char *go_goroutine_state(int64_t id)
{
    const char *state = NULL;
    lock_allg();
    for (go__g *g = first_g(); g != NULL && state == NULL; g = next_g(g)) {
        /* One read of the status: it may become DEAD at any moment. */
        go__status status = go__status_of(g);
        if (g->id == id && status != GO__IDLE && status != GO__DEAD)
            state = go__status_name(g, status);
    }
    unlock_allg();
    return state;
}

const char *go_goroutine_settle(int64_t id)
{
    const char *state;
    while ((state = go_goroutine_state(id)) != NULL &&
           (strcmp(state, "running") == 0 || strcmp(state, "runnable") == 0))
        sched_yield();
    return state;
}

void go_goroutine_wait_returned(int64_t id)
{
    while (go_goroutine_state(id) != NULL)
        sched_yield();
}

/* One goroutine as Go prints it: header, the function and line it is at, who created it. The
 * leak report adds how long it has been blocked, as Go's dumps do for long waits. */
static void dump_one(FILE *out, go__g *g, bool running_here, go_site here, bool with_duration)
{
    bool waiting = !running_here && go__status_of(g) == GO__WAITING;
    const char *state = running_here ? "running" : go__status_string(g);
    go_site at = here;
    if (waiting)
        at = (go_site){atomic_load_explicit(&g->wait_func, memory_order_relaxed),
                       atomic_load_explicit(&g->wait_file, memory_order_relaxed),
                       atomic_load_explicit(&g->wait_line, memory_order_relaxed)};

    if (with_duration && waiting) {
        int64_t since = atomic_load_explicit(&g->wait_since, memory_order_relaxed);
        fprintf(out, "goroutine %" PRId64 " [%s, %" PRId64 " ms]:\n", g->id, state,
                (go__coarse_nanotime() - since) / 1000000);
    } else {
        fprintf(out, "goroutine %" PRId64 " [%s]:\n", g->id, state);
    }
    if ((running_here || waiting) && at.func != NULL)
        fprintf(out, "%s()\n\t%s:%d\n", at.func, at.file, at.line);
    else if (!running_here)
        fprintf(out, "\tgoroutine running on other thread; stack unavailable\n");
    if (g->created_by.func != NULL)
        fprintf(out, "created by %s\n\t%s:%d\n", g->created_by.func, g->created_by.file,
                g->created_by.line);
}

/* The living goroutine after `after` in order of id (the first for 0), other than `skip`, and
 * waiting if `only_waiting`: dumps list goroutines in order of id, as Go does, and a selection
 * pass needs no allocation. */
static go__g *next_by_id(int64_t after, go__g *skip, bool only_waiting)
{
    go__g *next = NULL;
    for (go__g *g = first_g(); g != NULL; g = next_g(g))
        if (g != skip && is_alive(g) && g->id > after && (next == NULL || g->id < next->id) &&
            (!only_waiting || go__status_of(g) == GO__WAITING))
            next = g;
    return next;
}

void go__allg_each(void (*visit)(go__g *g, void *arg), void *arg)
{
    lock_allg();
    for (go__g *g = first_g(); g != NULL; g = next_g(g))
        if (is_alive(g))
            visit(g, arg);
    unlock_allg();
}

void go__dump_goroutines(go__g *self, go_site where, bool all)
{
    go__dump_goroutines_to(stderr, self, where, all);
}

void go__dump_goroutines_to(FILE *out, go__g *self, go_site where, bool all)
{
    /* The caller may be dying with allg_lock held, or have interrupted a thread holding it:
     * after a few tries, walk without it (allg.h). */
    GO__TSAN_HIDE_BEGIN();
    bool locked = false;
    for (int attempt = 0; attempt < 100 && !locked; attempt++)
        if (!(locked = pthread_mutex_trylock(&allg_lock) == 0))
            sched_yield();
    if (self != NULL)
        dump_one(out, self, true, where, false);
    bool separate = self != NULL; /* a blank line between dumps */
    for (go__g *g = all ? next_by_id(0, self, false) : NULL; g != NULL;
         g = next_by_id(g->id, self, false)) {
        if (separate)
            fputc('\n', out);
        separate = true;
        dump_one(out, g, false, where, false);
    }
    if (locked)
        pthread_mutex_unlock(&allg_lock);
    GO__TSAN_HIDE_END();
}

void go_report_leaks(void)
{
    go__g *self = go__current_if_any();
    lock_allg();
    int leaked = 0;
    for (go__g *g = next_by_id(0, self, true); g != NULL; g = next_by_id(g->id, self, true))
        leaked++;
    if (leaked > 0) {
        fflush(stdout);
        fprintf(stderr, "gocurrent: %d goroutine%s still blocked:\n", leaked, leaked == 1 ? "" : "s");
        for (go__g *g = next_by_id(0, self, true); g != NULL; g = next_by_id(g->id, self, true)) {
            fputc('\n', stderr);
            dump_one(stderr, g, false, (go_site){NULL, NULL, 0}, true);
        }
    }
    unlock_allg();
}
