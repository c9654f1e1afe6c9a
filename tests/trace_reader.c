/* trace_reader.c - the tests' reader of the native trace format (trace_reader.h). */
#include "trace_reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_format.h"

typedef struct cursor {
    const unsigned char *p, *end;
    bool bad;
} cursor;

static uint64_t uvarint(cursor *c)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (c->p >= c->end) {
            c->bad = true;
            return 0;
        }
        unsigned char byte = *c->p++;
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return v;
    }
    c->bad = true;
    return 0;
}

static int64_t svarint(cursor *c)
{
    uint64_t u = uvarint(c);
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* The reader's state while decoding. */
typedef struct reader {
    trace *t;
    size_t cap;
    const char *strings[GO__TRACE_SLOTS];
    trace_site sites[GO__TRACE_SLOTS];
    int64_t g;
    uintptr_t object;
} reader;

static bool fail(trace *t, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(t->error, sizeof t->error, format, args);
    va_end(args);
    return false;
}

/* A copy of the next `bytes` of c, owned by the trace. */
static const char *bytes(reader *r, cursor *c)
{
    uint64_t n = uvarint(c);
    if (c->bad || n > (uint64_t)(c->end - c->p)) {
        c->bad = true;
        return "";
    }
    char *s = malloc(n + 1);
    memcpy(s, c->p, n);
    s[n] = '\0';
    c->p += n;
    trace *t = r->t;
    t->strings = realloc(t->strings, (t->nstrings + 1) * sizeof *t->strings);
    t->strings[t->nstrings++] = s;
    return s;
}

static unsigned slot(cursor *c)
{
    uint64_t s = uvarint(c);
    if (s >= GO__TRACE_SLOTS)
        c->bad = true;
    return s < GO__TRACE_SLOTS ? (unsigned)s : 0;
}

static trace_site site(reader *r, cursor *c)
{
    return r->sites[slot(c)];
}

/* Decodes one batch's events into r->t. */
static bool batch(reader *r, cursor *c, uint64_t position)
{
    trace *t = r->t;
    unsigned buffer = (unsigned)uvarint(c);
    int tid = (int)uvarint(c);
    uint64_t seq = uvarint(c), count = uvarint(c), tick = uvarint(c);
    (void)seq;
    memset(r->strings, 0, sizeof r->strings);
    memset(r->sites, 0, sizeof r->sites);
    r->g = 0;
    r->object = 0;
    uint64_t decoded = 0;
    while (c->p < c->end && !c->bad) {
        int type = *c->p++;
        tick += uvarint(c);
        decoded++;
        trace_event e = {.type = type, .tick = tick, .buffer = buffer, .tid = tid};
        unsigned s;
        switch (type) {
        case GO__EV_STRING:
            s = slot(c);
            r->strings[s] = bytes(r, c);
            continue;
        case GO__EV_SITE: {
            s = slot(c);
            const char *func = r->strings[slot(c)], *file = r->strings[slot(c)];
            r->sites[s] = (trace_site){func, file, (int)uvarint(c)};
            continue;
        }
        case GO__EV_SETG: r->g = (int64_t)uvarint(c); continue;
        case GO__EV_CREATE:
            e.arg_g = (int64_t)uvarint(c);
            e.func = r->strings[slot(c)];
            e.site = site(r, c);
            break;
        case GO__EV_START:
        case GO__EV_END:
        case GO__EV_SYSEXIT: break;
        case GO__EV_BLOCK:
            e.reason = (int)uvarint(c);
            e.site = site(r, c);
            e.object = r->object += (uintptr_t)svarint(c);
            break;
        case GO__EV_UNBLOCK: e.arg_g = (int64_t)uvarint(c); break;
        case GO__EV_SYSCALL: e.site = site(r, c); break;
        case GO__EV_STATE:
            e.arg_g = (int64_t)uvarint(c);
            e.state = (int)uvarint(c);
            e.func = r->strings[slot(c)];
            e.created = site(r, c);
            if (e.state == GO__TRACE_WAITING) {
                e.reason = (int)uvarint(c);
                e.site = site(r, c);
                e.object = r->object += (uintptr_t)svarint(c);
            }
            break;
        case GO__EV_TASK:
            e.id = uvarint(c);
            e.parent = uvarint(c);
            e.name = bytes(r, c);
            break;
        case GO__EV_TASKEND: e.id = uvarint(c); break;
        case GO__EV_REGION:
        case GO__EV_REGIONEND:
            e.id = uvarint(c);
            e.name = bytes(r, c);
            break;
        case GO__EV_LOG:
            e.id = uvarint(c);
            e.name = bytes(r, c);
            e.message = bytes(r, c);
            break;
        case GO__EV_COUNTERS:
            for (int i = 0; i < 6; i++)
                e.counters[i] = uvarint(c);
            break;
        default:
            return fail(t, "batch at offset %llu: unknown event type %d", (unsigned long long)position,
                        type);
        }
        e.g = r->g;
        e.order = t->len;
        if (t->len == r->cap) {
            r->cap = r->cap ? 2 * r->cap : 1024;
            t->events = realloc(t->events, r->cap * sizeof *t->events);
        }
        t->events[t->len++] = e;
    }
    if (c->bad)
        return fail(t, "batch at offset %llu: event cut short", (unsigned long long)position);
    if (decoded != count)
        return fail(t, "batch at offset %llu: %llu events, header says %llu", (unsigned long long)position,
                    (unsigned long long)decoded, (unsigned long long)count);
    return true;
}

/* Merge order: by tick; equal ticks keep the file's order (events were appended in it). */
static int by_tick(const void *a, const void *b)
{
    const trace_event *x = a, *y = b;
    if (x->tick != y->tick)
        return x->tick < y->tick ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

bool trace_read(const char *path, trace *t)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return fail(t, "cannot open %s", path);
    size_t cap = 1 << 16, len = 0;
    unsigned char *data = malloc(cap);
    size_t n;
    while ((n = fread(data + len, 1, cap - len, f)) > 0)
        if ((len += n) == cap)
            data = realloc(data, cap *= 2);
    fclose(f);
    t->bytes = len;
    reader r = {.t = t};
    bool ok = len >= 16 && memcmp(data, GO__TRACE_MAGIC, GO__TRACE_MAGIC_LEN) == 0 &&
              data[GO__TRACE_MAGIC_LEN] == GO__TRACE_VERSION;
    if (!ok)
        fail(t, "not a version %d trace", GO__TRACE_VERSION);
    uint64_t tick0 = 0, ns0 = 0, tick1 = 0, ns1 = 0, batches = 0;
    bool clock = false, end = false;
    uint64_t *next_seq = calloc(1 << 16, sizeof *next_seq);
    cursor c = {data + 16, data + len, false};
    while (ok && c.p < c.end) {
        uint64_t position = (uint64_t)(c.p - data);
        int kind = *c.p++;
        uint64_t size = uvarint(&c);
        if (c.bad || size > (uint64_t)(c.end - c.p) || end) {
            ok = fail(t, "chunk at offset %llu: %s", (unsigned long long)position,
                      end ? "after the END chunk" : "cut short");
            break;
        }
        cursor chunk = {c.p, c.p + size, false};
        c.p += size;
        if (!clock && kind != GO__TRACE_CLOCK) {
            ok = fail(t, "the first chunk is not CLOCK");
        } else if (kind == GO__TRACE_CLOCK) {
            clock = true;
            t->clock = (unsigned)uvarint(&chunk);
            tick0 = uvarint(&chunk);
            ns0 = uvarint(&chunk);
        } else if (kind == GO__TRACE_BATCH) {
            cursor peek = chunk;
            unsigned buffer = (unsigned)uvarint(&peek);
            uvarint(&peek);
            uint64_t seq = uvarint(&peek);
            if (buffer >= 1 << 16 || seq != next_seq[buffer]++)
                ok = fail(t, "batch at offset %llu: buffer %u's batch %llu out of sequence",
                          (unsigned long long)position, buffer, (unsigned long long)seq);
            else
                ok = batch(&r, &chunk, position);
            batches++;
        } else if (kind == GO__TRACE_END) {
            end = true;
            tick1 = uvarint(&chunk);
            ns1 = uvarint(&chunk);
            t->batches = uvarint(&chunk);
            t->dropped = uvarint(&chunk);
        }
        if (ok && chunk.bad)
            ok = fail(t, "chunk at offset %llu: cut short", (unsigned long long)position);
    }
    free(next_seq);
    free(data);
    if (ok && !end)
        ok = fail(t, "no END chunk: the trace was cut short");
    if (ok && batches != t->batches)
        ok = fail(t, "%llu batches, END says %llu", (unsigned long long)batches,
                  (unsigned long long)t->batches);
    if (!ok)
        return false;
    qsort(t->events, t->len, sizeof *t->events, by_tick);
    double ns_per_tick = tick1 > tick0 ? (double)(ns1 - ns0) / (double)(tick1 - tick0) : 0;
    for (size_t i = 0; i < t->len; i++)
        t->events[i].ns =
            (int64_t)ns0 + (int64_t)((double)(int64_t)(t->events[i].tick - tick0) * ns_per_tick);
    return true;
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
    static const char *const names[] = {
        [GO__EV_STRING] = "STRING", [GO__EV_SITE] = "SITE", [GO__EV_SETG] = "SETG",
        [GO__EV_CREATE] = "CREATE", [GO__EV_START] = "START", [GO__EV_BLOCK] = "BLOCK",
        [GO__EV_UNBLOCK] = "UNBLOCK", [GO__EV_END] = "END", [GO__EV_SYSCALL] = "SYSCALL",
        [GO__EV_SYSEXIT] = "SYSEXIT", [GO__EV_STATE] = "STATE", [GO__EV_TASK] = "TASK",
        [GO__EV_TASKEND] = "TASKEND", [GO__EV_REGION] = "REGION", [GO__EV_REGIONEND] = "REGIONEND",
        [GO__EV_LOG] = "LOG", [GO__EV_COUNTERS] = "COUNTERS",
    };
    return type > 0 && type <= GO__EV_COUNTERS ? names[type] : "?";
}
