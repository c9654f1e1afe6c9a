/* pprof_goroutine.c - the goroutine profile: every living goroutine, and its stack.
 *
 * Go stops the world and walks each goroutine's stack; here a goroutine is a thread, and a
 * thread's stack can be walked only by that thread (or after stopping it with a signal). So each
 * goroutine walks its own, by its frame pointers, every time it begins to wait or enters a system
 * call (g.h, go__save_stack): tens of nanoseconds against a park's hundreds. A profile then
 * copies the stack of every goroutine that waits or is in a system call, and walks its caller's
 * own. What it cannot have is the stack of a goroutine running or runnable on another thread:
 * for those it shows the frames the runtime knows at no cost: the function it was started with
 * (and where it waits, for a waiting goroutine whose stack was being saved as the profile looked:
 * it woke and waits again).
 *
 * The stacks are return addresses. The proto form carries them with the process's executable
 * mappings, as a pprof reader wants them, and go tool pprof names them from the program's
 * symbols (google-pprof reads no goroutine profile in any form: gperftools has none). The text
 * form (debug=1) is for people, so it names them itself (pprof_symbol.c), as Go's does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allg.h"
#include "deadlock.h"
#include "gocurrent/fmt.h"
#include "pprof_internal.h"
#include "runtime.h"

/* One goroutine as the profile sees it: its stack as return addresses when it has one (it waits
 * or is in a system call, or it is the caller), else the two frames the runtime knows (leaf.func
 * is NULL when it waits nowhere). */
typedef struct gstack {
    int depth;
    uintptr_t pcs[GO__G_STACK_DEPTH];
    const char *state;
    go_site leaf;
    const char *start; /* the function it was started with */
    int count;         /* after aggregation: how many goroutines share this */
} gstack;

typedef struct collection {
    gstack *g;
    int n, cap;
    go__g *self;
    go_site where;
    int self_depth; /* the caller's own stack, walked before the list was locked */
    uintptr_t self_pcs[GO__G_STACK_DEPTH];
} collection;

/* Called with the list of goroutines locked: copies, never allocates. */
static void collect(go__g *g, void *arg)
{
    collection *c = arg;
    if (c->n == c->cap)
        return; /* started after the count was taken: the next profile will show it */
    gstack *s = &c->g[c->n++];
    s->start = g->func != NULL ? g->func : "?";
    s->leaf = (go_site){NULL, NULL, 0};
    s->count = 1;
    s->depth = 0;
    if (g == c->self) {
        s->state = "running";
        s->leaf = c->where;
        s->depth = c->self_depth;
        memcpy(s->pcs, c->self_pcs, (size_t)c->self_depth * sizeof *s->pcs);
    } else {
        /* One read of the status: the stack saved is the current one only while it waits. */
        go__status status = go__status_of(g);
        s->state = go__status_name(g, status);
        if (status == GO__WAITING || status == GO__SYSCALL)
            s->depth = go__stack_saved(g, s->pcs); /* 0 if it woke meanwhile: the two frames */
        if (status == GO__WAITING)
            s->leaf = (go_site){atomic_load_explicit(&g->wait_func, memory_order_relaxed),
                                atomic_load_explicit(&g->wait_file, memory_order_relaxed),
                                atomic_load_explicit(&g->wait_line, memory_order_relaxed)};
    }
}

