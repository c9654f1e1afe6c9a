/* tasks.c - `gotrace tasks` and `gotrace regions`: durations per task or region name (count,
 * min, p50, p90, max: hist.h, within 3.1%; and a small text histogram); for tasks, each task's
 * logs and the goroutines that worked on it (that began or ended it, logged to it or entered a
 * region of it).
 *
 * Memory: the open tasks with their logs and goroutines, each live goroutine's stack of open
 * regions (timeline.h keeps them), a histogram per name. Finished tasks are written as they end to a temporary file,
 * copied to the output after the summary once the whole trace has been read. */
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "map.h"
#include "output.h"
#include "timeline.h"
#include "trace_format.h"

typedef struct task {
    uint64_t id, parent, start;
    size_t name;
    uint64_t *gs; /* goroutines that worked on it, without repeats */
    size_t ngs, capgs;
    char *logs;   /* its logs, formatted, one a line */
    size_t loglen;
} task;

/* One name's durations, and how many were still open at the trace's end. */
typedef struct durations {
    gt_hist h;
    uint64_t unfinished;
} durations;

typedef struct analysis {
    gt_reader *r;
    const gt_options *o;
    gt_names names;  /* task or region names -> durations */
    gt_idmap open;   /* tasks: id -> task */
    FILE *ended;     /* tasks: finished tasks' listings */
    uint64_t before; /* ends of tasks or regions begun before the trace: no duration */
} analysis;

static void worked_on(task *t, uint64_t g)
{
    for (size_t i = 0; i < t->ngs; i++)
        if (t->gs[i] == g)
            return;
    if (t->ngs == t->capgs) {
        t->capgs = t->capgs ? 2 * t->capgs : 4;
        t->gs = realloc(t->gs, t->capgs * sizeof *t->gs);
    }
    t->gs[t->ngs++] = g;
}

static void add_log(analysis *a, task *t, const gt_event *e)
{
    char when[16], line[GO__TRACE_MAX_NAME + GO__TRACE_MAX_MESSAGE + 64];
    int n = snprintf(line, sizeof line, "    +%-9s g%llu [%.*s] %.*s\n",
                     gt_duration(when, gt_ns(&a->r->clock, e->tick - t->start)), (unsigned long long)e->g,
                     (int)e->name.len, e->name.p, (int)e->message.len, e->message.p);
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    t->logs = realloc(t->logs, t->loglen + len + 1);
    memcpy(t->logs + t->loglen, line, len + 1);
    t->loglen += len;
}

/* Lists a task: its duration (ticks), or "unfinished" when ticks is UINT64_MAX. */
static void write_task(analysis *a, const task *t, uint64_t ticks)
{
    char d[16];
    FILE *out = a->ended;
    fprintf(out, "task %llu %s (parent %llu): %s, goroutines", (unsigned long long)t->id, a->names.names[t->name],
            (unsigned long long)t->parent,
            ticks == UINT64_MAX ? "unfinished" : gt_duration(d, gt_ns(&a->r->clock, ticks)));
    for (size_t i = 0; i < t->ngs; i++)
        fprintf(out, " %llu", (unsigned long long)t->gs[i]);
    fprintf(out, "\n%s", t->logs != NULL ? t->logs : "");
}

static void free_task(task *t)
{
    free(t->gs);
    free(t->logs);
    free(t);
}

static void task_event(analysis *a, const gt_event *e)
{
    task *t;
    switch (e->type) {
    case GO__EV_TASK:
        if (gt_idmap_get(&a->open, e->id) != NULL)
            return; /* a repeated id: the first one stands */
        t = calloc(1, sizeof *t);
        t->id = e->id;
        t->parent = e->parent;
        t->start = e->tick;
        t->name = gt_names_intern(&a->names, e->name.p, e->name.len);
        worked_on(t, e->g);
        gt_idmap_put(&a->open, e->id, t);
        break;
    case GO__EV_TASKEND:
        t = gt_idmap_remove(&a->open, e->id);
        if (t == NULL) {
            a->before++;
            return;
        }
        worked_on(t, e->g);
        gt_hist_add(&((durations *)a->names.records[t->name])->h, e->tick - t->start);
        write_task(a, t, e->tick - t->start);
        free_task(t);
        break;
    case GO__EV_REGION:
    case GO__EV_LOG:
        t = gt_idmap_get(&a->open, e->id);
        if (t == NULL)
            return; /* the background (task 0), or a task begun before the trace */
        worked_on(t, e->g);
        if (e->type == GO__EV_LOG)
            add_log(a, t, e);
        break;
    default: break;
    }
}

