/* allg.c - the list of all goroutines, their dumps, and telling our threads from foreign ones. */
#include "runtime.h"

#include <dirent.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t allg_lock = PTHREAD_MUTEX_INITIALIZER;
static go__g *allg; /* newest first; dumps sort by id */

/* Threads that are ours without being goroutines: those present when the runtime started,
 * such as ThreadSanitizer's background thread (the monitor's is known by go__monitor_tid).
 * Guarded by allg_lock.
 *
 * A goroutine's thread stops being ours when its goroutine ends, although the thread lingers
 * for a few microseconds before the kernel reaps it. Remembering its id would be wrong: the
 * kernel reuses ids, and a foreign thread given one would pass for ours (a false deadlock
 * report). Counting the lingering thread as foreign only delays a report until it is gone; the
 * monitor's next tick makes it. */
static pid_t *known_tids;
static size_t known_len, known_cap;

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

static void remember_tid(pid_t tid)
{
    if (known_len == known_cap) {
        known_cap = known_cap ? 2 * known_cap : 16;
        pid_t *grown = realloc(known_tids, known_cap * sizeof *grown);
        if (grown == NULL)
            go_fatal("runtime: out of memory remembering threads");
        known_tids = grown;
    }
    known_tids[known_len++] = tid;
}

void go__allg_add(go__g *g)
{
    lock_allg();
    g->all_next = allg;
    allg = g;
    unlock_allg();
}

void go__allg_remove(go__g *g)
{
    lock_allg();
    for (go__g **link = &allg; *link != NULL; link = &(*link)->all_next) {
        if (*link == g) {
            *link = g->all_next;
            break;
        }
    }
    unlock_allg();
}

void go__set_wait(go__g *g, go__wait_reason reason, go_site where)
{
    if (reason != GO__WAIT_NONE) {
        atomic_store_explicit(&g->wait_func, where.func, memory_order_relaxed);
        atomic_store_explicit(&g->wait_file, where.file, memory_order_relaxed);
        atomic_store_explicit(&g->wait_line, where.line, memory_order_relaxed);
        atomic_store_explicit(&g->wait_since, go__coarse_nanotime(), memory_order_relaxed);
    }
    atomic_store_explicit(&g->wait_reason, (int)reason, memory_order_relaxed);
}

go__wait_reason go__get_wait(go__g *g, go_site *where, int64_t *since)
{
    go__wait_reason reason = atomic_load_explicit(&g->wait_reason, memory_order_relaxed);
    *where = (go_site){atomic_load_explicit(&g->wait_func, memory_order_relaxed),
                       atomic_load_explicit(&g->wait_file, memory_order_relaxed),
                       atomic_load_explicit(&g->wait_line, memory_order_relaxed)};
    *since = atomic_load_explicit(&g->wait_since, memory_order_relaxed);
    return reason;
}

const char *go__wait_reason_string(go__wait_reason reason)
{
    switch (reason) {
    case GO__WAIT_NONE: return "running";
    case GO__WAIT_RUNNABLE: return "runnable";
    case GO__WAIT_CHAN_SEND: return "chan send";
    case GO__WAIT_CHAN_RECEIVE: return "chan receive";
    case GO__WAIT_CHAN_SEND_NIL: return "chan send (nil chan)";
    case GO__WAIT_CHAN_RECEIVE_NIL: return "chan receive (nil chan)";
    case GO__WAIT_SELECT: return "select";
    case GO__WAIT_SELECT_NO_CASES: return "select (no cases)";
    case GO__WAIT_SLEEP: return "sleep";
    case GO__WAIT_SEMACQUIRE: return "semacquire";
    }
    return "unknown";
}

static bool is_ours(pid_t tid)
{
    for (go__g *g = allg; g != NULL; g = g->all_next)
        if (g->tid == tid)
            return true;
    for (size_t i = 0; i < known_len; i++)
        if (known_tids[i] == tid)
            return true;
    return tid == go__monitor_tid();
}

/* The ids of the process's threads now, from /proc/self/task, into a malloc'd array. Returns
 * false if the listing cannot be read. */
static bool list_threads(pid_t **tids, size_t *count)
{
    DIR *tasks = opendir("/proc/self/task");
    if (tasks == NULL)
        return false;
    size_t len = 0, cap = 64;
    pid_t *list = malloc(cap * sizeof *list);
    struct dirent *entry;
    while (list != NULL && (entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        if (len == cap) {
            pid_t *grown = realloc(list, (cap *= 2) * sizeof *list);
            if (grown == NULL)
                free(list);
            list = grown;
        }
        if (list != NULL)
            list[len++] = (pid_t)atoi(entry->d_name);
    }
    closedir(tasks);
    *tids = list;
    *count = len;
    return list != NULL;
}

static bool listed(pid_t tid, const pid_t *tids, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (tids[i] == tid)
            return true;
    return false;
}

/* The kernel's count of the process's threads (num_threads, field 20 of /proc/self/stat, kept
 * exactly by the kernel), or -1 if it cannot be read. */
static long thread_count(void)
{
    FILE *f = fopen("/proc/self/stat", "r");
    if (f == NULL)
        return -1;
    char line[1024];
    bool read = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    /* The command name (field 2) is in parentheses and may hold anything: skip past the last
     * ')', then field 3 (state) through field 19, to field 20. */
    char *p = read ? strrchr(line, ')') : NULL;
    long count = -1;
    if (p == NULL || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %ld",
                            &count) != 1)
        return -1;
    return count;
}