static int compare_strings(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int compare_gstacks(const void *pa, const void *pb)
{
    const gstack *a = pa, *b = pb;
    int c = (a->depth > b->depth) - (a->depth < b->depth);
    for (int i = 0; c == 0 && i < a->depth; i++)
        c = (a->pcs[i] > b->pcs[i]) - (a->pcs[i] < b->pcs[i]);
    if (c == 0)
        c = compare_strings(a->leaf.func, b->leaf.func);
    if (c == 0)
        c = compare_strings(a->leaf.file, b->leaf.file);
    if (c == 0)
        c = (a->leaf.line > b->leaf.line) - (a->leaf.line < b->leaf.line);
    if (c == 0)
        c = compare_strings(a->start, b->start);
    if (c == 0)
        c = compare_strings(a->state, b->state);
    return c;
}

/* More goroutines first; equal counts in the order of their stacks. */
static int compare_counts(const void *pa, const void *pb)
{
    const gstack *a = pa, *b = pb;
    int c = (a->count < b->count) - (a->count > b->count);
    return c != 0 ? c : compare_gstacks(a, b);
}

/* Every goroutine now, grouped: equal stacks (and states) become one entry with a count, most
 * goroutines first. Returns the entries (malloc'd) and their number in *n, and the goroutines'
 * total in *total. self_pcs is the caller's stack. */
static gstack *collect_grouped(go_site where, const uintptr_t *self_pcs, int self_depth, int *n,
                               int *total)
{
    collection c = {.self = go__current(), .where = where, .self_depth = self_depth};
    memcpy(c.self_pcs, self_pcs, (size_t)self_depth * sizeof *self_pcs);
    /* Room for the goroutines counted now and a few started before the walk. */
    c.cap = go__deadlock_live() + 64;
    c.g = malloc((size_t)c.cap * sizeof *c.g);
    if (c.g == NULL)
        go_fatal("runtime: out of memory writing the goroutine profile");
    go__allg_each(collect, &c);
    *total = c.n;
    qsort(c.g, (size_t)c.n, sizeof *c.g, compare_gstacks);
    int groups = 0;
    for (int i = 0; i < c.n; i++) {
        if (groups > 0 && compare_gstacks(&c.g[groups - 1], &c.g[i]) == 0)
            c.g[groups - 1].count++;
        else
            c.g[groups++] = c.g[i];
    }
    /* Most goroutines first, as Go orders them: a leak is at the top. */
    qsort(c.g, (size_t)groups, sizeof *c.g, compare_counts);
    *n = groups;
    return c.g;
}

/* Whether the leaf frame is the start function itself (then the stack is one frame). */
static bool leaf_is_start(const gstack *s)
{
    return s->leaf.func == NULL || compare_strings(s->leaf.func, s->start) == 0;
}

/* The tabs after a cell of `width` characters in a column whose widest cell has `widest`: Go
 * writes debug=1 through a text/tabwriter (tab width 8, padding 1, padded with tabs), which
 * aligns each stack's columns this way. */
static int tabs_after(size_t width, size_t widest)
{
    size_t column = (widest + 1 + 7) / 8 * 8;
    return (int)((column - width + 7) / 8);
}

/* One frame of a stack, as Go's debug=1 prints it: the call's address, the function and the
 * offset of the call in it, the call's file and line. Returns the width of the function cell
 * (0 if unnamed); prints only if w is not NULL, with the function cell padded for `widest`. */
static size_t write_frame(go_writer *w, uintptr_t pc, size_t widest)
{
    go__symbol sym;
    char cell[512];
    bool named = go__symbolize(pc - 1, &sym);
    int width = named ? snprintf(cell, sizeof cell, "%s+0x%llx", sym.func, (unsigned long long)sym.offset) : 0;
    if (width < 0 || (size_t)width >= sizeof cell)
        width = (int)strlen(cell);
    if (w == NULL)
        return (size_t)width;
    go_fprintf(*w, "#\t0x%llx", (unsigned long long)(pc - 1));
    if (named) {
        go_fprintf(*w, "\t%s", cell);
        for (int t = tabs_after((size_t)width, widest); t > 0 && sym.file != NULL; t--)
            go_fprintf(*w, "\t");
        if (sym.file != NULL)
            go_fprintf(*w, "%s:%d", sym.file, sym.line);
    }
    go_fprintf(*w, "\n");
    return (size_t)width;
}

/* Go's debug=1 text: per distinct stack, how many goroutines, their return addresses, their
 * state (Go's way of printing a label), then one line per frame, named (pprof_symbol.c). A stack
 * the runtime could not walk (a goroutine running on another thread) shows, without addresses,
 * the frames it knows: where it waits, and the function it was started with. */
static void write_text(go_buffer *b, const gstack *s, int n, int total)
{
    go_writer w = go_buffer_writer(b);
    go_fprintf(w, "goroutine profile: total %d\n", total);
    go__symbols_begin();
    for (int i = 0; i < n; i++) {
        go_fprintf(w, "%d @", s[i].count);
        for (int f = 0; f < s[i].depth; f++)
            go_fprintf(w, " 0x%llx", (unsigned long long)s[i].pcs[f]);
        go_fprintf(w, "\n# labels: {\"state\":\"%s\"}\n", s[i].state);
        if (s[i].depth > 0) {
            size_t widest = 0;
            for (int f = 0; f < s[i].depth; f++) {
                size_t width = write_frame(NULL, s[i].pcs[f], 0);
                widest = width > widest ? width : widest;
            }
            for (int f = 0; f < s[i].depth; f++)
                write_frame(&w, s[i].pcs[f], widest);
        } else {
            if (s[i].leaf.func != NULL)
                go_fprintf(w, "#\t%s\t%s:%d\n", s[i].leaf.func, s[i].leaf.file, s[i].leaf.line);
            if (s[i].leaf.func == NULL || !leaf_is_start(&s[i]))
                go_fprintf(w, "#\t%s\n", s[i].start);
        }
        go_fprintf(w, "\n");
    }
    go__symbols_end();
}

/* ---- profile.proto (github.com/google/pprof/proto/profile.proto) ---- */

/* Field numbers of the messages used. */
enum {
    PROFILE_SAMPLE_TYPE = 1, PROFILE_SAMPLE = 2, PROFILE_MAPPING = 3, PROFILE_LOCATION = 4,
    PROFILE_FUNCTION = 5,
    PROFILE_STRING_TABLE = 6, PROFILE_PERIOD_TYPE = 11, PROFILE_PERIOD = 12,
    VALUE_TYPE_TYPE = 1, VALUE_TYPE_UNIT = 2,
    SAMPLE_LOCATION_ID = 1, SAMPLE_VALUE = 2, SAMPLE_LABEL = 3,
    LABEL_KEY = 1, LABEL_STR = 2,
    MAPPING_ID = 1, MAPPING_START = 2, MAPPING_LIMIT = 3, MAPPING_OFFSET = 4, MAPPING_FILENAME = 5,
    LOCATION_ID = 1, LOCATION_MAPPING_ID = 2, LOCATION_ADDRESS = 3, LOCATION_LINE = 4,
    LINE_FUNCTION_ID = 1, LINE_LINE = 2,
    FUNCTION_ID = 1, FUNCTION_NAME = 2, FUNCTION_SYSTEM_NAME = 3, FUNCTION_FILENAME = 4,
};

/* The profile being encoded: its body, and its string table, written at the end (strings are
 * referred to by their index; index 0 is ""). Strings are not deduplicated: pprof does not
 * need it, and a goroutine profile is small. */
typedef struct encoder {
    go_buffer body, strings;
    int64_t nstrings;
    uint64_t next_id; /* of functions and locations, from 1 */
    /* The executable mappings written (their ids are 1 + their index), to place addresses. */
    struct mapping {
        uintptr_t start, limit;
    } *maps;
    int nmaps;
} encoder;

static int64_t string_index(encoder *e, const char *s)
{
    go__proto_string(&e->strings, PROFILE_STRING_TABLE, s != NULL ? s : "");
    return e->nstrings++;
}

/* Appends an embedded message, encoded in `m`, as field `field` of `to`, and empties m. */
static void embed(go_buffer *to, int field, go_buffer *m)
{
    go__proto_bytes(to, field, m->data, m->len);
    go_buffer_free(m);
}

static void value_type(encoder *e, int field, const char *type, const char *unit)
{
    go_buffer m = GO_BUFFER_INIT;
    go__proto_varint(&m, VALUE_TYPE_TYPE, (uint64_t)string_index(e, type));
    go__proto_varint(&m, VALUE_TYPE_UNIT, (uint64_t)string_index(e, unit));
    embed(&e->body, field, &m);
}

/* A frame: a function and a location at one of its lines. Returns the location's id. */
static uint64_t frame(encoder *e, const char *func, const char *file, int line)
{
    uint64_t id = e->next_id++; /* the function's and the location's: separate id spaces */
    go_buffer m = GO_BUFFER_INIT;
    go__proto_varint(&m, FUNCTION_ID, id);
    go__proto_varint(&m, FUNCTION_NAME, (uint64_t)string_index(e, func));
    go__proto_varint(&m, FUNCTION_SYSTEM_NAME, (uint64_t)string_index(e, func));
    go__proto_varint(&m, FUNCTION_FILENAME, (uint64_t)string_index(e, file));
    embed(&e->body, PROFILE_FUNCTION, &m);

    go_buffer l = GO_BUFFER_INIT;
    go__proto_varint(&l, LINE_FUNCTION_ID, id);
    go__proto_varint(&l, LINE_LINE, (uint64_t)(line > 0 ? line : 0));
    go__proto_varint(&m, LOCATION_ID, id);
    embed(&m, LOCATION_LINE, &l);
    embed(&e->body, PROFILE_LOCATION, &m);
    return id;
}

/* One Mapping per executable mapping of /proc/self/maps (the program, libc, ...): what pprof
 * needs to find the file and offset of an address, and so its name. */
static void write_mappings(encoder *e)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps == NULL)
        return; /* the addresses stay unnamed */
    char line[4096 + 128];
    while (fgets(line, sizeof line, maps) != NULL) {
        unsigned long start, limit, offset;
        char perms[5];
        int path = 0;
        if (sscanf(line, "%lx-%lx %4s %lx %*s %*s %n", &start, &limit, perms, &offset, &path) < 4 ||
            perms[2] != 'x')
            continue;
        line[strcspn(line, "\n")] = '\0';
        struct mapping *grown = realloc(e->maps, (size_t)(e->nmaps + 1) * sizeof *grown);
        if (grown == NULL)
            go_fatal("runtime: out of memory writing the goroutine profile");
        e->maps = grown;
        e->maps[e->nmaps++] = (struct mapping){start, limit};
        go_buffer m = GO_BUFFER_INIT;
        go__proto_varint(&m, MAPPING_ID, (uint64_t)e->nmaps);
        go__proto_varint(&m, MAPPING_START, start);
        go__proto_varint(&m, MAPPING_LIMIT, limit);
        go__proto_varint(&m, MAPPING_OFFSET, offset);
        go__proto_varint(&m, MAPPING_FILENAME, (uint64_t)string_index(e, path > 0 ? line + path : ""));
        embed(&e->body, PROFILE_MAPPING, &m);
    }
    fclose(maps);
}

