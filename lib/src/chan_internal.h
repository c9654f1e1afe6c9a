/* chan_internal.h - the channel structure, shared by chan.c, select.c and the timers. */
#ifndef GOCURRENT_CHAN_INTERNAL_H
#define GOCURRENT_CHAN_INTERNAL_H

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "gocurrent/chan.h"
#include "lock.h"
#include "os.h"
#include "park.h"
#include "runtime.h"
#include "waitq.h"

/* Go's hchan, with the buffer of a buffered channel made lock-free.
 *
 * The lock guards the two queues of blocked goroutines and `closed`. An unbuffered channel does
 * everything under it, as Go does. A buffered channel's values live in a ring that senders and
 * receivers use without the lock (below), so that a producer and a consumer on two CPUs do not
 * pass the lock's cache line back and forth for every value; they take the lock only to block,
 * to wake a blocked goroutine, and to close. The first cache line holds what every operation
 * reads; the senders' position and the receivers' position have a line each; the ring's cells
 * follow. */
typedef struct go__ring_side {
    _Atomic uint64_t pos; /* next position to fill (senders') or to take (receivers') */
    uint64_t lap;         /* a lap of positions: the power of two above every cell index */
    uint32_t cap;         /* copies of the channel's constants, read from this side's line */
    uint32_t stride;      /* bytes per cell: its stamp, then the value */
} go__ring_side;

struct go_chan {
    go__lock lock;
    uint16_t elem_size;
    bool closed;
    uint32_t cap;
    atomic_int refs;       /* references, go_chan_retain/release; not guarded by lock */
    atomic_uint readiness; /* see go__chan_publish; written under lock, read without */
    go__waitq recvq;        /* goroutines blocked receiving */
    go__waitq sendq;        /* goroutines blocked sending */
    atomic_uint live;       /* GO__CHAN_LIVE until released (go__chan_check_live) */
    alignas(64) go__ring_side tail; /* buffered only: where senders push (and the closed bit) */
    alignas(64) go__ring_side head; /* buffered only: where receivers pop */
    alignas(64) unsigned char cells[];
};

/* What a goroutine can learn of a channel without its lock, published as one word whenever the
 * lock is released: closed, senders blocked, receivers blocked; above those bits, a version that
 * counts their changes, so that reading the same word twice proves they held all the while. A
 * select with a default case reads it (with a buffered channel's positions) to find nothing
 * ready without locking anything; a buffered send or receive reads it to learn whether a
 * blocked goroutine needs waking. A select waiter already claimed elsewhere still counts as
 * blocked: the word may claim a partner that is not there (the locked path finds out), never
 * the reverse. */
enum {
    GO__CHAN_CLOSED = 1u,
    GO__CHAN_SENDERS = 2u,
    GO__CHAN_RECEIVERS = 4u,
    GO__CHAN_VERSION_ONE = 8u,
};

static inline void go__chan_lock(go_chan *c)
{
    go__lock_acquire(&c->lock);
}

/* With c->lock held: publishes the word if its bits changed. Sequentially consistent, because a
 * goroutine about to block publishes that it waits and then looks at the ring once more, while
 * a sender (receiver) moves a value and then looks at the word: one of the two must see the
 * other (chan.c). */
static inline void go__chan_publish(go_chan *c)
{
    unsigned bits = (c->closed ? GO__CHAN_CLOSED : 0) |
                    (c->sendq.first != NULL ? GO__CHAN_SENDERS : 0) |
                    (c->recvq.first != NULL ? GO__CHAN_RECEIVERS : 0);
    unsigned word = atomic_load_explicit(&c->readiness, memory_order_relaxed);
    if ((word & (GO__CHAN_VERSION_ONE - 1)) != bits) {
        unsigned version = (word & ~(GO__CHAN_VERSION_ONE - 1)) + GO__CHAN_VERSION_ONE;
        atomic_store_explicit(&c->readiness, version | bits, memory_order_seq_cst);
    }
}

/* Releases c's lock, publishing the word first: whenever the lock is free, the word describes
 * the channel's queues as they are. */
static inline void go__chan_unlock(go_chan *c)
{
    go__chan_publish(c);
    go__lock_release(&c->lock);
}

/* Copies one element. A zero-size element (Go's chan struct{}) has no bytes and may have no
 * source at all: memcpy must not see a NULL. The common sizes get a memcpy of constant size,
 * which compiles to one move instead of a call. */
static inline void go__chan_copy_elem(go_chan *c, void *dst, const void *src)
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

/* ---- The ring of a buffered channel ----
 *
 * A bounded queue many goroutines push to and pop from at once, without a lock (the design of
 * Dmitry Vyukov's bounded MPMC queue). Positions count up forever: a position is a lap number
 * times 2*lap, plus a cell index below cap; the bit worth `lap` in the senders' position means
 * "closed". Each cell carries a stamp saying what it waits for: the position p of a push (the
 * cell is free for it), or p+1 (a value pushed at p waits for the pop at p), or, once popped,
 * p + 2*lap (free for the push one lap later). A push claims its position by advancing the
 * senders' position with a compare-and-swap, writes the value, then sets the stamp (release);
 * a pop waits for that stamp (acquire), claims its position the same way, reads, and frees the
 * cell. So values pass in order, a reader never sees half a value, and senders and receivers
 * touch different cache lines except for the cells themselves. Helgrind and DRD are told of
 * the same edges on the stamp (GO__HAPPENS_BEFORE before it is set, GO__HAPPENS_AFTER once a
 * position is claimed on what it said), and never check the stamps themselves (chan.c). */
