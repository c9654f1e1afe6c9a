/* park.h - parking and readying goroutines: Go's gopark and goready.
 *
 * Parking is two steps, because the waiter must be queued and the goroutine committed to
 * waiting before the lock that guards the queue is released, but must sleep only after:
 *
 *     lock(object); go__waitq_push(&object->queue, &w);
 *     go__park_commit(g, reason, where, object);
 *     unlock(object);
 *     go__park(g);
 *
 * Lock contract: go__park_commit is called with the lock of what g waits on held (so no waker
 * can see the waiter before g is WAITING); go__park and go__ready with no runtime lock held.
 */
#ifndef GOCURRENT_PARK_H
#define GOCURRENT_PARK_H

#include "g.h"

/* Moves g (the caller) to WAITING for `reason` on `object`, blocked at `where`. */
static inline void go__park_commit(go__g *g, go__wait_reason reason, go_site where, const void *object)
{
    go__transition(g, GO__WAITING, reason, where, object, NULL);
}

/* Sleeps until go__ready(g), then moves g (the caller) back to RUNNING. */
void go__park(go__g *g);

/* Makes a parked (or committed) goroutine runnable and wakes it. Called by its waker after
 * taking g's waiter off its queue, once per park. */
void go__ready(go__g *g);

#endif
