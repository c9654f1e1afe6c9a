/* context.h - cancellation and deadlines: Go's context package, reduced to what concurrency
 * patterns need.
 *
 *     go_context *ctx = go_with_timeout(go_background(), 50 * GO_MILLISECOND);
 *     go(worker, go_context_retain(ctx));    // the worker selects on go_context_done(ctx)
 *     ...
 *     go_cancel(ctx);                        // Go's `defer cancel()`
 *     go_context_release(ctx);
 *
 * A context is cancelled by go_cancel, by its deadline passing, or by its parent being
 * cancelled; then its done channel is closed (so every goroutine selecting on it wakes) and
 * go_context_err says why. Cancelling is idempotent and never blocks.
 *
 * Lifetime: reference counted like channels. A new context has one reference for its creator;
 * give each goroutine its own with go_context_retain. A context keeps its parent alive. Always
 * call go_cancel when done with a context you created, as Go requires: it stops the deadline's
 * timer and detaches the context from its parent.
 */
#ifndef GOCURRENT_CONTEXT_H
#define GOCURRENT_CONTEXT_H

#include "chan.h"
#include "goroutine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct go_context go_context;

/* context.Background(): never cancelled, no deadline; its done channel is nil. Not counted:
 * retaining and releasing it do nothing. */
go_context *go_background(void);

/* context.WithCancel(parent). */
go_context *go_with_cancel(go_context *parent);

/* context.WithTimeout(parent, d): also cancelled, with "context deadline exceeded", d from now. */
go_context *go_with_timeout(go_context *parent, go_duration d);

/* ctx.Done(): closed when ctx is cancelled. Owned by ctx: valid while you hold a reference. */
go_chan *go_context_done(go_context *ctx);

/* ctx.Err(): NULL while not cancelled, then "context canceled" or "context deadline exceeded". */
const char *go_context_err(go_context *ctx);

/* The cancel function of WithCancel / WithTimeout: cancels ctx and every context derived from
 * it, with "context canceled". */
void go_cancel(go_context *ctx);

go_context *go_context_retain(go_context *ctx);
void go_context_release(go_context *ctx);

#ifdef __cplusplus
}
#endif

#endif
