/* select.c - Go's select over any mix of send and receive cases.
 *
 * Much as runtime/select.go does it:
 *   1. With a default case, look at the channels without locking them first: their readiness
 *      words, and a buffered channel's ring positions (chan_internal.h). If no case can proceed
 *      and a second look finds everything unchanged, there was a moment when no case could
 *      proceed, and the select returns its default having locked nothing.
 *   2. Shuffle the cases into a random poll order, so that when several are ready each is
 *      chosen with equal probability.
 *   3. Without a default, try the cases in poll order, one at a time (and only those that look
 *      ready): a buffered channel's ring without a lock, an unbuffered channel under its own
 *      lock. Run the first that can proceed at once. (Go locks every channel for this pass; one
 *      at a time is enough, since a case found ready can run then and there.)
 *   4. None could: with a default case, return it. Otherwise sort the distinct channels into a
 *      lock order (by address, so two selects locking the same channels cannot deadlock each
 *      other), lock them all, and try every case again, since one may have become ready. Still
 *      none: queue one waiter per case on its channel, all marked as a select's; publish them
 *      and look at the buffered cases once more, as a blocking send or receive does (chan.c);
 *      then unlock and park.
 *   5. A waker claims the select by flipping g->select_done (go__waitq_pop); wakers on the other
 *      channels see it claimed and skip those waiters. Woken, lock every channel again and take
 *      the waiters that did not fire off their queues. An unbuffered channel's waker completed
 *      the case: return it. A buffered channel's waker only says there is a value or room (or
 *      the channel closed): go back to 4 and try again.
 */
#include "chan_internal.h"

#include <stdlib.h>
#include <string.h>

/* 32 random bits: xorshift64*, a fast per-goroutine generator, plenty for picking among ready
 * cases. */
static uint32_t cheap_rand(go__g *g)
{
    uint64_t x = g->rand_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    g->rand_state = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1Du) >> 32);
}

/* Draws random numbers below 2, 3, 4, ... in turn, as a shuffle of the cases needs, several from
 * one call of cheap_rand: read as a fraction in [0, 1), 32 random bits scaled by k give both a
 * number below k (the integer part) and a fresh fraction for the next draw (the rest), as in
 * Lemire's multiply-shift. Each draw uses up log2(k) bits, so after 8 draws (8! < 2^16) the
 * generator is called again; the choice stays uniform to within 2^-16. */
typedef struct shuffle_draw {
    uint32_t fraction;
    unsigned left;
} shuffle_draw;

static uint32_t draw_below(shuffle_draw *d, go__g *g, uint32_t k)
{
    if (d->left == 0) {
        d->fraction = cheap_rand(g);
        d->left = 8;
    }
    d->left--;
    uint64_t scaled = (uint64_t)d->fraction * k;
    d->fraction = (uint32_t)scaled;
    return (uint32_t)(scaled >> 32);
}

static void lock_all(go_chan **order, size_t n)
{
    for (size_t i = 0; i < n; i++)
        go__chan_lock(order[i]);
}

static void unlock_all(go_chan **order, size_t n)
{
    for (size_t i = n; i-- > 0;)
        go__chan_unlock(order[i]);
}

/* Sorts channels by address. Insertion sort: selects have a handful of cases. */
static void sort_by_address(go_chan **chans, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        go_chan *c = chans[i];
        size_t j = i;
        for (; j > 0 && (uintptr_t)chans[j - 1] > (uintptr_t)c; j--)
            chans[j] = chans[j - 1];
        chans[j] = c;
    }
}

/* What a lock-free look at a case's channel sees: its readiness word and, if buffered, the
 * ring's two positions. */
typedef struct channel_look {
    unsigned word;
    uint64_t head, tail;
} channel_look;

static channel_look look_at(const go_chan *c)
{
    channel_look look = {atomic_load_explicit(&c->readiness, memory_order_acquire), 0, 0};
    if (c->cap > 0) {
        look.head = atomic_load_explicit(&c->head.pos, memory_order_acquire);
        look.tail = atomic_load_explicit(&c->tail.pos, memory_order_acquire);
    }
    return look;
}

/* Whether case k could proceed, by the look: a partner waits, the channel is closed (a receive
 * then gets the zero value, a send panics), or the ring has a value (room). */
static bool looks_ready(const go_case *k, channel_look look)
{
    const go_chan *c = k->ch;
    bool send = k->kind == GO_CASE_SEND;
    if (look.word & (GO__CHAN_CLOSED | (send ? GO__CHAN_RECEIVERS : GO__CHAN_SENDERS)))
        return true;
    if (c->cap == 0)
        return false;
    uint64_t tail = look.tail & ~c->tail.lap; /* without the closed bit */
    return send ? look.head + 2 * c->tail.lap != tail /* not full */ : look.head != tail;
}

static bool same_look(channel_look a, channel_look b)
{
    return a.word == b.word && a.head == b.head && a.tail == b.tail;
}

