/* chan.c - channels: make, send, receive, close, len, cap, and reference counting.
 *
 * Unbuffered channels work as Go's do (runtime/chan.go). The channel's lock guards two queues of
 * blocked goroutines. A goroutine never waits for a condition on the channel: it queues a waiter
 * holding a pointer to its value and parks, and the goroutine that completes the operation moves
 * the value directly between the two goroutines' own variables and readies it:
 *   - send: a receiver waiting?  copy straight into its variable and ready it;
 *           otherwise            queue and park until a receiver takes the value.
 *   - recv: a sender waiting?    copy straight from its variable and ready it;
 *           closed?              the zero value, ok = false;
 *           otherwise            queue and park until a sender hands a value or close wakes us.
 *
 * Buffered channels keep their values in a lock-free ring (chan_internal.h), and take the lock
 * only to block and to wake:
 *   - send: push. The ring is full? Lock, queue a waiter, publish that a sender waits, and push
 *           once more (a receiver may have made room meanwhile); still full: park. Woken: push
 *           again from the start.
 *   - recv: the mirror image: pop; empty? Lock, queue, publish, pop once more, park.
 *   - a sender that has claimed a cell of the ring reads the readiness word and, if a receiver
 *     waits, takes one to wake (to try again); only then does it write the value and let it
 *     go, and it touches the channel no more: once the value can be seen, a receiver may
 *     take it and free the channel. A receiver does the same for a waiting sender.
 * The goroutine about to block publishes (its waiter) and then looks (at the ring's other
 * position); the one moving a value publishes (claims its position) and then looks (at the
 * word); all four steps are sequentially consistent, so at least one of the two sees the other:
 * no receiver sleeps while a value waits in the ring, and no sender while there is room. A
 * goroutine holding the lock never waits for a push or pop midway (which may be waiting for
 * that lock to wake someone): it lets go and starts again.
 *
 *   - close: under the lock, marks the channel closed (a buffered one's ring refuses pushes from
 *            then on) and wakes every queued goroutine. Unbuffered: receivers get the zero value,
 *            senders panic. Buffered: they try again, so receivers take what is still buffered,
 *            then see the channel closed; senders panic.
 * ThreadSanitizer sees each handoff as the happens-before edge Go's memory model promises: the
 * lock, a ring cell's stamp and the parking word are each released by one goroutine and
 * acquired by the next.
 */
