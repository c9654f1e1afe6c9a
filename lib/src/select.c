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
        GO__TEST_HOOK("select: between looks", i);
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

/* A select's working memory: the poll order (indexes of the cases to try, shuffled), the
 * distinct channels in lock order, and one waiter per polled case. Small selects (nearly all)
 * keep it on the stack; larger ones allocate it once. */
enum { small_select = 8 };

typedef struct select_state {
    go_case *cases;
    int default_index;   /* -1: none */
    size_t n;            /* cases polled: neither default nor on a nil channel */
    size_t *poll;
    go_chan **order;
    size_t nlocked;      /* distinct channels in order[] */
    go__waiter *waiters;
    go__g *g;
    go_site where;
    size_t small_poll[small_select];
    go_chan *small_order[small_select];
    go__waiter small_waiters[small_select];
} select_state;

/* Checks the cases (element sizes, at most one default); returns how many are polled, and the
 * default's index (-1: none) in *default_index. */
static size_t check_cases(const go_case *cases, size_t count, go_site where, int *default_index)
{
    size_t n = 0;
    *default_index = -1;
    for (size_t i = 0; i < count; i++) {
        const go_case *k = &cases[i];
        if (k->kind == GO_CASE_DEFAULT) {
            if (*default_index >= 0)
                go_panic_at(where, "select: more than one default case");
            *default_index = (int)i;
        } else if (k->ch != NULL) {
            if (k->elem != NULL)
                go__chan_check_elem(k->ch, k->elem_size, where);
            else
                go__chan_check_live(k->ch, where);
            n++;
        }
    }
    return n;
}

static void allocate(select_state *s)
{
    if (s->n <= small_select) {
        s->poll = s->small_poll;
        s->order = s->small_order;
        s->waiters = s->small_waiters;
        return;
    }
    s->poll = malloc(s->n * sizeof *s->poll);
    s->order = malloc(s->n * sizeof *s->order);
    s->waiters = malloc(s->n * sizeof *s->waiters);
    if (s->poll == NULL || s->order == NULL || s->waiters == NULL)
        go_fatal("runtime: out of memory in select");
}

static void release(select_state *s)
{
    if (s->poll != s->small_poll) {
        free(s->poll);
        free(s->order);
        free(s->waiters);
    }
}

/* Step 2: the poll order, the polled cases shuffled (Fisher-Yates as it inserts). */
static void shuffle(select_state *s, size_t count)
{
    shuffle_draw draw = {0, 0};
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (s->cases[i].kind == GO_CASE_DEFAULT || s->cases[i].ch == NULL)
            continue;
        size_t j = draw_below(&draw, s->g, (uint32_t)(n + 1));
        s->poll[n] = s->poll[j];
        s->poll[j] = i;
        n++;
    }
}

/* Step 3: each case that looks ready, in poll order, on its own: a buffered channel's ring
 * without a lock, an unbuffered channel under its own lock. Returns the case that ran, or -1. */
static int poll_one_by_one(select_state *s, go__g **woken)
{
    for (size_t i = 0; i < s->n; i++) {
        go_case *k = &s->cases[s->poll[i]];
        go_chan *c = k->ch;
        if (!looks_ready(k, look_at(c)))
            continue;
        int r;
        if (c->cap > 0) {
            r = ring_case(k, false, woken);
            if (r == CASE_SEND_CLOSED)
                go_panic_at(s->where, "send on closed channel");
        } else {
            go__chan_lock(c);
            r = try_case(k, woken, s->where, &c, 1);
            go__chan_unlock(c);
        }
        if (r == CASE_RAN)
            return (int)s->poll[i];
    }
    return -1;
}

/* The distinct channels of the polled cases, sorted into lock order. */
static void lock_order(select_state *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->order[i] = s->cases[s->poll[i]].ch;
    sort_by_address(s->order, s->n);
    s->nlocked = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->nlocked == 0 || s->order[s->nlocked - 1] != s->order[i])
            s->order[s->nlocked++] = s->order[i];
}

/* Tries the polled cases in poll order with every channel locked (all of them, or with
 * only_buffered just the buffered ones). Returns the case that ran, or -1; *busy says whether
 * one found a send or receive midway. */
static int try_locked(select_state *s, bool only_buffered, go__g **woken, bool *busy)
{
    for (size_t i = 0; i < s->n; i++) {
        go_case *k = &s->cases[s->poll[i]];
        if (only_buffered && k->ch->cap == 0)
            continue;
        int r = try_case(k, woken, s->where, s->order, s->nlocked);
        if (r == CASE_RAN)
            return (int)s->poll[i];
        *busy |= r == CASE_BUSY;
    }
    return -1;
}

