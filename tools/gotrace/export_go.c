/* export_go.c - `gotrace export --format=go`: the trace in the execution trace format of Go
 * 1.19 (the one `go tool trace` of Debian's golang-go reads; later Go releases read it too).
 * The format's authority is Go's own parser, $(go env GOROOT)/src/internal/trace/parser.go and
 * order.go, and the event table in src/runtime/trace.go.
 *
 * The mapping (README.md says what it means for a reader of `go tool trace`):
 *   - P n is the trace's buffer n: one thread at a time (gocurrent runs each goroutine on a
 *     thread of its own, and a thread keeps its buffer for life). ProcStart carries the
 *     thread's kernel id; the P stops when its goroutine ends or another thread takes the
 *     buffer. Every goroutine's events are recorded on its own thread, so a P runs one
 *     goroutine at a time, as Go's parser demands.
 *   - One more P, numbered after the buffers, carries what no goroutine did: the creation of
 *     goroutines alive when tracing started and their state then, the heap counter, and the
 *     wake-ups a goroutine-less thread made while its own P was busy. It never runs a goroutine.
 *   - A goroutine running when tracing started is started at that moment on the P its first
 *     event shows, if that P has nothing written since (backdate_start); else at that event.
 *   - Ticks are written as they are, with the ticks per second measured between the trace's
 *     CLOCK and END: Go's parser orders and converts them itself, and no two events of one
 *     goroutine share a tick.
 *   - Each native event becomes Go's (CREATE GoCreate, START GoStart, BLOCK GoBlockRecv and
 *     the like, UNBLOCK GoUnblock, END GoEnd, SYSCALL GoSysCall and GoSysBlock, SYSEXIT
 *     GoSysExit and GoStart, tasks, regions and logs, heap bytes as HeapAlloc), preceded when
 *     needed by the events that make it legal in Go's state machine: a goroutine first seen
 *     doing something is created (and started, unblocked or put in a syscall) first. Sequence
 *     numbers are kept per goroutine as Go's runtime keeps them.
 *   - A site (function, file, line) is a one-frame stack with a made-up PC per site; a
 *     goroutine's start function is a frame of its own (no file, line 0), whose PC is what
 *     the goroutine analysis groups goroutines by.
 *
 * Streaming: memory is a record per live goroutine (its state and open regions), a batch per P
 * (written out at 32 KiB, as Go's runtime writes its per-P buffers), and the interned strings
 * and sites; events are written as they are read. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "output.h"
#include "trace_format.h"

/* Go 1.19's event types this exporter writes (runtime/trace.go's traceEv*). */
enum {
    EV_BATCH = 1,
    EV_FREQUENCY = 2,
    EV_STACK = 3,
    EV_GOMAXPROCS = 4,
    EV_PROC_START = 5,
    EV_PROC_STOP = 6,
    EV_GO_CREATE = 13,
    EV_GO_START = 14,
    EV_GO_END = 15,
    EV_GO_SCHED = 17,
    EV_GO_SLEEP = 19,
    EV_GO_BLOCK = 20,
    EV_GO_UNBLOCK = 21,
    EV_GO_BLOCK_SEND = 22,
    EV_GO_BLOCK_RECV = 23,
    EV_GO_BLOCK_SELECT = 24,
    EV_GO_BLOCK_SYNC = 25,
    EV_GO_BLOCK_NET = 27,
    EV_GO_SYSCALL = 28,
    EV_GO_SYSEXIT = 29,
    EV_GO_SYSBLOCK = 30,
    EV_GO_WAITING = 31,
    EV_GO_IN_SYSCALL = 32,
    EV_HEAP_ALLOC = 33,
    EV_STRING = 37,
    EV_USER_TASK_CREATE = 45,
    EV_USER_TASK_END = 46,
    EV_USER_REGION = 47,
    EV_USER_LOG = 48,
};

enum { FLUSH_AT = 32 * 1024, MAX_ARGS = 6, VARINT_MAX = 10 };

typedef struct bytes {
    unsigned char *p;
    size_t len, cap;
} bytes;

