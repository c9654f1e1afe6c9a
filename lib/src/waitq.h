/* waitq.h - waiters and the queues they wait on: Go's sudog and waitq.
 *
 * A goroutine that must wait puts a waiter record on the queue of what it waits for (a
 * channel's senders or receivers, a mutex's waiters), holding that object's lock, then parks
 * (park.h). Whoever completes its operation takes the waiter off the queue under the same lock,
 * fills in the result and readies exactly that goroutine. Nobody waits on a shared condition
 * variable.
 */
#ifndef GOCURRENT_WAITQ_H
#define GOCURRENT_WAITQ_H

#include <stdbool.h>
#include <stdint.h>

#include "gocurrent/sync.h"
#include "g.h"

/* A waiter: Go's sudog. Lives on the waiting goroutine's stack, which it must not leave while
 * queued. Queued and taken off only under the lock of the queue's owner. */
typedef struct go__waiter {
    go__g *g;
    void *elem;       /* a channel op's value: source for a send, destination for a receive */
    int64_t since;    /* Mutex only: when its goroutine first tried to lock (starvation) */
    bool success;     /* set by the waker: the operation happened (false: woken by close) */
    bool is_select;   /* one of several waiters of a select: claim it through g->select_done */
    int case_index;   /* for a select: which case this waiter stands for */
    bool fired;       /* set by the waker on the one waiter it completed or closed */
    bool retry;       /* ...or woke to try again: a buffered channel has a value, or room */
    struct go__waiter *next, *prev;
} go__waiter;

/* Queues w at the end of q. w must not be on any queue. */
void go__waitq_push(go__waitq *q, go__waiter *w);
/* Takes the first waiter that can be woken, skipping select waiters another waker claimed.
 * Returns NULL if there is none. */
go__waiter *go__waitq_pop(go__waitq *q);
/* Removes w if it is still queued (a select cleaning up the cases that did not fire). */
void go__waitq_remove(go__waitq *q, go__waiter *w);

#endif
