/* reader.h - a streaming reader of the tracer's native format (lib/src/trace_format.h).
 *
 *     gt_reader r;
 *     if (!gt_open(&r, "trace.out")) { fprintf(stderr, "%s\n", r.error); ... }
 *     while ((e = gt_next(&r)) != NULL) ... every event, merged by tick ...
 *     if (r.error[0]) ... the file is bad: r.error says what and at which byte offset ...
 *     gt_close(&r);
 *
 * The design, in two passes over the (seekable) file:
 *   1. gt_open walks the chunk headers only, skipping payloads: it checks the header, every
 *      chunk's length, each buffer's batch numbers, CLOCK first and END last with the right
 *      batch count, and keeps each buffer's list of batch offsets (24 bytes per batch of some
 *      6,000 events). A cut, wrong-version or structurally broken file fails here, before any
 *      event is delivered: no partial answer.
 *   2. gt_next merges. Within a buffer ticks never decrease and a batch's base is where the
 *      buffer's previous batch ended, so each buffer's batches, in order, are one sorted run:
 *      the trace is as many sorted runs as it has buffers (about its peak thread count). A
 *      k-way merge over the runs, with one batch per buffer in memory, yields every event in
 *      tick order, exactly, however late a quiet thread's batch reached the file (a window of
 *      batches in file order could not: an idle thread's only batch is written at stop, after
 *      everything it precedes). Memory: one batch (at most the payload's size, 32 KiB from
 *      the tracer) per buffer, plus the index.
 * Equal ticks keep each batch's own order; across buffers the batch earlier in the file wins.
 * The merge cannot read a pipe: the file must be seekable (a regular file).
 *
 * Events come resolved: definitions (STRING, SITE, SETG) are applied and not delivered.
 * Strings and sites point into the current batch: valid until the next gt_next. */
#ifndef GOTRACE_READER_H
#define GOTRACE_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Bytes, not NUL-terminated: print with "%.*s", (int)s.len, s.p. */
typedef struct gt_str {
    const char *p;
    uint32_t len;
} gt_str;

typedef struct gt_site {
    gt_str func, file; /* empty for none */
    uint64_t line;
    uint64_t serial;   /* which SITE event bound it, counting from 1 in the reader; 0: none.
                        * Equal serials are the same site: a cache key for analyses */
} gt_site;

typedef struct gt_event {
    int type;          /* go__trace_ev (trace_format.h) */
    uint64_t tick;
    uint64_t offset;   /* the event's byte offset in the file, for messages */
    unsigned buffer;
    uint64_t tid;
    uint64_t g;        /* the register: who did it (0: no goroutine) */
    uint64_t arg_g;    /* CREATE, UNBLOCK, STATE: the goroutine created, unblocked, described */
    uint64_t id;       /* TASK, TASKEND: the task; REGION, REGIONEND, LOG: the task */
    uint64_t parent;   /* TASK */
    int state;         /* STATE */
    int reason;        /* BLOCK, STATE (waiting) */
    uint64_t object;   /* BLOCK, STATE (waiting), TIMER */
    gt_site site;      /* BLOCK, SYSCALL, STATE (waiting): where; CREATE: the go statement */
    gt_site created;   /* STATE: where it was created */
    gt_str func;       /* CREATE, STATE */
    gt_str name;       /* TASK, REGION, REGIONEND; LOG: the category */
    gt_str message;    /* LOG */
    uint64_t counters[6]; /* COUNTERS */
    int timer_kind;       /* TIMER (and object) */
    uint64_t late;        /* TIMER: ns after it was due */
} gt_event;

/* The trace's clock (CLOCK and END chunks), known after gt_open. */
typedef struct gt_clock {
    unsigned source; /* 0: CLOCK_MONOTONIC, 1: TSC */
    uint64_t tick0, ns0, tick1, ns1, pid;
    uint64_t batches, dropped;
} gt_clock;

typedef struct gt_run gt_run; /* one buffer's batches (reader.c) */

typedef struct gt_reader {
    FILE *f;
    bool own;               /* gt_open opened f */
    uint64_t size;          /* the file's length */
    gt_clock clock;
    gt_run **runs;          /* by buffer number; NULL for one not seen */
    unsigned nruns;
    gt_run **heap;          /* runs with an event pending, min-heap by (tick, batch offset) */
    unsigned nheap;
    uint64_t events;        /* delivered so far */
    uint64_t sites;         /* SITE events read so far: the last serial given */
    char error[512];        /* "" while all is well */
} gt_reader;

/* Opens and checks the trace at path (pass 1). False with r->error set if it cannot be read or
 * is not a whole trace; call gt_close either way. gt_open_file does the same on an open,
 * seekable stream, which stays the caller's. */
bool gt_open(gt_reader *r, const char *path);
bool gt_open_file(gt_reader *r, FILE *f);

/* The next event in tick order, or NULL at the end or on an error (then r->error is set).
 * The event, its strings and sites are valid until the next call. */
const gt_event *gt_next(gt_reader *r);

void gt_close(gt_reader *r);

/* ns between ticks t0 <= t1 (a duration), and since the trace started, by the CLOCK and END
 * calibration. */
double gt_ns(const gt_clock *c, uint64_t ticks);
/* gt_ns rounded to whole ns, within 0..INT64_MAX (a corrupt clock can say anything). */
int64_t gt_ns_int(const gt_clock *c, uint64_t ticks);
double gt_since_start(const gt_clock *c, uint64_t tick);

/* trace_format.h's block reasons: 0 to this. The two not counted as sync block: */
enum { GT_MAX_REASON = 12, GT_REASON_SLEEP = 7, GT_REASON_NETWORK = 12 };
/* trace_format.h's timer kinds (TIMER): 0 to this. */
enum { GT_MAX_TIMER_KIND = 3 };

/* The event type's name ("CREATE", ...), and a block reason's ("chan receive", ...). */
const char *gt_event_name(int type);
const char *gt_reason_name(int reason);
/* A timer kind's name: "sleep", "chan", "deadline", "other". */
const char *gt_timer_kind_name(int kind);

#endif