/* A region, from the timeline (timeline.h: it checks their nesting). */
static void region_done(void *arg, const gt_timeline_region *r)
{
    analysis *a = arg;
    size_t name = gt_names_intern(&a->names, r->name, strlen(r->name)); /* may move the records */
    durations *d = a->names.records[name];
    if (r->open)
        d->unfinished++;
    else
        gt_hist_add(&d->h, r->to - r->from);
}

static void count_unfinished_task(uint64_t id, void *value, void *arg)
{
    analysis *a = arg;
    task *t = value;
    (void)id;
    ((durations *)a->names.records[t->name])->unfinished++;
    write_task(a, t, UINT64_MAX);
    free_task(t);
}

/* The summary: one block per name. */
static void summary(analysis *a, const char *what)
{
    FILE *out = a->o->out;
    double ns_per_tick = gt_ns(&a->r->clock, 1u << 20) / (1u << 20);
    size_t *order = gt_names_sorted(&a->names);
    fprintf(out, "%s by name (p50 and p90 within 3.1%%)\n", what);
    for (size_t i = 0; i < a->names.len; i++) {
        const durations *d = a->names.records[order[i]];
        const gt_hist *h = &d->h;
        fprintf(out, "\n%s: %llu finished, %llu unfinished\n", a->names.names[order[i]],
                (unsigned long long)h->count, (unsigned long long)d->unfinished);
        if (h->count == 0)
            continue;
        char v[4][16];
        fprintf(out, "    %10s %10s %10s %10s\n    %10s %10s %10s %10s\n", "min", "p50", "p90", "max",
                gt_duration(v[0], gt_ns(&a->r->clock, h->min)),
                gt_duration(v[1], gt_ns(&a->r->clock, gt_hist_quantile(h, 0.5))),
                gt_duration(v[2], gt_ns(&a->r->clock, gt_hist_quantile(h, 0.9))),
                gt_duration(v[3], gt_ns(&a->r->clock, h->max)));
        gt_hist_print(h, out, 6, ns_per_tick, "    ");
    }
    if (a->before > 0)
        fprintf(out, "\n%llu ended but began before the trace (no duration)\n", (unsigned long long)a->before);
    free(order);
}

static int analyse(gt_reader *r, const gt_options *o, bool tasks)
{
    analysis a = {.r = r, .o = o, .names = {.size = sizeof(durations)}, .ended = tasks ? tmpfile() : NULL};
    if (tasks && a.ended == NULL) {
        perror("gotrace: a temporary file");
        return 1;
    }
    /* Regions come from the viewers' timeline, which pairs them per goroutine. */
    gt_timeline t;
    gt_timeline_init(&t, &r->clock);
    t.on.region = region_done;
    t.arg = &a;
    const gt_event *e;
    while (r->error[0] == '\0' && (e = gt_next(r)) != NULL) {
        if (tasks)
            task_event(&a, e);
        else
            gt_timeline_event(&t, r, e);
    }
    bool ok = r->error[0] == '\0';
    if (tasks)
        gt_idmap_each(&a.open, count_unfinished_task, &a);
    else if (ok) {
        gt_timeline_finish(&t);
        a.before = t.regions_before;
    }
    gt_timeline_free(&t);
    if (ok) {
        summary(&a, tasks ? "Tasks" : "Regions");
        if (tasks) {
            fputs("\nTasks, as they ended (duration, the goroutines that worked on it; its logs, from its start)\n",
                  o->out);
            gt_copy(a.ended, o->out);
        }
    }
    if (a.ended != NULL)
        fclose(a.ended);
    gt_idmap_free(&a.open);
    gt_names_free(&a.names);
    return ok ? 0 : 1;
}

int gt_tasks(gt_reader *r, const gt_options *o)
{
    return analyse(r, o, true);
}

int gt_regions(gt_reader *r, const gt_options *o)
{
    return analyse(r, o, false);
}
