/* Unit tests of WaitGroup, Mutex and Once: what each waits for, mutual exclusion with plain
 * memory (checked by ThreadSanitizer in the tsan build), and misuse. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

/* ---- WaitGroup ----------------------------------------------------------------------------- */

enum { nworkers = 5 };

typedef struct wg_test {
    go_wait_group wg;
    go_chan *tokens[nworkers]; /* each worker waits for its token */
    go_chan *ack;              /* a worker says it called Done */
    go_chan *report;           /* a waiter says Wait returned, with the sum it saw */
    int results[nworkers];     /* plain memory: written by workers, read by waiters after Wait */
    atomic_int returned;
} wg_test;

typedef struct wg_worker {
    wg_test *t;
    int index;
} wg_worker;

static void wg_work(void *arg)
{
    wg_worker *w = arg;
    go_recv_drop(w->t->tokens[w->index]);
    w->t->results[w->index] = (w->index + 1) * 10;
    go_wg_done(&w->t->wg);
    go_send(w->t->ack, int, w->index);
}

static void wg_waiter(void *arg)
{
    wg_test *t = arg;
    go_wg_wait(&t->wg);
    atomic_fetch_add(&t->returned, 1);
    int sum = 0;
    for (int i = 0; i < nworkers; i++)
        sum += t->results[i]; /* Done happens before Wait returns: TSan-clean */
    go_send(t->report, int, sum);
}

static void wg_test_init(wg_test *t)
{
    *t = (wg_test){.wg = GO_WAIT_GROUP_INIT};
    for (int i = 0; i < nworkers; i++)
        t->tokens[i] = go_make_chan(int, 0);
    t->ack = go_make_chan(int, 0);
    t->report = go_make_chan(int, 0);
}

static void wg_test_free(wg_test *t)
{
    for (int i = 0; i < nworkers; i++)
        go_chan_release(t->tokens[i]);
    go_chan_release(t->ack);
    go_chan_release(t->report);
}

static void test_wait_group_wait_returns_after_all_done(void)
{
    wg_test t;
    wg_test_init(&t);
    wg_worker workers[nworkers];
    go_wg_add(&t.wg, nworkers);
    for (int i = 0; i < nworkers; i++) {
        workers[i] = (wg_worker){&t, i};
        go(wg_work, &workers[i]);
    }
    int64_t waiter = go(wg_waiter, &t);
    CHECK_WAIT_STATE(waiter, "semacquire");
    /* Let the workers finish one by one: Wait must still be blocked until the last Done. */
    for (int i = 0; i < nworkers; i++) {
        go_send(t.tokens[i], int, 0);
        int who;
        go_recv(t.ack, &who);
        CHECK_EQ(who, i);
        if (i < nworkers - 1) {
            CHECK_EQ(atomic_load(&t.returned), 0);
            CHECK_STREQ(go_goroutine_state(waiter), "semacquire");
        }
    }
    int sum = 0;
    CHECK(go_recv(t.report, &sum));
    CHECK_EQ(sum, 10 + 20 + 30 + 40 + 50);
    CHECK_EQ(atomic_load(&t.returned), 1);
    wg_test_free(&t);
}

static void test_wait_group_releases_every_waiter(void)
{
    enum { nwaiters = 4 };
    wg_test t;
    wg_test_init(&t);
    wg_worker workers[nworkers];
    go_wg_add(&t.wg, nworkers);
    for (int i = 0; i < nworkers; i++) {
        workers[i] = (wg_worker){&t, i};
        go(wg_work, &workers[i]);
    }
    int64_t waiters[nwaiters];
    for (int i = 0; i < nwaiters; i++)
        waiters[i] = go(wg_waiter, &t);
    for (int i = 0; i < nwaiters; i++)
        CHECK_WAIT_STATE(waiters[i], "semacquire");
    for (int i = 0; i < nworkers; i++) {
        go_send(t.tokens[i], int, 0);
        go_recv_drop(t.ack);
    }
    for (int i = 0; i < nwaiters; i++) {
        int sum = 0;
        CHECK(go_recv(t.report, &sum));
        CHECK_EQ(sum, 150);
    }
    CHECK_EQ(atomic_load(&t.returned), nwaiters);
    wg_test_free(&t);
}