/* Step 2: true if at some moment during the call no case of the select could proceed. Looks at
 * every channel twice (acquire, so the second reads come after the first); equal looks mean
 * nothing changed in between (the words count their changes; the positions only grow). Selects
 * of more than 8 channels take the locked path. */
static bool nothing_ready(const go_case *cases, size_t count)
{
    channel_look seen[8];
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (cases[i].kind == GO_CASE_DEFAULT || cases[i].ch == NULL)
            continue;
        if (n == 8)
            return false;
        seen[n] = look_at(cases[i].ch);
        if (looks_ready(&cases[i], seen[n++]))
            return false;
    }
    n = 0;
    for (size_t i = 0; i < count; i++) {
        if (cases[i].kind == GO_CASE_DEFAULT || cases[i].ch == NULL)
            continue;
        if (!same_look(look_at(cases[i].ch), seen[n++]))
            return false;
    }
    return true;
}

/* What trying a case found. */
enum { CASE_WAITS, CASE_RAN, CASE_BUSY, CASE_SEND_CLOSED };

/* A case on a buffered channel: a push to or pop from its ring, by a caller holding the
 * channel's lock (locked) or not; the ring needs no lock, the lock only makes the select's
 * other cases hold still. CASE_BUSY (locked only): a send or receive is midway, and may be
 * waiting for a lock the select holds; the select must let go of its locks and start again. */
static int ring_case(go_case *k, bool locked, go__g **woken)
{
    go_chan *c = k->ch;
    go__ring_result r = k->kind == GO_CASE_SEND ? go__ring_push(c, k->elem, locked, woken)
                                               : go__ring_pop(c, k->elem, locked, woken);
    if (r == GO__RING_BUSY)
        return CASE_BUSY;
    if (r == GO__RING_BLOCKED)
        return CASE_WAITS;
    if (k->kind == GO_CASE_SEND)
        return r == GO__RING_CLOSED ? CASE_SEND_CLOSED : CASE_RAN;
    bool ok = r == GO__RING_DONE;
    if (!ok && k->elem != NULL && c->elem_size > 0)
        memset(k->elem, 0, c->elem_size);
    if (k->ok != NULL)
        *k->ok = ok;
    return CASE_RAN;
}

/* Runs case k if it can proceed now (its channel locked). A goroutine to ready (the partner of
 * an unbuffered case, or one blocked on a buffered channel's other side) is stored in *woken. */
static inline int try_case(go_case *k, go__g **woken, go_site where, go_chan **order, size_t nlocked)
{
    go_chan *c = k->ch;
    if (k->kind == GO_CASE_SEND && c->closed) {
        unlock_all(order, nlocked);
        go_panic_at(where, "send on closed channel");
    }
    if (c->cap > 0)
        return ring_case(k, true, woken);
    if (k->kind == GO_CASE_SEND)
        return go__chan_try_send_locked(c, k->elem, woken) ? CASE_RAN : CASE_WAITS;
    bool ok;
    if (!go__chan_try_recv_locked(c, k->elem, &ok, woken))
        return CASE_WAITS;
    if (k->ok != NULL)
        *k->ok = ok;
    return CASE_RAN;
}

/* The queue a case's waiter goes on. */
static go__waitq *case_queue(const go_case *k)
{
    return k->kind == GO_CASE_SEND ? &k->ch->sendq : &k->ch->recvq;
}

