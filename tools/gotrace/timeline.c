/* timeline.c - the viewers' intervals and points (timeline.h). */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "trace_format.h"

typedef struct open_region {
    size_t name;
    uint64_t task, from;
} open_region;

typedef struct stack {
    open_region *open;
    size_t len, cap;
} stack;

typedef struct open_task {
    uint64_t id, parent, from, g;
    size_t name;
} open_task;

/* Clips [*from, *to] to the window; false if nothing is left. An interval of no length inside
 * the window stays (a region entered and left within one tick still counts). */
static bool clip(const gt_timeline *t, uint64_t *from, uint64_t *to)
{
    if (*from < t->from)
        *from = t->from;
    if (*to > t->to)
        *to = t->to;
    return *from <= *to;
}

static bool inside(const gt_timeline *t, uint64_t tick)
{
    return tick >= t->from && tick <= t->to;
}

static void on_slice(void *arg, const gt_g *g, uint64_t from, uint64_t to)
{
    gt_timeline *t = arg;
    /* A slice that only touches the window is not in it: rows stay back to back. */
    if (t->on.slice != NULL && clip(t, &from, &to) && from < to)
        t->on.slice(t->arg, g, from, to);
}

static void on_done(void *arg, const gt_g *g)
{
    gt_timeline *t = arg;
    if (t->on.goroutine != NULL)
        t->on.goroutine(t->arg, g);
}

void gt_timeline_init(gt_timeline *t, const gt_clock *clock)
{
    memset(t, 0, sizeof *t);
    t->a.clock = *clock;
    t->a.on_slice = on_slice;
    t->a.on_done = on_done;
    t->a.arg = t;
    t->from = clock->tick0;
    t->to = clock->tick1;
}

int64_t gt_timeline_ns(const gt_clock *c, uint64_t tick)
{
    return tick > c->tick0 ? gt_ns_int(c, tick - c->tick0) : 0;
}

static void end_region(gt_timeline *t, uint64_t g, const open_region *o, unsigned depth, uint64_t tick, bool open)
{
    gt_timeline_region r = {.g = g, .task = o->task, .from = o->from, .to = tick, .depth = depth,
                            .name = t->names.names[o->name], .open = open};
    if (t->on.region != NULL && clip(t, &r.from, &r.to))
        t->on.region(t->arg, &r);
}

/* Ends every region goroutine g has open, innermost first, at tick. */
static void end_regions(gt_timeline *t, uint64_t g, uint64_t tick)
{
    stack *s = gt_idmap_remove(&t->stacks, g);
    if (s == NULL)
        return;
    while (s->len > 0) {
        s->len--;
        end_region(t, g, &s->open[s->len], (unsigned)s->len, tick, true);
    }
    free(s->open);
    free(s);
}

static void region_event(gt_timeline *t, gt_reader *r, const gt_event *e)
{
    stack *s = gt_idmap_get(&t->stacks, e->g);
    if (e->type == GO__EV_REGIONEND && (s == NULL || s->len == 0)) {
        t->regions_before++; /* its start is unknown */
        return;
    }
    /* The slice in progress ends here, so the region encloses whole slices. */
    gt_goroutines_cut(&t->a, e->g, e->tick);
    if (e->type == GO__EV_REGION) {
        if (s == NULL) {
            s = calloc(1, sizeof *s);
            gt_idmap_put(&t->stacks, e->g, s);
        }
        if (s->len == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 4;
            s->open = realloc(s->open, s->cap * sizeof *s->open);
        }
        s->open[s->len++] = (open_region){gt_names_intern(&t->names, e->name.p, e->name.len), e->id, e->tick};
        return;
    }
    const open_region *top = &s->open[s->len - 1];
    const char *name = t->names.names[top->name];
    if (strlen(name) != e->name.len || memcmp(name, e->name.p, e->name.len) != 0) {
        snprintf(r->error, sizeof r->error,
                 "offset %llu: goroutine %llu ends region \"%.*s\" but its innermost open region is \"%s\" "
                 "(regions must nest)",
                 (unsigned long long)e->offset, (unsigned long long)e->g, (int)e->name.len, e->name.p, name);
        return;
    }
    s->len--;
    end_region(t, e->g, top, (unsigned)s->len, e->tick, false);
}

