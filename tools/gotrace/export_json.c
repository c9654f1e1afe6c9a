/* export_json.c - `gotrace export --format=json`: the Chrome Trace Event format, which the
 * Perfetto UI (ui.perfetto.dev: Open trace file) and Chrome's catapult viewer open.
 *
 * One row (tid) per goroutine, named "G<id> <start function>" and sorted by id:
 *   - its state slices (timeline.h) as complete events ("X"), named by state ("running",
 *     "runnable", "syscall", or the wait's reason: "chan receive", "sleep", ...), category
 *     "state", with Chrome's colour names (cname) and the reason and site in args;
 *   - its regions as "X" events of category "region" enclosing them (the timeline cuts slices
 *     at region boundaries, so every row nests strictly, as Perfetto requires);
 *   - its logs as thread-scoped instants ("i", category "log").
 * Tasks are nestable async spans ("b"/"e", category "task", id the task's), begun on the row
 * of the goroutine that began them. A goroutine's creation and its unblocking are flows from
 * the row of the goroutine that did it ("s") to the row of the one it concerns ("f", bound to
 * the enclosing slice): Perfetto draws them as arrows (catapult once flow events are enabled).
 * Counters ("C"): goroutines by state, threads, heap bytes in use.
 *
 * Times are microseconds with three decimals: whole nanoseconds since the trace's start, so
 * slices that touch in ticks touch in the file and nesting survives the conversion.
 * The file is written through a temporary one by main.c: nothing is left on a bad trace. */
#include <inttypes.h>
#include <string.h>

#include "trace_format.h"
#include "view.h"

typedef struct json {
    gt_view v;
    FILE *out;
    const gt_clock *clock;
    uint64_t pid, flows;
} json;

/* Starts an event: its phase, name (n bytes), category, row, time. */
static void begin(json *j, char ph, const char *name, size_t n, const char *cat, uint64_t tid, uint64_t tick)
{
    FILE *out = j->out;
    fputs(",\n{\"ph\":\"", out);
    putc(ph, out);
    fputs("\",\"name\":", out);
    gt_json_string(out, name, n);
    fputs(",\"cat\":\"", out);
    fputs(cat, out);
    fputs("\",\"pid\":", out);
    gt_put_u64(out, j->pid);
    fputs(",\"tid\":", out);
    gt_put_u64(out, tid);
    fputs(",\"ts\":", out);
    gt_put_us(out, gt_timeline_ns(j->clock, tick));
    j->v.written++;
}

static void dur(json *j, uint64_t from, uint64_t to)
{
    fputs(",\"dur\":", j->out);
    gt_put_us(j->out, gt_timeline_ns(j->clock, to) - gt_timeline_ns(j->clock, from));
}

static void slice(void *arg, const gt_g *g, uint64_t from, uint64_t to)
{
    json *j = arg;
    static const char *const states[] = {"?", "runnable", "running", "syscall", "waiting"};
    /* Chrome's reserved colour names: green running, blue runnable, orange syscall (I/O),
     * red blocked, grey sleeping. */
    static const char *const colours[] = {"black", "thread_state_runnable", "thread_state_running",
                                          "thread_state_iowait", "thread_state_uninterruptible"};
    int state = g->state >= 1 && g->state <= 4 ? g->state : 0;
    const char *name = state == GO__TRACE_WAITING ? gt_reason_name(g->reason) : states[state];
    begin(j, 'X', name, strlen(name), "state", g->id, from);
    dur(j, from, to);
    bool sleep = state == GO__TRACE_WAITING && g->reason == 7;
    fputs(",\"cname\":\"", j->out);
    fputs(sleep ? "thread_state_sleeping" : colours[state], j->out);
    putc('"', j->out);
    if (state == GO__TRACE_WAITING || state == GO__TRACE_SYSCALL) {
        fputs(",\"args\":{\"state\":\"", j->out);
        fputs(states[state], j->out);
        fputc('"', j->out);
        if (g->site != SIZE_MAX) {
            fputs(",\"site\":", j->out);
            gt_view_site(j->out, j->v.t.a.sites.names[g->site]);
        }
        fputc('}', j->out);
    }
    fputc('}', j->out);
}

static void region(void *arg, const gt_timeline_region *r)
{
    json *j = arg;
    begin(j, 'X', r->name, strlen(r->name), "region", r->g, r->from);
    dur(j, r->from, r->to);
    fputs(",\"args\":{\"task\":", j->out);
    gt_put_u64(j->out, r->task);
    fputs(",\"depth\":", j->out);
    gt_put_u64(j->out, r->depth);
    fputs(r->open ? ",\"unfinished\":true}}" : "}}", j->out);
}

