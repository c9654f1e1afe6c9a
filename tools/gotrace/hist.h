/* hist.h - a distribution of durations in fixed memory: count, sum, min and max exactly, and
 * quantiles from log-linear buckets (HDR-style: each power of two split into 16), so a
 * quantile is reported within 1/32 (3.1%) of a value actually recorded. 8 KiB a histogram.
 * Values are ticks; the caller converts. */
#ifndef GOTRACE_HIST_H
#define GOTRACE_HIST_H

#include <stdint.h>
#include <stdio.h>

enum { GT_HIST_SUB = 16, GT_HIST_BUCKETS = 61 * GT_HIST_SUB };

typedef struct gt_hist {
    uint64_t count, sum, min, max;
    uint64_t buckets[GT_HIST_BUCKETS];
} gt_hist;

void gt_hist_add(gt_hist *h, uint64_t value);

/* The q-quantile (0 <= q <= 1) of the values added: a bucket's midpoint, within [min, max].
 * 0 if none. */
uint64_t gt_hist_quantile(const gt_hist *h, double q);

/* Prints a small text histogram: `rows` lines, each a range of the values (as log-spaced
 * bins between min and max) and a bar of '#' scaled to the fullest row. scale converts a
 * value to nanoseconds for the labels. Each line starts with indent. */
void gt_hist_print(const gt_hist *h, FILE *out, int rows, double ns_per_tick, const char *indent);

/* A duration in ns as text with a unit ("1.23ms"), in buf (16 bytes are enough). */
const char *gt_duration(char buf[static 16], double ns);

#endif
