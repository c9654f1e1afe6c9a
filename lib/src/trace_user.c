/* trace_user.c - tasks, regions and logs: the structure a program adds to its trace (Go's
 * trace.NewTask, trace.StartRegion, trace.WithRegion, trace.Log). Each is an event of the
 * calling goroutine, recorded in its thread's buffer like the runtime's own. */
#include <stdarg.h>
#include <stdio.h>

#include "gocurrent/trace.h"
#include "g.h"
#include "trace_internal.h"

/* Task ids count from 1 for the whole process, traced or not, as Go's do: 0 is "no task". */
static atomic_uint_fast64_t next_task = 1;

/* A user event of the calling goroutine: begins it and sets the register, or returns NULL if
 * tracing is off. The goroutine is found first: a thread the runtime adopts now records its
 * own creation, which must not nest inside this event. */
static go__trace_buf *begin_user(go__g **g, uint64_t *t)
{
    if (!go_trace_is_enabled())
        return NULL;
    *g = go__current();
    go__trace_buf *b = go__trace_begin();
    if (b == NULL)
        return NULL;
    *t = go__trace_stamp(b, (*g)->trace_tick);
    go__trace_setg(b, *t, (*g)->id);
    return b;
}

static void end_user(go__trace_buf *b, go__g *g, uint64_t t)
{
    g->trace_tick = t;
    go__trace_end(b);
}

/* An event whose arguments are an id, and a name (TASKEND has none: name NULL). */
static void record(go__trace_ev type, uint64_t id, const char *name)
{
    go__g *g;
    uint64_t t;
    go__trace_buf *b = begin_user(&g, &t);
    if (b == NULL)
        return;
    go__trace_event(b, type, t);
    go__trace_uvarint(b, id);
    if (name != NULL)
        go__trace_bytes(b, name, GO__TRACE_MAX_NAME);
    end_user(b, g, t);
}

uint64_t go_trace_new_task(uint64_t parent, const char *name)
{
    uint64_t id = atomic_fetch_add_explicit(&next_task, 1, memory_order_relaxed);
    go__g *g;
    uint64_t t;
    go__trace_buf *b = begin_user(&g, &t);
    if (b != NULL) {
        go__trace_event(b, GO__EV_TASK, t);
        go__trace_uvarint(b, id);
        go__trace_uvarint(b, parent);
        go__trace_bytes(b, name, GO__TRACE_MAX_NAME);
        end_user(b, g, t);
    }
    return id;
}

void go_trace_end_task(uint64_t task)
{
    record(GO__EV_TASKEND, task, NULL);
}

go_trace_region go_trace_start_region(uint64_t task, const char *name)
{
    record(GO__EV_REGION, task, name);
    return (go_trace_region){task, name};
}

void go_trace_end_region(go_trace_region r)
{
    record(GO__EV_REGIONEND, r.task, r.name);
}

void go_trace_with_region(uint64_t task, const char *name, void (*fn)(void *arg), void *arg)
{
    go_trace_region r = go_trace_start_region(task, name);
    fn(arg);
    go_trace_end_region(r);
}

void go_trace_log(uint64_t task, const char *category, const char *message)
{
    go__g *g;
    uint64_t t;
    go__trace_buf *b = begin_user(&g, &t);
    if (b == NULL)
        return;
    go__trace_event(b, GO__EV_LOG, t);
    go__trace_uvarint(b, task);
    go__trace_bytes(b, category, GO__TRACE_MAX_NAME);
    go__trace_bytes(b, message, GO__TRACE_MAX_MESSAGE);
    end_user(b, g, t);
}

void go_trace_logf(uint64_t task, const char *category, const char *format, ...)
{
    if (!go_trace_is_enabled())
        return;
    char message[GO__TRACE_MAX_MESSAGE + 1];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    go_trace_log(task, category, message);
}