static void task(void *arg, const gt_timeline_task *t)
{
    json *j = arg;
    begin(j, 'b', t->name, strlen(t->name), "task", t->g_begin, t->from);
    fprintf(j->out, ",\"id\":\"0x%" PRIx64 "\",\"args\":{\"task\":%" PRIu64 ",\"parent\":%" PRIu64 "%s}}", t->id,
            t->id, t->parent, t->open ? ",\"unfinished\":true" : "");
    begin(j, 'e', t->name, strlen(t->name), "task", t->g_begin, t->to);
    fprintf(j->out, ",\"id\":\"0x%" PRIx64 "\"}", t->id);
}

static void flow(void *arg, gt_flow_kind kind, uint64_t from_g, uint64_t to_g, uint64_t tick)
{
    json *j = arg;
    if (from_g == 0) /* a timer or a foreign thread: no row to start from */
        return;
    const char *name = kind == GT_FLOW_CREATE ? "create" : "unblock";
    j->flows++;
    begin(j, 's', name, strlen(name), name, from_g, tick);
    fputs(",\"id\":", j->out);
    gt_put_u64(j->out, j->flows);
    fputs("}", j->out);
    begin(j, 'f', name, strlen(name), name, to_g, tick);
    fputs(",\"id\":", j->out);
    gt_put_u64(j->out, j->flows);
    fputs(",\"bp\":\"e\"}", j->out);
}

static void log_event(void *arg, const gt_event *e)
{
    json *j = arg;
    begin(j, 'i', e->name.p, e->name.len, "log", e->g, e->tick);
    fprintf(j->out, ",\"s\":\"t\",\"args\":{\"task\":%" PRIu64 ",\"message\":", e->id);
    gt_json_string(j->out, e->message.p, e->message.len);
    fputs("}}", j->out);
}

static void counters(void *arg, const gt_event *e)
{
    json *j = arg;
    const uint64_t *c = e->counters;
    begin(j, 'C', "goroutines", 10, "counters", 0, e->tick);
    fprintf(j->out,
            ",\"args\":{\"running\":%" PRIu64 ",\"runnable\":%" PRIu64 ",\"waiting\":%" PRIu64 ",\"syscall\":%" PRIu64
            "}}",
            c[0], c[1], c[2], c[3]);
    begin(j, 'C', "threads", 7, "counters", 0, e->tick);
    fprintf(j->out, ",\"args\":{\"threads\":%" PRIu64 "}}", c[4]);
    begin(j, 'C', "heap", 4, "counters", 0, e->tick);
    fprintf(j->out, ",\"args\":{\"bytes in use\":%" PRIu64 "}}", c[5]);
}

/* Metadata: the row's name ("G12 worker") and place. */
static void goroutine(void *arg, const gt_g *g)
{
    json *j = arg;
    const gt_names *funcs = &j->v.t.a.funcs;
    char name[GO__TRACE_MAX_NAME + 32];
    int n = snprintf(name, sizeof name, "G%" PRIu64 " %s", g->id, funcs->names[g->func]);
    fprintf(j->out, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%" PRIu64 ",\"tid\":%" PRIu64 ",\"args\":{\"name\":",
            j->pid, g->id);
    gt_json_string(j->out, name, (size_t)n < sizeof name ? (size_t)n : sizeof name - 1);
    fprintf(j->out,
            "}},\n{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":%" PRIu64 ",\"tid\":%" PRIu64
            ",\"args\":{\"sort_index\":%" PRIu64 "}}",
            j->pid, g->id, g->id);
}

int gt_export_json(gt_reader *r, const gt_options *o)
{
    json j = {.out = o->out, .clock = &r->clock, .pid = r->clock.pid};
    gt_view_init(&j.v, r, o, 1000000);
    gt_timeline *t = &j.v.t;
    t->arg = &j;
    t->on = (gt_timeline_calls){slice, region, task, flow, log_event, counters, goroutine};
    fprintf(j.out,
            "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"source\":\"gotrace export\",\"pid\":%" PRIu64
            "},\"traceEvents\":[\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%" PRIu64
            ",\"tid\":0,\"args\":{\"name\":\"gocurrent trace (pid %" PRIu64 ")\"}}",
            j.pid, j.pid, j.pid);
    bool ok = gt_view_run(&j.v, r, "JSON");
    fputs("\n]}\n", j.out);
    gt_timeline_free(t);
    return ok ? 0 : 1;
}