/* A frame known by its return address: a location at the call (the address before it, as pprof
 * expects of a caller's frame), in its mapping, for pprof to name. Returns the location's id. */
static uint64_t address_frame(encoder *e, uintptr_t pc)
{
    uint64_t id = e->next_id++;
    go_buffer m = GO_BUFFER_INIT;
    go__proto_varint(&m, LOCATION_ID, id);
    for (int i = 0; i < e->nmaps; i++)
        if (pc - 1 >= e->maps[i].start && pc - 1 < e->maps[i].limit)
            go__proto_varint(&m, LOCATION_MAPPING_ID, (uint64_t)i + 1);
    go__proto_varint(&m, LOCATION_ADDRESS, pc - 1);
    embed(&e->body, PROFILE_LOCATION, &m);
    return id;
}

static void write_proto(go_buffer *b, const gstack *s, int n)
{
    encoder e = {GO_BUFFER_INIT, GO_BUFFER_INIT, 0, 1, NULL, 0};
    string_index(&e, "");
    value_type(&e, PROFILE_SAMPLE_TYPE, "goroutine", "count");
    value_type(&e, PROFILE_PERIOD_TYPE, "goroutine", "count");
    go__proto_varint(&e.body, PROFILE_PERIOD, 1);
    write_mappings(&e);
    for (int i = 0; i < n; i++) {
        go_buffer m = GO_BUFFER_INIT;
        if (s[i].depth > 0) {
            for (int f = 0; f < s[i].depth; f++)
                go__proto_varint(&m, SAMPLE_LOCATION_ID, address_frame(&e, s[i].pcs[f]));
        } else if (leaf_is_start(&s[i])) {
            /* One frame: the start function, at its wait's line if it waits there. */
            go__proto_varint(&m, SAMPLE_LOCATION_ID, frame(&e, s[i].start, s[i].leaf.file, s[i].leaf.line));
        } else {
            go__proto_varint(&m, SAMPLE_LOCATION_ID, frame(&e, s[i].leaf.func, s[i].leaf.file, s[i].leaf.line));
            go__proto_varint(&m, SAMPLE_LOCATION_ID, frame(&e, s[i].start, NULL, 0));
        }
        go__proto_varint(&m, SAMPLE_VALUE, (uint64_t)s[i].count);
        /* The state, as a label: `go tool pprof -tags` lists them. */
        go_buffer label = GO_BUFFER_INIT;
        go__proto_varint(&label, LABEL_KEY, (uint64_t)string_index(&e, "state"));
        go__proto_varint(&label, LABEL_STR, (uint64_t)string_index(&e, s[i].state));
        embed(&m, SAMPLE_LABEL, &label);
        embed(&e.body, PROFILE_SAMPLE, &m);
    }
    go_writer w = go_buffer_writer(b);
    go_write(w, e.body.data, e.body.len);
    go_write(w, e.strings.data, e.strings.len);
    go_buffer_free(&e.body);
    go_buffer_free(&e.strings);
    free(e.maps);
}

/* debug=2: the dumps, written by the runtime's own dumper onto a memory stream. */
static void write_dumps(go_buffer *b, go_site where)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out == NULL)
        go_fatal("runtime: out of memory writing the goroutine profile");
    go__dump_goroutines_to(out, go__current(), where, true);
    fclose(out);
    go_write(go_buffer_writer(b), text, len);
    free(text);
}

/* Not inlined: the caller's stack is walked from here. */
__attribute__((noinline)) void go__goroutine_profile(go_buffer *b, int debug, go_site where)
{
    if (debug >= 2) {
        write_dumps(b, where);
        return;
    }
    /* The caller's stack, from go_profile_write_at (Go's shows runtime/pprof's frames too). */
    uintptr_t self_pcs[GO__G_STACK_DEPTH];
    int self_depth = go__goroutine_callers(go__current(), self_pcs, 1);
    int n, total;
    gstack *s = collect_grouped(where, self_pcs, self_depth, &n, &total);
    if (debug == 1)
        write_text(b, s, n, total);
    else
        write_proto(b, s, n);
    free(s);
}
