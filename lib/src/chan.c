/* chan.c - channels: make, send, receive, close, len, cap, and reference counting.
 *
 * The algorithm is Go's (runtime/chan.go). One lock per channel guards a ring buffer and two
 * queues of blocked goroutines. A goroutine never waits for a condition on the channel: it
 * queues a waiter holding a pointer to its value and parks, and the goroutine that completes
 * the operation moves the value directly between the two goroutines' own variables and readies
 * it. So:
 *   - send: a receiver waiting?  copy straight into its variable and ready it;
 *           room in the buffer?  copy into the buffer;
 *           otherwise            queue and park until a receiver takes the value.
 *   - recv: a sender waiting?    unbuffered: copy straight from its variable; buffered (so the
 *                                buffer is full): take the oldest buffered value and put the
 *                                sender's value in the freed slot, keeping FIFO order;
 *                                either way ready the sender;
 *           a value buffered?    take it;
 *           closed?              the zero value, ok = false;
 *           otherwise            queue and park until a sender hands a value or close wakes us.
 *   - close: wakes every queued receiver (zero value, ok false) and every queued sender (which
 *            then panics, as sending on a closed channel does).
 * ThreadSanitizer sees each handoff as the happens-before edge Go's memory model promises: the
 * channel lock and the parking word are released by one goroutine and acquired by the next.
 */
#include "chan_internal.h"

#include <stdlib.h>
#include <string.h>

/* Go's limits: an element under 64 KiB (Go's compiler refuses bigger ones), and a buffer of at
 * most 2^32-1 elements here (the counts are 32-bit) that fits in memory. */
enum { max_elem_size = 1 << 16 };

go_chan *go_chan_make(size_t elem_size, size_t cap)
{
    if (elem_size >= max_elem_size)
        go_fatal("makechan: invalid channel element type");
    if (cap > UINT32_MAX || cap > (SIZE_MAX - sizeof(go_chan) - 63) / (elem_size ? elem_size : 1))
        go_panic("makechan: size out of range");
    /* aligned_alloc wants a multiple of the alignment. */
    size_t bytes = (sizeof(go_chan) + cap * elem_size + 63) / 64 * 64;
    go_chan *c = aligned_alloc(64, bytes);
    if (c == NULL)
        go_fatal("runtime: out of memory allocating a channel");
    memset(c, 0, sizeof *c);
    c->elem_size = (uint16_t)elem_size;
    c->cap = (uint32_t)cap;
    atomic_init(&c->refs, 1);
    atomic_init(&c->readiness, cap > 0 ? GO_CHAN_SEND_READY : 0);
    return c;
}

go_chan *go_chan_retain(go_chan *c)
{
    if (c != NULL)
        atomic_fetch_add(&c->refs, 1);
    return c;
}

void go_chan_release(go_chan *c)
{
    if (c == NULL || atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    /* The last reference: nobody can be waiting unless a waiter holds no reference. */
    go_chan_lock(c);
    bool waiting = c->recvq.first != NULL || c->sendq.first != NULL;
    go_chan_unlock(c);
    if (waiting)
        go_fatal("gocurrent: channel freed while goroutines are blocked on it");
    free(c);
}

_Noreturn void go_chan_elem_mismatch(go_chan *c, size_t elem_size, go_site where)
{
    go_panic_at(where, "channel elements are %zu bytes, used as a %zu-byte type", (size_t)c->elem_size,
                elem_size);
}

/* Blocks forever: a send or receive on a nil channel. */
static _Noreturn void block_forever(go_wait_reason reason, go_site where)
{
    go_g *g = go_current();
    go_park_commit(g, reason, where);
    for (;;)
        go_park(g);
}

void go_chan_send(go_chan *c, const void *elem, size_t elem_size, go_site where)
{
    if (c == NULL)
        block_forever(GO_WAIT_CHAN_SEND_NIL, where);
    go_chan_check_elem(c, elem_size, where);

    go_chan_lock(c);
    if (c->closed) {
        go_chan_unlock(c);
        go_panic_at(where, "send on closed channel");
    }
    go_g *woken = NULL;
    if (go_chan_try_send_locked(c, elem, &woken)) {
        go_chan_unlock(c);
        if (woken != NULL)
            go_ready(woken);
        return;
    }

    go_g *g = go_current();
    go_waiter w = {.g = g, .elem = (void *)elem};
    go_waitq_push(&c->sendq, &w);
    go_park_commit(g, GO_WAIT_CHAN_SEND, where);
    go_chan_unlock(c);
    go_park(g);
    /* Woken by a receiver that took the value, or by close. */
    if (!w.success)
        go_panic_at(where, "send on closed channel");
}

bool go_chan_recv(go_chan *c, void *out, size_t elem_size, go_site where)
{
    if (c == NULL)
        block_forever(GO_WAIT_CHAN_RECEIVE_NIL, where);
    if (out != NULL)
        go_chan_check_elem(c, elem_size, where);

    go_chan_lock(c);
    bool ok;
    go_g *woken = NULL;
    if (go_chan_try_recv_locked(c, out, &ok, &woken)) {
        go_chan_unlock(c);
        if (woken != NULL)
            go_ready(woken);
        return ok;
    }

    go_g *g = go_current();
    go_waiter w = {.g = g, .elem = out};
    go_waitq_push(&c->recvq, &w);
    go_park_commit(g, GO_WAIT_CHAN_RECEIVE, where);
    go_chan_unlock(c);
    go_park(g);
    /* A sender copied its value into *out (success), or close zeroed it. */
    return w.success;
}

void go_chan_close(go_chan *c, go_site where)
{
    if (c == NULL)
        go_panic_at(where, "close of nil channel");
    go_chan_lock(c);
    if (c->closed) {
        go_chan_unlock(c);
        go_panic_at(where, "close of closed channel");
    }
    c->closed = true;

    /* Take every waiter off the queues under the lock, wake them after releasing it. */
    go_waitq woken = {NULL, NULL};
    go_waiter *w;
    while ((w = go_waitq_pop(&c->recvq)) != NULL) {
        if (w->elem != NULL && c->elem_size > 0)
            memset(w->elem, 0, c->elem_size);
        w->success = false;
        w->fired = true;
        go_waitq_push(&woken, w);
    }
    while ((w = go_waitq_pop(&c->sendq)) != NULL) {
        w->success = false;
        w->fired = true;
        go_waitq_push(&woken, w);
    }
    go_chan_unlock(c);

    /* Read next before readying: a readied goroutine may return and free its waiter. */
    for (w = woken.first; w != NULL;) {
        go_waiter *next = w->next;
        go_ready(w->g);
        w = next;
    }
}

bool go_chan_send_nonblocking(go_chan *c, const void *elem)
{
    go_chan_lock(c);
    go_g *woken = NULL;
    bool sent = !c->closed && go_chan_try_send_locked(c, elem, &woken);
    go_chan_unlock(c);
    if (woken != NULL)
        go_ready(woken);
    return sent;
}

size_t go_chan_len(go_chan *c)
{
    if (c == NULL)
        return 0;
    go_chan_lock(c);
    size_t n = c->count;
    go_chan_unlock(c);
    return n;
}

size_t go_chan_cap(go_chan *c)
{
    return c == NULL ? 0 : c->cap;
}
