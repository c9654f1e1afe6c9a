/* dump.c - `gotrace dump`: every event on one line, in the merged order, as `go tool trace -d`
 * prints Go's: time since the trace's start (ns), the event, who did it (g=), where it was
 * recorded (buffer and thread), its arguments. It prints as it reads: a trace found broken
 * midway ends the listing with the error (exit status 1). */
#include "output.h"
#include "trace_format.h"

static void site(FILE *out, const char *label, const gt_site *s)
{
    if (s->func.len || s->file.len)
        fprintf(out, " %s=%.*s@%.*s:%llu", label, (int)s->func.len, s->func.p, (int)s->file.len, s->file.p,
                (unsigned long long)s->line);
}

static void str(FILE *out, const char *label, gt_str s)
{
    fprintf(out, " %s=", label);
    gt_json_string(out, s.p, s.len);
}

int gt_dump(gt_reader *r, const gt_options *o)
{
    static const char *const states[] = {"?", "runnable", "running", "syscall", "waiting"};
    FILE *out = o->out;
    const gt_event *e;
    fprintf(out, "# clock %s, pid %llu, %llu batches, %llu events lost\n", r->clock.source ? "tsc" : "monotonic",
            (unsigned long long)r->clock.pid, (unsigned long long)r->clock.batches,
            (unsigned long long)r->clock.dropped);
    while ((e = gt_next(r)) != NULL) {
        fprintf(out, "%.0f %s g=%llu buf=%u tid=%llu off=%llu", gt_since_start(&r->clock, e->tick),
                gt_event_name(e->type), (unsigned long long)e->g, e->buffer, (unsigned long long)e->tid,
                (unsigned long long)e->offset);
        switch (e->type) {
        case GO__EV_CREATE:
            fprintf(out, " newg=%llu", (unsigned long long)e->arg_g);
            str(out, "func", e->func);
            site(out, "at", &e->site);
            break;
        case GO__EV_BLOCK:
            fprintf(out, " reason=\"%s\" object=%#llx", gt_reason_name(e->reason), (unsigned long long)e->object);
            site(out, "at", &e->site);
            break;
        case GO__EV_UNBLOCK: fprintf(out, " target=%llu", (unsigned long long)e->arg_g); break;
        case GO__EV_SYSCALL: site(out, "at", &e->site); break;
        case GO__EV_STATE:
            fprintf(out, " of=%llu state=%s", (unsigned long long)e->arg_g, states[e->state]);
            str(out, "func", e->func);
            site(out, "created", &e->created);
            if (e->state == GO__TRACE_WAITING) {
                fprintf(out, " reason=\"%s\" object=%#llx", gt_reason_name(e->reason), (unsigned long long)e->object);
                site(out, "at", &e->site);
            }
            break;
        case GO__EV_TASK:
            fprintf(out, " task=%llu parent=%llu", (unsigned long long)e->id, (unsigned long long)e->parent);
            str(out, "name", e->name);
            break;
        case GO__EV_TASKEND: fprintf(out, " task=%llu", (unsigned long long)e->id); break;
        case GO__EV_REGION:
        case GO__EV_REGIONEND:
            fprintf(out, " task=%llu", (unsigned long long)e->id);
            str(out, "name", e->name);
            break;
        case GO__EV_LOG:
            fprintf(out, " task=%llu", (unsigned long long)e->id);
            str(out, "category", e->name);
            str(out, "message", e->message);
            break;
        case GO__EV_COUNTERS:
            fprintf(out, " running=%llu runnable=%llu waiting=%llu syscall=%llu threads=%llu heap=%llu",
                    (unsigned long long)e->counters[0], (unsigned long long)e->counters[1],
                    (unsigned long long)e->counters[2], (unsigned long long)e->counters[3],
                    (unsigned long long)e->counters[4], (unsigned long long)e->counters[5]);
            break;
        case GO__EV_TIMER:
            fprintf(out, " kind=%s object=%#llx late=%lluns", gt_timer_kind_name(e->timer_kind),
                    (unsigned long long)e->object, (unsigned long long)e->late);
            break;
        default: break; /* START, END, SYSEXIT: no arguments */
        }
        putc('\n', out);
    }
    return r->error[0] != '\0';
}