static void test_wait_group_at_zero_does_not_block(void)
{
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    go_wg_wait(&wg); /* would deadlock the test if it blocked */
    go_wg_add(&wg, 3);
    go_wg_add(&wg, -2);
    go_wg_done(&wg);
    go_wg_wait(&wg);
    /* Reused for a second round. */
    go_wg_add(&wg, 1);
    go_wg_done(&wg);
    go_wg_wait(&wg);
}

static void wg_negative(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    go_wg_done(&wg);
}

static void wg_add_too_negative(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    go_wg_add(&wg, 1);
    go_wg_add(&wg, -2);
}

static void test_wait_group_negative_counter_panics(void)
{
    CHECK_PANICS(wg_negative, "sync: negative WaitGroup counter");
    CHECK_PANICS(wg_add_too_negative, "sync: negative WaitGroup counter");
    check_run run = check_capture(wg_negative);
    CHECK_CONTAINS(run.output, "goroutine 1 [running]:\nwg_negative()\n\ttests/test_sync.c:");
    check_release(&run);
}

/* ---- Mutex --------------------------------------------------------------------------------- */

typedef struct counter {
    go_mutex m;
    long value; /* plain: only the mutex orders the increments */
    int per_goroutine;
    go_wait_group wg;
} counter;

static void increment_many(void *arg)
{
    counter *c = arg;
    for (int i = 0; i < c->per_goroutine; i++) {
        go_mutex_lock(&c->m);
        c->value++;
        go_mutex_unlock(&c->m);
    }
    go_wg_done(&c->wg);
}

static void test_mutex_excludes_under_contention(void)
{
    enum { n = 8, per = 5000 };
    counter c = {GO_MUTEX_INIT, 0, per, GO_WAIT_GROUP_INIT};
    go_wg_add(&c.wg, n);
    for (int i = 0; i < n; i++)
        go(increment_many, &c);
    go_wg_wait(&c.wg);
    go_mutex_lock(&c.m);
    CHECK_EQ(c.value, (long)n * per);
    go_mutex_unlock(&c.m);
}

typedef struct lock_probe {
    go_mutex *m;
    atomic_bool inside;
    go_chan *done;
} lock_probe;

static void lock_and_report(void *arg)
{
    lock_probe *p = arg;
    go_mutex_lock(p->m);
    atomic_store(&p->inside, true);
    go_mutex_unlock(p->m);
    go_send(p->done, bool, true);
}

static void test_mutex_lock_waits_for_unlock(void)
{
    go_mutex m = GO_MUTEX_INIT;
    go_chan *done = go_make_chan(bool, 0);
    lock_probe p = {&m, false, done};
    go_mutex_lock(&m);
    int64_t id = go(lock_and_report, &p);
    CHECK_WAIT_STATE(id, "semacquire");
    CHECK(!atomic_load(&p.inside));
    go_mutex_unlock(&m);
    go_recv_drop(done);
    CHECK(atomic_load(&p.inside));
    /* Free again: lock and unlock without blocking. */
    go_mutex_lock(&m);
    go_mutex_unlock(&m);
    go_chan_release(done);
}

static void unlock_other(void *arg)
{
    lock_probe *p = arg;
    go_mutex_unlock(p->m);
    go_send(p->done, bool, true);
}

__attribute__((unused)) static void test_mutex_unlocked_by_another_goroutine(void)
{
    go_mutex m = GO_MUTEX_INIT;
    go_chan *done = go_make_chan(bool, 0);
    lock_probe p = {&m, false, done};
    go_mutex_lock(&m);
    go(unlock_other, &p); /* allowed, as in Go */
    go_recv_drop(done);
    CHECK(go_mutex_trylock(&m));
    go_mutex_unlock(&m);
    go_chan_release(done);
}

static void trylock_once(void *arg)
{
    lock_probe *p = arg;
    bool got = go_mutex_trylock(p->m);
    if (got)
        go_mutex_unlock(p->m);
    go_send(p->done, bool, got);
}

static void test_mutex_trylock(void)
{
    go_mutex m = GO_MUTEX_INIT;
    CHECK(go_mutex_trylock(&m));
    CHECK(!go_mutex_trylock(&m)); /* held: fails, and does not block */
    go_chan *done = go_make_chan(bool, 0);
    lock_probe p = {&m, false, done};
    go(trylock_once, &p);
    bool got = true;
    go_recv(done, &got);
    CHECK(!got); /* held by main, from another goroutine too */
    go_mutex_unlock(&m);
    go(trylock_once, &p);
    go_recv(done, &got);
    CHECK(got);
    /* Still unlocked after the goroutine's unlock. */
    CHECK(go_mutex_trylock(&m));
    go_mutex_unlock(&m);
    go_chan_release(done);
}

