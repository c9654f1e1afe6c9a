/* trace_internal.h - what the tracer's files share: the clock, per-thread buffers and the
 * encoding of events (trace_format.h says what the bytes mean). Not installed.
 *
 * The tracer's files, from the bottom up:
 *   trace_clock.c   ticks: the time-stamp counter, or CLOCK_MONOTONIC
 *   trace_buf.c     per-thread buffers, writing them out, and the stop protocol
 *   trace_events.c  the observer of the seam: goroutines' lives as events
 *   trace_user.c    tasks, regions, logs
 *   trace.c         start and stop, goroutines alive at start, the counters
 *   trace_flight.c  the flight recorder: the newest batches in memory, written out on demand
 *
 * Recording an event:
 *     go__trace_buf *b = go__trace_begin();   // NULL: tracing is off, record nothing
 *     if (b != NULL) {
 *         uint64_t t = go__trace_stamp(b, 0);
 *         unsigned site = go__trace_site(b, t, where, 0);  // definitions first
 *         go__trace_event(b, GO__EV_..., t);             // then the event and its arguments
 *         go__trace_uvarint(b, ...);
 *         go__trace_end(b);
 *     }
 * Between begin and end the caller may record one event and the definitions it uses: at most
 * GO__TRACE_MAX_EVENT bytes.
 */
#ifndef GOCURRENT_TRACE_INTERNAL_H
#define GOCURRENT_TRACE_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "gocurrent/panic.h"
#include "trace_format.h"

/* ---- The clock (trace_clock.c) ---- */

/* Chooses the clock, once per process: the time-stamp counter if the CPU says it is invariant
 * (constant_tsc and nonstop_tsc), unless GOCURRENT_TRACE_CLOCK=monotonic; else CLOCK_MONOTONIC.
 * Returns the format's clock source (trace_format.h). Called by start before tracing is on. */
unsigned go__trace_clock_choose(void);
/* The clock now, in ticks. */
uint64_t go__trace_ticks(void);
/* A tick and CLOCK_MONOTONIC ns read together, for the CLOCK and END chunks. */
void go__trace_clock_pair(uint64_t *tick, uint64_t *ns);

/* ---- Buffers (trace_buf.c) ---- */

enum { GO__TRACE_BUF_SIZE = 32 * 1024, GO__TRACE_MAX_EVENT = 1536 };

typedef struct go__trace_site_key {
    const char *func, *file;
    int line;
} go__trace_site_key;

typedef struct go__trace_buf go__trace_buf;
struct go__trace_buf {
    _Atomic int busy;  /* its owner is recording an event (the stop protocol, trace_buf.c) */
    unsigned id;       /* the buffer's number, dense from 0 */
    pid_t tid;         /* the owning thread's kernel id */
    /* The batch being filled. */
    uint64_t seq;      /* its number in the trace */
    uint64_t nevents;
    uint64_t base;     /* the tick its first delta counts from */
    uint64_t last;     /* the last event's tick: the next delta counts from it */
    int64_t g;         /* the register: the goroutine the events are about */
    uintptr_t object;  /* the last object */
    const char *strings[GO__TRACE_SLOTS];
    go__trace_site_key sites[GO__TRACE_SLOTS];
    size_t len;
    unsigned char data[GO__TRACE_BUF_SIZE];
    go__trace_buf *all_next;  /* every buffer (trace_buf.c), under the list lock */
    go__trace_buf *free_next; /* buffers of ended threads, for reuse */
};

/* Tracing is on: events are recorded. Written by start and stop only. */
extern atomic_bool go__trace_on;

go__trace_buf *go__trace_begin_slow(void);
void go__trace_flush(go__trace_buf *b);
extern _Thread_local go__trace_buf *go__trace_mine;

/* Begins recording one event on the calling thread: its buffer, or NULL if tracing is off.
 * The hot path: no lock, no allocation (but the thread's first event, and a full buffer, which
 * its owner writes out here). */
static inline go__trace_buf *go__trace_begin(void)
{
    go__trace_buf *b = go__trace_mine;
    if (b == NULL)
        return go__trace_begin_slow();
    /* Busy before looking at go__trace_on: stop clears go__trace_on, then waits for busy to
     * clear (trace_buf.c: membarrier(2) orders the two on the stopping side). */
    atomic_store_explicit(&b->busy, 1, memory_order_relaxed);
    atomic_signal_fence(memory_order_seq_cst);
    if (!atomic_load_explicit(&go__trace_on, memory_order_acquire)) {
        atomic_store_explicit(&b->busy, 0, memory_order_release);
        return NULL;
    }
    if (b->len > GO__TRACE_BUF_SIZE - GO__TRACE_MAX_EVENT)
        go__trace_flush(b);
    return b;
}

/* Ends the event begun: what it wrote is the stopper's to write out from now on. */
static inline void go__trace_end(go__trace_buf *b)
{
    atomic_store_explicit(&b->busy, 0, memory_order_release);
}

/* The tick for the next event of b: now, but no earlier than b's last event, and later than
 * `after` (the tick of the last event of the goroutine it is about: g->trace_tick; 0 if none). */
