/* trace_reader.h - a small reader of the tracer's native format (lib/src/trace_format.h), for
 * the tests: it decodes a whole file into memory, checks its structure (header, chunk lengths,
 * every batch's event count, batch numbers without gaps, the END chunk) and returns the events
 * merged into one timeline, in the order trace_format.h defines. Definitions (STRING, SITE,
 * SETG) are applied, not returned: each event comes resolved, with its goroutine and strings.
 * It is gotrace's streaming reader (tools/gotrace/reader.h) with the events copied out. */
#ifndef GOCURRENT_TRACE_READER_H
#define GOCURRENT_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct trace_site {
    const char *func, *file; /* NULL for none */
    int line;
} trace_site;

typedef struct trace_event {
    int type;         /* go__trace_ev (trace_format.h) */
    uint64_t tick;
    int64_t ns;       /* CLOCK_MONOTONIC time */
    unsigned buffer;
    int tid;
    int64_t g;        /* the register: who did it */
    int64_t arg_g;    /* CREATE, UNBLOCK, STATE: the goroutine created, unblocked, described */
    uint64_t id;      /* TASK, TASKEND: the task; REGION, REGIONEND, LOG: the task */
    uint64_t parent;  /* TASK */
    int state;        /* STATE */
    int reason;       /* BLOCK, STATE (waiting) */
    uintptr_t object; /* BLOCK, STATE (waiting) */
    trace_site site;  /* BLOCK, SYSCALL, STATE: where it waits; CREATE: the go statement */
    trace_site created; /* STATE: where it was created */
    const char *func; /* CREATE, STATE */
    const char *name; /* TASK, REGION, REGIONEND; LOG: the category */
    const char *message; /* LOG */
    uint64_t counters[6]; /* COUNTERS */
    int timer_kind;       /* TIMER (and object) */
    size_t order;     /* its position in the file: the merge's tie-break */
} trace_event;

typedef struct trace {
    trace_event *events;
    size_t len;
    unsigned clock;  /* 0: CLOCK_MONOTONIC, 1: TSC */
    uint64_t batches, dropped, bytes;
    char **strings;  /* every string the events point to, owned */
    size_t nstrings;
    char error[512]; /* why trace_read failed (reader.h's message) */
} trace;

/* Reads the trace file at path. Returns false with t->error set if it is not a whole, valid
 * trace. Free with trace_free either way. */
bool trace_read(const char *path, trace *t);
void trace_free(trace *t);

/* The name of an event type ("CREATE", ...), for messages. */
const char *trace_event_name(int type);

#endif