/* A P: a buffer of the trace (one thread at a time), or the runtime's. */
typedef struct proc {
    bool started;
    uint64_t tid;  /* the thread ProcStart named */
    uint64_t g;    /* the goroutine running on it, as Go's parser sees it; 0: none */
    uint64_t last; /* the tick of its last event, which the next one's delta counts from */
    bytes batch;   /* the batch being filled; empty: none open */
} proc;

/* A goroutine's state in Go's terms (parser.go's gdesc and order.go's gState). */
typedef enum gstate { G_RUNNABLE, G_RUNNING, G_WAITING, G_SYSCALL } gstate;

typedef struct region {
    uint64_t task, name; /* name: a string id */
} region;

typedef struct xg {
    uint64_t id, seq;       /* seq: Go's per-goroutine sequence number, the next to write */
    gstate state;
    unsigned p;             /* where it runs, when G_RUNNING */
    uint64_t start_stack;   /* its start function's frame, the stack of its tasks, regions and logs */
    uint64_t pending_stack; /* start_stack, given before its function was known; 0: none */
    uint64_t running_since; /* described as running at start, at this tick, and not seen since; 0: not */
    region *regions;        /* open regions, innermost last */
    size_t nregions, capregions;
} xg;

/* A frame: a site, or a start function (no file, line 0), and its one-frame stack. */
typedef struct frame {
    uint64_t stack, pc, func, file, line;
} frame;

typedef struct exporter {
    gt_reader *r;
    FILE *out;
    proc *procs;         /* buffers' Ps, then the runtime's */
    unsigned nprocs, runtime;
    gt_idmap gs;         /* id -> xg, live goroutines */
    unsigned char *ended; /* a bit per goroutine id below nended: its END was written */
    uint64_t nended;
    gt_idmap ended_far;  /* ended ids above that (only a corrupt trace has such ids) */
    gt_idmap tasks;      /* open task ids (Go's parser refuses a task begun twice) */
    gt_names strings;    /* string id = number + 1 (0 is "") */
    gt_names frames;     /* "func\nfile\nline" -> frame */
    uint64_t nstacks;    /* stack ids given so far */
    struct {
        uint64_t serial, stack;
    } site_cache[256];   /* site serials (reader.h) -> stack ids: formatting a key per event costs */
    uint64_t base;       /* ticks are written less this: the first event's tick, less 1 */
    uint64_t tick;       /* the tick being written (less base): the last event's */
    bool wrote;          /* any event */
} exporter;

/* ---- Encoding ---- */

static void reserve(bytes *b, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = b->cap * 2 > b->len + n ? b->cap * 2 : b->len + n + 256;
        b->p = realloc(b->p, b->cap);
    }
}

static size_t put_uvarint(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    for (; v >= 0x80; v >>= 7)
        p[n++] = (unsigned char)(v | 0x80);
    p[n++] = (unsigned char)v;
    return n;
}

static void append_uvarint(bytes *b, uint64_t v)
{
    reserve(b, VARINT_MAX);
    b->len += put_uvarint(b->p + b->len, v);
}

