/* chan.h - Go channels and select.
 *
 *     go_chan *ch = go_make_chan(go_int, 0);      // ch := make(chan int)
 *     go_send(ch, go_int, 42);                    // ch <- 42
 *     go_int v; bool ok = go_recv(ch, &v);        // v, ok := <-ch
 *     while (go_recv(ch, &v)) { ... }             // for v := range ch { ... }
 *     go_close(ch);                               // close(ch)
 *     go_chan_release(ch);                        // C only: drop this reference
 *
 * Semantics are Go's, exactly: an unbuffered channel hands a value from sender to receiver in
 * one step (each blocks until the other arrives); a buffered one is a FIFO of cap values; values
 * are copied in and out (elem_size bytes, any type); after close, buffered values are still
 * received, then every receive returns the zero value and false at once; sending on or closing
 * a closed channel panics, as does closing a nil channel; sending to or receiving from a nil
 * channel (NULL) blocks forever. Each operation is a happens-before edge that ThreadSanitizer
 * sees, as it is for Go's race detector: a send happens before the receive that gets its value.
 *
 * Lifetime: Go's garbage collector frees a channel nobody references; C counts references. A
 * new channel has one reference, owned by its creator. Hand a goroutine its own reference with
 * go_chan_retain and have it release that when done; the channel is freed when the last
 * reference is released. Releasing while a goroutine still waits on the channel is fatal. (A
 * send or receive touches the channel for the last time before its value can be seen by the
 * other side, so a receiver may release the last reference as soon as it has its value.)
 */
#ifndef GOCURRENT_CHAN_H
#define GOCURRENT_CHAN_H

#include <stdbool.h>
#include <stddef.h>

#include "builtin.h"
#include "panic.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct go_chan go_chan;

/* make(chan T, cap). Never returns NULL; out of memory is fatal. As in Go, an element of 64 KiB
 * or more is fatal ("makechan: invalid channel element type"), and a capacity too large to
 * allocate (here: over 2^32-1) panics with "makechan: size out of range"; a negative int
 * passed as cap becomes a huge size_t, so it panics the same way. */
#define go_make_chan(T, cap) go_chan_make_at(sizeof(T), (cap), GO_HERE)
/* The same by element size (0 for Go's chan struct{}). Misuse is reported at the caller's line. */
#define go_chan_make(elem_size, cap) go_chan_make_at((elem_size), (cap), GO_HERE)
go_chan *go_chan_make_at(size_t elem_size, size_t cap, go_site where);

/* Adds a reference (returns ch, so `go(worker, go_chan_retain(ch))` reads well); drops one.
 * Releasing more times than retained frees the channel early: a release or operation after the
 * last one is a fatal error ("use of a released channel") as long as the freed memory has not
 * been reused, which is usual but not certain; AddressSanitizer and ThreadSanitizer report every
 * such use (heap-use-after-free). */
go_chan *go_chan_retain(go_chan *ch);
#define go_chan_release(ch) go_chan_release_at((ch), GO_HERE)
void go_chan_release_at(go_chan *ch, go_site where);

/* ch <- value. T must be the channel's element type (its size is checked). */
#define go_send(ch, T, value) go_chan_send((ch), (const T[]){value}, sizeof(T), GO_HERE)
void go_chan_send(go_chan *ch, const void *elem, size_t elem_size, go_site where);

/* v, ok := <-ch, into *out. Returns ok: true for a value that was sent, false for the zero
 * value of a closed, drained channel. go_recv_drop(ch) is `<-ch`, discarding the value. */
#define go_recv(ch, out) go_chan_recv((ch), (out), sizeof *(out), GO_HERE)
#define go_recv_drop(ch) go_chan_recv((ch), NULL, 0, GO_HERE)
bool go_chan_recv(go_chan *ch, void *out, size_t elem_size, go_site where);

/* close(ch). */
#define go_close(ch) go_chan_close((ch), GO_HERE)
void go_chan_close(go_chan *ch, go_site where);

/* len(ch), cap(ch). A nil channel has both 0. len is a snapshot: it may change at once. */
size_t go_chan_len(go_chan *ch);
size_t go_chan_cap(go_chan *ch);

/* select. The cases are a list of GO_SEND / GO_RECV and at most one GO_DEFAULT; go_select
 * returns the index of the case that ran, so a switch on it reads like Go's select:
 *
 *     switch (go_select(GO_RECV(in, &v, &ok), GO_SEND(out, &x), GO_DEFAULT)) {
 *     case 0: ... received v (ok false: in is closed) ...
 *     case 1: ... sent x ...
 *     case 2: ... nothing was ready ...
 *     }
 *
 * If several cases are ready, one is chosen uniformly at random. A case on a nil channel is
 * never ready. Without GO_DEFAULT, go_select blocks until a case can run; with it, never.
 * go_select_forever() is Go's `select {}`. A send case on a closed
 * channel panics when chosen, as in Go. The value of a GO_SEND is read from *elem when the case
 * runs; a GO_RECV stores into *elem (NULL discards) and *ok (NULL ignores). */
typedef enum go_case_kind { GO_CASE_SEND, GO_CASE_RECV, GO_CASE_DEFAULT } go_case_kind;

typedef struct go_case {
    go_case_kind kind;
    go_chan *ch;
    void *elem;
    size_t elem_size; /* 0: not checked (NULL elem) */
    bool *ok;
} go_case;

#define GO_SEND(ch, elem) ((go_case){GO_CASE_SEND, (ch), (void *)(elem), sizeof *(elem), NULL})
#define GO_RECV(ch, elem, ok) ((go_case){GO_CASE_RECV, (ch), (elem), sizeof *(elem), (ok)})
#define GO_RECV_DROP(ch) ((go_case){GO_CASE_RECV, (ch), NULL, 0, NULL})
#define GO_DEFAULT ((go_case){GO_CASE_DEFAULT, NULL, NULL, 0, NULL})

#define go_select(...)                                                                     \
    go_select_cases((go_case[]){__VA_ARGS__}, sizeof((go_case[]){__VA_ARGS__}) / sizeof(go_case), \
                    GO_HERE)
int go_select_cases(go_case *cases, size_t count, go_site where);

/* select {}: blocks the calling goroutine forever. */
#define go_select_forever() go_select_cases(NULL, 0, GO_HERE)

#ifdef __cplusplus
}
#endif

#endif
