/* summary.h - what the chapter's demos read back from the traces they write: gotrace's
 * goroutine analysis (tools/gotrace/goroutines.h, the code behind `gotrace stats`) plus the
 * counters, regions, tasks and logs, in one pass over the file.
 *
 *     trace_summary s;
 *     trace_summarize("slow-sender.trace", &s);   // panics with gotrace's message if unreadable
 *     const trace_group *w = trace_group_of(&s, "worker");
 *     ... w->ns[GT_SYNC] / w->ns[GT_TOTAL] ...
 *
 * A demo prints figures from here, so what the README says a trace shows is what the trace
 * says. Tables are fixed-size and sized for the demos: a trace with more goroutine groups,
 * region names or logs than they hold keeps the first ones. */
#ifndef CH08_SUMMARY_H
#define CH08_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "goroutines.h"

enum { SUMMARY_NAME = 48, SUMMARY_GOROUTINES = 64, SUMMARY_GROUPS = 16, SUMMARY_REGIONS = 16,
       SUMMARY_LOGS = 256 };

/* One goroutine's time, in ns, by gt_metric (GT_EXEC, GT_SYNC, GT_REASON0 + reason, ...). */
typedef struct trace_goroutine {
    uint64_t id;
    char func[SUMMARY_NAME];
    double ns[GT_NMETRICS];
    char waiting[4 * SUMMARY_NAME]; /* if it was waiting when the trace ended: "Mutex.Lock at
                                     * func (file:line)"; else "" */
} trace_goroutine;

/* The goroutines of one start function: their count and summed times. */
typedef struct trace_group {
    char func[SUMMARY_NAME];
    int count;
    double ns[GT_NMETRICS];
} trace_group;

/* Every region of one name (or task of one name): count, summed and longest duration. */
typedef struct trace_span_stat {
    char name[SUMMARY_NAME];
    int count;
    double sum_ns, max_ns;
} trace_span_stat;

/* A log (go_trace_log): who wrote it, and how many goroutines were alive then. */
typedef struct trace_log {
    uint64_t g;
    char category[SUMMARY_NAME], message[SUMMARY_NAME];
    int alive;
} trace_log;

typedef struct trace_summary {
    double wall_ns;      /* from the trace's start to its stop */
    uint64_t events;     /* events, as gotrace dump lists them (definitions apart) */
    uint64_t bytes;      /* the file's size */
    trace_goroutine g[SUMMARY_GOROUTINES]; /* in order of their end (or the trace's end) */
    size_t ng;
    trace_group groups[SUMMARY_GROUPS];    /* in order of first sight */
    size_t ngroups;
    trace_span_stat regions[SUMMARY_REGIONS], tasks[SUMMARY_REGIONS];
    size_t nregions, ntasks;
    int regions_open_max; /* the most regions open at once, over all goroutines */
    trace_log logs[SUMMARY_LOGS];
    size_t nlogs;
    int created;         /* goroutines created while tracing */
    int ncounters;       /* COUNTERS events: one at start, then every 100 ms */
    uint64_t heap_first, heap_max; /* malloc's bytes in use, first and largest sample */
    int goroutines_max;  /* the most goroutines alive at a COUNTERS sample */
} trace_summary;

/* Reads the trace at path into *s. A file gotrace would refuse is a panic with gotrace's
 * message (a demo's own trace: a bug, not an input). */
void trace_summarize(const char *path, trace_summary *s);

/* The group of goroutines started with func, or a panic naming it if there is none. */
const trace_group *trace_group_of(const trace_summary *s, const char *func);

/* The region (or task) statistics of that name, or a panic naming it. */
const trace_span_stat *trace_region_of(const trace_summary *s, const char *name);

/* Formats ns as Go prints a time.Duration rounded to 0.1 ms ("150.2ms"), into buf. */
const char *trace_ms(char buf[static 16], double ns);

#endif
