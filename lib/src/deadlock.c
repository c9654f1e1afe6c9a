/* deadlock.c - the deadlock detector: an observer of the seam (g.h), and the only module that
 * decides whether a program is stuck.
 *
 * It keeps counts in one atomic word, so that they are always read together: how many
 * goroutines live, how many of them are parked with nobody having readied them yet, and how
 * many wake-ups there have been. A goroutine counts as parked from its move to WAITING (made
 * while it still holds the lock of the queue it waits on) until its waker moves it to
 * RUNNABLE, which happens before the waker wakes it. So "parked == live" can only be seen when
 * every goroutine is asleep and none has been chosen to wake. A sleeping goroutine (go_sleep)
 * is not counted as parked: it will wake by itself; nor is one in a network wait (syscall.h):
 * the outside world wakes it.
 *
 * It is a deadlock only if nothing else can wake one of them either:
 *   - no timer is pending (a timer fires on the monitor thread and may wake a goroutine);
 *   - no foreign thread exists: a thread the runtime did not start, whenever it was started
 *     (before main, by a library's constructor, by a thread pool), might still send on a
 *     channel. Only goroutines' threads, the monitor and a sanitizer's own thread are known not
 *     to; anything else, or a thread listing that cannot be trusted, counts as a possible waker.
 * Those two are looked at after the counts, so the word is read again afterwards: if anything
 * changed meanwhile (a foreign thread woke a goroutine and ended, a timer fired), the wake-up
 * count differs and there is no report; the next park or the monitor's tick looks again. A
 * goroutine in any other call (a blocking read, a computation) is not parked, so it keeps the
 * program alive. Hence no false reports; and because every park and the monitor's tick check
 * the condition, a real deadlock is reported at once, or within a tick when the last change
 * was a goroutine (or foreign thread) ending.
 */
#include "deadlock.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allg.h"
#include "monitor.h"
#include "os.h"
#include "runtime.h"

/* The word: wake-ups (top 24 bits, wrapping) | live goroutines (20 bits) | parked (20 bits). */
#define PARKED_ONE ((uint64_t)1)
#define LIVE_ONE ((uint64_t)1 << 20)
#define WAKEUP_ONE ((uint64_t)1 << 40)
#define COUNT_MASK (LIVE_ONE - 1)
static _Atomic uint64_t counts;

int go__deadlock_live(void)
{
    return (int)((atomic_load_explicit(&counts, memory_order_relaxed) >> 20) & COUNT_MASK);
}

static void count(uint64_t delta)
{
    atomic_fetch_add_explicit(&counts, delta, memory_order_relaxed);
}

static void observe(const go__event *e)
{
    bool counted_wait = e->reason != GO__WAIT_SLEEP && e->reason != GO__WAIT_NETWORK;
    if (e->from == GO__IDLE || e->from == GO__DEAD)
        count(LIVE_ONE);
    switch (e->to) {
    case GO__WAITING:
        if (counted_wait) {
            count(PARKED_ONE);
            /* This goroutine may be the last one to fall asleep. */
            go__deadlock_check();
        }
        break;
    case GO__RUNNABLE:
        /* One fewer parked and one more wake-up, in one step. */
        if (e->from == GO__WAITING)
            count(counted_wait ? WAKEUP_ONE - PARKED_ONE : WAKEUP_ONE);
        break;
    case GO__DEAD:
        /* If the rest were all waiting on this one, they are deadlocked now; but its thread,
         * still alive for a moment, counts as foreign until it is gone: the next tick reports. */
        count(-LIVE_ONE);
        break;
    default:
        break;
    }
}

static const go__observer detector = {observe, false};

/* ---- Threads ---- */

/* Threads that are the runtime's own without being goroutines: the monitor's, and
 * ThreadSanitizer's (below). Added at the start, then only shrunk (by the check, under
 * known_lock) as they end: the kernel reuses ids, and a foreign thread given one must not pass
 * for ours. */
enum { max_known = 8 };
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t known[max_known];
static size_t known_len;

/* The ids of the process's threads now, from /proc/self/task, into a malloc'd array. Returns
 * false if the listing cannot be read. */
