/* stats.c - `gotrace stats`: the goroutine analysis (goroutines.h) per goroutine and grouped
 * by start function, with count, min, avg, p50 and max per group (hist.h: p50 within 3.1%).
 *
 * Rows of goroutines are written as they end, to a temporary file (memory stays with the live
 * goroutines), copied to the output once the whole trace has been read; groups follow. */
#include <stdlib.h>
#include <string.h>

#include "goroutines.h"
#include "hist.h"
#include "output.h"

typedef struct group {
    gt_hist h[GT_NMETRICS];
} group;

typedef struct stats {
    gt_goroutines a;
    const gt_options *o;
    FILE *rows;
    uint64_t ngoroutines;
} stats;

/* The metrics in the order of the tables; reasons only where some goroutine waited so. */
static const int shown[] = {GT_EXEC, GT_SCHED, GT_NET, GT_SYNC, GT_REASON0 + 1, GT_REASON0 + 2, GT_REASON0 + 3,
                            GT_REASON0 + 4, GT_REASON0 + 5, GT_REASON0 + 6, GT_REASON0 + 8, GT_REASON0 + 9,
                            GT_REASON0 + 10, GT_REASON0 + 11, GT_REASON0 + 0, GT_SYSCALL, GT_SLEEP, GT_TOTAL};
enum { NSHOWN = sizeof shown / sizeof shown[0] };

static long long ns(const stats *s, uint64_t ticks)
{
    return (long long)gt_ns_int(&s->a.clock, ticks);
}

static void row(void *arg, const gt_g *g)
{
    stats *s = arg;
    group *grp = s->a.funcs.records[g->func];
    for (int m = 0; m < GT_NMETRICS; m++)
        gt_hist_add(&grp->h[m], g->t[m]);
    const char *func = s->a.funcs.names[g->func];
    size_t flen = s->a.funcs.lens[g->func];
    FILE *out = s->rows;
    if (s->o->format == GT_TEXT) {
        static const int columns[] = {GT_TOTAL, GT_EXEC, GT_SCHED, GT_NET, GT_SYNC, GT_SYSCALL, GT_SLEEP};
        fprintf(out, "%10llu  %-32.*s", (unsigned long long)g->id, (int)flen, flen ? func : "(unknown)");
        for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
            char buf[16];
            fprintf(out, " %10s", gt_duration(buf, (double)ns(s, g->t[columns[i]])));
        }
        putc('\n', out);
    } else if (s->o->format == GT_CSV) {
        fputs("goroutine,", out);
        gt_csv_field(out, func, flen);
        fprintf(out, ",%llu,1,value", (unsigned long long)g->id);
        for (int i = 0; i < NSHOWN; i++)
            fprintf(out, ",%lld", ns(s, g->t[shown[i]]));
        putc('\n', out);
    } else {
        fprintf(out, "%s\n    {\"id\": %llu, \"func\": ", s->ngoroutines ? "," : "", (unsigned long long)g->id);
        gt_json_string(out, func, flen);
        for (int i = 0; i < NSHOWN; i++)
            fprintf(out, ", \"%s\": %lld", gt_metric_key(shown[i]), ns(s, g->t[shown[i]]));
        putc('}', out);
    }
    s->ngoroutines++;
}

static void groups(stats *s)
{
    FILE *out = s->o->out;
    const gt_names *t = &s->a.funcs;
    size_t *order = gt_names_sorted(t);
    bool first = true;
    for (size_t i = 0; i < t->len; i++) {
        const group *grp = t->records[order[i]];
        const char *func = t->names[order[i]];
        size_t flen = t->lens[order[i]];
        uint64_t count = grp->h[GT_TOTAL].count;
        if (count == 0)
            continue;
        if (s->o->format == GT_TEXT) {
            fprintf(out, "\n%s: %llu goroutine%s\n%-24s %10s %10s %10s %10s %10s\n", flen ? func : "(unknown)",
                    (unsigned long long)count, count == 1 ? "" : "s", "", "min", "avg", "p50", "max", "sum");
        } else if (s->o->format == GT_JSON) {
            fprintf(out, "%s\n    {\"func\": ", first ? "" : ",");
            gt_json_string(out, func, flen);
            fprintf(out, ", \"count\": %llu", (unsigned long long)count);
        }
        first = false;
        static const char *const stat[] = {"min", "avg", "p50", "max"};
        for (int k = 0; k < 4 && s->o->format == GT_CSV; k++) {
            fputs("group,", out);
            gt_csv_field(out, func, flen);
            fprintf(out, ",,%llu,%s", (unsigned long long)count, stat[k]);
            for (int j = 0; j < NSHOWN; j++) {
                const gt_hist *h = &grp->h[shown[j]];
                uint64_t v[] = {h->min, h->sum / h->count, gt_hist_quantile(h, 0.5), h->max};
                fprintf(out, ",%lld", ns(s, v[k]));
            }
            putc('\n', out);
        }
        for (int j = 0; j < NSHOWN && s->o->format != GT_CSV; j++) {
            const gt_hist *h = &grp->h[shown[j]];
            long long v[] = {ns(s, h->min), ns(s, h->sum / h->count), ns(s, gt_hist_quantile(h, 0.5)),
                             ns(s, h->max), ns(s, h->sum)};
            if (s->o->format == GT_JSON) {
                fprintf(out, ", \"%s\": {\"min\": %lld, \"avg\": %lld, \"p50\": %lld, \"max\": %lld, \"sum\": %lld}",
                        gt_metric_key(shown[j]), v[0], v[1], v[2], v[3], v[4]);
                continue;
            }
            bool always = shown[j] < GT_SLEEP || shown[j] == GT_TOTAL;
            if (h->sum == 0 && !always)
                continue;
            fprintf(out, "%-24s", gt_metric_title(shown[j]));
            for (int k = 0; k < 5; k++) {
                char buf[16];
                fprintf(out, " %10s", gt_duration(buf, (double)v[k]));
            }
            putc('\n', out);
        }
        if (s->o->format == GT_JSON)
            putc('}', out);
    }
    free(order);
}

int gt_stats(gt_reader *r, const gt_options *o)
{
    stats s = {.o = o, .rows = tmpfile()};
    if (s.rows == NULL) {
        perror("gotrace: a temporary file");
        return 1;
    }
    s.a.clock = r->clock;
    s.a.funcs.size = sizeof(group);
    s.a.on_done = row;
    s.a.arg = &s;
    const gt_event *e;
    while ((e = gt_next(r)) != NULL)
        gt_goroutines_event(&s.a, e);
    int status = 1;
    if (r->error[0] == '\0') {
        gt_goroutines_finish(&s.a);
        FILE *out = o->out;
        if (o->format == GT_TEXT) {
            fprintf(out, "%10s  %-32s %10s %10s %10s %10s %10s %10s %10s\n", "goroutine", "start function", "total",
                    "execution", "sched wait", "network", "sync block", "syscall", "sleep");
        } else if (o->format == GT_CSV) {
            fputs("scope,func,goroutine,count,stat", out);
            for (int i = 0; i < NSHOWN; i++)
                fprintf(out, ",%s", gt_metric_key(shown[i]));
            putc('\n', out);
        } else {
            fputs("{\n  \"goroutines\": [", out);
        }
        gt_copy(s.rows, out);
        if (o->format == GT_JSON)
            fputs("\n  ],\n  \"groups\": [", out);
        groups(&s);
        if (o->format == GT_JSON)
            fputs("\n  ]\n}\n", out);
        status = 0;
    }
    fclose(s.rows);
    gt_goroutines_free(&s.a);
    return status;
}
