/* Unit tests of contexts: cancellation, deadlines, propagation to children, and goroutines
 * waiting on a context's done channel. */
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/context.h"
#include "gocurrent/goroutine.h"

static void test_background_is_never_done(void)
{
    go_context *bg = go_background();
    CHECK(go_context_done(bg) == NULL); /* a nil channel: never ready */
    CHECK(go_context_err(bg) == NULL);
    CHECK_EQ(go_select(GO_RECV_DROP(go_context_done(bg)), GO_DEFAULT), 1);
    go_cancel(bg); /* nothing cancels Background */
    CHECK(go_context_err(bg) == NULL);
    CHECK(go_context_retain(bg) == bg);
    go_context_release(bg);
}

typedef const char *err_text; /* go_send(ch, T, v) adds its own const to T */

typedef struct waiter_args {
    go_context *ctx; /* the goroutine's own reference */
    go_chan *report;
} waiter_args;

/* Waits for the context to be done, then reports its error. */
static void wait_done(void *arg)
{
    waiter_args a = *(waiter_args *)arg;
    bool ok = go_recv_drop(go_context_done(a.ctx));
    const char *err = go_context_err(a.ctx);
    go_context_release(a.ctx);
    go_send(a.report, err_text, ok ? "received a value" : err);
}

static void test_cancel_closes_done_and_wakes_waiters(void)
{
    enum { n = 4 };
    go_context *ctx = go_with_cancel(go_background());
    CHECK(go_context_err(ctx) == NULL);
    CHECK_EQ(go_select(GO_RECV_DROP(go_context_done(ctx)), GO_DEFAULT), 1);
    go_chan *report = go_make_chan(err_text, 0);
    int64_t ids[n];
    waiter_args args[n];
    for (int i = 0; i < n; i++) {
        args[i] = (waiter_args){go_context_retain(ctx), report};
        ids[i] = go(wait_done, &args[i]);
    }
    for (int i = 0; i < n; i++)
        CHECK_WAIT_STATE(ids[i], "chan receive");
    go_cancel(ctx);
    for (int i = 0; i < n; i++) {
        const char *err = NULL;
        go_recv(report, &err);
        CHECK_STREQ(err, "context canceled");
    }
    go_cancel(ctx); /* idempotent */
    CHECK_STREQ(go_context_err(ctx), "context canceled");
    go_context_release(ctx);
    go_chan_release(report);
}

static void test_cancel_propagates_to_descendants_only(void)
{
    go_context *parent = go_with_cancel(go_background());
    go_context *child = go_with_cancel(parent), *grandchild = go_with_timeout(child, 3600 * GO_SECOND);
    go_context *sibling = go_with_cancel(parent);

    go_cancel(child); /* down, not up or sideways */
    CHECK_STREQ(go_context_err(child), "context canceled");
    CHECK_STREQ(go_context_err(grandchild), "context canceled");
    CHECK(go_context_err(parent) == NULL);
    CHECK(go_context_err(sibling) == NULL);
    CHECK_EQ(go_select(GO_RECV_DROP(go_context_done(grandchild)), GO_DEFAULT), 0);

    go_cancel(parent);
    CHECK_STREQ(go_context_err(sibling), "context canceled");

    /* A child of a cancelled context starts cancelled. */
    go_context *late = go_with_cancel(parent);
    CHECK_STREQ(go_context_err(late), "context canceled");
    CHECK_EQ(go_select(GO_RECV_DROP(go_context_done(late)), GO_DEFAULT), 0);

    go_context *all[] = {late, sibling, grandchild, child, parent};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        go_cancel(all[i]);
        go_context_release(all[i]);
    }
}

static void test_timeout_cancels_at_or_after_deadline(void)
{
    const go_duration d = 10 * GO_MILLISECOND;
    int64_t start = go_nanotime();
    go_context *ctx = go_with_timeout(go_background(), d);
    go_context *child = go_with_cancel(ctx);
    CHECK(!go_recv_drop(go_context_done(ctx)));
    CHECK(go_nanotime() >= start + d);
    CHECK_STREQ(go_context_err(ctx), "context deadline exceeded");
    CHECK(!go_recv_drop(go_context_done(child)));
    CHECK_STREQ(go_context_err(child), "context deadline exceeded");
    go_cancel(ctx); /* after the deadline: the error stays */
    CHECK_STREQ(go_context_err(ctx), "context deadline exceeded");
    go_cancel(child);
    go_context_release(child);
    go_context_release(ctx);
}

static void test_cancel_before_deadline(void)
{
    go_context *ctx = go_with_timeout(go_background(), 3600 * GO_SECOND);
    go_cancel(ctx);
    CHECK_STREQ(go_context_err(ctx), "context canceled");
    CHECK(!go_recv_drop(go_context_done(ctx)));
    go_context_release(ctx);
}

/* A worker stops when its context is done: the usual select on work and ctx.Done(). */
typedef struct worker_args {
    go_context *ctx;
    go_chan *work, *results;
} worker_args;

static void worker(void *arg)
{
    worker_args a = *(worker_args *)arg;
    int handled = 0;
    for (;;) {
        int job;
        int chosen = go_select(GO_RECV(a.work, &job, NULL), GO_RECV_DROP(go_context_done(a.ctx)));
        if (chosen == 1)
            break;
        handled++;
    }
    go_context_release(a.ctx);
    go_send(a.results, int, handled);
}

static void test_worker_stops_on_cancel(void)
{
    go_context *ctx = go_with_cancel(go_background());
    go_chan *work = go_make_chan(int, 0), *results = go_make_chan(int, 0);
    worker_args a = {go_context_retain(ctx), work, results};
    int64_t id = go(worker, &a);
    for (int i = 0; i < 10; i++)
        go_send(work, int, i);
    CHECK_WAIT_STATE(id, "select");
    go_cancel(ctx);
    int handled = 0;
    go_recv(results, &handled);
    CHECK_EQ(handled, 10);
    go_context_release(ctx);
    go_chan_release(work);
    go_chan_release(results);
}

/* A goroutine waiting only for a deadline is not deadlocked: the pending timer can wake it. */
static void wait_for_deadline(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_context *ctx = go_with_timeout(go_background(), 2 * GO_MILLISECOND);
    go_recv_drop(go_context_done(ctx));
    printf("%s\n", go_context_err(ctx));
    go_cancel(ctx);
    go_context_release(ctx);
}

static void test_waiting_for_deadline_is_not_a_deadlock(void)
{
    for (int i = 0; i < 10; i++) {
        check_run run = check_capture(wait_for_deadline);
        CHECK_EQ(run.status, 0);
        CHECK_STREQ(run.output, "context deadline exceeded\n");
        check_release(&run);
    }
}

static const check_case cases[] = {
    CHECK_CASE(test_background_is_never_done),
    CHECK_CASE(test_cancel_closes_done_and_wakes_waiters),
    CHECK_CASE(test_cancel_propagates_to_descendants_only),
    CHECK_CASE(test_timeout_cancels_at_or_after_deadline),
    CHECK_CASE(test_cancel_before_deadline),
    CHECK_CASE(test_worker_stops_on_cancel),
    CHECK_CASE(test_waiting_for_deadline_is_not_a_deadlock),
};

static const check_child children[] = {
    CHECK_CHILD(wait_for_deadline),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