#define _GNU_SOURCE /* sched_yield */
#include "chan_internal.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* Go's limits: an element under 64 KiB (Go's compiler refuses bigger ones), and a buffer of at
 * most 2^32-1 elements here (the ring's indexes are 32-bit) that fits in memory. */
enum { max_elem_size = 1 << 16 };

go_chan *go_chan_make_at(size_t elem_size, size_t cap, go_site where)
{
    if (elem_size >= max_elem_size)
        go_fatal_at(where, "makechan: invalid channel element type");
    /* A cell: its stamp, then the value, rounded up to keep the next stamp aligned. */
    size_t stride = sizeof(uint64_t) + (elem_size + 7) / 8 * 8;
    if (cap > UINT32_MAX || cap > (SIZE_MAX - sizeof(go_chan) - 63) / stride)
        go_panic_at(where, "makechan: size out of range");
    /* aligned_alloc wants a multiple of the alignment. */
    size_t bytes = (sizeof(go_chan) + cap * stride + 63) / 64 * 64;
    go_chan *c = aligned_alloc(64, bytes);
    if (c == NULL)
        go_fatal_at(where, "runtime: out of memory allocating a channel");
    memset(c, 0, sizeof *c);
    c->elem_size = (uint16_t)elem_size;
    c->cap = (uint32_t)cap;
    atomic_init(&c->live, GO__CHAN_LIVE);
    atomic_init(&c->refs, 1);
    atomic_init(&c->readiness, 0);
    if (cap > 0) {
        uint64_t lap = 1;
        while (lap < cap)
            lap <<= 1;
        go__ring_side *sides[] = {&c->tail, &c->head};
        for (int i = 0; i < 2; i++) {
            atomic_init(&sides[i]->pos, 0);
            sides[i]->lap = lap;
            sides[i]->cap = (uint32_t)cap;
            sides[i]->stride = (uint32_t)stride;
        }
        /* Cell i waits for the push at position i, in lap 0. */
        for (uint64_t i = 0; i < cap; i++) {
            _Atomic uint64_t *stamp = go__ring_stamp(c, &c->tail, i);
            atomic_init(stamp, i);
            GO__IGNORE_RACES(stamp, sizeof *stamp);
        }
    }
    /* The words that goroutines read and write at once, each an edge or a snapshot, are not
     * for Helgrind and DRD to check (runtime.h): the values are, and the edges order them. */
    GO__IGNORE_RACES(&c->lock, sizeof c->lock);
    GO__IGNORE_RACES(&c->refs, sizeof c->refs);
    GO__IGNORE_RACES(&c->readiness, sizeof c->readiness);
    GO__IGNORE_RACES(&c->live, sizeof c->live);
    GO__IGNORE_RACES(&c->tail.pos, sizeof c->tail.pos);
    GO__IGNORE_RACES(&c->head.pos, sizeof c->head.pos);
    return c;
}

go_chan *go_chan_retain(go_chan *c)
{
    if (c != NULL)
        atomic_fetch_add(&c->refs, 1);
    return c;
}

void go_chan_release_at(go_chan *c, go_site where)
{
    if (c == NULL)
        return;
    go__chan_check_live(c, where);
    /* Every use of c happens before its free, as TSan sees through the decrements. */
    GO__HAPPENS_BEFORE(&c->refs);
    if (atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    GO__HAPPENS_AFTER(&c->refs);
    /* The last reference: nobody can be waiting unless a waiter holds no reference. */
    go__chan_lock(c);
    bool waiting = c->recvq.first != NULL || c->sendq.first != NULL;
    go__chan_unlock(c);
    if (waiting)
        go_fatal_at(where, "gocurrent: channel freed while goroutines are blocked on it");
    /* An atomic store, which the compiler may not drop as it may a plain one before free. */
    atomic_store_explicit(&c->live, GO__CHAN_RELEASED, memory_order_relaxed);
    free(c);
}

_Noreturn void go__chan_released(go_site where)
{
    go_fatal_at(where, "gocurrent: use of a released channel (it was released more times than retained)");
}

_Noreturn void go__chan_elem_mismatch(go_chan *c, size_t elem_size, go_site where)
{
    go_panic_at(where, "channel elements are %zu bytes, used as a %zu-byte type",
                (size_t)c->elem_size, elem_size);
}

/* Blocks forever: a send or receive on a nil channel. */
static _Noreturn void block_forever(go__wait_reason reason, go_site where)
{
    go__g *g = go__current();
    go__park_commit(g, reason, where, NULL);
    for (;;)
        go__park(g);
}

void go__ring_backoff(unsigned attempt)
{
    if (attempt < 64 && go__may_spin())
        go__cpu_relax();
    else
        sched_yield();
}

go__g *go__chan_take_waiter(go__waitq *q)
{
    /* A select that sends to and receives from the same buffered channel looks at its cases
     * once more after queueing on them, and must not take itself for a partner. */
    go__g *self = go__current_if_any();
    for (go__waiter *w = q->first; w != NULL;) {
        go__waiter *next = w->next;
        if (w->g != self) {
            go__waitq_remove(q, w);
            /* A select woken through another channel already is no partner either. */
            if (!w->is_select || atomic_exchange(&w->g->select_done, 1) == 0) {
                w->fired = true;
                w->retry = true;
                return w->g;
            }
        }
        w = next;
    }
    return NULL;
}

/* One direction of a buffered channel: a send pushes to the ring and waits among the senders,
 * a receive pops and waits among the receivers. The code below is the same for both. */
typedef struct ring_op {
    go__ring_result (*attempt)(go_chan *c, void *elem, bool locked, go__g **woken);
    go__waitq *(*queue)(go_chan *c);
    go__wait_reason reason;
} ring_op;

static go__ring_result push(go_chan *c, void *elem, bool locked, go__g **woken)
{
    return go__ring_push(c, elem, locked, woken);
}

static go__ring_result pop(go_chan *c, void *elem, bool locked, go__g **woken)
{
    return go__ring_pop(c, elem, locked, woken);
}

static go__waitq *senders(go_chan *c)
{
    return &c->sendq;
}

static go__waitq *receivers(go_chan *c)
{
    return &c->recvq;
}

static const ring_op ring_send = {push, senders, GO__WAIT_CHAN_SEND};
static const ring_op ring_recv = {pop, receivers, GO__WAIT_CHAN_RECEIVE};

/* The ring was full for a send (empty for a receive). With a partner running on another CPU
 * it will likely be otherwise within microseconds: look again a few times before blocking, which
 * costs the lock and a wake-up on both sides. The first look comes after 64 pauses (about 1 us
 * here), each later one after twice as many, 960 pauses (13 us) in all: looking reads the cache
 * lines the partner is writing and slows it down, while letting it run ahead for a while turns
 * a value-by-value lockstep into batches (measured on 1P1C: 130 ns an item
 * looking every pause, 45 ns with these waits; bench/README.md). */
enum { ring_retries = 4 };

static go__ring_result retry_briefly(go_chan *c, const ring_op *op, void *elem, go__g **woken)
{
    go__ring_result r = GO__RING_BLOCKED;
    for (int i = 0, pauses = 64; i < ring_retries && r == GO__RING_BLOCKED && go__may_spin(); i++) {
        for (int k = 0; k < pauses; k++)
            go__cpu_relax();
        pauses *= 2;
        r = op->attempt(c, elem, false, woken);
    }
    return r;
}

/* The ring was full for a send (empty for a receive): block by the protocol above. Returns the
 * result of the look after publishing, if it could proceed or found the channel closed;
 * GO__RING_BUSY if that look found another goroutine midway (it may be waiting for this lock:
 * let go and start again); or GO__RING_BLOCKED once the goroutine has parked and been woken to
 * try again. */
static go__ring_result block_buffered(go_chan *c, const ring_op *op, void *elem, go__g **woken,
                                      go_site where)
{
    go__g *g = go__current();
    go__waiter w = {.g = g, .elem = elem};
    go__waitq *q = op->queue(c);
    go__chan_lock(c);
    go__waitq_push(q, &w);
    go__chan_publish(c);
    go__ring_result r = op->attempt(c, elem, true, woken);
    if (r != GO__RING_BLOCKED) {
        go__waitq_remove(q, &w);
        go__chan_unlock(c);
        return r;
    }
    go__park_commit(g, op->reason, where, c);
    go__chan_unlock(c);
    go__park(g);
    return GO__RING_BLOCKED;
}

/* A send or receive on a buffered channel, until it is done (GO__RING_DONE) or finds the channel
 * closed (GO__RING_CLOSED): the ring, a few more looks, then blocking; woken, from the start.
 * Inline, so that the fast path calls the ring directly. */
static inline go__ring_result run_buffered(go_chan *c, const ring_op *op, void *elem, go_site where)
{
    for (;;) {
        go__g *woken = NULL;
        go__ring_result r = op->attempt(c, elem, false, &woken);
        if (r == GO__RING_BLOCKED)
            r = retry_briefly(c, op, elem, &woken);
        if (r == GO__RING_BLOCKED)
            r = block_buffered(c, op, elem, &woken, where);
        if (r == GO__RING_DONE && woken != NULL)
            go__ready(woken);
        if (r == GO__RING_DONE || r == GO__RING_CLOSED)
            return r;
    }
}

static void send_unbuffered(go_chan *c, const void *elem, go_site where)
{
    go__chan_lock(c);
    if (c->closed) {
        go__chan_unlock(c);
        go_panic_at(where, "send on closed channel");
    }
    go__g *woken = NULL;
    if (go__chan_try_send_locked(c, elem, &woken)) {
        go__chan_unlock(c);
        go__ready(woken);
        return;
    }
    go__g *g = go__current();
    go__waiter w = {.g = g, .elem = (void *)elem};
    go__waitq_push(&c->sendq, &w);
    /* Published before the goroutine shows as blocked: whoever sees it blocked here also sees
     * a sender waiting, even without the lock (a select with a default case). */
    go__chan_publish(c);
    go__park_commit(g, GO__WAIT_CHAN_SEND, where, c);
    go__chan_unlock(c);
    go__park(g);
    /* Woken by a receiver that took the value, or by close. */
    if (!w.success)
        go_panic_at(where, "send on closed channel");
}

void go_chan_send(go_chan *c, const void *elem, size_t elem_size, go_site where)
{
    if (c == NULL)
        block_forever(GO__WAIT_CHAN_SEND_NIL, where);
    go__chan_check_elem(c, elem_size, where);
    if (c->cap == 0) {
        send_unbuffered(c, elem, where);
        return;
    }
    /* A waiter's elem is a send's source as well as a receive's destination (Go's sudog.elem):
     * a send never writes through it. */
    if (run_buffered(c, &ring_send, (void *)elem, where) == GO__RING_CLOSED)
        go_panic_at(where, "send on closed channel");
}

static bool recv_unbuffered(go_chan *c, void *out, go_site where)
{
    go__chan_lock(c);
    bool ok;
    go__g *woken = NULL;
    if (go__chan_try_recv_locked(c, out, &ok, &woken)) {
        go__chan_unlock(c);
        if (woken != NULL)
            go__ready(woken);
        return ok;
    }
    go__g *g = go__current();
    go__waiter w = {.g = g, .elem = out};
    go__waitq_push(&c->recvq, &w);
    go__chan_publish(c); /* as in send_unbuffered */
    go__park_commit(g, GO__WAIT_CHAN_RECEIVE, where, c);
    go__chan_unlock(c);
    go__park(g);
    /* A sender copied its value into *out (success), or close zeroed it. */
    return w.success;
}

bool go_chan_recv(go_chan *c, void *out, size_t elem_size, go_site where)
{
    if (c == NULL)
        block_forever(GO__WAIT_CHAN_RECEIVE_NIL, where);
    if (out != NULL)
        go__chan_check_elem(c, elem_size, where);
    else
        go__chan_check_live(c, where);
    if (c->cap == 0)
        return recv_unbuffered(c, out, where);
    if (run_buffered(c, &ring_recv, out, where) == GO__RING_DONE)
        return true;
    if (out != NULL && c->elem_size > 0)
        memset(out, 0, c->elem_size);
    return false;
}

void go_chan_close(go_chan *c, go_site where)
{
    if (c == NULL)
        go_panic_at(where, "close of nil channel");
    go__chan_check_live(c, where);
    go__chan_lock(c);
    if (c->closed) {
        go__chan_unlock(c);
        go_panic_at(where, "close of closed channel");
    }
    c->closed = true;
    bool buffered = c->cap > 0;
    if (buffered) /* no push succeeds from now on */
        atomic_fetch_or_explicit(&c->tail.pos, c->tail.lap, memory_order_seq_cst);

    /* Take every waiter off the queues under the lock, wake them after releasing it. */
    go__waitq woken = {NULL, NULL};
    go__waiter *w;
    while ((w = go__waitq_pop(&c->recvq)) != NULL) {
        if (!buffered && w->elem != NULL && c->elem_size > 0)
            memset(w->elem, 0, c->elem_size);
        w->success = false;
        w->retry = buffered;
        w->fired = true;
        go__waitq_push(&woken, w);
    }
    while ((w = go__waitq_pop(&c->sendq)) != NULL) {
        w->success = false;
        w->retry = buffered;
        w->fired = true;
        go__waitq_push(&woken, w);
    }
    go__chan_unlock(c);

    /* Read next before readying: a readied goroutine may return and free its waiter. */
    for (w = woken.first; w != NULL;) {
        go__waiter *next = w->next;
        go__ready(w->g);
        w = next;
    }
}

bool go__chan_send_nonblocking(go_chan *c, const void *elem)
{
    go__g *woken = NULL;
    if (go__ring_push(c, elem, false, &woken) != GO__RING_DONE)
        return false;
    if (woken != NULL)
        go__ready(woken);
    return true;
}

size_t go_chan_len(go_chan *c)
{
    if (c == NULL)
        return 0;
    if (c->cap == 0)
        return 0;
    uint64_t head = atomic_load_explicit(&c->head.pos, memory_order_seq_cst);
    uint64_t tail = atomic_load_explicit(&c->tail.pos, memory_order_seq_cst);
    return go__ring_len(c, head, tail);
}

size_t go_chan_cap(go_chan *c)
{
    return c == NULL ? 0 : c->cap;
}
