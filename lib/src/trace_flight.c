/* trace_flight.c - the flight recorder (trace.h): Go 1.25's trace.FlightRecorder.
 *
 * Recording is the tracer's own, per-thread buffers and all; only where a full buffer goes
 * differs: into a ring of batches in memory (trace_buf.c), which lets its oldest batches go
 * once it holds more than the bytes asked for. Writing out:
 *   1. stops recording by the stop protocol, so that every thread's buffer joins the ring
 *      whole (the newest events are in the buffers, not yet in the ring);
 *   2. writes the ring as a trace file: the header, a CLOCK whose tick0 is the window's first
 *      event (ns0 interpolated between the two readings of the clock that bracket the window),
 *      the batches with each buffer's numbers renumbered from 0 (its oldest may be gone), a
 *      batch of STATE events for every goroutine alive now, and END;
 *   3. starts recording again, into an empty ring: the next window begins there.
 * The STATE batch, stamped at the end, obeys trace_format.h's rule for STATE: a goroutine with
 * events in the window is introduced by its first one (a reader takes only its function and
 * site from STATE); one with none (asleep, blocked all window long) is introduced by its STATE,
 * in the state it has had since the window began. Its buffer number is one no buffer has.
 *
 * What a window holds at its start edge: each buffer keeps its newest batches, so the window
 * starts at slightly different times for different threads, and a goroutine's first event may
 * be the second half of a pair (its waker's UNBLOCK kept, its BLOCK gone): trace_format.h's
 * introduction rule is what makes that readable. Events recorded during the writing itself
 * (between steps 1 and 3) are not recorded at all: they fall between two windows.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "allg.h"
#include "gocurrent/trace.h"
#include "os.h"
#include "runtime.h"
#include "trace_internal.h"

/* A tick and its CLOCK_MONOTONIC time, read together when the current window began. */
static uint64_t window_tick, window_ns;

int go_trace_flight_start(size_t max_bytes)
{
    if (max_bytes == 0)
        return EINVAL;
    go__runtime_ensure();
    pthread_mutex_lock(&go__trace_start_lock);
    int err = EBUSY;
    if (!go_trace_is_enabled()) {
        go__trace_clock_choose();
        err = go__trace_session_open_flight(max_bytes);
        if (err == 0) {
            go__trace_clock_pair(&window_tick, &window_ns);
            go__trace_recording_on();
        }
    }
    pthread_mutex_unlock(&go__trace_start_lock);
    return err;
}

static size_t put(unsigned char *p, uint64_t v)
{
    return go__trace_put_uvarint(p, v);
}

/* A batch's first event's tick: its base plus the first delta (after the type byte). */
static uint64_t first_tick(const go__trace_kept *k)
{
    uint64_t delta = 0;
    for (size_t i = 1, shift = 0; i < k->len && shift < 64; i++, shift += 7) {
        delta |= (uint64_t)(k->data[i] & 0x7f) << shift;
        if (!(k->data[i] & 0x80))
            break;
    }
    return k->base + delta;
}

static int write_batch(int fd, unsigned id, pid_t tid, uint64_t seq, uint64_t nevents, uint64_t base,
                       const unsigned char *data, size_t len)
{
    unsigned char head[5 * 10];
    size_t n = put(head, id);
    n += put(head + n, (uint64_t)tid);
    n += put(head + n, seq);
    n += put(head + n, nevents);
    n += put(head + n, base);
    return go__trace_write_chunk_to(fd, GO__TRACE_BATCH, head, n, data, len);
}

typedef struct states {
    go__trace_buf *b;
    int fd, err;
    uint64_t *batches;
} states;

/* STATE of g into the states batch, writing the batch out when it is nearly full. */
static void state_of(go__g *g, void *arg)
{
    states *s = arg;
    go__trace_buf *b = s->b;
    if (b->len > GO__TRACE_BUF_SIZE - GO__TRACE_MAX_EVENT) {
        if (s->err == 0)
            s->err = write_batch(s->fd, b->id, b->tid, b->seq, b->nevents, b->base, b->data, b->len);
        (*s->batches)++;
        b->seq++;
        go__trace_reset_batch(b);
    }
    go__trace_state_into(b, b->last, g);
}

