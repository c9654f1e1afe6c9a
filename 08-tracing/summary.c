/* summary.c - one pass over a trace: gotrace's goroutine analysis, plus counters, regions,
 * tasks and logs (summary.h). */
#include "summary.h"

#include <stdio.h>
#include <string.h>

#include "gocurrent/panic.h"
#include "trace_format.h"

enum { OPEN_SPANS = 128, REGION_DEPTH = 8 };

/* Regions being run, per goroutine (a stack each), and tasks begun but not ended. */
typedef struct open_spans {
    struct {
        uint64_t g;
        int depth;
        uint64_t start[REGION_DEPTH];
    } regions[OPEN_SPANS];
    struct {
        uint64_t id;
        char name[SUMMARY_NAME];
        uint64_t start;
    } tasks[OPEN_SPANS];
} open_spans;

typedef struct pass {
    trace_summary *s;
    gt_goroutines a;
    open_spans open;
    int alive;
    int regions_open;
} pass;

static void copy_name(char dst[static SUMMARY_NAME], gt_str src)
{
    size_t n = src.len < SUMMARY_NAME - 1 ? src.len : SUMMARY_NAME - 1;
    memcpy(dst, src.p, n);
    dst[n] = '\0';
}

static void on_done(void *arg, const gt_g *g)
{
    pass *p = arg;
    trace_summary *s = p->s;
    gt_str func = {p->a.funcs.names[g->func], p->a.funcs.lens[g->func]};
    trace_group *grp = NULL;
    for (size_t i = 0; i < s->ngroups && grp == NULL; i++)
        if (strlen(s->groups[i].func) == func.len && memcmp(s->groups[i].func, func.p, func.len) == 0)
            grp = &s->groups[i];
    if (grp == NULL && s->ngroups < SUMMARY_GROUPS) {
        grp = &s->groups[s->ngroups++];
        copy_name(grp->func, func);
    }
    trace_goroutine *one = s->ng < SUMMARY_GOROUTINES ? &s->g[s->ng++] : NULL;
    if (one != NULL) {
        one->id = g->id;
        copy_name(one->func, func);
        one->waiting[0] = '\0';
        if (g->state == GO__TRACE_WAITING && g->site != SIZE_MAX) {
            /* sites are "function\nfile\nline" */
            char where[2 * SUMMARY_NAME];
            snprintf(where, sizeof where, "%s", p->a.sites.names[g->site]);
            char *file = strchr(where, '\n');
            char *line = file != NULL ? strchr(file + 1, '\n') : NULL;
            if (line != NULL) {
                *file++ = '\0';
                *line++ = '\0';
                snprintf(one->waiting, sizeof one->waiting, "%s at %s (%s:%s)", gt_reason_name(g->reason),
                         where, file, line);
            }
        }
    }
    for (int m = 0; m < GT_NMETRICS; m++) {
        double ns = gt_ns(&p->a.clock, g->t[m]);
        if (grp != NULL)
            grp->ns[m] += ns;
        if (one != NULL)
            one->ns[m] = ns;
    }
    if (grp != NULL)
        grp->count++;
}

static void add_span(trace_span_stat *table, size_t *len, const char *name, double ns)
{
    trace_span_stat *st = NULL;
    for (size_t i = 0; i < *len && st == NULL; i++)
        if (strcmp(table[i].name, name) == 0)
            st = &table[i];
    if (st == NULL) {
        if (*len == SUMMARY_REGIONS)
            return;
        st = &table[(*len)++];
        snprintf(st->name, sizeof st->name, "%s", name);
    }
    st->count++;
    st->sum_ns += ns;
    if (ns > st->max_ns)
        st->max_ns = ns;
}

static void region_event(pass *p, const gt_event *e)
{
    open_spans *o = &p->open;
    int slot = -1;
    for (int i = 0; i < OPEN_SPANS && slot < 0; i++)
        if (o->regions[i].g == e->g || (o->regions[i].depth == 0 && e->type == GO__EV_REGION))
            slot = i;
    if (slot < 0)
        return;
    if (e->type == GO__EV_REGION) {
        o->regions[slot].g = e->g;
        if (o->regions[slot].depth < REGION_DEPTH)
            o->regions[slot].start[o->regions[slot].depth] = e->tick;
        o->regions[slot].depth++;
        if (++p->regions_open > p->s->regions_open_max)
            p->s->regions_open_max = p->regions_open;
    } else if (o->regions[slot].depth > 0) {
        int d = --o->regions[slot].depth;
        p->regions_open--;
        char name[SUMMARY_NAME];
        copy_name(name, e->name);
        if (d < REGION_DEPTH)
            add_span(p->s->regions, &p->s->nregions, name,
                     gt_ns(&p->a.clock, e->tick - o->regions[slot].start[d]));
    }
}

