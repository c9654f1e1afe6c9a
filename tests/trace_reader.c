/* trace_reader.c - the tests' reader of the native trace format (trace_reader.h): gotrace's
 * streaming reader (tools/gotrace/reader.h), whose merged events it copies into memory. */
#include "trace_reader.h"

#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "trace_format.h"

/* A NUL-terminated copy of s, owned by the trace; NULL for an empty s if none_is_null. */
static const char *own(trace *t, gt_str s, bool none_is_null)
{
    if (s.len == 0 && none_is_null)
        return NULL;
    char *copy = malloc(s.len + 1);
    memcpy(copy, s.p, s.len);
    copy[s.len] = '\0';
    if ((t->nstrings & (t->nstrings - 1)) == 0) /* at 0, 1, 2, 4, ...: double */
        t->strings = realloc(t->strings, (t->nstrings ? 2 * t->nstrings : 1) * sizeof *t->strings);
    t->strings[t->nstrings++] = copy;
    return copy;
}

static trace_site site(trace *t, const gt_site *s)
{
    return (trace_site){own(t, s->func, true), own(t, s->file, true), (int)s->line};
}

bool trace_read(const char *path, trace *t)
{
    memset(t, 0, sizeof *t);
    gt_reader r;
    size_t cap = 0;
    if (gt_open(&r, path)) {
        t->clock = r.clock.source;
        t->batches = r.clock.batches;
        t->dropped = r.clock.dropped;
        t->bytes = r.size;
        const gt_event *g;
        while ((g = gt_next(&r)) != NULL) {
            if (t->len == cap) {
                cap = cap ? 2 * cap : 1024;
                t->events = realloc(t->events, cap * sizeof *t->events);
            }
            trace_event *e = &t->events[t->len];
            *e = (trace_event){
                .type = g->type, .tick = g->tick, .buffer = g->buffer, .tid = (int)g->tid, .g = (int64_t)g->g,
                .order = t->len,
                .ns = (int64_t)r.clock.ns0 + (int64_t)gt_since_start(&r.clock, g->tick),
            };
            switch (g->type) {
            case GO__EV_CREATE:
                e->arg_g = (int64_t)g->arg_g;
                e->func = own(t, g->func, true);
                e->site = site(t, &g->site);
                break;
            case GO__EV_STATE:
                e->arg_g = (int64_t)g->arg_g;
                e->state = g->state;
                e->func = own(t, g->func, true);
                e->created = site(t, &g->created);
                if (g->state == GO__TRACE_WAITING) {
                    e->reason = g->reason;
                    e->site = site(t, &g->site);
                    e->object = (uintptr_t)g->object;
                }
                break;
            case GO__EV_BLOCK:
                e->reason = g->reason;
                e->site = site(t, &g->site);
                e->object = (uintptr_t)g->object;
                break;
            case GO__EV_SYSCALL: e->site = site(t, &g->site); break;
            case GO__EV_UNBLOCK: e->arg_g = (int64_t)g->arg_g; break;
            case GO__EV_TASK:
                e->parent = g->parent;
                /* fall through */
            case GO__EV_REGION:
            case GO__EV_REGIONEND:
                e->name = own(t, g->name, false);
                /* fall through */
            case GO__EV_TASKEND: e->id = g->id; break;
            case GO__EV_LOG:
                e->id = g->id;
                e->name = own(t, g->name, false);
                e->message = own(t, g->message, false);
                break;
            case GO__EV_COUNTERS: memcpy(e->counters, g->counters, sizeof e->counters); break;
            case GO__EV_TIMER:
                e->timer_kind = g->timer_kind;
                e->object = (uintptr_t)g->object;
                break;
            default: break; /* START, END, SYSEXIT: nothing more */
            }
            t->len++;
        }
    }
    snprintf(t->error, sizeof t->error, "%s", r.error);
    gt_close(&r);
    return t->error[0] == '\0';
}

void trace_free(trace *t)
{
    for (size_t i = 0; i < t->nstrings; i++)
        free(t->strings[i]);
    free(t->strings);
    free(t->events);
    memset(t, 0, sizeof *t);
}

const char *trace_event_name(int type)
{
    return gt_event_name(type);
}