static inline uint64_t go__trace_stamp(go__trace_buf *b, uint64_t after)
{
    uint64_t t = go__trace_ticks();
    if (t < b->last)
        t = b->last;
    if (t <= after)
        t = after + 1;
    return t;
}

static inline void go__trace_byte(go__trace_buf *b, unsigned char c)
{
    b->data[b->len++] = c;
}

static inline void go__trace_uvarint(go__trace_buf *b, uint64_t v)
{
    while (v >= 0x80) {
        b->data[b->len++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    b->data[b->len++] = (unsigned char)v;
}

static inline void go__trace_svarint(go__trace_buf *b, int64_t v)
{
    go__trace_uvarint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

/* An event's type and delta, at tick t (>= b->last). */
static inline void go__trace_event(go__trace_buf *b, go__trace_ev type, uint64_t t)
{
    go__trace_byte(b, (unsigned char)type);
    go__trace_uvarint(b, t - b->last);
    b->last = t;
    b->nevents++;
}

/* bytes: s cut at max bytes. */
static inline void go__trace_bytes(go__trace_buf *b, const char *s, size_t max)
{
    size_t n = s != NULL ? strnlen(s, max) : 0;
    go__trace_uvarint(b, n);
    if (n > 0)
        memcpy(b->data + b->len, s, n);
    b->len += n;
}

/* The string slot that holds s in b's batch, binding one (a STRING event at t) if none does;
 * never the slot `avoid` (one the caller's event already uses). 0 for NULL. */
unsigned go__trace_string(go__trace_buf *b, uint64_t t, const char *s, unsigned avoid);
/* The site slot for `where`, as go__trace_string (0 for a site with no function). */
unsigned go__trace_site(go__trace_buf *b, uint64_t t, go_site where, unsigned avoid);
/* Sets the register to gid, with a SETG event at t if it is not already. */
void go__trace_setg(go__trace_buf *b, uint64_t t, int64_t gid);
/* The svarint that moves the last object to `object`. */
static inline void go__trace_object(go__trace_buf *b, const void *object)
{
    uintptr_t o = (uintptr_t)object;
    go__trace_svarint(b, (int64_t)(o - b->object));
    b->object = o;
}

/* ---- Sessions (trace_buf.c), for trace.c ---- */

/* Begins writing a trace to fd: returns 0, or an errno (ENOSYS: no membarrier). With start's
 * lock held, tracing off. */
int go__trace_session_open(int fd);

/* The flight recorder's session: batches are kept in memory, the newest max_bytes of them
 * (at least the newest one), instead of written. */
typedef struct go__trace_kept go__trace_kept;
struct go__trace_kept {
    unsigned id;
    pid_t tid;
    uint64_t seq, nevents, base;
    size_t len;
    go__trace_kept *next; /* the next newer */
    unsigned char data[];
};
int go__trace_session_open_flight(size_t max_bytes);
/* Takes the batches kept, oldest first (the caller frees each), leaving the ring empty. */
go__trace_kept *go__trace_flight_take(void);
/* Frees what the ring holds and ends the flight recorder's session. */
void go__trace_flight_close(void);
bool go__trace_flight_on(void);
/* How many buffers exist: a number no buffer has yet. */
unsigned go__trace_buffers(void);
/* Writes the iovecs whole to fd, whatever write(2) takes at a time: 0 or an errno. */
struct iovec;
int go__trace_write_all(int fd, struct iovec *iov, int count);
/* Writes a chunk (kind, length, head, body) to fd: 0 or an errno. */
int go__trace_write_chunk_to(int fd, go__trace_chunk kind, const unsigned char *head, size_t head_len,
                             const unsigned char *body, size_t body_len);
/* Empties b's batch: the next one starts where this one ended (b->last), with empty tables. */
void go__trace_reset_batch(go__trace_buf *b);
/* The uvarint v at p; returns its length (at most 10). */
size_t go__trace_put_uvarint(unsigned char *p, uint64_t v);

/* ---- Recording (trace.c), for the flight recorder (trace_flight.c) ---- */

/* Serialises starting, stopping and writing out. */
extern pthread_mutex_t go__trace_start_lock;
/* With go__trace_start_lock held and a session open: turns recording on (goroutines alive now
 * recorded, counters every tick), or off (every buffer written out: the stop protocol). */
void go__trace_recording_on(void);
void go__trace_recording_off(void);
/* The STATE event of goroutine g at tick t, into b (between begin and end, or into a buffer
 * no thread records into). */
struct go__g;
void go__trace_state_into(go__trace_buf *b, uint64_t t, struct go__g *g);
/* Writes a chunk of the file (under the file's lock). */
void go__trace_write_chunk(go__trace_chunk kind, const unsigned char *payload, size_t len);
/* Stops recording on every thread and writes every buffer out (the stop protocol). */
void go__trace_session_drain(void);
/* How many batches were written, and events dropped; the first write error (0: none). */
void go__trace_session_totals(uint64_t *batches, uint64_t *dropped, int *error);

/* ---- The observer (trace_events.c) ---- */
void go__trace_events_on(void);
void go__trace_events_off(void);

#endif
