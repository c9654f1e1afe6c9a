/* reader.c - the streaming reader (reader.h): pass 1 indexes and checks the chunks, pass 2
 * merges the buffers' sorted runs by tick. */
#define _POSIX_C_SOURCE 200809L /* fseeko, ftello */
#include "reader.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "trace_format.h"

/* Where one batch's payload lies in the file. */
typedef struct gt_batch_ref {
    uint64_t chunk;   /* the chunk's offset, for messages */
    uint64_t payload; /* the payload's offset */
    uint64_t len;
} gt_batch_ref;

struct gt_run {
    unsigned buffer;
    gt_batch_ref *batches; /* the buffer's batches, in sequence */
    size_t n, cap, next;   /* next: the batch to load after the current one */
    unsigned char *data;   /* the current batch's payload */
    size_t datacap;
    const unsigned char *p, *end;
    gt_batch_ref at;       /* the current batch */
    uint64_t tid, count, decoded, tick;
    gt_str strings[GO__TRACE_SLOTS];
    gt_site sites[GO__TRACE_SLOTS];
    uint64_t g, object;
    gt_event ev;           /* the run's next event, when it is in the heap */
};

static bool fail(gt_reader *r, const char *format, ...) __attribute__((format(printf, 2, 3)));
static bool fail(gt_reader *r, const char *format, ...)
{
    if (r->error[0] != '\0')
        return false; /* the first error is the one to report */
    va_list args;
    va_start(args, format);
    vsnprintf(r->error, sizeof r->error, format, args);
    va_end(args);
    return false;
}

/* ---- Numbers ---- */

/* A cursor over bytes in memory; bad once it ran past the end or met an overlong varint. */
typedef struct cursor {
    const unsigned char *p, *end;
    bool bad;
} cursor;

static inline uint64_t uvarint(cursor *c)
{
    if (c->p < c->end && *c->p < 0x80) /* the common case: one byte */
        return *c->p++;
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (c->p >= c->end)
            break;
        unsigned char byte = *c->p++;
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return v;
    }
    c->bad = true;
    return 0;
}

