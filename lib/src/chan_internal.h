/* chan_internal.h - the channel structure, shared by chan.c, select.c and the timers. */
#ifndef GOCURRENT_CHAN_INTERNAL_H
#define GOCURRENT_CHAN_INTERNAL_H

#include "gocurrent/chan.h"
#include "runtime.h"

/* Go's hchan. Everything below `lock` is guarded by it. */
struct go_chan {
    pthread_mutex_t lock;
    size_t elem_size;
    size_t cap;
    atomic_int refs;

    unsigned char *buf; /* cap slots of elem_size bytes: a ring */
    size_t count;       /* values in buf */
    size_t send_x;      /* next slot to fill */
    size_t recv_x;      /* next slot to take */
    bool closed;
    go_waitq recvq; /* goroutines blocked receiving */
    go_waitq sendq; /* goroutines blocked sending */
};

/* With c->lock held: completes a send if it can without blocking (a receiver waits, or the
 * buffer has room) and returns true; the receiver it hands to, if any, is stored in *woken for
 * the caller to ready after unlocking. c must not be closed. */
bool go_chan_try_send_locked(go_chan *c, const void *elem, go_g **woken);

/* With c->lock held: completes a receive if it can without blocking (a sender waits, a value is
 * buffered, or c is closed) and returns true, setting *ok; a sender to ready is put in *woken. */
bool go_chan_try_recv_locked(go_chan *c, void *out, bool *ok, go_g **woken);

/* Checks that a typed operation uses the channel's element type. */
void go_chan_check_elem(go_chan *c, size_t elem_size, go_site where);

/* A send that never blocks and needs no goroutine: for the monitor thread's timers. Returns
 * whether the value was sent (false: full). */
bool go_chan_send_nonblocking(go_chan *c, const void *elem);

#endif
