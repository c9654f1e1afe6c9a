/* pprof.c - `gotrace pprof --kind=sync|syscall|sched|net`: where goroutines waited, as the
 * profile.proto that `go tool trace -pprof=KIND` writes and `go tool pprof` reads: samples
 * of (contentions count, delay nanoseconds), one per place.
 *
 * The trace records call sites (function, file, line), not return addresses, so each site
 * becomes one Location with a made-up address and one Line, and one Function: `pprof -top`
 * names the waiting functions, `-list` their lines. A sample's "stack" is that one site.
 *   sync:    blocked on a channel, select, Mutex, RWMutex or WaitGroup (not sleep), at the
 *            blocking call, counted when it was unblocked (as Go does);
 *   syscall: in a blocking system call, at the call;
 *   sched:   runnable and not running, at the place it waited before (or its go statement);
 *   net:     waiting for the network (syscall.h's go_net_*), at the call. */
#include <stdlib.h>
#include <string.h>

#include "goroutines.h"
#include "output.h"
#include "pprof_internal.h"

typedef struct place {
    uint64_t count, ticks;
} place;

typedef struct profile {
    gt_goroutines a;
    int kind; /* GT_SCHED, GT_SYSCALL, GT_SYNC, GT_NET */
} profile;

static void on_wait(void *arg, const gt_g *g, int metric, uint64_t ticks)
{
    profile *p = arg;
    bool wanted = p->kind == GT_SYNC ? metric >= GT_REASON0 : metric == p->kind;
    if (!wanted || g->site == SIZE_MAX)
        return;
    place *at = p->a.sites.records[g->site];
    at->count++;
    at->ticks += ticks;
}

/* profile.proto's string table: every string once, by number. */
typedef struct strings {
    go_buffer table; /* the encoded string_table fields, in order */
    gt_names seen;
} strings;

static uint64_t string_number(strings *s, const char *str, size_t n)
{
    size_t before = s->seen.len, k = gt_names_intern(&s->seen, str, n);
    if (s->seen.len != before)
        go__proto_bytes(&s->table, 6, str, n);
    return k;
}

static void write_profile(profile *p, FILE *out)
{
    go_buffer b = GO_BUFFER_INIT, m = GO_BUFFER_INIT;
    strings s = {GO_BUFFER_INIT, {0}};
    string_number(&s, "", 0); /* string 0 must be "" */
    static const char *const types[][2] = {{"contentions", "count"}, {"delay", "nanoseconds"}};
    for (int i = 0; i < 2; i++) {
        go__proto_varint(&m, 1, string_number(&s, types[i][0], strlen(types[i][0])));
        go__proto_varint(&m, 2, string_number(&s, types[i][1], strlen(types[i][1])));
        go__proto_bytes(&b, 1, m.data, m.len); /* sample_type */
        m.len = 0;
    }
    const gt_names *sites = &p->a.sites;
    for (size_t k = 0; k < sites->len; k++) {
        const place *at = sites->records[k];
        if (at->count == 0)
            continue;
        uint64_t id = k + 1;
        go__proto_varint(&m, 1, id); /* Sample.location_id */
        go__proto_varint(&m, 2, at->count);
        go__proto_varint(&m, 2, (uint64_t)gt_ns_int(&p->a.clock, at->ticks));
        go__proto_bytes(&b, 2, m.data, m.len);
        m.len = 0;
        /* The site's key is "function\nfile\nline" (goroutines.c). */
        const char *func = sites->names[k], *file = strchr(func, '\n') + 1, *line = strchr(file, '\n') + 1;
        uint64_t fn = string_number(&s, func, (size_t)(file - 1 - func));
        uint64_t fl = string_number(&s, file, (size_t)(line - 1 - file));
        go__proto_varint(&m, 1, id); /* Function: id, name, system_name, filename */
        go__proto_varint(&m, 2, fn);
        go__proto_varint(&m, 3, fn);
        go__proto_varint(&m, 4, fl);
        go__proto_bytes(&b, 5, m.data, m.len);
        m.len = 0;
        go_buffer ln = GO_BUFFER_INIT;
        go__proto_varint(&ln, 1, id); /* Line: function_id, line */
        go__proto_varint(&ln, 2, strtoull(line, NULL, 10));
        go__proto_varint(&m, 1, id); /* Location: id, address (made up: one per site), line */
        go__proto_varint(&m, 3, 0x1000 + 16 * id);
        go__proto_bytes(&m, 4, ln.data, ln.len);
        go__proto_bytes(&b, 4, m.data, m.len);
        m.len = 0;
        go_buffer_free(&ln);
    }
    go__proto_varint(&b, 10, (uint64_t)(p->a.clock.ns1 - p->a.clock.ns0)); /* duration_nanos */
    fwrite(b.data, 1, b.len, out);
    fwrite(s.table.data, 1, s.table.len, out);
    go_buffer_free(&b);
    go_buffer_free(&m);
    go_buffer_free(&s.table);
    gt_names_free(&s.seen);
}

int gt_pprof(gt_reader *r, const gt_options *o)
{
    static const struct {
        const char *name;
        int kind;
    } kinds[] = {{"sync", GT_SYNC}, {"syscall", GT_SYSCALL}, {"sched", GT_SCHED}, {"net", GT_NET}};
    profile p = {.kind = -1};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (o->kind != NULL && strcmp(o->kind, kinds[i].name) == 0)
            p.kind = kinds[i].kind;
    if (p.kind == -1) {
        fprintf(stderr, "gotrace: pprof needs --kind=sync, syscall, sched or net\n");
        return 1;
    }
    p.a.clock = r->clock;
    p.a.sites.size = sizeof(place);
    p.a.on_wait = on_wait;
    p.a.arg = &p;
    const gt_event *e;
    while ((e = gt_next(r)) != NULL)
        gt_goroutines_event(&p.a, e);
    bool ok = r->error[0] == '\0';
    if (ok)
        write_profile(&p, o->out);
    gt_goroutines_free(&p.a);
    return ok ? 0 : 1;
}
