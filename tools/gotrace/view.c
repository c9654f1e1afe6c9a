/* view.c - the exporters' window and limit (view.h), and `export`, which picks the exporter
 * by --format. */
#include "view.h"

#include "trace_format.h"

#include <math.h>
#include <string.h>

/* ms since the trace's start -> the first tick at or after it, by the clock's calibration
 * (a tick may be tens of ns: rounding down would start a window early). The slack absorbs
 * the division's error, so that a time printed from a tick gives that tick back. */
static uint64_t tick_at(const gt_clock *c, double ms)
{
    if (ms <= 0 || c->ns1 <= c->ns0)
        return c->tick0;
    double ticks = ms * 1e6 * (double)(c->tick1 - c->tick0) / (double)(c->ns1 - c->ns0);
    return ticks >= (double)(c->tick1 - c->tick0) ? c->tick1 : c->tick0 + (uint64_t)ceil(ticks - 1e-6);
}

void gt_view_init(gt_view *v, const gt_reader *r, const gt_options *o, uint64_t default_max)
{
    memset(v, 0, sizeof *v);
    gt_timeline_init(&v->t, &r->clock);
    v->t.from = tick_at(&r->clock, o->from_ms);
    if (o->to_ms >= 0)
        v->t.to = tick_at(&r->clock, o->to_ms);
    v->max = o->max_events ? o->max_events : default_max;
}

bool gt_view_run(gt_view *v, gt_reader *r, const char *what)
{
    const gt_event *e;
    while ((e = gt_next(r)) != NULL) {
        gt_timeline_event(&v->t, r, e);
        if (r->error[0] != '\0')
            break;
        if (!v->cut && v->written >= v->max && e->tick < v->t.to && e->tick > v->t.from) {
            v->t.to = e->tick;
            v->cut = true;
        }
    }
    if (r->error[0] != '\0')
        return false;
    gt_timeline_finish(&v->t);
    if (v->cut) {
        const gt_clock *c = &r->clock;
        double from = (double)gt_timeline_ns(c, v->t.from) / 1e6, to = (double)gt_timeline_ns(c, v->t.to) / 1e6;
        fprintf(stderr,
                "gotrace: warning: over %llu events: the %s covers %.3f ms to %.6f ms of the trace's %.3f ms "
                "(viewers choke on more); --from=%.6f writes the next part, --max-events=N changes the limit\n",
                (unsigned long long)v->max, what, from, to, (double)gt_timeline_ns(c, c->tick1) / 1e6, to);
    }
    return true;
}

void gt_view_site(FILE *out, const char *interned)
{
    char shown[2 * GO__TRACE_MAX_NAME + 32];
    size_t n = 0;
    int field = 0;
    for (const char *s = interned; *s != '\0' && n < sizeof shown; s++)
        shown[n++] = *s != '\n' ? *s : field++ == 0 ? ' ' : ':';
    gt_json_string(out, shown, n);
}

int gt_export(gt_reader *r, const gt_options *o)
{
    static const struct {
        const char *name;
        int (*run)(gt_reader *, const gt_options *);
    } formats[] = {{"json", gt_export_json}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (o->export_format != NULL && strcmp(o->export_format, formats[i].name) == 0)
            return formats[i].run(r, o);
    fprintf(stderr, "gotrace: export: unknown or missing --format=%s (want json)\n",
            o->export_format != NULL ? o->export_format : "");
    return 2;
}