static void unlock_unlocked(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_mutex m = GO_MUTEX_INIT;
    go_mutex_unlock(&m);
}

static void unlock_twice(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_mutex m = GO_MUTEX_INIT;
    go_mutex_lock(&m);
    go_mutex_unlock(&m);
    go_mutex_unlock(&m);
}

static void test_mutex_unlock_of_unlocked_is_fatal(void)
{
    CHECK_FATAL(unlock_unlocked, "sync: unlock of unlocked mutex");
    CHECK_FATAL(unlock_twice, "sync: unlock of unlocked mutex");
}

/* A fatal error's dump shows the goroutine that hit it as running here, as Go's does, not as
 * "running on other thread". */
static void test_fatal_error_dump_shows_caller(void)
{
    check_run run = check_capture(unlock_unlocked);
    CHECK(strstr(run.output, "goroutine 1 [running]:\n\tgoroutine running on other thread") == NULL);
    CHECK_CONTAINS(run.output, "goroutine 1 [running]:\nunlock_unlocked()\n\ttests/test_sync.c:");
    check_release(&run);
}

/* ---- RWMutex ------------------------------------------------------------------------------- */

typedef struct rw_probe {
    go_rwmutex *m;
    bool write;           /* take the write lock, else a read lock */
    go_chan *entered;     /* says (its id) once it holds the lock */
    go_chan *release;     /* it unlocks when told to */
    int id;
} rw_probe;

static void rw_hold(void *arg)
{
    rw_probe p = *(rw_probe *)arg; /* *arg may be gone once the lock is released */
    if (p.write)
        go_rwmutex_lock(p.m);
    else
        go_rwmutex_rlock(p.m);
    go_send(p.entered, int, p.id);
    go_recv_drop(p.release);
    if (p.write)
        go_rwmutex_unlock(p.m);
    else
        go_rwmutex_runlock(p.m);
}

static void test_rwmutex_readers_share(void)
{
    go_rwmutex m = GO_RWMUTEX_INIT;
    go_chan *entered = go_make_chan(int, 0), *release = go_make_chan(bool, 0);
    rw_probe r1 = {&m, false, entered, release, 1}, r2 = {&m, false, entered, release, 2};
    go(rw_hold, &r1);
    go_recv_drop(entered); /* r1 holds a read lock and waits */
    go(rw_hold, &r2);
    int who = 0;
    go_recv(entered, &who); /* r2 gets one too while r1 still holds its own */
    CHECK_EQ(who, 2);
    go_send(release, bool, true);
    go_send(release, bool, true);
    /* Both read locks released: the write lock is free. */
    go_rwmutex_lock(&m);
    go_rwmutex_unlock(&m);
    go_chan_release(entered);
    go_chan_release(release);
}

static void test_rwmutex_writer_excludes_everyone(void)
{
    go_rwmutex m = GO_RWMUTEX_INIT;
    go_chan *entered = go_make_chan(int, 2), *release = go_make_chan(bool, 2);
    go_rwmutex_lock(&m);
    rw_probe r = {&m, false, entered, release, 1}, w = {&m, true, entered, release, 2};
    int64_t rid = go(rw_hold, &r), wid = go(rw_hold, &w);
    CHECK_WAIT_STATE(rid, "semacquire");
    CHECK_WAIT_STATE(wid, "semacquire");
    CHECK_EQ(go_chan_len(entered), 0);
    go_rwmutex_unlock(&m);
    /* The reader that queued during the write goes first; the writer after it leaves. */
    int first = 0, second = 0;
    go_recv(entered, &first);
    CHECK_EQ(first, 1);
    CHECK_WAIT_STATE(wid, "semacquire");
    go_send(release, bool, true);
    go_recv(entered, &second);
    CHECK_EQ(second, 2);
    go_send(release, bool, true);
    go_rwmutex_lock(&m); /* waits for the writer to let go */
    go_rwmutex_unlock(&m);
    go_chan_release(entered);
    go_chan_release(release);
}

/* Go's writer preference: once a writer waits, new readers wait behind it, even though only
 * readers hold the lock; glibc's default rwlock would let them in. */
