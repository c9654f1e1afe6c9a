/* context.c - cancellable contexts with deadlines.
 *
 * Each context has a lock guarding its error and its list of children. Cancelling sets the
 * error, closes the done channel, and cancels the children, top down.
 *
 * The deadline is a monitor timer embedded in the context. While it is pending it holds a
 * reference, so the context cannot be freed under it. Exactly one side drops that reference:
 * the timer when it fires, or go_cancel when it stops the timer before it fired.
 */
#include "gocurrent/context.h"

#include <pthread.h>
#include <stdlib.h>

#include "monitor.h"
#include "runtime.h"

static const char canceled[] = "context canceled";
static const char deadline_exceeded[] = "context deadline exceeded";

struct go_context {
    pthread_mutex_t lock;
    atomic_int refs;
    go_context *parent; /* holds a reference; NULL under Background */
    go_chan *done;
    const char *err;                  /* NULL until cancelled */
    go_context *first_child;          /* live children, linked through next_sibling */
    go_context *prev_sibling, *next_sibling;
    go__timer deadline;                /* started by go_with_timeout only */
};

/* Background is a context like the others with a nil done channel that nothing cancels. */
static go_context background = {.lock = PTHREAD_MUTEX_INITIALIZER};

go_context *go_background(void)
{
    return &background;
}

go_context *go_context_retain(go_context *ctx)
{
    if (ctx != &background)
        atomic_fetch_add(&ctx->refs, 1);
    return ctx;
}

static void cancel_with(go_context *ctx, const char *err);

static void fire_deadline(go__timer *t, int64_t now)
{
    (void)now;
    go_context *ctx = (go_context *)((char *)t - offsetof(go_context, deadline));
    cancel_with(ctx, deadline_exceeded);
    go_context_release(ctx); /* the timer's reference */
}

static go_context *new_child(go_context *parent)
{
    go_context *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL)
        go_fatal("runtime: out of memory allocating a context");
    pthread_mutex_init(&ctx->lock, NULL);
    atomic_init(&ctx->refs, 1);
    ctx->done = go_chan_make(0, 0);
    ctx->parent = go_context_retain(parent);

    /* Join the parent, or start cancelled if it already is. */
    pthread_mutex_lock(&parent->lock);
    const char *parent_err = parent->err;
    if (parent_err == NULL) {
        ctx->next_sibling = parent->first_child;
        if (parent->first_child != NULL)
            parent->first_child->prev_sibling = ctx;
        parent->first_child = ctx;
    }
    pthread_mutex_unlock(&parent->lock);
    if (parent_err != NULL)
        cancel_with(ctx, parent_err);
    return ctx;
}

go_context *go_with_cancel(go_context *parent)
{
    return new_child(parent);
}

go_context *go_with_timeout(go_context *parent, go_duration d)
{
    go__runtime_ensure(); /* the monitor thread fires the deadline */
    go_context *ctx = new_child(parent);
    ctx->deadline.fire = fire_deadline;
    ctx->deadline.kind = GO__TIMER_DEADLINE;
    ctx->deadline.object = ctx->done;
    go_context_retain(ctx); /* the timer's reference */
    go__timer_start(&ctx->deadline, d, 0);
    return ctx;
}

go_chan *go_context_done(go_context *ctx)
{
    return ctx->done;
}

const char *go_context_err(go_context *ctx)
{
    pthread_mutex_lock(&ctx->lock);
    const char *err = ctx->err;
    pthread_mutex_unlock(&ctx->lock);
    return err;
}

/* Takes ctx out of its parent's list of children. */
static void detach(go_context *ctx)
{
    go_context *parent = ctx->parent;
    pthread_mutex_lock(&parent->lock);
    if (ctx->prev_sibling != NULL)
        ctx->prev_sibling->next_sibling = ctx->next_sibling;
    else if (parent->first_child == ctx)
        parent->first_child = ctx->next_sibling;
    if (ctx->next_sibling != NULL)
        ctx->next_sibling->prev_sibling = ctx->prev_sibling;
    ctx->prev_sibling = ctx->next_sibling = NULL;
    pthread_mutex_unlock(&parent->lock);
}

/* Cancels ctx and its descendants with err, unless already cancelled. The children are
 * cancelled with ctx's lock held, so none can detach itself (and be freed) meanwhile; locks are
 * always taken parent before child, so this cannot deadlock. Runs on the monitor thread for a
 * deadline, so it never blocks on anything but these locks and never touches timers. */
static void cancel_with(go_context *ctx, const char *err)
{
    pthread_mutex_lock(&ctx->lock);
    if (ctx->err == NULL) {
        ctx->err = err;
        go_chan_close(ctx->done, GO_HERE);
        go_context *child = ctx->first_child;
        ctx->first_child = NULL;
        while (child != NULL) {
            go_context *next = child->next_sibling;
            child->prev_sibling = child->next_sibling = NULL;
            cancel_with(child, err);
            child = next;
        }
    }
    pthread_mutex_unlock(&ctx->lock);
}

void go_cancel(go_context *ctx)
{
    if (ctx == &background)
        return;
    detach(ctx);
    cancel_with(ctx, canceled);
    /* A deadline that has not fired will not: its reference is ours to drop. */
    if (ctx->deadline.fire != NULL && go__timer_stop(&ctx->deadline))
        go_context_release(ctx);
}

void go_context_release(go_context *ctx)
{
    if (ctx == &background || atomic_fetch_sub(&ctx->refs, 1) != 1)
        return;
    detach(ctx);
    go_chan_release(ctx->done);
    go_context_release(ctx->parent);
    pthread_mutex_destroy(&ctx->lock);
    free(ctx);
}
