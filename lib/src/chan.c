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
 * The lock and the parking semaphores are pthread mutexes, so ThreadSanitizer sees each handoff
 * as the happens-before edge Go's memory model promises.
 */
#define _GNU_SOURCE /* PTHREAD_MUTEX_ADAPTIVE_NP */
#include "chan_internal.h"

#include <stdlib.h>
#include <string.h>

static void *slot(go_chan *c, size_t i)
{
    return c->buf + i * c->elem_size;
}

/* Copies one element. A zero-size element (Go's chan struct{}) has no bytes and may have no
 * buffer or source at all: memcpy must not see those NULLs. */
static void copy_elem(go_chan *c, void *dst, const void *src)
{
    if (c->elem_size > 0)
        memcpy(dst, src, c->elem_size);
}

go_chan *go_chan_make(size_t elem_size, size_t cap)
{
    if (elem_size != 0 && cap > SIZE_MAX / elem_size)
        go_panic("makechan: size out of range");
    size_t buf_bytes = cap * elem_size;
    go_chan *c = calloc(1, sizeof *c);
    unsigned char *buf = buf_bytes > 0 ? malloc(buf_bytes) : NULL;
    if (c == NULL || (buf_bytes > 0 && buf == NULL))
        go_fatal("runtime: out of memory allocating a channel");
    /* The lock is held for a few instructions at a time, so a contending thread spins briefly
     * before sleeping (glibc's adaptive mutex) rather than going straight to the kernel. */
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
    pthread_mutex_init(&c->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    c->elem_size = elem_size;
    c->cap = cap;
    c->buf = buf;
    atomic_init(&c->refs, 1);
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
    pthread_mutex_lock(&c->lock);
    bool waiting = c->recvq.first != NULL || c->sendq.first != NULL;
    pthread_mutex_unlock(&c->lock);
    if (waiting)
        go_fatal("gocurrent: channel freed while goroutines are blocked on it");
    pthread_mutex_destroy(&c->lock);
    free(c->buf);
    free(c);
}

void go_chan_check_elem(go_chan *c, size_t elem_size, go_site where)
{
    if (c != NULL && elem_size != c->elem_size)
        go_panic_at(where, "channel elements are %zu bytes, used as a %zu-byte type", c->elem_size,
                    elem_size);
}

bool go_chan_try_send_locked(go_chan *c, const void *elem, go_g **woken)
{
    go_waiter *receiver = go_waitq_pop(&c->recvq);
    if (receiver != NULL) {
        if (receiver->elem != NULL)
            copy_elem(c, receiver->elem, elem);
        receiver->success = true;
        receiver->fired = true;
        *woken = receiver->g;
        return true;
    }
    if (c->count < c->cap) {
        copy_elem(c, slot(c, c->send_x), elem);
        c->send_x = (c->send_x + 1) % c->cap;
        c->count++;
        return true;
    }
    return false;
}

bool go_chan_try_recv_locked(go_chan *c, void *out, bool *ok, go_g **woken)
{
    go_waiter *sender = go_waitq_pop(&c->sendq);
    if (sender != NULL) {
        if (c->cap == 0) {
            if (out != NULL)
                copy_elem(c, out, sender->elem);
        } else {
            /* The buffer is full, or the sender would not be waiting: take the head, and the
             * sender's value becomes the tail (the slot just freed). */
            if (out != NULL)
                copy_elem(c, out, slot(c, c->recv_x));
            copy_elem(c, slot(c, c->recv_x), sender->elem);
            c->recv_x = (c->recv_x + 1) % c->cap;
            c->send_x = c->recv_x;
        }
        sender->success = true;
        sender->fired = true;
        *woken = sender->g;
        *ok = true;
        return true;
    }
    if (c->count > 0) {
        if (out != NULL)
            copy_elem(c, out, slot(c, c->recv_x));
        c->recv_x = (c->recv_x + 1) % c->cap;
        c->count--;
        *ok = true;
        return true;
    }
    if (c->closed) {
        if (out != NULL && c->elem_size > 0)
            memset(out, 0, c->elem_size);
        *ok = false;
        return true;
    }
    return false;
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

    pthread_mutex_lock(&c->lock);
    if (c->closed) {
        pthread_mutex_unlock(&c->lock);
        go_panic_at(where, "send on closed channel");
    }
    go_g *woken = NULL;
    if (go_chan_try_send_locked(c, elem, &woken)) {
        pthread_mutex_unlock(&c->lock);
        if (woken != NULL)
            go_ready(woken);
        return;
    }

    go_g *g = go_current();
    go_waiter w = {.g = g, .elem = (void *)elem};
    go_waitq_push(&c->sendq, &w);
    go_park_commit(g, GO_WAIT_CHAN_SEND, where);
    pthread_mutex_unlock(&c->lock);
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

    pthread_mutex_lock(&c->lock);
    bool ok;
    go_g *woken = NULL;
    if (go_chan_try_recv_locked(c, out, &ok, &woken)) {
        pthread_mutex_unlock(&c->lock);
        if (woken != NULL)
            go_ready(woken);
        return ok;
    }

    go_g *g = go_current();
    go_waiter w = {.g = g, .elem = out};
    go_waitq_push(&c->recvq, &w);
    go_park_commit(g, GO_WAIT_CHAN_RECEIVE, where);
    pthread_mutex_unlock(&c->lock);
    go_park(g);
    /* A sender copied its value into *out (success), or close zeroed it. */
    return w.success;
}

void go_chan_close(go_chan *c, go_site where)
{
    if (c == NULL)
        go_panic_at(where, "close of nil channel");
    pthread_mutex_lock(&c->lock);
    if (c->closed) {
        pthread_mutex_unlock(&c->lock);
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
    pthread_mutex_unlock(&c->lock);

    /* Read next before readying: a readied goroutine may return and free its waiter. */
    for (w = woken.first; w != NULL;) {
        go_waiter *next = w->next;
        go_ready(w->g);
        w = next;
    }
}

bool go_chan_send_nonblocking(go_chan *c, const void *elem)
{
    pthread_mutex_lock(&c->lock);
    go_g *woken = NULL;
    bool sent = !c->closed && go_chan_try_send_locked(c, elem, &woken);
    pthread_mutex_unlock(&c->lock);
    if (woken != NULL)
        go_ready(woken);
    return sent;
}

size_t go_chan_len(go_chan *c)
{
    if (c == NULL)
        return 0;
    pthread_mutex_lock(&c->lock);
    size_t n = c->count;
    pthread_mutex_unlock(&c->lock);
    return n;
}

size_t go_chan_cap(go_chan *c)
{
    return c == NULL ? 0 : c->cap;
}