static void append(bytes *b, const void *data, size_t n)
{
    reserve(b, n);
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

/* An event's type byte and values (parser.go's readTrace): the top two bits say how many
 * values follow, less one; with four or more, they are 3 and the values' byte length comes
 * first. */
static void put_record(bytes *b, int type, const uint64_t *values, int n)
{
    unsigned char body[(MAX_ARGS + 2) * VARINT_MAX];
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += put_uvarint(body + len, values[i]);
    reserve(b, 1 + VARINT_MAX + len);
    if (n < 4) {
        b->p[b->len++] = (unsigned char)(type | (n - 1) << 6);
    } else {
        b->p[b->len++] = (unsigned char)(type | 3 << 6);
        b->len += put_uvarint(b->p + b->len, len);
    }
    memcpy(b->p + b->len, body, len);
    b->len += len;
}

static void flush(exporter *x, proc *p)
{
    if (p->batch.len > 0)
        fwrite(p->batch.p, 1, p->batch.len, x->out);
    p->batch.len = 0;
}

/* Appends an event of type to P p's batch (opening one if none is), stamped x->tick: its
 * delta, then args. Returns the batch, for what follows the values (UserLog's message). */
static bytes *event(exporter *x, unsigned p, int type, const uint64_t *args, int nargs)
{
    proc *pr = &x->procs[p];
    if (pr->batch.len == 0) {
        put_record(&pr->batch, EV_BATCH, (uint64_t[]){p, x->tick}, 2);
        pr->last = x->tick;
    }
    uint64_t values[MAX_ARGS + 1];
    values[0] = x->tick - pr->last;
    if (nargs > 0) /* args may be NULL then */
        memcpy(values + 1, args, (size_t)nargs * sizeof *args);
    put_record(&pr->batch, type, values, nargs + 1);
    pr->last = x->tick;
    x->wrote = true;
    return &pr->batch;
}

/* Flushes P p's batch if it is full enough; called between whole events. */
static void maybe_flush(exporter *x, unsigned p)
{
    if (x->procs[p].batch.len >= FLUSH_AT)
        flush(x, &x->procs[p]);
}

/* ---- Strings and stacks (written at once, outside batches: Go's parser reads them all
 * before it looks at any event) ---- */

static uint64_t string_id(exporter *x, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t before = x->strings.len, k = gt_names_intern(&x->strings, s, n);
    if (x->strings.len != before) {
        unsigned char head[1 + 2 * VARINT_MAX];
        size_t len = 1;
        head[0] = EV_STRING;
        len += put_uvarint(head + len, k + 1);
        len += put_uvarint(head + len, n);
        fwrite(head, 1, len, x->out);
        fwrite(s, 1, n, x->out);
    }
    return k + 1;
}

static void write_stack(exporter *x, uint64_t id, const frame *f)
{
    bytes b = {0};
    put_record(&b, EV_STACK, (uint64_t[]){id, 1, f->pc, f->func, f->file, f->line}, 6);
    fwrite(b.p, 1, b.len, x->out);
    free(b.p);
}

/* The frame (func, file, line), made and its stack written if new. */
static const frame *frame_of(exporter *x, gt_str func, gt_str file, uint64_t line)
{
    char key[2 * GO__TRACE_MAX_NAME + 32];
    int n = snprintf(key, sizeof key, "%.*s\n%.*s\n%llu", (int)func.len, func.p, (int)file.len, file.p,
                     (unsigned long long)line);
    size_t before = x->frames.len;
    size_t k = gt_names_intern(&x->frames, key, (size_t)n < sizeof key ? (size_t)n : sizeof key - 1);
    frame *f = x->frames.records[k];
    if (x->frames.len != before) {
        f->stack = ++x->nstacks;
        f->pc = 0x401000 + 0x10 * (uint64_t)k; /* made up, non-zero, one per frame */
        f->func = string_id(x, func.p, func.len);
        f->file = string_id(x, file.p, file.len);
        f->line = line;
        write_stack(x, f->stack, f);
    }
    return f;
}

/* The stack of a site: 0 for none. */
static uint64_t site_stack(exporter *x, const gt_site *s)
{
    if (s->func.len == 0 && s->file.len == 0)
        return 0;
    size_t slot = s->serial % (sizeof x->site_cache / sizeof x->site_cache[0]);
    if (s->serial != 0 && x->site_cache[slot].serial == s->serial)
        return x->site_cache[slot].stack;
    uint64_t stack = frame_of(x, s->func, s->file, s->line)->stack;
    x->site_cache[slot].serial = s->serial;
    x->site_cache[slot].stack = stack;
    return stack;
}

/* A start function's frame; "?" when the trace never named it. */
static const frame *start_frame(exporter *x, gt_str func)
{
    return frame_of(x, func.len ? func : (gt_str){"?", 1}, (gt_str){"", 0}, 0);
}

/* ---- Ps ---- */

static unsigned runtime_p(exporter *x)
{
    proc *p = &x->procs[x->runtime];
    if (!p->started) {
        event(x, x->runtime, EV_PROC_START, (uint64_t[]){0}, 1);
        p->started = true;
    }
    return x->runtime;
}

static void stop_running(exporter *x, unsigned p);

/* Makes buffer b's P started by thread tid: a P changes threads when a thread takes over the
 * buffer of one that ended. */
static void start_p(exporter *x, unsigned b, uint64_t tid)
{
    proc *p = &x->procs[b];
    if (p->started && p->tid == tid)
        return;
    if (p->started) {
        stop_running(x, b);
        event(x, b, EV_PROC_STOP, NULL, 0);
    }
    event(x, b, EV_PROC_START, (uint64_t[]){tid}, 1);
    p->started = true;
    p->tid = tid;
}

/* ---- Goroutines ---- */

/* Creates goroutine id in Go's terms, on the runtime's P: it was alive before tracing
 * started, or its creation was not traced. func may be empty: its start stack is then
 * given when the trace names it (STATE), or at its end. */
static xg *introduce(exporter *x, uint64_t id, gt_str func, const gt_site *created)
{
    xg *g = calloc(1, sizeof *g);
    g->id = id;
    g->state = G_RUNNABLE;
    g->seq = 1; /* GoCreate's */
    g->start_stack = func.len ? start_frame(x, func)->stack : (g->pending_stack = ++x->nstacks);
    uint64_t by = created != NULL ? site_stack(x, created) : 0;
    event(x, runtime_p(x), EV_GO_CREATE, (uint64_t[]){id, g->start_stack, by}, 3);
    gt_idmap_put(&x->gs, id, g);
    return g;
}

static xg *goroutine(exporter *x, uint64_t id)
{
    xg *g = gt_idmap_get(&x->gs, id);
    return g != NULL ? g : introduce(x, id, (gt_str){"", 0}, NULL);
}

/* Gives g's start stack, reserved before its function was known. */
static void name_start(exporter *x, xg *g, gt_str func)
{
    if (g->pending_stack != 0) {
        write_stack(x, g->pending_stack, start_frame(x, func));
        g->pending_stack = 0;
    }
}

/* The goroutine running on P p, if any, is preempted (GoSched: runnable). */
static void stop_running(exporter *x, unsigned p)
{
    proc *pr = &x->procs[p];
    if (pr->g == 0)
        return;
    xg *g = gt_idmap_get(&x->gs, pr->g);
    event(x, p, EV_GO_SCHED, (uint64_t[]){0}, 1);
    pr->g = 0;
    if (g != NULL)
        g->state = G_RUNNABLE;
}

/* Makes g runnable from whatever it is, with the events Go's state machine needs. */
static void make_runnable(exporter *x, xg *g)
{
    switch (g->state) {
    case G_RUNNABLE: return;
    case G_RUNNING: stop_running(x, g->p); return;
    case G_WAITING: event(x, runtime_p(x), EV_GO_UNBLOCK, (uint64_t[]){g->id, g->seq++, 0}, 3); break;
    case G_SYSCALL: event(x, runtime_p(x), EV_GO_SYSEXIT, (uint64_t[]){g->id, g->seq++, 0}, 3); break;
    }
    g->state = G_RUNNABLE;
}

/* Makes g run on P p (started). */
static void run_on(exporter *x, xg *g, unsigned p)
{
    if (g->state == G_RUNNING && g->p == p)
        return;
    make_runnable(x, g);
    stop_running(x, p);
    event(x, p, EV_GO_START, (uint64_t[]){g->id, g->seq++}, 2);
    g->state = G_RUNNING;
    g->p = p;
    x->procs[p].g = g->id;
}

/* The P an event of e's goroutine goes on, with that goroutine running there; for an event of
 * no goroutine, its thread's P if that runs none, else the runtime's. */
static unsigned actor(exporter *x, const gt_event *e)
{
    start_p(x, e->buffer, e->tid);
    if (e->g == 0)
        return x->procs[e->buffer].g == 0 ? e->buffer : runtime_p(x);
    run_on(x, goroutine(x, e->g), e->buffer);
    return e->buffer;
}

enum { DENSE_IDS = 1 << 26 }; /* ids the ended bitmap covers: 8 MiB at most */

static bool has_ended(const exporter *x, uint64_t id)
{
    return id < x->nended ? x->ended[id / 8] >> (id % 8) & 1 : gt_idmap_get(&x->ended_far, id) != NULL;
}

static void set_ended(exporter *x, uint64_t id)
{
    if (id >= DENSE_IDS) {
        gt_idmap_put(&x->ended_far, id, x);
        return;
    }
    if (id >= x->nended) {
        uint64_t n = x->nended ? x->nended : 1024;
        while (n <= id)
            n *= 2;
        x->ended = realloc(x->ended, n / 8);
        memset(x->ended + x->nended / 8, 0, (n - x->nended) / 8);
        x->nended = n;
    }
    x->ended[id / 8] |= (unsigned char)(1u << (id % 8));
}

static void forget(exporter *x, xg *g)
{
    set_ended(x, g->id);
    name_start(x, g, (gt_str){"", 0});
    gt_idmap_remove(&x->gs, g->id);
    free(g->regions);
    free(g);
}

/* Go's blocking event for a reason (trace_format.h's numbers). Nil channels and select with no
 * cases block for ever: Go writes GoStop, after which a goroutine is dead to its parser; plain
 * GoBlock keeps the trace valid whatever follows. */
static int block_event(int reason)
{
    switch (reason) {
    case 1: return EV_GO_BLOCK_SEND;
    case 2: return EV_GO_BLOCK_RECV;
    case 5: return EV_GO_BLOCK_SELECT;
    case 7: return EV_GO_SLEEP;
    case 8: case 9: case 10: case 11: return EV_GO_BLOCK_SYNC; /* Mutex, RWMutex, WaitGroup: semaphores */
    case 12: return EV_GO_BLOCK_NET; /* the network wrappers' wait for readiness (syscall.h) */
    default: return EV_GO_BLOCK;
    }
}

/* ---- Events ---- */

/* The stack of a task, region or log event: the trace records no call site for them, so the
 * start function of the goroutine that made it (Go's region pages need a frame; 0: none). */
static uint64_t user_stack(exporter *x, const gt_event *e)
{
    xg *g = e->g != 0 ? gt_idmap_get(&x->gs, e->g) : NULL;
    return g != NULL ? g->start_stack : 0;
}

static bool fail_at(exporter *x, const gt_event *e, const char *format, ...) __attribute__((format(printf, 3, 4)));
static bool fail_at(exporter *x, const gt_event *e, const char *format, ...)
{
    int n = snprintf(x->r->error, sizeof x->r->error, "offset %llu: ", (unsigned long long)e->offset);
    va_list args;
    va_start(args, format);
    vsnprintf(x->r->error + n, sizeof x->r->error - (size_t)n, format, args);
    va_end(args);
    return false;
}

static bool user_region(exporter *x, const gt_event *e, unsigned p)
{
    xg *g = gt_idmap_get(&x->gs, e->g);
    uint64_t name = string_id(x, e->name.p, e->name.len);
    if (e->type == GO__EV_REGION) {
        if (g->nregions == g->capregions) {
            g->capregions = g->capregions ? 2 * g->capregions : 4;
            g->regions = realloc(g->regions, g->capregions * sizeof *g->regions);
        }
        g->regions[g->nregions++] = (region){e->id, name};
    } else if (g->nregions > 0) { /* an end without its start began before the trace: Go's too */
        region *top = &g->regions[g->nregions - 1];
        if (top->task != e->id || top->name != name) {
            return fail_at(x, e,
                           "goroutine %llu ends region \"%.*s\" but its innermost open region is \"%s\" "
                           "(regions must nest; Go's parser refuses this too)",
                           (unsigned long long)g->id, (int)e->name.len, e->name.p, x->strings.names[top->name - 1]);
        }
        g->nregions--;
    }
    event(x, p, EV_USER_REGION, (uint64_t[]){e->id, e->type == GO__EV_REGIONEND, name, g->start_stack}, 4);
    return true;
}

/* A goroutine described as running when tracing started has been running on its thread since
 * then: if e, its first event since, shows that thread's P with nothing written there after the
 * description, it is started there at the description's tick (Ps' batches are merged by time, so
 * a P's events need only be in order among themselves). Otherwise it stays runnable until e. */
static void backdate_start(exporter *x, const gt_event *e)
{
    xg *g = e->g != 0 ? gt_idmap_get(&x->gs, e->g) : NULL;
    if (g == NULL || g->running_since == 0)
        return;
    uint64_t since = g->running_since, now = x->tick;
    g->running_since = 0;
    proc *p = &x->procs[e->buffer];
    /* START and SYSEXIT say it was not running after all. */
    if (e->type == GO__EV_START || e->type == GO__EV_SYSEXIT || g->state != G_RUNNABLE || p->g != 0 ||
        p->last > since || (p->started && p->tid != e->tid))
        return;
    x->tick = since;
    start_p(x, e->buffer, e->tid);
    run_on(x, g, e->buffer);
    x->tick = now;
}

static bool export_event(exporter *x, const gt_event *e)
{
    xg *g;
    unsigned p;
    /* Go's parser knows a goroutine for the whole trace: an id must not come back (but a
     * description at start may follow the end of a goroutine that ended meanwhile). */
    if (e->type == GO__EV_STATE && has_ended(x, e->arg_g))
        return true;
    bool by_g = e->type != GO__EV_STATE && e->type != GO__EV_COUNTERS; /* whose register counts */
    if ((e->type == GO__EV_CREATE || e->type == GO__EV_UNBLOCK || e->type == GO__EV_STATE) && e->arg_g == 0)
        return fail_at(x, e, "%s of goroutine 0 (no goroutine)", gt_event_name(e->type));
    if ((by_g && e->g != 0 && has_ended(x, e->g)) ||
        ((e->type == GO__EV_CREATE || e->type == GO__EV_UNBLOCK) && has_ended(x, e->arg_g)))
        return fail_at(x, e, "%s of goroutine %llu after its END (goroutine ids are never reused)",
                       gt_event_name(e->type),
                       (unsigned long long)(by_g && e->g != 0 && has_ended(x, e->g) ? e->g : e->arg_g));
    if (by_g)
        backdate_start(x, e);
    switch (e->type) {
    case GO__EV_CREATE:
        if ((g = gt_idmap_get(&x->gs, e->arg_g)) != NULL) { /* described at start already */
            name_start(x, g, e->func);
            break;
        }
        p = actor(x, e);
        if (gt_idmap_get(&x->gs, e->arg_g) != NULL) /* it created itself: a corrupt trace */
            return fail_at(x, e, "goroutine %llu creates itself", (unsigned long long)e->arg_g);
        g = calloc(1, sizeof *g);
        g->id = e->arg_g;
        g->seq = 1;
        g->start_stack = start_frame(x, e->func)->stack;
        event(x, p, EV_GO_CREATE, (uint64_t[]){g->id, g->start_stack, site_stack(x, &e->site)}, 3);
        gt_idmap_put(&x->gs, g->id, g);
        break;
    case GO__EV_START:
        if (e->g == 0)
            return fail_at(x, e, "START of no goroutine");
        start_p(x, e->buffer, e->tid);
        run_on(x, goroutine(x, e->g), e->buffer);
        break;
    case GO__EV_BLOCK:
        if (e->g == 0)
            return fail_at(x, e, "BLOCK of no goroutine");
        p = actor(x, e);
        event(x, p, block_event(e->reason), (uint64_t[]){site_stack(x, &e->site)}, 1);
        x->procs[p].g = 0;
        goroutine(x, e->g)->state = G_WAITING;
        break;
    case GO__EV_UNBLOCK:
        if ((g = gt_idmap_get(&x->gs, e->arg_g)) == NULL) { /* waiting since before the trace */
            g = introduce(x, e->arg_g, (gt_str){"", 0}, NULL);
            event(x, runtime_p(x), EV_GO_WAITING, (uint64_t[]){g->id}, 1);
            g->seq++;
            g->state = G_WAITING;
        }
        if (g->state != G_WAITING) /* described at start as runnable or running: so it is now */
            break;
        p = actor(x, e);
        if (g->state != G_WAITING) /* it woke itself: a corrupt trace */
            return fail_at(x, e, "goroutine %llu unblocks itself", (unsigned long long)g->id);
        event(x, p, EV_GO_UNBLOCK, (uint64_t[]){g->id, g->seq++, 0}, 3);
        g->state = G_RUNNABLE;
        break;
    case GO__EV_END:
        if (e->g == 0)
            return fail_at(x, e, "END of no goroutine");
        p = actor(x, e);
        event(x, p, EV_GO_END, NULL, 0);
        x->procs[p].g = 0;
        forget(x, gt_idmap_get(&x->gs, e->g));
        /* Its thread ends with it. */
        event(x, p, EV_PROC_STOP, NULL, 0);
        x->procs[p].started = false;
        break;
    case GO__EV_SYSCALL:
        if (e->g == 0)
            return fail_at(x, e, "SYSCALL of no goroutine");
        p = actor(x, e);
        event(x, p, EV_GO_SYSCALL, (uint64_t[]){site_stack(x, &e->site)}, 1);
        event(x, p, EV_GO_SYSBLOCK, NULL, 0);
        x->procs[p].g = 0;
        goroutine(x, e->g)->state = G_SYSCALL;
        break;
    case GO__EV_SYSEXIT:
        if (e->g == 0)
            return fail_at(x, e, "SYSEXIT of no goroutine");
        start_p(x, e->buffer, e->tid);
        if ((g = gt_idmap_get(&x->gs, e->g)) == NULL) { /* in the call since before the trace */
            g = introduce(x, e->g, (gt_str){"", 0}, NULL);
            event(x, runtime_p(x), EV_GO_IN_SYSCALL, (uint64_t[]){g->id}, 1);
            g->seq++;
            g->state = G_SYSCALL;
        }
        if (g->state == G_SYSCALL) {
            event(x, e->buffer, EV_GO_SYSEXIT, (uint64_t[]){g->id, g->seq++, 0}, 3);
            g->state = G_RUNNABLE;
        }
        run_on(x, g, e->buffer);
        break;
    case GO__EV_STATE:
        if ((g = gt_idmap_get(&x->gs, e->arg_g)) != NULL) { /* its own events came first: they win */
            name_start(x, g, e->func);
            break;
        }
        g = introduce(x, e->arg_g, e->func, &e->created);
        /* A running goroutine is runnable until its next event shows its thread (backdate_start
         * then starts it from here if it can). */
        if (e->state == GO__TRACE_RUNNING)
            g->running_since = x->tick;
        if (e->state == GO__TRACE_WAITING || e->state == GO__TRACE_SYSCALL) {
            bool waiting = e->state == GO__TRACE_WAITING;
            event(x, x->runtime, waiting ? EV_GO_WAITING : EV_GO_IN_SYSCALL, (uint64_t[]){g->id}, 1);
            g->seq++;
            g->state = waiting ? G_WAITING : G_SYSCALL;
        }
        break;
    case GO__EV_TASK:
        if (gt_idmap_get(&x->tasks, e->id) != NULL)
            return fail_at(x, e, "task %llu begun twice", (unsigned long long)e->id);
        gt_idmap_put(&x->tasks, e->id, x);
        p = actor(x, e);
        event(x, p, EV_USER_TASK_CREATE,
              (uint64_t[]){e->id, e->parent, string_id(x, e->name.p, e->name.len), user_stack(x, e)}, 4);
        break;
    case GO__EV_TASKEND:
        gt_idmap_remove(&x->tasks, e->id);
        p = actor(x, e);
        event(x, p, EV_USER_TASK_END, (uint64_t[]){e->id, user_stack(x, e)}, 2);
        break;
    case GO__EV_REGION:
    case GO__EV_REGIONEND:
        /* A region outside any goroutine (a foreign thread's) has no place in Go's goroutine
         * analysis, which assumes every region is some goroutine's. */
        if (e->g == 0)
            break;
        p = actor(x, e);
        if (!user_region(x, e, p))
            return false;
        break;
    case GO__EV_LOG: {
        p = actor(x, e);
        uint64_t category = string_id(x, e->name.p, e->name.len);
        bytes *b = event(x, p, EV_USER_LOG, (uint64_t[]){e->id, category, user_stack(x, e)}, 3);
        append_uvarint(b, e->message.len);
        append(b, e->message.p, e->message.len);
        break;
    }
    case GO__EV_COUNTERS: /* recorded by no goroutine in particular: on the runtime's P, which keeps the
                           * starting thread's P free for backdate_start */
        event(x, runtime_p(x), EV_HEAP_ALLOC, (uint64_t[]){e->counters[5]}, 1);
        break;
    default: break;
    }
    return true;
}

/* At the end, every running goroutine is preempted and every P stopped: Go's viewer cannot
 * draw a goroutine still running when the trace ends. */
static void finish(exporter *x)
{
    for (unsigned p = 0; p < x->nprocs; p++) {
        stop_running(x, p);
        if (x->procs[p].started)
            event(x, p, EV_PROC_STOP, NULL, 0);
    }
    /* Go's parser refuses a trace without events. */
    if (!x->wrote) {
        runtime_p(x);
        event(x, x->runtime, EV_PROC_STOP, NULL, 0);
    }
}

static void name_pending(uint64_t id, void *value, void *arg)
{
    (void)id;
    name_start(arg, value, (gt_str){"", 0});
}

static void free_g(uint64_t id, void *value, void *arg)
{
    (void)id, (void)arg;
    free(((xg *)value)->regions);
    free(value);
}

int gt_export_go(gt_reader *r, const gt_options *o)
{
    FILE *out = o->out;
    exporter x = {.r = r, .out = out, .nprocs = r->nruns + 1, .runtime = r->nruns};
    x.procs = calloc(x.nprocs, sizeof *x.procs);
    x.frames.size = sizeof(frame);
    /* The header, then the clock: ticks per second, from the calibration at start and stop. */
    fwrite("go 1.19 trace\0\0\0", 1, 16, out);
    const gt_clock *c = &r->clock;
    double freq = c->ns1 > c->ns0 ? (double)(c->tick1 - c->tick0) * 1e9 / (double)(c->ns1 - c->ns0) : 1e9;
    bytes head = {0};
    /* Go's parser takes it as a positive int64; a corrupt clock can say anything. */
    uint64_t ticks_per_second = freq < 1 ? 1 : freq >= 0x1p63 ? (uint64_t)INT64_MAX : (uint64_t)(freq + 0.5);
    put_record(&head, EV_FREQUENCY, (uint64_t[]){ticks_per_second}, 1);
    fwrite(head.p, 1, head.len, out);
    free(head.p);

    const gt_event *e;
    bool ok = true;
    while (ok && (e = gt_next(r)) != NULL) {
        /* Written ticks start at 1 (running_since's 0 means none) and stay far below 2^63, where
         * Go's parser, which reads them as int64, would wrap. */
        if (x.tick == 0)
            x.base = e->tick - 1;
        if (e->tick - x.base >= (uint64_t)1 << 62) {
            snprintf(r->error, sizeof r->error, "offset %llu: tick %llu, too far from the trace's first (%llu): the "
                     "clock is corrupt", (unsigned long long)e->offset, (unsigned long long)e->tick,
                     (unsigned long long)x.base + 1);
            ok = false;
            break;
        }
        x.tick = e->tick - x.base;
        /* GOMAXPROCS first, as Go's runtime writes it: the buffers' Ps (the MMU page counts Ps
         * by it). */
        if (!x.wrote)
            event(&x, 0, EV_GOMAXPROCS, (uint64_t[]){r->nruns > 0 ? r->nruns : 1, 0}, 2);
        ok = export_event(&x, e);
        maybe_flush(&x, e->buffer);
        maybe_flush(&x, x.runtime);
    }
    ok = ok && r->error[0] == '\0';
    if (ok) {
        if (c->tick1 > x.base && c->tick1 - x.base > x.tick && c->tick1 - x.base < (uint64_t)1 << 62)
            x.tick = c->tick1 - x.base;
        finish(&x);
        gt_idmap_each(&x.gs, name_pending, &x);
        for (unsigned p = 0; p < x.nprocs; p++)
            flush(&x, &x.procs[p]);
    }
    for (unsigned p = 0; p < x.nprocs; p++)
        free(x.procs[p].batch.p);
    free(x.procs);
    gt_idmap_each(&x.gs, free_g, NULL);
    gt_idmap_free(&x.gs);
    gt_idmap_free(&x.ended_far);
    gt_idmap_free(&x.tasks);
    free(x.ended);
    gt_names_free(&x.strings);
    gt_names_free(&x.frames);
    return ok ? 0 : 1;
}
