/* baseline.h - the benchmarks' yardstick: the channel a C programmer writes first.
 *
 * A ring buffer under one pthread mutex with two condition variables, not_empty and not_full.
 * Unbuffered (cap 0) uses a one-slot buffer plus a handshake: the sender waits until its value
 * has been taken. Textbook code, correct, and what the workbook's channels are measured against
 * in the same process.
 */
#ifndef GOCURRENT_BENCH_BASELINE_H
#define GOCURRENT_BENCH_BASELINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct base_chan {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    size_t cap;    /* 0: unbuffered */
    size_t slots;  /* ring size: cap, or 1 when unbuffered */
    size_t head, count;
    uint64_t sent, taken; /* the unbuffered handshake */
    int64_t *ring;
} base_chan;

static inline base_chan *base_chan_make(size_t cap)
{
    base_chan *c = calloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->not_empty, NULL);
    pthread_cond_init(&c->not_full, NULL);
    c->cap = cap;
    c->slots = cap ? cap : 1;
    c->ring = calloc(c->slots, sizeof *c->ring);
    return c;
}

static inline void base_chan_free(base_chan *c)
{
    pthread_cond_destroy(&c->not_full);
    pthread_cond_destroy(&c->not_empty);
    pthread_mutex_destroy(&c->lock);
    free(c->ring);
    free(c);
}

static inline void base_chan_send(base_chan *c, int64_t v)
{
    pthread_mutex_lock(&c->lock);
    while (c->count == c->slots)
        pthread_cond_wait(&c->not_full, &c->lock);
    c->ring[(c->head + c->count) % c->slots] = v;
    c->count++;
    uint64_t mine = ++c->sent;
    pthread_cond_signal(&c->not_empty);
    /* Unbuffered: a send completes only when a receiver has taken the value. */
    while (c->cap == 0 && c->taken < mine)
        pthread_cond_wait(&c->not_full, &c->lock);
    pthread_mutex_unlock(&c->lock);
}

/* Takes a value; the caller holds the lock and count > 0. */
static inline int64_t base_chan_take(base_chan *c)
{
    int64_t v = c->ring[c->head];
    c->head = (c->head + 1) % c->slots;
    c->count--;
    c->taken++;
    /* Unbuffered: wake every sender, the one waiting for its handshake among them. */
    if (c->cap == 0)
        pthread_cond_broadcast(&c->not_full);
    else
        pthread_cond_signal(&c->not_full);
    return v;
}

static inline int64_t base_chan_recv(base_chan *c)
{
    pthread_mutex_lock(&c->lock);
    while (c->count == 0)
        pthread_cond_wait(&c->not_empty, &c->lock);
    int64_t v = base_chan_take(c);
    pthread_mutex_unlock(&c->lock);
    return v;
}

/* A receive that never blocks: the C programmer's building block for a select. */
static inline bool base_chan_try_recv(base_chan *c, int64_t *v)
{
    pthread_mutex_lock(&c->lock);
    bool ok = c->count > 0;
    if (ok)
        *v = base_chan_take(c);
    pthread_mutex_unlock(&c->lock);
    return ok;
}

static inline bool base_chan_try_send(base_chan *c, int64_t v)
{
    pthread_mutex_lock(&c->lock);
    bool ok = c->cap > 0 && c->count < c->slots;
    if (ok) {
        c->ring[(c->head + c->count) % c->slots] = v;
        c->count++;
        c->sent++;
        pthread_cond_signal(&c->not_empty);
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}

#endif