static inline int64_t svarint(cursor *c)
{
    uint64_t u = uvarint(c);
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* A uvarint read from the stream (pass 1's chunk lengths). */
static bool stream_uvarint(FILE *f, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        int byte = getc(f);
        if (byte == EOF)
            return false;
        *v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

/* ---- Pass 1: the index ---- */

static bool read_at(gt_reader *r, uint64_t offset, void *into, size_t n)
{
    return fseeko(r->f, (off_t)offset, SEEK_SET) == 0 && fread(into, 1, n, r->f) == n;
}

/* Records a BATCH chunk: its buffer's batch numbers must run from 0 without gaps. */
static bool index_batch(gt_reader *r, uint64_t chunk, uint64_t payload, uint64_t len)
{
    unsigned char head[40];
    size_t n = len < sizeof head ? (size_t)len : sizeof head;
    if (!read_at(r, payload, head, n))
        return fail(r, "batch at offset %llu: cannot read it", (unsigned long long)chunk);
    cursor c = {head, head + n, false};
    uint64_t buffer = uvarint(&c);
    uvarint(&c); /* tid */
    uint64_t seq = uvarint(&c);
    if (c.bad)
        return fail(r, "batch at offset %llu: its header is cut short", (unsigned long long)chunk);
    /* Buffers are dense from 0 and about as many as the program's threads at once. */
    if (buffer >= 1u << 16)
        return fail(r, "batch at offset %llu: buffer number %llu is implausible", (unsigned long long)chunk,
                    (unsigned long long)buffer);
    if (buffer >= r->nruns) {
        unsigned n2 = (unsigned)buffer + 1;
        r->runs = realloc(r->runs, n2 * sizeof *r->runs);
        memset(r->runs + r->nruns, 0, (n2 - r->nruns) * sizeof *r->runs);
        r->nruns = n2;
    }
    /* Runs are made as their buffers appear: a run's tables are 7 KiB, and a broken file may
     * name buffer 65535 alone. */
    if (r->runs[buffer] == NULL)
        r->runs[buffer] = calloc(1, sizeof **r->runs);
    gt_run *run = r->runs[buffer];
    if (seq != run->n)
        return fail(r, "batch at offset %llu: buffer %llu's batch %llu, expected %zu (out of sequence)",
                    (unsigned long long)chunk, (unsigned long long)buffer, (unsigned long long)seq, run->n);
    if (run->n == run->cap) {
        run->cap = run->cap ? 2 * run->cap : 16;
        run->batches = realloc(run->batches, run->cap * sizeof *run->batches);
    }
    run->buffer = (unsigned)buffer;
    run->batches[run->n++] = (gt_batch_ref){chunk, payload, len};
    return true;
}

/* Reads a small chunk (CLOCK, END) whole into fields. */
static bool clock_fields(gt_reader *r, const char *name, uint64_t chunk, uint64_t payload, uint64_t len,
                         uint64_t *fields, int n)
{
    unsigned char body[64];
    size_t k = len < sizeof body ? (size_t)len : sizeof body;
    if (!read_at(r, payload, body, k))
        return fail(r, "chunk at offset %llu: cannot read it", (unsigned long long)chunk);
    cursor c = {body, body + k, false};
    for (int i = 0; i < n; i++)
        fields[i] = uvarint(&c);
    if (c.bad)
        return fail(r, "%s chunk at offset %llu: cut short", name, (unsigned long long)chunk);
    return true;
}

static bool index_file(gt_reader *r)
{
    unsigned char header[16];
    if (fseeko(r->f, 0, SEEK_END) != 0 || ftello(r->f) < 0)
        return fail(r, "cannot seek in the file (gotrace reads a regular file, not a pipe)");
    r->size = (uint64_t)ftello(r->f);
    if (!read_at(r, 0, header, sizeof header) || memcmp(header, GO__TRACE_MAGIC, GO__TRACE_MAGIC_LEN) != 0)
        return fail(r, "offset 0: not a gocurrent trace (no \"%s\" header)", GO__TRACE_MAGIC);
    unsigned version = header[GO__TRACE_MAGIC_LEN];
    if (version < GO__TRACE_OLDEST_VERSION || version > GO__TRACE_VERSION)
        return fail(r, "offset %d: trace format version %u; this gotrace reads versions %d to %d",
                    GO__TRACE_MAGIC_LEN, version, GO__TRACE_OLDEST_VERSION, GO__TRACE_VERSION);
    uint64_t pos = sizeof header, batches = 0, end_at = 0;
    bool clock = false, end = false;
    while (pos < r->size) {
        if (end)
            return fail(r, "chunk at offset %llu: after the END chunk", (unsigned long long)pos);
        int kind = getc(r->f);
        uint64_t len;
        if (kind == EOF || !stream_uvarint(r->f, &len))
            return fail(r, "chunk at offset %llu: header cut short (the file ends at %llu)", (unsigned long long)pos,
                        (unsigned long long)r->size);
        uint64_t payload = (uint64_t)ftello(r->f);
        if (len > r->size - payload)
            return fail(r, "chunk at offset %llu: %llu bytes long, past the end of the file at %llu (cut short)",
                        (unsigned long long)pos, (unsigned long long)len, (unsigned long long)r->size);
        if (!clock && kind != GO__TRACE_CLOCK)
            return fail(r, "chunk at offset %llu: the first chunk is not CLOCK", (unsigned long long)pos);
        bool ok = true;
        if (kind == GO__TRACE_CLOCK) {
            if (clock)
                return fail(r, "chunk at offset %llu: a second CLOCK chunk", (unsigned long long)pos);
            clock = true;
            uint64_t f[4];
            ok = clock_fields(r, "CLOCK", pos, payload, len, f, 4);
            r->clock.source = (unsigned)f[0];
            r->clock.tick0 = f[1];
            r->clock.ns0 = f[2];
            r->clock.pid = f[3];
        } else if (kind == GO__TRACE_BATCH) {
            ok = index_batch(r, pos, payload, len);
            batches++;
        } else if (kind == GO__TRACE_END) {
            end = true;
            end_at = pos;
            uint64_t f[4];
            ok = clock_fields(r, "END", pos, payload, len, f, 4);
            r->clock.tick1 = f[0];
            r->clock.ns1 = f[1];
            r->clock.batches = f[2];
            r->clock.dropped = f[3];
        }
        if (!ok)
            return false;
        pos = payload + len;
        if (fseeko(r->f, (off_t)pos, SEEK_SET) != 0)
            return fail(r, "chunk at offset %llu: cannot seek past it", (unsigned long long)pos);
    }
    if (!clock)
        return fail(r, "offset 16: no CLOCK chunk (the trace is empty: cut short)");
    if (!end)
        return fail(r, "offset %llu: no END chunk: the trace was cut short (its program died, or the file "
                       "was cut); gotrace analyses whole traces only",
                    (unsigned long long)r->size);
    if (batches != r->clock.batches)
        return fail(r, "END chunk at offset %llu: says %llu batches, the file holds %llu", (unsigned long long)end_at,
                    (unsigned long long)r->clock.batches, (unsigned long long)batches);
    if (r->clock.tick1 < r->clock.tick0 || r->clock.ns1 < r->clock.ns0)
        return fail(r, "END chunk at offset %llu: the clock ran backwards since CLOCK (offset 16)",
                    (unsigned long long)end_at);
    return true;
}

/* ---- Pass 2: decoding a run's events ---- */

/* Loads the run's next batch and reads its header. False at the run's end or on an error. */
static bool load_batch(gt_reader *r, gt_run *run)
{
    if (run->next == run->n)
        return false;
    run->at = run->batches[run->next++];
    if (run->at.len > run->datacap) {
        run->datacap = run->at.len;
        run->data = realloc(run->data, run->datacap);
    }
    if (!read_at(r, run->at.payload, run->data, run->at.len))
        return fail(r, "batch at offset %llu: cannot read it", (unsigned long long)run->at.chunk);
    cursor c = {run->data, run->data + run->at.len, false};
    uvarint(&c); /* buffer and seq: checked by pass 1 */
    run->tid = uvarint(&c);
    uvarint(&c);
    run->count = uvarint(&c);
    uint64_t base = uvarint(&c);
    if (c.bad)
        return fail(r, "batch at offset %llu: its header is cut short", (unsigned long long)run->at.chunk);
    /* A buffer's next batch starts where its last ended; ticks going back mean corruption. */
    if (base < run->tick)
        return fail(r, "batch at offset %llu: starts at tick %llu, before its buffer's previous batch ended (%llu)",
                    (unsigned long long)run->at.chunk, (unsigned long long)base, (unsigned long long)run->tick);
    run->tick = base;
    run->p = c.p;
    run->end = c.end;
    run->decoded = 0;
    run->g = run->object = 0;
    /* Empty tables: every slot "none", as an empty string (never a null pointer). */
    for (int i = 0; i < GO__TRACE_SLOTS; i++) {
        run->strings[i] = (gt_str){"", 0};
        run->sites[i] = (gt_site){{"", 0}, {"", 0}, 0, 0};
    }
    return true;
}

static unsigned slot(cursor *c)
{
    uint64_t s = uvarint(c);
    if (s >= GO__TRACE_SLOTS)
        c->bad = true;
    return s < GO__TRACE_SLOTS ? (unsigned)s : 0;
}

static gt_str bytes(cursor *c, uint64_t max)
{
    uint64_t n = uvarint(c);
    if (n > (uint64_t)(c->end - c->p) || n > max) {
        c->bad = true;
        return (gt_str){"", 0};
    }
    gt_str s = {(const char *)c->p, (uint32_t)n};
    c->p += n;
    return s;
}

static int reason(cursor *c)
{
    uint64_t v = uvarint(c);
    if (v > GT_MAX_REASON) /* trace_format.h's reasons */
        c->bad = true;
    return (int)(v <= GT_MAX_REASON ? v : 0);
}

/* Decodes the run's next event into run->ev, applying definitions on the way, loading the
 * buffer's next batch when this one is done. False at the run's end or on an error. */
static bool advance(gt_reader *r, gt_run *run)
{
    for (;;) {
        if (run->p == run->end) {
            if (run->decoded != run->count)
                return fail(r, "batch at offset %llu: %llu events, its header says %llu (torn)",
                            (unsigned long long)run->at.chunk, (unsigned long long)run->decoded,
                            (unsigned long long)run->count);
            if (!load_batch(r, run))
                return false;
            continue;
        }
        uint64_t offset = run->at.payload + (uint64_t)(run->p - run->data);
        cursor c = {run->p, run->end, false};
        int type = *c.p++;
        run->tick += uvarint(&c);
        run->decoded++;
        gt_event *e = &run->ev;
        /* Only the fields an event type uses are set: the rest keep stale values. */
        e->type = type;
        e->tick = run->tick;
        e->offset = offset;
        e->tid = run->tid;
        e->buffer = run->buffer;
        unsigned s;
        switch (type) {
        case GO__EV_STRING:
            s = slot(&c);
            run->strings[s] = bytes(&c, GO__TRACE_MAX_NAME);
            break;
        case GO__EV_SITE: {
            s = slot(&c);
            gt_str func = run->strings[slot(&c)], file = run->strings[slot(&c)];
            run->sites[s] = (gt_site){func, file, uvarint(&c), ++r->sites};
            break;
        }
        case GO__EV_SETG: run->g = uvarint(&c); break;
        case GO__EV_CREATE:
            e->arg_g = uvarint(&c);
            e->func = run->strings[slot(&c)];
            e->site = run->sites[slot(&c)];
            break;
        case GO__EV_START:
        case GO__EV_END:
        case GO__EV_SYSEXIT: break;
        case GO__EV_BLOCK:
            e->reason = reason(&c);
            e->site = run->sites[slot(&c)];
            e->object = run->object += (uint64_t)svarint(&c);
            break;
        case GO__EV_UNBLOCK: e->arg_g = uvarint(&c); break;
        case GO__EV_SYSCALL: e->site = run->sites[slot(&c)]; break;
        case GO__EV_STATE: {
            e->arg_g = uvarint(&c);
            uint64_t state = uvarint(&c);
            if (state < GO__TRACE_RUNNABLE || state > GO__TRACE_WAITING)
                c.bad = true;
            e->state = (int)state;
            e->func = run->strings[slot(&c)];
            e->created = run->sites[slot(&c)];
            e->reason = 0;
            e->site = run->sites[0];
            if (state == GO__TRACE_WAITING) {
                e->reason = reason(&c);
                e->site = run->sites[slot(&c)];
                e->object = run->object += (uint64_t)svarint(&c);
            }
            break;
        }
        case GO__EV_TASK:
            e->id = uvarint(&c);
            e->parent = uvarint(&c);
            e->name = bytes(&c, GO__TRACE_MAX_NAME);
            break;
        case GO__EV_TASKEND: e->id = uvarint(&c); break;
        case GO__EV_REGION:
        case GO__EV_REGIONEND:
            e->id = uvarint(&c);
            e->name = bytes(&c, GO__TRACE_MAX_NAME);
            break;
        case GO__EV_LOG:
            e->id = uvarint(&c);
            e->name = bytes(&c, GO__TRACE_MAX_NAME);
            e->message = bytes(&c, GO__TRACE_MAX_MESSAGE);
            break;
        case GO__EV_COUNTERS:
            for (int i = 0; i < 6; i++)
                e->counters[i] = uvarint(&c);
            break;
        case GO__EV_TIMER: {
            uint64_t kind = uvarint(&c);
            if (kind > GT_MAX_TIMER_KIND)
                c.bad = true;
            e->timer_kind = (int)kind;
            e->object = run->object += (uint64_t)svarint(&c);
            e->late = uvarint(&c);
            break;
        }
        default:
            return fail(r, "offset %llu: unknown event type %d (in the batch at offset %llu)",
                        (unsigned long long)offset, type, (unsigned long long)run->at.chunk);
        }
        if (c.bad)
            return fail(r, "offset %llu: %s event cut short or out of range (in the batch at offset %llu)",
                        (unsigned long long)offset, gt_event_name(type), (unsigned long long)run->at.chunk);
        run->p = c.p;
        if (type > GO__EV_SETG) {
            e->g = run->g;
            return true;
        }
    }
}

/* ---- Pass 2: the merge ---- */

/* Heap order: by tick; equal ticks, the batch earlier in the file first (a run has one batch
 * loaded at a time, so a batch's own order is kept). */
static inline bool before(const gt_run *a, const gt_run *b)
{
    return a->ev.tick != b->ev.tick ? a->ev.tick < b->ev.tick : a->at.chunk < b->at.chunk;
}

static void sift_down(gt_reader *r, unsigned i)
{
    gt_run **h = r->heap;
    for (;;) {
        unsigned l = 2 * i + 1, m = i;
        if (l < r->nheap && before(h[l], h[m]))
            m = l;
        if (l + 1 < r->nheap && before(h[l + 1], h[m]))
            m = l + 1;
        if (m == i)
            return;
        gt_run *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

bool gt_open_file(gt_reader *r, FILE *f)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    if (!index_file(r))
        return false;
    r->heap = malloc((r->nruns + 1) * sizeof *r->heap);
    for (unsigned b = 0; b < r->nruns; b++) {
        gt_run *run = r->runs[b];
        if (run == NULL)
            continue;
        run->tick = 0;
        if (load_batch(r, run) && advance(r, run))
            r->heap[r->nheap++] = run;
        if (r->error[0] != '\0')
            return false;
    }
    for (unsigned i = r->nheap / 2; i-- > 0;)
        sift_down(r, i);
    return true;
}

bool gt_open(gt_reader *r, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        memset(r, 0, sizeof *r);
        return fail(r, "cannot open %s", path);
    }
    bool ok = gt_open_file(r, f);
    r->own = true;
    return ok;
}

const gt_event *gt_next(gt_reader *r)
{
    if (r->error[0] != '\0' || r->nheap == 0)
        return NULL;
    /* The top run's event was delivered last time (its strings live in the run's batch until
     * now): advance that run and restore the heap. The first call has nothing delivered. */
    if (r->events > 0) {
        gt_run *top = r->heap[0];
        if (!advance(r, top)) {
            if (r->error[0] != '\0')
                return NULL;
            r->heap[0] = r->heap[--r->nheap];
            if (r->nheap == 0)
                return NULL;
        }
        sift_down(r, 0);
    }
    r->events++;
    return &r->heap[0]->ev;
}

void gt_close(gt_reader *r)
{
    for (unsigned b = 0; b < r->nruns; b++) {
        if (r->runs[b] != NULL) {
            free(r->runs[b]->batches);
            free(r->runs[b]->data);
            free(r->runs[b]);
        }
    }
    free(r->runs);
    free(r->heap);
    if (r->own && r->f != NULL)
        fclose(r->f);
    memset(r, 0, sizeof *r);
}

/* ---- Time and names ---- */

double gt_ns(const gt_clock *c, uint64_t ticks)
{
    return c->tick1 > c->tick0 ? (double)ticks * (double)(c->ns1 - c->ns0) / (double)(c->tick1 - c->tick0) : 0;
}

int64_t gt_ns_int(const gt_clock *c, uint64_t ticks)
{
    double ns = gt_ns(c, ticks) + 0.5;
    return ns < 0 ? 0 : ns >= 0x1p63 ? INT64_MAX : (int64_t)ns;
}

double gt_since_start(const gt_clock *c, uint64_t tick)
{
    return tick >= c->tick0 ? gt_ns(c, tick - c->tick0) : -gt_ns(c, c->tick0 - tick);
}

const char *gt_event_name(int type)
{
    static const char *const names[] = {
        [GO__EV_STRING] = "STRING", [GO__EV_SITE] = "SITE", [GO__EV_SETG] = "SETG",
        [GO__EV_CREATE] = "CREATE", [GO__EV_START] = "START", [GO__EV_BLOCK] = "BLOCK",
        [GO__EV_UNBLOCK] = "UNBLOCK", [GO__EV_END] = "END", [GO__EV_SYSCALL] = "SYSCALL",
        [GO__EV_SYSEXIT] = "SYSEXIT", [GO__EV_STATE] = "STATE", [GO__EV_TASK] = "TASK",
        [GO__EV_TASKEND] = "TASKEND", [GO__EV_REGION] = "REGION", [GO__EV_REGIONEND] = "REGIONEND",
        [GO__EV_LOG] = "LOG", [GO__EV_COUNTERS] = "COUNTERS", [GO__EV_TIMER] = "TIMER",
    };
    return type > 0 && type <= GO__EV_TIMER ? names[type] : "?";
}

const char *gt_timer_kind_name(int kind)
{
    static const char *const names[] = {"other", "sleep", "chan", "deadline"};
    _Static_assert(sizeof names / sizeof names[0] == GT_MAX_TIMER_KIND + 1, "a name for every kind");
    return kind >= 0 && kind <= GT_MAX_TIMER_KIND ? names[kind] : "?";
}

const char *gt_reason_name(int reason)
{
    static const char *const names[] = {
        "other", "chan send", "chan receive", "chan send (nil chan)", "chan receive (nil chan)", "select",
        "select (no cases)", "sleep", "Mutex.Lock", "RWMutex.RLock", "RWMutex.Lock", "WaitGroup.Wait",
        "network",
    };
    _Static_assert(sizeof names / sizeof names[0] == GT_MAX_REASON + 1, "a name for every reason");
    return reason >= 0 && reason <= GT_MAX_REASON ? names[reason] : "?";
}
