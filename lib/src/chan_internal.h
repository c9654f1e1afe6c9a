/* chan_internal.h - the channel structure, shared by chan.c, select.c and the timers. */
#ifndef GOCURRENT_CHAN_INTERNAL_H
#define GOCURRENT_CHAN_INTERNAL_H

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "gocurrent/chan.h"
#include "lock.h"
#include "runtime.h"

/* Go's hchan. A channel operation touches the lock, the counts and the queue heads together,
 * and when two CPUs take turns with a channel each turn moves those bytes from one CPU's cache
 * to the other's. So they share one 64-byte cache line (hence the small sizes: Go too limits an
 * element to under 64 KiB), and the ring buffer's slots follow in the same allocation. Every
 * field except refs and readiness is guarded by `lock`; the sizes never change. */
struct go_chan {
    go_lock lock;
    uint16_t elem_size;
    bool closed;
    uint32_t cap;
    atomic_int refs;          /* references, go_chan_retain/release; not guarded by lock */
    atomic_uint readiness;    /* see go_chan_unlock; written under lock, read without */
    uint32_t count;           /* values in the ring */
    uint32_t send_x;          /* next slot to fill */
    uint32_t recv_x;          /* next slot to take */
    go_waitq recvq;           /* goroutines blocked receiving */
    go_waitq sendq;           /* goroutines blocked sending */
    /* The ring: cap slots of elem_size bytes, from the next cache line. */
    alignas(64) unsigned char buf[];
};

/* A channel's readiness, readable without its lock: what lets a select with a default case
 * find nothing ready without locking anything (select.c). Bit GO_CHAN_RECV_READY: a receive
 * would complete at once (a value is buffered, a sender waits, or the channel is closed);
 * GO_CHAN_SEND_READY: a send would (there is room or a waiting receiver; or the channel is
 * closed, and the send would panic rather than wait). Above the two bits, a version counting
 * their changes, so that reading the same word twice proves they held all the while. A select
 * waiter that another channel has already claimed still counts as waiting: the word may say
 * ready when nothing is (the locked path then finds out), never the reverse. */
enum { GO_CHAN_RECV_READY = 1u, GO_CHAN_SEND_READY = 2u, GO_CHAN_VERSION_ONE = 4u };

static inline void go_chan_lock(go_chan *c)
{
    go_lock_acquire(&c->lock);
}

/* Releases c's lock, publishing its readiness first. Every critical section on a channel ends
 * here, so whenever the lock is free the word describes the channel as it is. */
static inline void go_chan_unlock(go_chan *c)
{
    unsigned bits = (c->count > 0 || c->closed || c->sendq.first != NULL ? GO_CHAN_RECV_READY : 0) |
                    (c->count < c->cap || c->closed || c->recvq.first != NULL ? GO_CHAN_SEND_READY : 0);
    unsigned word = atomic_load_explicit(&c->readiness, memory_order_relaxed);
    if ((word & (GO_CHAN_VERSION_ONE - 1)) != bits) {
        unsigned version = (word & ~(GO_CHAN_VERSION_ONE - 1)) + GO_CHAN_VERSION_ONE;
        atomic_store_explicit(&c->readiness, version | bits, memory_order_release);
    }
    go_lock_release(&c->lock);
}

/* Slot i of the ring, and the index after i (cheaper than a division). */
static inline void *go_chan_slot(go_chan *c, uint32_t i)
{
    return c->buf + (size_t)i * c->elem_size;
}

static inline uint32_t go_chan_next_slot(go_chan *c, uint32_t i)
{
    return i + 1 == c->cap ? 0 : i + 1;
}

/* Copies one element. A zero-size element (Go's chan struct{}) has no bytes and may have no
 * buffer or source at all: memcpy must not see those NULLs. The common sizes get a memcpy of
 * constant size, which compiles to one move instead of a call. */
static inline void go_chan_copy_elem(go_chan *c, void *dst, const void *src)
{
    switch (c->elem_size) {
    case 0:
        return;
    case sizeof(int32_t):
        memcpy(dst, src, sizeof(int32_t));
        return;
    case sizeof(int64_t):
        memcpy(dst, src, sizeof(int64_t));
        return;
    default:
        memcpy(dst, src, c->elem_size);
    }
}

/* With c->lock held: completes a send if it can without blocking (a receiver waits, or the
 * buffer has room) and returns true; the receiver it hands to, if any, is stored in *woken for
 * the caller to ready after unlocking. c must not be closed. */
static inline bool go_chan_try_send_locked(go_chan *c, const void *elem, go_g **woken)
{
    go_waiter *receiver = c->recvq.first != NULL ? go_waitq_pop(&c->recvq) : NULL;
    if (receiver != NULL) {
        if (receiver->elem != NULL)
            go_chan_copy_elem(c, receiver->elem, elem);
        receiver->success = true;
        receiver->fired = true;
        *woken = receiver->g;
        return true;
    }
    if (c->count < c->cap) {
        go_chan_copy_elem(c, go_chan_slot(c, c->send_x), elem);
        c->send_x = go_chan_next_slot(c, c->send_x);
        c->count++;
        return true;
    }
    return false;
}

/* With c->lock held: completes a receive if it can without blocking (a sender waits, a value is
 * buffered, or c is closed) and returns true, setting *ok; a sender to ready is put in *woken. */
static inline bool go_chan_try_recv_locked(go_chan *c, void *out, bool *ok, go_g **woken)
{
    go_waiter *sender = c->sendq.first != NULL ? go_waitq_pop(&c->sendq) : NULL;
    if (sender != NULL) {
        if (c->cap == 0) {
            if (out != NULL)
                go_chan_copy_elem(c, out, sender->elem);
        } else {
            /* The buffer is full, or the sender would not be waiting: take the head, and the
             * sender's value becomes the tail (the slot just freed). */
            if (out != NULL)
                go_chan_copy_elem(c, out, go_chan_slot(c, c->recv_x));
            go_chan_copy_elem(c, go_chan_slot(c, c->recv_x), sender->elem);
            c->recv_x = go_chan_next_slot(c, c->recv_x);
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
            go_chan_copy_elem(c, out, go_chan_slot(c, c->recv_x));
        c->recv_x = go_chan_next_slot(c, c->recv_x);
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

/* Checks that a typed operation uses the channel's element type (the panic is out of line). */
_Noreturn void go_chan_elem_mismatch(go_chan *c, size_t elem_size, go_site where);
static inline void go_chan_check_elem(go_chan *c, size_t elem_size, go_site where)
{
    if (c != NULL && elem_size != c->elem_size)
        go_chan_elem_mismatch(c, elem_size, where);
}

/* A send that never blocks and needs no goroutine: for the monitor thread's timers. Returns
 * whether the value was sent (false: full). */
bool go_chan_send_nonblocking(go_chan *c, const void *elem);

#endif