int go_select_cases(go_case *cases, size_t count, go_site where)
{
    /* Check the cases and find the default. */
    int default_index = -1;
    size_t nchans = 0;
    for (size_t i = 0; i < count; i++) {
        if (cases[i].kind == GO_CASE_DEFAULT) {
            if (default_index >= 0)
                go_panic_at(where, "select: more than one default case");
            default_index = (int)i;
        } else if (cases[i].ch != NULL) {
            if (cases[i].elem != NULL)
                go__chan_check_elem(cases[i].ch, cases[i].elem_size, where);
            nchans++;
        }
    }

    /* No channel to wait on: the default case, or block forever (select {} or all nil). */
    go__g *g = go__current();
    if (nchans == 0) {
        if (default_index >= 0)
            return default_index;
        go__park_commit(g, count == 0 ? GO__WAIT_SELECT_NO_CASES : GO__WAIT_SELECT, where);
        for (;;)
            go__park(g);
    }
    if (default_index >= 0 && nothing_ready(cases, count))
        return default_index;

    /* Small selects (nearly all) need no heap allocation. */
    size_t stack_poll[8];
    size_t *poll = nchans <= 8 ? stack_poll : malloc(nchans * sizeof *poll);
    if (poll == NULL)
        go_fatal("runtime: out of memory in select");
    /* The poll order: the non-nil cases, shuffled (Fisher-Yates as it inserts). */
    shuffle_draw draw = {0, 0};
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (cases[i].kind == GO_CASE_DEFAULT || cases[i].ch == NULL)
            continue;
        size_t j = draw_below(&draw, g, (uint32_t)(n + 1));
        poll[n] = poll[j];
        poll[j] = i;
        n++;
    }

    /* Pass 1, without a default case: each case on its own, a buffered channel's without a
     * lock, an unbuffered one's under its channel's lock. */
    int chosen = -1;
    go__g *woken = NULL;
    for (size_t i = 0; i < n && chosen < 0 && default_index < 0; i++) {
        go_case *k = &cases[poll[i]];
        go_chan *c = k->ch;
        if (!looks_ready(k, look_at(c)))
            continue;
        int r;
        if (c->cap > 0) {
            r = ring_case(k, false, &woken);
            if (r == CASE_SEND_CLOSED)
                go_panic_at(where, "send on closed channel");
        } else {
            go__chan_lock(c);
            r = try_case(k, &woken, where, &c, 1);
            go__chan_unlock(c);
        }
        if (r == CASE_RAN)
            chosen = (int)poll[i];
    }
    if (chosen >= 0) {
        if (woken != NULL)
            go__ready(woken);
        if (poll != stack_poll)
            free(poll);
        return chosen;
    }

    /* Pass 2: every channel locked, in address order, so that nothing but a buffered channel's
     * ring can change between the last look at a case and queueing on it (and the ring gets a
     * look after queueing). */
    go_chan *stack_order[8];
    go__waiter stack_waiters[8];
    go_chan **order = n <= 8 ? stack_order : malloc(n * sizeof *order);
    go__waiter *waiters = n <= 8 ? stack_waiters : malloc(n * sizeof *waiters);
    if (order == NULL || waiters == NULL)
        go_fatal("runtime: out of memory in select");
    for (size_t i = 0; i < n; i++)
        order[i] = cases[poll[i]].ch;
    sort_by_address(order, n);
    size_t nlocked = 0;
    for (size_t i = 0; i < n; i++)
        if (nlocked == 0 || order[nlocked - 1] != order[i])
            order[nlocked++] = order[i];
    for (unsigned attempt = 0;; attempt++) {
        lock_all(order, nlocked);
        bool busy = false;
        for (size_t i = 0; i < n && chosen < 0; i++) {
            int r = try_case(&cases[poll[i]], &woken, where, order, nlocked);
            if (r == CASE_RAN)
                chosen = (int)poll[i];
            busy |= r == CASE_BUSY;
        }
        if (chosen < 0 && busy) {
            unlock_all(order, nlocked);
            go__ring_backoff(attempt);
            continue;
        }
        if (chosen >= 0 || default_index >= 0)
            break;

        /* Nothing ready: wait on every case at once. */
        atomic_store(&g->select_done, 0);
        for (size_t i = 0; i < n; i++) {
            go_case *k = &cases[poll[i]];
            waiters[i] = (go__waiter){.g = g, .elem = k->elem, .is_select = true,
                                     .case_index = (int)poll[i]};
            go__waitq_push(case_queue(k), &waiters[i]);
        }
        /* A buffered channel's ring changes without its lock: publish the waiters, then look
         * at those cases once more (chan.c explains why this cannot miss a value or room). */
        for (size_t i = 0; i < nlocked; i++)
            go__chan_publish(order[i]);
        for (size_t i = 0; i < n && chosen < 0; i++) {
            if (cases[poll[i]].ch->cap == 0)
                continue;
            int r = try_case(&cases[poll[i]], &woken, where, order, nlocked);
            if (r == CASE_RAN)
                chosen = (int)poll[i];
            busy |= r == CASE_BUSY;
        }
        if (chosen >= 0 || busy) {
            for (size_t i = 0; i < n; i++)
                go__waitq_remove(case_queue(&cases[poll[i]]), &waiters[i]);
            if (chosen >= 0)
                break;
            unlock_all(order, nlocked);
            go__ring_backoff(attempt);
            continue;
        }
        go__park_commit(g, GO__WAIT_SELECT, where);
        unlock_all(order, nlocked);
        go__park(g);

        lock_all(order, nlocked);
        go__waiter *fired = NULL;
        for (size_t i = 0; i < n; i++) {
            if (waiters[i].fired)
                fired = &waiters[i];
            else
                go__waitq_remove(case_queue(&cases[poll[i]]), &waiters[i]);
        }
        if (fired->retry) {
            /* A buffered channel has a value or room (or was closed): try every case again. */
            unlock_all(order, nlocked);
            continue;
        }
        chosen = fired->case_index;
        go_case *k = &cases[chosen];
        if (k->kind == GO_CASE_SEND && !fired->success) {
            unlock_all(order, nlocked);
            go_panic_at(where, "send on closed channel");
        }
        if (k->kind == GO_CASE_RECV && k->ok != NULL)
            *k->ok = fired->success;
        break;
    }
    unlock_all(order, nlocked);
    if (woken != NULL)
        go__ready(woken);
    if (chosen < 0)
        chosen = default_index;

    if (poll != stack_poll)
        free(poll);
    if (order != stack_order) {
        free(order);
        free(waiters);
    }
    return chosen;
}