static void enqueue_all(select_state *s)
{
    atomic_store(&s->g->select_done, 0);
    for (size_t i = 0; i < s->n; i++) {
        go_case *k = &s->cases[s->poll[i]];
        s->waiters[i] = (go__waiter){.g = s->g, .elem = k->elem, .is_select = true,
                                     .case_index = (int)s->poll[i]};
        go__waitq_push(case_queue(k), &s->waiters[i]);
    }
}

/* Takes every waiter that did not fire off its queue; returns the one that fired. */
static go__waiter *dequeue_all(select_state *s)
{
    go__waiter *fired = NULL;
    for (size_t i = 0; i < s->n; i++) {
        if (s->waiters[i].fired)
            fired = &s->waiters[i];
        else
            go__waitq_remove(case_queue(&s->cases[s->poll[i]]), &s->waiters[i]);
    }
    return fired;
}

/* Steps 4 and 5, with the channels in lock order. Returns the case that ran, or the default's
 * index if nothing was ready and there is one. */
static int poll_locked_and_wait(select_state *s, go__g **woken)
{
    for (unsigned attempt = 0;; attempt++) {
        lock_all(s->order, s->nlocked);
        bool busy = false;
        int chosen = try_locked(s, false, woken, &busy);
        if (chosen < 0 && busy) {
            unlock_all(s->order, s->nlocked);
            go__ring_backoff(attempt);
            continue;
        }
        if (chosen >= 0 || s->default_index >= 0) {
            unlock_all(s->order, s->nlocked);
            return chosen >= 0 ? chosen : s->default_index;
        }

        /* Nothing ready: wait on every case at once. A buffered channel's ring changes without
         * its lock: publish the waiters, then look at those cases once more (chan.c explains
         * why this cannot miss a value or room). */
        enqueue_all(s);
        for (size_t i = 0; i < s->nlocked; i++)
            go__chan_publish(s->order[i]);
        chosen = try_locked(s, true, woken, &busy);
        if (chosen >= 0 || busy) {
            for (size_t i = 0; i < s->n; i++)
                go__waitq_remove(case_queue(&s->cases[s->poll[i]]), &s->waiters[i]);
            unlock_all(s->order, s->nlocked);
            if (chosen >= 0)
                return chosen;
            go__ring_backoff(attempt);
            continue;
        }
        go__park_commit(s->g, GO__WAIT_SELECT, s->where, NULL);
        unlock_all(s->order, s->nlocked);
        go__park(s->g);

        lock_all(s->order, s->nlocked);
        go__waiter *fired = dequeue_all(s);
        unlock_all(s->order, s->nlocked);
        GO__CHECK(fired != NULL, "select woken without a case that fired");
        if (fired->retry)
            continue; /* a buffered channel has a value or room (or closed): try again */
        go_case *k = &s->cases[fired->case_index];
        if (k->kind == GO_CASE_SEND && !fired->success)
            go_panic_at(s->where, "send on closed channel");
        if (k->kind == GO_CASE_RECV && k->ok != NULL)
            *k->ok = fired->success;
        return fired->case_index;
    }
}

int go_select_cases(go_case *cases, size_t count, go_site where)
{
    int default_index;
    size_t n = check_cases(cases, count, where, &default_index);
    go__g *g = go__current();

    /* No channel to wait on: the default case, or block forever (select {} or all nil). */
    if (n == 0) {
        if (default_index >= 0)
            return default_index;
        go__park_commit(g, count == 0 ? GO__WAIT_SELECT_NO_CASES : GO__WAIT_SELECT, where, NULL);
        for (;;)
            go__park(g);
    }
    if (default_index >= 0 && nothing_ready(cases, count))
        return default_index;

    /* Assigned field by field: an initialiser would clear the stack arrays on every call. */
    select_state s;
    s.cases = cases;
    s.default_index = default_index;
    s.n = n;
    s.g = g;
    s.where = where;
    allocate(&s);
    shuffle(&s, count);
    go__g *woken = NULL;
    int chosen = default_index < 0 ? poll_one_by_one(&s, &woken) : -1;
    if (chosen < 0) {
        lock_order(&s);
        chosen = poll_locked_and_wait(&s, &woken);
    }
    if (woken != NULL)
        go__ready(woken);
    release(&s);
    return chosen;
}
