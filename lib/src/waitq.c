/* waitq.c - FIFO queues of waiting goroutines, guarded by their owner's lock.
 *
 * Invariants (checked where GO__CHECK is on):
 *   - first == NULL exactly when last == NULL;
 *   - a queued waiter's neighbours point back at it: w->prev->next == w, w->next->prev == w;
 *   - a waiter on no queue has next == prev == NULL (how remove knows to do nothing).
 */
#include "waitq.h"

#include "gocurrent/private/valgrind.h"

void go__waitq_push(go__waitq *q, go__waiter *w)
{
    GO__CHECK(w->next == NULL && w->prev == NULL && q->first != w, "waiter queued twice");
    GO__CHECK((q->first == NULL) == (q->last == NULL), "corrupted wait queue");
    w->next = NULL;
    w->prev = q->last;
    if (q->last != NULL)
        q->last->next = w;
    else
        q->first = w;
    q->last = w;
}

void go__waitq_remove(go__waitq *q, go__waiter *w)
{
    /* A waiter not on the queue has prev == NULL and is not first: nothing to do. */
    if (w->prev == NULL && q->first != w)
        return;
    GO__CHECK(w->prev == NULL || w->prev->next == w, "corrupted wait queue");
    GO__CHECK(w->next == NULL ? q->last == w : w->next->prev == w, "corrupted wait queue");
    if (w->prev != NULL)
        w->prev->next = w->next;
    else
        q->first = w->next;
    if (w->next != NULL)
        w->next->prev = w->prev;
    else
        q->last = w->prev;
    w->next = w->prev = NULL;
}

go__waiter *go__waitq_pop(go__waitq *q)
{
    for (;;) {
        go__waiter *w = q->first;
        if (w == NULL)
            return NULL;
        go__waitq_remove(q, w);
        /* A select waits on several queues at once; only the waker that claims it may use
         * this waiter. One that lost the claim was woken elsewhere: skip it. */
        if (w->is_select) {
            /* The claim is an edge, as TSan sees the exchange: so it is for Helgrind and DRD. */
            GO__HAPPENS_BEFORE(&w->g->select_done);
            bool lost = atomic_exchange(&w->g->select_done, 1) != 0;
            GO__HAPPENS_AFTER(&w->g->select_done);
            if (lost)
                continue;
        }
        return w;
    }
}