static void test_rwmutex_waiting_writer_blocks_new_readers(void)
{
    go_rwmutex m = GO_RWMUTEX_INIT;
    go_chan *entered = go_make_chan(int, 3), *release = go_make_chan(bool, 3);
    rw_probe r1 = {&m, false, entered, release, 1}, w = {&m, true, entered, release, 2},
             r2 = {&m, false, entered, release, 3};
    go(rw_hold, &r1);
    int who = 0;
    go_recv(entered, &who);
    CHECK_EQ(who, 1);
    int64_t wid = go(rw_hold, &w);
    CHECK_WAIT_STATE(wid, "semacquire");
    int64_t r2id = go(rw_hold, &r2);
    CHECK_WAIT_STATE(r2id, "semacquire"); /* behind the waiting writer */
    CHECK_EQ(go_chan_len(entered), 0);
    go_send(release, bool, true); /* r1 leaves: the writer goes next, r2 still waits */
    go_recv(entered, &who);
    CHECK_EQ(who, 2);
    CHECK_WAIT_STATE(r2id, "semacquire");
    go_send(release, bool, true); /* the writer leaves: r2 goes */
    go_recv(entered, &who);
    CHECK_EQ(who, 3);
    go_send(release, bool, true);
    go_rwmutex_lock(&m);
    go_rwmutex_unlock(&m);
    go_chan_release(entered);
    go_chan_release(release);
}

typedef struct rw_counter {
    go_rwmutex m;
    long value; /* plain memory, guarded by m */
    go_wait_group wg;
    atomic_long reads_seen_odd;
} rw_counter;

static void rw_writer(void *arg)
{
    rw_counter *c = arg;
    for (int i = 0; i < 1000; i++) {
        go_rwmutex_lock(&c->m);
        c->value++; /* odd only inside the write lock */
        c->value++;
        go_rwmutex_unlock(&c->m);
    }
    go_wg_done(&c->wg);
}

static void rw_reader(void *arg)
{
    rw_counter *c = arg;
    for (int i = 0; i < 1000; i++) {
        go_rwmutex_rlock(&c->m);
        if (c->value % 2 != 0)
            atomic_fetch_add(&c->reads_seen_odd, 1);
        go_rwmutex_runlock(&c->m);
    }
    go_wg_done(&c->wg);
}

static void test_rwmutex_under_contention(void)
{
    enum { writers = 4, readers = 4 };
    rw_counter c = {GO_RWMUTEX_INIT, 0, GO_WAIT_GROUP_INIT, 0};
    go_wg_add(&c.wg, writers + readers);
    for (int i = 0; i < writers; i++)
        go(rw_writer, &c);
    for (int i = 0; i < readers; i++)
        go(rw_reader, &c);
    go_wg_wait(&c.wg);
    go_rwmutex_rlock(&c.m);
    CHECK_EQ(c.value, 2L * writers * 1000);
    go_rwmutex_runlock(&c.m);
    CHECK_EQ(atomic_load(&c.reads_seen_odd), 0);
}

static void runlock_unlocked(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_rwmutex m = GO_RWMUTEX_INIT;
    go_rwmutex_runlock(&m);
}

static void rw_unlock_unlocked(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_rwmutex m = GO_RWMUTEX_INIT;
    go_rwmutex_unlock(&m);
}

static void test_rwmutex_unlock_of_unlocked_is_fatal(void)
{
    CHECK_FATAL(runlock_unlocked, "sync: RUnlock of unlocked RWMutex");
    CHECK_FATAL(rw_unlock_unlocked, "sync: Unlock of unlocked RWMutex");
}

/* ---- Once ---------------------------------------------------------------------------------- */

typedef struct once_test {
    go_once once;
    atomic_int runs;
    int value;            /* plain: written by the one fn, read by every caller afterwards */
    go_chan *started;     /* fn says it is running */
    go_chan *finish;      /* fn waits for this before it returns */
    atomic_int returned;  /* callers whose go_once_do returned */
    go_chan *report;      /* each caller reports the value it saw */
} once_test;

static void once_fn(void *arg)
{
    once_test *t = arg;
    atomic_fetch_add(&t->runs, 1);
    go_send(t->started, bool, true);
    go_recv_drop(t->finish);
    t->value = 42;
}

static void once_caller(void *arg)
{
    once_test *t = arg;
    go_once_do(&t->once, once_fn, t);
    atomic_fetch_add(&t->returned, 1);
    go_send(t->report, int, t->value);
}

