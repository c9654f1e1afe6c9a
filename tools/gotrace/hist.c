/* hist.c - the log-linear histogram (hist.h). */
#include "hist.h"

#include <math.h>
#include <string.h>

/* Bucket index: values below 16 have one each; above, a power of two 2^e is split into 16
 * buckets of width 2^(e-4). */
static unsigned bucket(uint64_t v)
{
    if (v < GT_HIST_SUB)
        return (unsigned)v;
    unsigned e = 63u - (unsigned)__builtin_clzll(v); /* 4..63 */
    return (e - 3) * GT_HIST_SUB + (unsigned)((v >> (e - 4)) & (GT_HIST_SUB - 1));
}

/* The smallest value in bucket i, and the bucket's width. */
static uint64_t bucket_low(unsigned i, uint64_t *width)
{
    if (i < GT_HIST_SUB) {
        *width = 1;
        return i;
    }
    unsigned e = i / GT_HIST_SUB + 3, sub = i % GT_HIST_SUB;
    *width = (uint64_t)1 << (e - 4);
    return ((uint64_t)1 << e) + sub * *width;
}

void gt_hist_add(gt_hist *h, uint64_t value)
{
    if (h->count == 0 || value < h->min)
        h->min = value;
    if (value > h->max)
        h->max = value;
    h->count++;
    h->sum += value;
    h->buckets[bucket(value)]++;
}

uint64_t gt_hist_quantile(const gt_hist *h, double q)
{
    if (h->count == 0)
        return 0;
    uint64_t rank = (uint64_t)ceil(q * (double)h->count), seen = 0;
    if (rank == 0)
        rank = 1;
    for (unsigned i = 0; i < GT_HIST_BUCKETS; i++) {
        if ((seen += h->buckets[i]) >= rank) {
            uint64_t width, v = bucket_low(i, &width) + width / 2;
            return v < h->min ? h->min : v > h->max ? h->max : v;
        }
    }
    return h->max;
}

const char *gt_duration(char buf[static 16], double ns)
{
    static const struct { double scale; const char *unit; } units[] = {
        {1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (ns >= units[i].scale || i == sizeof units / sizeof units[0] - 1) {
            snprintf(buf, 16, "%.4g%s", ns / units[i].scale, units[i].unit);
            break;
        }
    return buf;
}

void gt_hist_print(const gt_hist *h, FILE *out, int rows, double ns_per_tick, const char *indent)
{
    if (h->count == 0 || rows < 1 || rows > 32)
        return;
    /* Log-spaced bins from min to max: durations spread over orders of magnitude. */
    double lo = h->min > 0 ? (double)h->min : 1, hi = (double)h->max + 1;
    double step = pow(hi / lo, 1.0 / rows);
    uint64_t counts[32] = {0}, most = 1;
    for (unsigned i = 0; i < GT_HIST_BUCKETS; i++) {
        if (h->buckets[i] == 0)
            continue;
        uint64_t width, v = bucket_low(i, &width) + width / 2;
        double x = v < h->min ? (double)h->min : v > h->max ? (double)h->max : (double)v;
        /* Clamped as a double: with values beyond 2^53, step can round to 1 (a division by 0). */
        double at = x <= lo ? 0 : log(x / lo) / log(step);
        int row = !(at < rows) ? rows - 1 : at < 0 ? 0 : (int)at;
        counts[row] += h->buckets[i];
    }
    for (int row = 0; row < rows; row++)
        if (counts[row] > most)
            most = counts[row];
    for (int row = 0; row < rows; row++) {
        char a[16], b[16], bar[41];
        int n = (int)((counts[row] * 40 + most - 1) / most);
        memset(bar, '#', (size_t)n);
        bar[n] = '\0';
        fprintf(out, "%s%9s - %-9s %8llu %s\n", indent, gt_duration(a, lo * pow(step, row) * ns_per_tick),
                gt_duration(b, lo * pow(step, row + 1) * ns_per_tick), (unsigned long long)counts[row], bar);
    }
}