typedef enum go__ring_result {
    GO__RING_DONE,    /* pushed or popped */
    GO__RING_BLOCKED, /* full (push) or empty (pop): the caller must wait */
    GO__RING_CLOSED,  /* the channel is closed: a push must panic; a pop found it drained too */
    GO__RING_BUSY,    /* (a caller holding the lock only) another goroutine is midway: try again */
} go__ring_result;

static inline _Atomic uint64_t *go__ring_stamp(go_chan *c, const go__ring_side *side, uint64_t pos)
{
    return (_Atomic uint64_t *)(void *)(c->cells + (size_t)(pos & (side->lap - 1)) * side->stride);
}

static inline void *go__ring_value(_Atomic uint64_t *stamp)
{
    return (unsigned char *)stamp + sizeof *stamp;
}

/* The position after pos: the next cell, or the first cell of the next lap. */
static inline uint64_t go__ring_next(const go__ring_side *side, uint64_t pos)
{
    if ((pos & (side->lap - 1)) + 1 < side->cap)
        return pos + 1;
    return (pos & ~(2 * side->lap - 1)) + 2 * side->lap;
}

/* Waiting for another goroutine in the middle of a push or pop (a few instructions, unless it
 * was preempted there: then yield, so that it can finish). */
void go__ring_backoff(unsigned attempt);

/* With c->lock held: takes the first goroutine blocked on q (a select's only if it can be
 * claimed), marks it woken to try again, and returns it to be readied; NULL if none. */
go__g *go__chan_take_waiter(go__waitq *q);

/* A push (pop) that has claimed its position, before it lets the value (the cell) go: if the
 * word says receivers (senders) are blocked, takes one to wake. It must happen now, not after:
 * once the value is out, its receiver may return and free the channel (chan.c). Takes the lock
 * unless the caller holds it. */
static inline go__g *go__ring_take_partner(go_chan *c, unsigned blocked_bit, go__waitq *q, bool locked)
{
    if (!(atomic_load_explicit(&c->readiness, memory_order_seq_cst) & blocked_bit))
        return NULL;
    if (locked)
        return go__chan_take_waiter(q);
    go__chan_lock(c);
    go__g *g = go__chan_take_waiter(q);
    go__chan_unlock(c);
    return g;
}

/* Pushes *elem, or says why it cannot; a blocked receiver to ready is stored in *woken. The
 * loads of the other side's position are sequentially consistent: they are the "look at the
 * ring" of the blocking protocol in chan.c. A caller holding c->lock passes locked: it must not
 * wait for a pop midway, which may be waiting for that lock, so it gets GO__RING_BUSY instead. */
static inline go__ring_result go__ring_push(go_chan *c, const void *elem, bool locked, go__g **woken)
{
    go__ring_side *tail = &c->tail;
    uint64_t pos = atomic_load_explicit(&tail->pos, memory_order_relaxed);
    for (unsigned attempt = 0;; attempt++) {
        if (pos & tail->lap)
            return GO__RING_CLOSED;
        _Atomic uint64_t *stamp = go__ring_stamp(c, tail, pos);
        uint64_t seen = atomic_load_explicit(stamp, memory_order_acquire);
        if (seen == pos) {
            if (atomic_compare_exchange_weak_explicit(&tail->pos, &pos, go__ring_next(tail, pos),
                                                      memory_order_seq_cst, memory_order_relaxed)) {
                *woken = go__ring_take_partner(c, GO__CHAN_RECEIVERS, &c->recvq, locked);
                GO__HAPPENS_AFTER(stamp);
                go__chan_copy_elem(c, go__ring_value(stamp), elem);
                GO__HAPPENS_BEFORE(stamp);
                atomic_store_explicit(stamp, pos + 1, memory_order_release);
                return GO__RING_DONE;
            }
            continue; /* another sender took pos; the failed exchange loaded the new one */
        }
        if (seen + 2 * tail->lap == pos + 1) {
            /* The cell still holds the value pushed a lap ago: full, unless it is being popped. */
            uint64_t head = atomic_load_explicit(&c->head.pos, memory_order_seq_cst);
            if (head + 2 * tail->lap == pos)
                return GO__RING_BLOCKED;
        }
        if (locked)
            return GO__RING_BUSY;
        go__ring_backoff(attempt);
        pos = atomic_load_explicit(&tail->pos, memory_order_relaxed);
    }
}

/* Pops into *out (NULL: drop the value), or says why it cannot; as go__ring_push, for a blocked
 * sender. */