static void task_event(pass *p, const gt_event *e)
{
    open_spans *o = &p->open;
    for (int i = 0; i < OPEN_SPANS; i++) {
        if (e->type == GO__EV_TASK && o->tasks[i].id == 0) {
            o->tasks[i].id = e->id;
            o->tasks[i].start = e->tick;
            copy_name(o->tasks[i].name, e->name);
            return;
        }
        if (e->type == GO__EV_TASKEND && o->tasks[i].id == e->id) {
            add_span(p->s->tasks, &p->s->ntasks, o->tasks[i].name,
                     gt_ns(&p->a.clock, e->tick - o->tasks[i].start));
            o->tasks[i].id = 0;
            return;
        }
    }
}

static void event(pass *p, const gt_event *e)
{
    trace_summary *s = p->s;
    switch (e->type) {
    case GO__EV_CREATE:
        s->created++;
        p->alive++;
        break;
    case GO__EV_STATE:
        p->alive++;
        break;
    case GO__EV_END:
        p->alive--;
        break;
    case GO__EV_REGION:
    case GO__EV_REGIONEND:
        region_event(p, e);
        break;
    case GO__EV_TASK:
    case GO__EV_TASKEND:
        task_event(p, e);
        break;
    case GO__EV_LOG:
        if (s->nlogs < SUMMARY_LOGS) {
            trace_log *l = &s->logs[s->nlogs++];
            l->g = e->g;
            copy_name(l->category, e->name);
            copy_name(l->message, e->message);
            l->alive = p->alive;
        }
        break;
    case GO__EV_COUNTERS: {
        uint64_t heap = e->counters[5];
        int goroutines = (int)(e->counters[0] + e->counters[1] + e->counters[2] + e->counters[3]);
        if (s->ncounters++ == 0)
            s->heap_first = heap;
        if (heap > s->heap_max)
            s->heap_max = heap;
        if (goroutines > s->goroutines_max)
            s->goroutines_max = goroutines;
        break;
    }
    default:
        break;
    }
}

void trace_summarize(const char *path, trace_summary *s)
{
    memset(s, 0, sizeof *s);
    static pass p; /* large (the open spans); the demos summarize one trace at a time */
    memset(&p, 0, sizeof p);
    p.s = s;
    gt_reader r;
    if (gt_open(&r, path)) {
        p.a.clock = r.clock;
        p.a.on_done = on_done;
        p.a.arg = &p;
        const gt_event *e;
        while ((e = gt_next(&r)) != NULL) {
            gt_goroutines_event(&p.a, e);
            event(&p, e);
        }
        if (r.error[0] == '\0') {
            gt_goroutines_finish(&p.a);
            s->wall_ns = gt_ns(&r.clock, r.clock.tick1 - r.clock.tick0);
            s->events = r.events;
            s->bytes = r.size;
        }
    }
    if (r.error[0] != '\0')
        go_panic("%s: %s", path, r.error);
    gt_close(&r);
    gt_goroutines_free(&p.a);
}

const trace_group *trace_group_of(const trace_summary *s, const char *func)
{
    for (size_t i = 0; i < s->ngroups; i++)
        if (strcmp(s->groups[i].func, func) == 0)
            return &s->groups[i];
    go_panic("the trace has no goroutine started with %s", func);
}

const trace_span_stat *trace_region_of(const trace_summary *s, const char *name)
{
    for (size_t i = 0; i < s->nregions; i++)
        if (strcmp(s->regions[i].name, name) == 0)
            return &s->regions[i];
    go_panic("the trace has no region %s", name);
}

const char *trace_ms(char buf[static 16], double ns)
{
    snprintf(buf, 16, "%.1fms", ns / 1e6);
    return buf;
}
