/* pprof_write.c - go_profile_write: each profile in a format its readers accept.
 *
 * Block and mutex profiles are written as the legacy contention text of gperftools, the one
 * format both go tool pprof and google-pprof read for them (profile.proto is Go's only):
 *
 *     --- contention:
 *     cycles/second=1000000000          so the "cycles" of each line are nanoseconds
 *     sampling period=1                 the mutex fraction; the readers scale by it
 *     discarded samples=0
 *     <delay> <count> @ 0x... 0x...     per stack: total delay, events, return addresses
 *     --- Memory map: ---
 *     <the process's /proc/self/maps>
 *
 * The memory map is how a reader turns return addresses into names: it finds each address's
 * file and offset (the program is position-independent, so its addresses change every run) and
 * reads that file's symbols. The threadcreate profile is Go's legacy count text, the same with
 * `threadcreate profile: total N` and `<count> @ ...` lines, which go tool pprof reads.
 * Every profile is formatted in memory first, then written at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gocurrent/fmt.h"
#include "pprof_internal.h"

static void write_stack(go_writer w, const go__bucket *b)
{
    go_fprintf(w, " @");
    for (int i = 0; i < b->depth; i++)
        go_fprintf(w, " 0x%llx", (unsigned long long)b->pcs[i]);
    go_fprintf(w, "\n");
}

/* The sentinel both readers look for, then the maps verbatim. */
static void write_memory_map(go_writer w)
{
    go_fprintf(w, "--- Memory map: ---\n");
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps == NULL)
        return;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, maps)) > 0)
        go_write(w, chunk, n);
    fclose(maps);
}

static void write_contention(go_writer w, go__buckets *t, int period)
{
    int n;
    int64_t discarded;
    go__bucket *b = go__buckets_copy(t, &n, &discarded);
    go_fprintf(w, "--- contention:\ncycles/second=1000000000\nsampling period=%d\ndiscarded samples=%lld\n",
               period, (long long)discarded);
    for (int i = 0; i < n; i++) {
        /* Go truncates a sampled count the same way (runtime/pprof's BlockProfileRecord). */
        go_fprintf(w, "%lld %lld", (long long)b[i].delay, (long long)b[i].count);
        write_stack(w, &b[i]);
    }
    free(b);
    write_memory_map(w);
}

static void write_counts(go_writer w, const char *name, go__buckets *t)
{
    int n;
    int64_t discarded;
    go__bucket *b = go__buckets_copy(t, &n, &discarded);
    long long total = 0;
    for (int i = 0; i < n; i++)
        total += (long long)b[i].count;
    go_fprintf(w, "%s profile: total %lld\n", name, total);
    for (int i = 0; i < n; i++) {
        go_fprintf(w, "%lld", (long long)b[i].count);
        write_stack(w, &b[i]);
    }
    free(b);
    write_memory_map(w);
}

bool go_profile_write_at(const char *name, go_writer w, int debug, go_site where)
{
    go_buffer text = GO_BUFFER_INIT;
    go_writer to_text = go_buffer_writer(&text);
    if (strcmp(name, "block") == 0) {
        write_contention(to_text, &go__block_buckets, 1);
    } else if (strcmp(name, "mutex") == 0) {
        int period = go__mutex_profile_period();
        write_contention(to_text, &go__mutex_buckets, period > 0 ? period : 1);
    } else if (strcmp(name, "threadcreate") == 0) {
        write_counts(to_text, name, &go__threadcreate_buckets);
    } else if (strcmp(name, "goroutine") == 0) {
        go__goroutine_profile(&text, debug, where);
    } else {
        return false;
    }
    bool ok = text.len == 0 || go_write_at(w, text.data, text.len, where) == text.len;
    go_buffer_free(&text);
    return ok;
}
