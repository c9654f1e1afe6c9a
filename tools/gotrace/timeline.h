/* timeline.h - what the viewers draw, computed once for all of them (`export --format=json`,
 * `html`): the trace turned into intervals and points on goroutine rows, streaming.
 *
 *   - state slices: each goroutine's life as back-to-back intervals, one per state (the
 *     goroutine analysis's intervals, goroutines.h), cut where a region begins or ends so that
 *     every region encloses whole slices: a row nests strictly (regions, then slices inside);
 *   - regions with their depth, tasks (begin to end, any goroutines), flows (a goroutine
 *     created or made runnable by another: from, to, when), logs, counters;
 *   - the goroutine analysis's record of each goroutine when it completes (for the table).
 *
 * Each is handed to a callback when it is complete (a slice when it closes, a region at its
 * end), so in no global order: a viewer that needs order sorts. Everything is clipped to the
 * window [from, to] (ticks): an interval to its part inside, dropped if none; points outside
 * dropped. A viewer may lower `to` while the trace is read (a size limit): intervals begun
 * before it are still delivered, cut at it.
 *
 * Regions and tasks begun before the trace are not shown (their start is unknown); those still
 * open at the trace's end (or a goroutine's end, for regions) end there, with `open` set.
 * Memory: the goroutine analysis's, plus each live goroutine's open regions and the open tasks. */
#ifndef GOTRACE_TIMELINE_H
#define GOTRACE_TIMELINE_H

#include <stdbool.h>

#include "goroutines.h"

typedef enum gt_flow_kind { GT_FLOW_CREATE, GT_FLOW_UNBLOCK } gt_flow_kind;

typedef struct gt_timeline_region {
    uint64_t g, task, from, to;
    unsigned depth; /* 0: outermost */
    const char *name;
    bool open;
} gt_timeline_region;

typedef struct gt_timeline_task {
    uint64_t id, parent, from, to;
    uint64_t g_begin, g_end; /* the goroutines that began and ended it (g_end 0 if open) */
    const char *name;
    bool open;
} gt_timeline_task;

/* What a viewer is handed; each may be NULL. arg is gt_timeline.arg. */
typedef struct gt_timeline_calls {
    /* A state slice: g->state, g->reason, g->site as in goroutines.h. */
    void (*slice)(void *arg, const gt_g *g, uint64_t from, uint64_t to);
    void (*region)(void *arg, const gt_timeline_region *r);
    void (*task)(void *arg, const gt_timeline_task *t);
    /* from_g 0: no goroutine (a timer, a foreign thread, or the runtime for adopted threads). */
    void (*flow)(void *arg, gt_flow_kind kind, uint64_t from_g, uint64_t to_g, uint64_t tick);
    void (*log)(void *arg, const gt_event *e);
    void (*counters)(void *arg, const gt_event *e);
    /* A goroutine's record, complete (it ended or the trace did): its row's name and the table. */
    void (*goroutine)(void *arg, const gt_g *g);
} gt_timeline_calls;

typedef struct gt_timeline {
    gt_goroutines a;     /* its clock must be set; its on_slice and on_done are the timeline's */
    uint64_t from, to;   /* the window; gt_timeline_init sets the whole trace */
    gt_timeline_calls on;
    void *arg;
    uint64_t regions_before; /* regions ended but begun before the trace (not delivered) */
    /* private */
    gt_names names;  /* region and task names */
    gt_idmap stacks; /* goroutine -> its open regions */
    gt_idmap tasks;  /* id -> open task */
} gt_timeline;

/* Sets the window to the whole trace (the clock's tick0..tick1) and the goroutine analysis's
 * callbacks; the caller then sets its own (on) and arg. */
void gt_timeline_init(gt_timeline *t, const gt_clock *clock);
/* One event of the trace, in the reader's order. Sets r->error (regions that do not nest) and
 * then the caller stops. */
void gt_timeline_event(gt_timeline *t, gt_reader *r, const gt_event *e);
/* The trace ended: closes everything still open at the clock's tick1. */
void gt_timeline_finish(gt_timeline *t);
void gt_timeline_free(gt_timeline *t);

/* ns since the trace's start, as a whole number (ticks before the start are 0). */
int64_t gt_timeline_ns(const gt_clock *c, uint64_t tick);

#endif