static void test_once_runs_fn_exactly_once_and_callers_wait_for_it(void)
{
    enum { n = 8 };
    once_test t = {GO_ONCE_INIT, 0, 0, go_make_chan(bool, 0), go_make_chan(bool, 0), 0,
                   go_make_chan(int, 0)};
    int64_t ids[n];
    for (int i = 0; i < n; i++)
        ids[i] = go(once_caller, &t);
    /* One caller runs fn, which stops until told to finish; every other caller must wait. */
    go_recv_drop(t.started);
    for (int i = 0; i < n; i++) {
        const char *state;
        while ((state = go_goroutine_state(ids[i])) != NULL && strcmp(state, "semacquire") != 0 &&
               strcmp(state, "chan receive") != 0) /* fn's goroutine waits on `finish` */
            check_pause();
    }
    int blocked = 0, in_fn = 0;
    for (int i = 0; i < n; i++) {
        const char *state = go_goroutine_state(ids[i]);
        blocked += state != NULL && strcmp(state, "semacquire") == 0;
        in_fn += state != NULL && strcmp(state, "chan receive") == 0;
    }
    CHECK_EQ(blocked, n - 1);
    CHECK_EQ(in_fn, 1);
    CHECK_EQ(atomic_load(&t.returned), 0);
    go_send(t.finish, bool, true);
    for (int i = 0; i < n; i++) {
        int seen = 0;
        go_recv(t.report, &seen);
        CHECK_EQ(seen, 42); /* fn had returned before this caller's go_once_do did */
    }
    CHECK_EQ(atomic_load(&t.runs), 1);

    /* Later calls return at once without running fn (it would block on `started`). */
    go_once_do(&t.once, once_fn, &t);
    CHECK_EQ(atomic_load(&t.runs), 1);
    go_chan_release(t.started);
    go_chan_release(t.finish);
    go_chan_release(t.report);
}

static void count_call(void *arg)
{
    (*(int *)arg)++;
}

static void test_once_values_are_independent(void)
{
    go_once a = GO_ONCE_INIT, b = GO_ONCE_INIT;
    int ran_a = 0, ran_b = 0;
    for (int i = 0; i < 3; i++) {
        go_once_do(&a, count_call, &ran_a);
        go_once_do(&b, count_call, &ran_b);
    }
    CHECK_EQ(ran_a, 1);
    CHECK_EQ(ran_b, 1);
}

static const check_case cases[] = {
    CHECK_CASE(test_wait_group_wait_returns_after_all_done),
    CHECK_CASE(test_wait_group_releases_every_waiter),
    CHECK_CASE(test_wait_group_at_zero_does_not_block),
    CHECK_CASE(test_wait_group_negative_counter_panics),
    CHECK_CASE(test_mutex_excludes_under_contention),
    CHECK_CASE(test_mutex_lock_waits_for_unlock),
#ifndef GO__TSAN_ENABLED
    /* Under ThreadSanitizer a go_mutex is described to TSan as a pthread-style mutex (for its
     * lock-order reports), and TSan reports an unlock by another thread: sync.h documents that
     * this Go-legal use does not mix with TSan. */
    CHECK_CASE(test_mutex_unlocked_by_another_goroutine),
#endif
    CHECK_CASE(test_mutex_trylock),
    CHECK_CASE(test_mutex_unlock_of_unlocked_is_fatal),
    CHECK_CASE(test_fatal_error_dump_shows_caller),
    CHECK_CASE(test_rwmutex_readers_share),
    CHECK_CASE(test_rwmutex_writer_excludes_everyone),
    CHECK_CASE(test_rwmutex_waiting_writer_blocks_new_readers),
    CHECK_CASE(test_rwmutex_under_contention),
    CHECK_CASE(test_rwmutex_unlock_of_unlocked_is_fatal),
    CHECK_CASE(test_once_runs_fn_exactly_once_and_callers_wait_for_it),
    CHECK_CASE(test_once_values_are_independent),
};

static const check_child children[] = {
    CHECK_CHILD(wg_negative),
    CHECK_CHILD(wg_add_too_negative),
    CHECK_CHILD(unlock_unlocked),
    CHECK_CHILD(unlock_twice),
    CHECK_CHILD(runlock_unlocked),
    CHECK_CHILD(rw_unlock_unlocked),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