/* Step 2: the window as a trace file. Frees the batches. */
static int write_window(int fd, go__trace_kept *kept, uint64_t tick1, uint64_t ns1)
{
    unsigned nbufs = go__trace_buffers();
    uint64_t *first_seq = malloc((nbufs + 1) * sizeof *first_seq);
    go__trace_buf *st = calloc(1, sizeof *st);
    int err = first_seq == NULL || st == NULL ? ENOMEM : 0;
    uint64_t tick0 = tick1;
    for (unsigned i = 0; i <= nbufs && first_seq != NULL; i++)
        first_seq[i] = UINT64_MAX;
    for (go__trace_kept *k = kept; k != NULL && err == 0; k = k->next) {
        if (first_seq[k->id] == UINT64_MAX)
            first_seq[k->id] = k->seq;
        uint64_t t = first_tick(k);
        tick0 = t < tick0 ? t : tick0;
    }
    /* tick0's time, on the line through the two readings around the window. */
    uint64_t ns0 = window_ns;
    if (tick1 > window_tick && tick0 >= window_tick)
        ns0 += (uint64_t)((__int128)(tick0 - window_tick) * (__int128)(ns1 - window_ns) / (tick1 - window_tick));

    unsigned char header[16], clock[4 * 10];
    memcpy(header, GO__TRACE_MAGIC, GO__TRACE_MAGIC_LEN);
    header[GO__TRACE_MAGIC_LEN] = GO__TRACE_VERSION;
    struct iovec iov = {header, sizeof header};
    if (err == 0)
        err = go__trace_write_all(fd, &iov, 1);
    size_t n = put(clock, go__trace_clock_choose());
    n += put(clock + n, tick0);
    n += put(clock + n, ns0);
    n += put(clock + n, (uint64_t)getpid());
    if (err == 0)
        err = go__trace_write_chunk_to(fd, GO__TRACE_CLOCK, clock, n, NULL, 0);
    uint64_t batches = 0;
    while (kept != NULL) {
        go__trace_kept *next = kept->next;
        if (err == 0)
            err = write_batch(fd, kept->id, kept->tid, kept->seq - first_seq[kept->id], kept->nevents, kept->base,
                              kept->data, kept->len);
        batches++;
        free(kept);
        kept = next;
    }
    if (st != NULL) {
        *st = (go__trace_buf){.id = nbufs, .tid = go__gettid(), .base = tick1, .last = tick1};
        states s = {st, fd, err, &batches};
        go__allg_each_live(state_of, &s);
        err = s.err;
        if (err == 0 && st->len > 0)
            err = write_batch(fd, st->id, st->tid, st->seq, st->nevents, st->base, st->data, st->len);
        batches += st->len > 0;
    }
    unsigned char end[4 * 10];
    n = put(end, tick1);
    n += put(end + n, ns1);
    n += put(end + n, batches);
    n += put(end + n, 0);
    if (err == 0)
        err = go__trace_write_chunk_to(fd, GO__TRACE_END, end, n, NULL, 0);
    free(first_seq);
    free(st);
    return err;
}

int go_trace_flight_write(int fd)
{
    pthread_mutex_lock(&go__trace_start_lock);
    int err = EINVAL;
    if (go_trace_is_enabled() && go__trace_flight_on()) {
        go__trace_recording_off();
        uint64_t tick1, ns1;
        go__trace_clock_pair(&tick1, &ns1);
        err = write_window(fd, go__trace_flight_take(), tick1, ns1);
        go__trace_clock_pair(&window_tick, &window_ns);
        go__trace_recording_on();
    }
    pthread_mutex_unlock(&go__trace_start_lock);
    return err;
}
