/* view.h - what the viewers' exporters share (`export --format=...`, `html`): their window
 * of the trace and their size limit. Each exporter feeds a gt_timeline (timeline.h) and writes
 * what it hands over.
 *
 * The limit: viewers choke on traces beyond about a million events (Chrome's catapult dies
 * near 1 M, golang/go#11520; Perfetto needs 2-4 times the file in memory). When an exporter
 * has written max events, the window ends at the event being read: what began before is still
 * written, cut there, and gt_view_done warns on stderr with the range written and how to see
 * the rest (--from). */
#ifndef GOTRACE_VIEW_H
#define GOTRACE_VIEW_H

#include "output.h"
#include "timeline.h"

typedef struct gt_view {
    gt_timeline t;
    uint64_t written;  /* events written so far: the exporter counts them */
    uint64_t max;      /* the limit */
    bool cut;          /* the limit was reached: the window ends early */
} gt_view;

/* Starts a view of r's trace with o's window and limit (default_max when o sets none). */
void gt_view_init(gt_view *v, const gt_reader *r, const gt_options *o, uint64_t default_max);
/* Feeds every event of r to v->t (and its callbacks), applying the limit, then finishes the
 * timeline and warns if the limit cut it. False if the trace is bad (r->error says why). */
bool gt_view_run(gt_view *v, gt_reader *r, const char *what);

/* A site interned by the goroutine analysis ("function\nfile\nline", goroutines.h) as the JSON
 * string "function file:line". */
void gt_view_site(FILE *out, const char *interned);

int gt_export_json(gt_reader *r, const gt_options *o);

#endif