bool go__foreign_threads_exist(void)
{
    /* Listing /proc/self/task while other threads end can skip entries (the listing moves under
     * the reader), so a foreign thread could go unseen. The kernel's exact thread count, read
     * before and after, shows whether the listing is complete: if it is not, or threads came or
     * went meanwhile, we cannot be sure, and answer that a foreign thread may exist. */
    long before = thread_count();
    pid_t *tids;
    size_t count;
    if (before < 0 || !list_threads(&tids, &count))
        return true;
    if (thread_count() != before || (long)count != before) {
        free(tids);
        return true;
    }
    lock_allg();
    /* Forget remembered threads that are gone: the kernel may give their ids to new threads. */
    size_t kept = 0;
    for (size_t i = 0; i < known_len; i++)
        if (listed(known_tids[i], tids, count))
            known_tids[kept++] = known_tids[i];
    known_len = kept;
    bool foreign = false;
    for (size_t i = 0; i < count && !foreign; i++)
        foreign = !is_ours(tids[i]);
    unlock_allg();
    free(tids);
    return foreign;
}

void go__threads_note_baseline(void)
{
    pid_t *tids;
    size_t count;
    if (!list_threads(&tids, &count))
        return;
    lock_allg();
    for (size_t i = 0; i < count; i++)
        if (!is_ours(tids[i]))
            remember_tid(tids[i]);
    unlock_allg();
    free(tids);
}

const char *go_goroutine_state(int64_t id)
{
    const char *state = NULL;
    lock_allg();
    for (go__g *g = allg; g != NULL; g = g->all_next) {
        if (g->id == id) {
            go_site site;
            int64_t since;
            state = go__wait_reason_string(go__get_wait(g, &site, &since));
            break;
        }
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
    go_site at;
    int64_t since;
    go__wait_reason reason = go__get_wait(g, &at, &since);
    if (running_here) {
        reason = GO__WAIT_NONE;
        at = here;
    }

    if (with_duration && reason != GO__WAIT_NONE)
        fprintf(out, "goroutine %" PRId64 " [%s, %" PRId64 " ms]:\n", g->id,
                go__wait_reason_string(reason), (go__coarse_nanotime() - since) / 1000000);
    else
        fprintf(out, "goroutine %" PRId64 " [%s]:\n", g->id, go__wait_reason_string(reason));
    if (reason == GO__WAIT_NONE && !running_here)
        fprintf(out, "\tgoroutine running on other thread; stack unavailable\n");
    else
        fprintf(out, "%s()\n\t%s:%d\n", at.func, at.file, at.line);
    if (g->created_by.func != NULL)
        fprintf(out, "created by %s\n\t%s:%d\n", g->created_by.func, g->created_by.file,
                g->created_by.line);
}

/* The goroutine after `after` in order of id (the first for 0), other than `skip`: dumps list
 * goroutines in order of id, as Go does, and a selection pass needs no allocation. With
 * allg_lock held. */
static go__g *next_by_id(int64_t after, go__g *skip)
{
    go__g *next = NULL;
    for (go__g *g = allg; g != NULL; g = g->all_next)
        if (g != skip && g->id > after && (next == NULL || g->id < next->id))
            next = g;
    return next;
}

void go__dump_goroutines(go__g *self, go_site where, bool all)
{
    lock_allg();
    if (self != NULL)
        dump_one(stderr, self, true, where, false);
    bool separate = self != NULL; /* a blank line between dumps */
    for (go__g *g = all ? next_by_id(0, self) : NULL; g != NULL; g = next_by_id(g->id, self)) {
        if (separate)
            fputc('\n', stderr);
        separate = true;
        dump_one(stderr, g, false, where, false);
    }
    unlock_allg();
}

static bool is_blocked(go__g *g)
{
    int reason = atomic_load_explicit(&g->wait_reason, memory_order_relaxed);
    return reason != GO__WAIT_NONE && reason != GO__WAIT_RUNNABLE;
}

void go_report_leaks(void)
{
    go__g *self = go__current();
    lock_allg();
    int leaked = 0;
    for (go__g *g = allg; g != NULL; g = g->all_next)
        leaked += g != self && is_blocked(g);
    if (leaked > 0) {
        fflush(stdout);
        fprintf(stderr, "gocurrent: %d goroutine%s still blocked:\n", leaked, leaked == 1 ? "" : "s");
        for (go__g *g = next_by_id(0, self); g != NULL; g = next_by_id(g->id, self)) {
            if (is_blocked(g)) {
                fputc('\n', stderr);
                dump_one(stderr, g, false, (go_site){NULL, NULL, 0}, true);
            }
        }
    }
    unlock_allg();
}