static bool list_threads(pid_t **tids, size_t *len)
{
    DIR *tasks = opendir("/proc/self/task");
    if (tasks == NULL)
        return false;
    size_t n = 0, cap = 64;
    pid_t *list = malloc(cap * sizeof *list);
    struct dirent *entry;
    while (list != NULL && (entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        if (n == cap) {
            pid_t *grown = realloc(list, (cap *= 2) * sizeof *list);
            if (grown == NULL)
                free(list);
            list = grown;
        }
        if (list != NULL)
            list[n++] = (pid_t)atoi(entry->d_name);
    }
    closedir(tasks);
    *tids = list;
    *len = n;
    return list != NULL;
}

static bool listed(pid_t tid, const pid_t *tids, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (tids[i] == tid)
            return true;
    return false;
}

/* Whether a thread that is neither a goroutine's nor the runtime's own may exist. Errs towards
 * yes: the listing of /proc/self/task can skip entries while threads end (it moves under the
 * reader), so the kernel's exact count, read before and after, must agree with it. */
static bool foreign_threads_exist(void)
{
    long before = go__thread_count();
    pid_t *tids;
    size_t len;
    if (before < 0 || !list_threads(&tids, &len))
        return true;
    if (go__thread_count() != before || (long)len != before) {
        free(tids);
        return true;
    }
    pthread_mutex_lock(&known_lock);
    size_t kept = 0;
    for (size_t i = 0; i < known_len; i++)
        if (listed(known[i], tids, len))
            known[kept++] = known[i];
    known_len = kept;
    /* Drop the runtime's own threads from the listing; every other must be a goroutine's. */
    size_t others = 0;
    for (size_t i = 0; i < len; i++)
        if (!listed(tids[i], known, known_len))
            tids[others++] = tids[i];
    pthread_mutex_unlock(&known_lock);
    bool foreign = !go__allg_all_goroutines(tids, others);
    free(tids);
    return foreign;
}

/* ThreadSanitizer's runtime starts a thread of its own on the first pthread_create of the
 * process. To know it for what it is, the runtime makes that first pthread_create itself,
 * before anything else can: in the program's .preinit_array, which runs before every
 * constructor, the shared libraries' included, when only the main thread exists. A thread that
 * appears meanwhile can only be the sanitizer's. Without TSan in the process (its __tsan_init
 * is a weak reference, so this works whether or not the library itself was built with TSan)
 * nothing happens here, and the runtime starts no thread before it is used. */
extern void __tsan_init(void) __attribute__((weak));

static void *do_nothing(void *arg)
{
    return arg;
}

static void note_sanitizer_threads(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    if (__tsan_init == NULL)
        return;
    pid_t *before = NULL, *after = NULL;
    size_t before_len = 0, after_len = 0;
    pthread_t thread;
    if (list_threads(&before, &before_len) && pthread_create(&thread, NULL, do_nothing, NULL) == 0 &&
        pthread_join(thread, NULL) == 0 && list_threads(&after, &after_len))
        for (size_t i = 0; i < after_len && known_len < max_known; i++)
            if (!listed(after[i], before, before_len))
                known[known_len++] = after[i];
    free(before);
    free(after);
}

__attribute__((section(".preinit_array"), used)) static void (*const note_sanitizer_threads_entry)(
    int, char **, char **) = note_sanitizer_threads;

void go__deadlock_start(void)
{
    go__observer_add(&detector);
    pid_t monitor = go__monitor_start(go__deadlock_check);
    pthread_mutex_lock(&known_lock);
    if (known_len < max_known)
        known[known_len++] = monitor;
    pthread_mutex_unlock(&known_lock);
}

void go__deadlock_check(void)
{
    uint64_t seen = atomic_load_explicit(&counts, memory_order_relaxed);
    uint64_t live = (seen >> 20) & COUNT_MASK, parked = seen & COUNT_MASK;
    if (live == 0 || parked < live)
        return;
    if (go__timers_pending() > 0 || foreign_threads_exist())
        return;
    if (atomic_load_explicit(&counts, memory_order_relaxed) != seen)
        return;
    go__die("fatal error: ", NULL, (go_site){NULL, NULL, 0}, true, "%s",
            "all goroutines are asleep - deadlock!");
}