static void end_task(gt_timeline *t, open_task *o, uint64_t g, uint64_t tick, bool open)
{
    gt_timeline_task k = {.id = o->id, .parent = o->parent, .from = o->from, .to = tick, .g_begin = o->g,
                          .g_end = g, .name = t->names.names[o->name], .open = open};
    if (t->on.task != NULL && clip(t, &k.from, &k.to))
        t->on.task(t->arg, &k);
    free(o);
}

static void task_event(gt_timeline *t, const gt_event *e)
{
    if (e->type == GO__EV_TASKEND) {
        open_task *o = gt_idmap_remove(&t->tasks, e->id);
        if (o != NULL) /* else begun before the trace */
            end_task(t, o, e->g, e->tick, false);
        return;
    }
    if (gt_idmap_get(&t->tasks, e->id) != NULL)
        return; /* a repeated id: the first one stands */
    open_task *o = malloc(sizeof *o);
    *o = (open_task){e->id, e->parent, e->tick, e->g, gt_names_intern(&t->names, e->name.p, e->name.len)};
    gt_idmap_put(&t->tasks, e->id, o);
}

void gt_timeline_event(gt_timeline *t, gt_reader *r, const gt_event *e)
{
    switch (e->type) {
    case GO__EV_REGION:
    case GO__EV_REGIONEND:
        if (e->g != 0)
            region_event(t, r, e);
        return;
    case GO__EV_TASK:
    case GO__EV_TASKEND: task_event(t, e); return;
    case GO__EV_LOG:
        if (t->on.log != NULL && inside(t, e->tick))
            t->on.log(t->arg, e);
        return;
    case GO__EV_COUNTERS:
        if (t->on.counters != NULL && inside(t, e->tick))
            t->on.counters(t->arg, e);
        return;
    case GO__EV_CREATE:
    case GO__EV_UNBLOCK:
        if (t->on.flow != NULL && inside(t, e->tick))
            t->on.flow(t->arg, e->type == GO__EV_CREATE ? GT_FLOW_CREATE : GT_FLOW_UNBLOCK, e->g, e->arg_g, e->tick);
        break;
    default: break;
    }
    gt_goroutines_event(&t->a, e);
    if (e->type == GO__EV_END && e->g != 0)
        end_regions(t, e->g, e->tick);
}

static void finish_regions(uint64_t g, void *value, void *arg)
{
    gt_timeline *t = arg;
    stack *s = value;
    while (s->len > 0) {
        s->len--;
        end_region(t, g, &s->open[s->len], (unsigned)s->len, t->a.clock.tick1, true);
    }
}

static void finish_task(uint64_t id, void *value, void *arg)
{
    (void)id;
    gt_timeline *t = arg;
    end_task(t, value, 0, t->a.clock.tick1, true);
}

void gt_timeline_finish(gt_timeline *t)
{
    gt_goroutines_finish(&t->a);
    gt_idmap_each(&t->stacks, finish_regions, t);
    gt_idmap_each(&t->tasks, finish_task, t);
    gt_idmap_free(&t->tasks);
    t->tasks = (gt_idmap){0};
}

static void free_stack(uint64_t g, void *value, void *arg)
{
    (void)g, (void)arg;
    stack *s = value;
    free(s->open);
    free(s);
}

static void free_task(uint64_t id, void *value, void *arg)
{
    (void)id, (void)arg;
    free(value);
}

void gt_timeline_free(gt_timeline *t)
{
    gt_goroutines_free(&t->a);
    gt_idmap_each(&t->stacks, free_stack, NULL);
    gt_idmap_free(&t->stacks);
    gt_idmap_each(&t->tasks, free_task, NULL);
    gt_idmap_free(&t->tasks);
    gt_names_free(&t->names);
}
