/* goroutines.h - Go's goroutine analysis, streaming: each goroutine's time split by what it
 * was doing, from its state transitions. Shared by `stats` (the table) and `pprof` (where the
 * waits were).
 *
 * A goroutine is always in one state (trace_format.h): running (Execution), runnable
 * (Scheduler wait: from its creation or unblocking to its start), waiting (Sync block, split by
 * reason; a network wait is Network wait, as in Go; sleeping is counted apart, as Sleep, where
 * Go counts it nowhere), or in a system call (Blocking syscall). Each transition closes the
 * interval since the last one and adds it to the state's metric; the total is from its
 * creation (or the trace's start, for one alive then) to its end (or the trace's end).
 *
 * Memory: one record per live goroutine; an ended goroutine is reported and freed. */
#ifndef GOTRACE_GOROUTINES_H
#define GOTRACE_GOROUTINES_H

#include "map.h"
#include "reader.h"

typedef enum gt_metric {
    GT_EXEC,
    GT_SCHED,
    GT_NET,     /* waiting with reason network */
    GT_SYNC,    /* the sum of the reasons below but sleep and network */
    GT_SYSCALL,
    GT_SLEEP,
    GT_TOTAL,
    GT_REASON0, /* GT_REASON0 + reason: waiting for that reason (trace_format.h's numbers) */
    GT_NMETRICS = GT_REASON0 + GT_MAX_REASON + 1,
} gt_metric;

/* The metric's name in tables ("Execution", "Sync: chan receive", ...) and in CSV and JSON
 * ("exec_ns", "sync_chan_receive_ns", ...). GT_REASON0 + 7 (sleep) and + 12 (network) are
 * GT_SLEEP's and GT_NET's doubles and have no use; gt_metric_used says so. */
const char *gt_metric_title(int metric);
const char *gt_metric_key(int metric);
bool gt_metric_used(int metric);

typedef struct gt_g {
    uint64_t id;
    size_t func;        /* number in gt_goroutines.funcs */
    int state, reason;  /* state: go__trace_state; reason while waiting */
    size_t site;        /* number in gt_goroutines.sites: where it waits or last waited, or
                         * its go statement until then; SIZE_MAX: none known */
    uint64_t since;     /* tick of its last transition */
    uint64_t created;   /* tick of its creation (the trace's start if it was alive then) */
    uint64_t t[GT_NMETRICS]; /* ticks by metric */
} gt_g;

typedef struct gt_goroutines {
    gt_clock clock;
    gt_names funcs;  /* start functions; "" for a goroutine whose function the trace never gave */
    gt_names sites;  /* "function\nfile\nline" */
    gt_idmap live;   /* id -> gt_g */
    /* Site serials (reader.h) -> numbers in sites, direct-mapped: formatting a site's key for
     * every block would cost more than all the rest of the analysis. */
    struct {
        uint64_t serial;
        size_t site;
    } cache[256];
    /* Called when an interval of waiting (a metric but Execution and the total) ends, with
     * where; and when a goroutine's record is complete (it ended, or the trace did). */
    void (*on_wait)(void *arg, const gt_g *g, int metric, uint64_t ticks);
    void (*on_done)(void *arg, const gt_g *g);
    /* Called when an interval in one state closes, before the goroutine moves on: g->state
     * (and g->reason, g->site while waiting or in a syscall) describe from..to (ticks). The
     * viewers' state slices (timeline.h). */
    void (*on_slice)(void *arg, const gt_g *g, uint64_t from, uint64_t to);
    void *arg;
} gt_goroutines;

void gt_goroutines_event(gt_goroutines *a, const gt_event *e);
/* Closes goroutine id's current interval at tick without changing its state (on_slice sees
 * it; the metrics are unchanged in sum): the viewers cut slices where a region begins or ends,
 * so that regions enclose whole slices. A goroutine not seen before is taken as running. */
void gt_goroutines_cut(gt_goroutines *a, uint64_t id, uint64_t tick);
/* Completes every goroutine still alive at the trace's end. */
void gt_goroutines_finish(gt_goroutines *a);
void gt_goroutines_free(gt_goroutines *a);

#endif