static inline go__ring_result go__ring_pop(go_chan *c, void *out, bool locked, go__g **woken)
{
    go__ring_side *head = &c->head;
    uint64_t pos = atomic_load_explicit(&head->pos, memory_order_relaxed);
    for (unsigned attempt = 0;; attempt++) {
        _Atomic uint64_t *stamp = go__ring_stamp(c, head, pos);
        uint64_t seen = atomic_load_explicit(stamp, memory_order_acquire);
        if (seen == pos + 1) {
            if (atomic_compare_exchange_weak_explicit(&head->pos, &pos, go__ring_next(head, pos),
                                                      memory_order_seq_cst, memory_order_relaxed)) {
                *woken = go__ring_take_partner(c, GO__CHAN_SENDERS, &c->sendq, locked);
                GO__HAPPENS_AFTER(stamp);
                if (out != NULL)
                    go__chan_copy_elem(c, out, go__ring_value(stamp));
                GO__HAPPENS_BEFORE(stamp);
                atomic_store_explicit(stamp, pos + 2 * head->lap, memory_order_release);
                return GO__RING_DONE;
            }
            continue;
        }
        if (seen == pos) {
            /* Nothing pushed here yet: empty, unless a push has claimed pos and is writing. */
            uint64_t tail = atomic_load_explicit(&c->tail.pos, memory_order_seq_cst);
            if ((tail & ~head->lap) == pos)
                return tail & head->lap ? GO__RING_CLOSED : GO__RING_BLOCKED;
        }
        if (locked)
            return GO__RING_BUSY;
        go__ring_backoff(attempt);
        pos = atomic_load_explicit(&head->pos, memory_order_relaxed);
    }
}

/* The number of values in the ring, from the two positions (a snapshot, as len(ch) is). Read
 * head before tail: both only grow, so the count cannot come out negative. */
static inline uint32_t go__ring_len(go_chan *c, uint64_t head, uint64_t tail)
{
    uint64_t lap = c->tail.lap;
    tail &= ~lap;
    uint64_t lap_bits = ~(2 * lap - 1);
    int64_t laps = (int64_t)((tail & lap_bits) - (head & lap_bits)) / (int64_t)(2 * lap);
    int64_t n = laps * c->cap + (int64_t)(tail & (lap - 1)) - (int64_t)(head & (lap - 1));
    return n < 0 ? 0 : n > (int64_t)c->cap ? c->cap : (uint32_t)n;
}

/* ---- Unbuffered channels, under the lock, as in Go ---- */

/* With c->lock held, c unbuffered and not closed: hands *elem to a waiting receiver, if any,
 * and returns true; the receiver is stored in *woken for the caller to ready after unlocking. */
static inline bool go__chan_try_send_locked(go_chan *c, const void *elem, go__g **woken)
{
    go__waiter *receiver = c->recvq.first != NULL ? go__waitq_pop(&c->recvq) : NULL;
    if (receiver == NULL)
        return false;
    if (receiver->elem != NULL)
        go__chan_copy_elem(c, receiver->elem, elem);
    receiver->success = true;
    receiver->fired = true;
    *woken = receiver->g;
    return true;
}

/* With c->lock held, c unbuffered: takes a waiting sender's value, or the zero value if c is
 * closed, and returns true, setting *ok; a sender to ready is put in *woken. */
static inline bool go__chan_try_recv_locked(go_chan *c, void *out, bool *ok, go__g **woken)
{
    go__waiter *sender = c->sendq.first != NULL ? go__waitq_pop(&c->sendq) : NULL;
    if (sender != NULL) {
        if (out != NULL)
            go__chan_copy_elem(c, out, sender->elem);
        sender->success = true;
        sender->fired = true;
        *woken = sender->g;
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

/* A released channel's memory is freed, so using it again is undefined; but malloc seldom
 * touches the end of a freed block's first line, where `live` sits (glibc's free lists write the
 * first 16 to 32 bytes). So an operation on a channel released, and not yet reused for another,
 * finds live != GO__CHAN_LIVE and ends in a fatal error that names the mistake, rather than in
 * whatever the freed bytes say. Not a guarantee: AddressSanitizer's is (heap-use-after-free). */
enum { GO__CHAN_LIVE = 0x6368616e /* "chan" */, GO__CHAN_RELEASED = 0xdeadc4a9 };

_Noreturn void go__chan_released(go_site where);
static inline void go__chan_check_live(go_chan *c, go_site where)
{
    if (atomic_load_explicit(&c->live, memory_order_relaxed) != GO__CHAN_LIVE)
        go__chan_released(where);
}

/* Checks that a live channel is used with its element type (the panics are out of line). */
_Noreturn void go__chan_elem_mismatch(go_chan *c, size_t elem_size, go_site where);
static inline void go__chan_check_elem(go_chan *c, size_t elem_size, go_site where)
{
    go__chan_check_live(c, where);
    if (elem_size != c->elem_size)
        go__chan_elem_mismatch(c, elem_size, where);
}

/* A send on a buffered channel that never blocks and needs no goroutine: for the monitor
 * thread's timers. Returns whether the value was sent (false: full or closed). */
bool go__chan_send_nonblocking(go_chan *c, const void *elem);

#endif
