/* output.h - what the commands share: their options, the output formats' quoting, and the
 * commands themselves (one file each). */
#ifndef GOTRACE_OUTPUT_H
#define GOTRACE_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "reader.h"

typedef enum gt_format { GT_TEXT, GT_CSV, GT_JSON } gt_format;

typedef struct gt_options {
    gt_format format;
    const char *kind; /* pprof: sync, syscall, sched, net */
    FILE *out;        /* where the answer goes */
    /* export and html (view.h): */
    const char *export_format; /* export: json, ... */
    double from_ms, to_ms;     /* the window, ms since the trace's start (to_ms < 0: its end) */
    uint64_t max_events;       /* more and the output stops at that point (0: the default) */
} gt_options;

/* s (n bytes) as a JSON string, quotes included ('<' escaped too, so it can sit inside HTML's
 * <script>); and as a CSV field (quoted if it must be). */
void gt_json_string(FILE *out, const char *s, size_t n);
void gt_csv_field(FILE *out, const char *s, size_t n);

/* A number in decimal, and ns as microseconds with three decimals ("12.345"): the exporters'
 * hot path, where fprintf took more than half of the time. */
void gt_put_u64(FILE *out, uint64_t v);
void gt_put_us(FILE *out, int64_t ns);

/* Copies all of `from` (a temporary file of rows) to `to`, from its start. */
void gt_copy(FILE *from, FILE *to);

/* The commands. Each reads r's events to the end and writes its answer to o->out only if the
 * trace read whole (r->error empty), so a bad trace never gets a partial answer; dump, which
 * prints as it reads, is the exception. Return 0, or 1 on an error (then r->error says it,
 * or the command printed why). */
int gt_stats(gt_reader *r, const gt_options *o);
int gt_tasks(gt_reader *r, const gt_options *o);
int gt_regions(gt_reader *r, const gt_options *o);
int gt_pprof(gt_reader *r, const gt_options *o);
int gt_dump(gt_reader *r, const gt_options *o);
int gt_export(gt_reader *r, const gt_options *o); /* view.c: by o->export_format */
int gt_html(gt_reader *r, const gt_options *o);

#endif
