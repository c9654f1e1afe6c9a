/* gotracebench - how fast does gotrace read? Writes a large trace of a busy program, then
 * times `gotrace stats` on it and prints events per second.
 *
 * usage: gotracebench GOTRACE [--quick] [--events N] [--keep FILE] [--viewers]
 *   N in millions, default 20; --keep writes the trace to FILE and leaves it there.
 *   --viewers: also the viewers' exporters (`export --format=json`, `html`), 5 runs each
 *   beside 5 of `stats` (the baseline, in the same run): min/median/max events per CPU second
 *   and the median's ratio to stats'.
 *
 * The program: 4 goroutines, in pairs handing an integer back and forth over unbuffered
 * channels (every handoff a block, an unblock and a start: the goroutine analysis's work),
 * each entering and leaving a region between handoffs (two events the analysis only reads).
 * The trace goes to a file in /tmp, deleted afterwards, unless kept. The rate is per second of
 * gotrace's CPU time (user and system), steadier than wall-clock time on a shared machine;
 * both are printed. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/trace.h"

typedef struct pair {
    go_chan *ping, *pong;
    long rounds;
    go_wait_group *wg;
} pair;

static void echo(void *arg)
{
    pair *p = arg;
    int v;
    while (go_recv(p->ping, &v)) {
        go_trace_end_region(go_trace_start_region(0, "echo"));
        go_send(p->pong, int, v);
    }
    go_wg_done(p->wg);
}

static void ping(void *arg)
{
    pair *p = arg;
    int v = 0;
    for (long i = 0; i < p->rounds; i++) {
        go_trace_end_region(go_trace_start_region(0, "ping"));
        go_send(p->ping, int, v);
        go_recv(p->pong, &v);
    }
    go_close(p->ping);
    go_wg_done(p->wg);
}

/* Runs the shell command; its CPU time (user + system, s) and wall time (s). */
static int timed(const char *command, double *cpu, double *wall)
{
    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    int64_t t0 = go_nanotime();
    int status = system(command);
    *wall = (double)(go_nanotime() - t0) / 1e9;
    getrusage(RUSAGE_CHILDREN, &after);
    *cpu = (double)(after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
           (double)(after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec -
                    before.ru_stime.tv_usec) / 1e6;
    return status;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { RUNS = 5 };

/* Times `GOTRACE args path` RUNS times; prints min/median/max M events per CPU second, and the
 * median's ratio to baseline's (0: none). Returns the median, or -1 if a run failed. */
static double rate(const char *gotrace, const char *label, const char *args, const char *path, long events,
                   double baseline)
{
    char command[1024];
    snprintf(command, sizeof command, "%s %s %s", gotrace, args, path);
    double r[RUNS], cpu, wall, walls = 0;
    for (int i = 0; i < RUNS; i++) {
        if (timed(command, &cpu, &wall) != 0)
            return -1;
        r[i] = cpu > 0 ? (double)events / cpu / 1e6 : 0;
        walls += wall;
    }
    qsort(r, RUNS, sizeof r[0], by_value);
    printf("gotrace %-22s %6.1f %6.1f %6.1f M events/CPU s (mean wall %.2f s)", label, r[0], r[RUNS / 2],
           r[RUNS - 1], walls / RUNS);
    if (baseline > 0)
        printf("  x%.2f of stats", r[RUNS / 2] / baseline);
    putchar('\n');
    return r[RUNS / 2];
}

/* The viewers' exporters against stats, on the trace at path, to files beside it. */
static int viewers(const char *gotrace, const char *path, long events)
{
    char json[600], html[600];
    printf("%d runs each:                min median    max\n", RUNS);
    double baseline = rate(gotrace, "stats", "stats >/dev/null", path, events, 0);
    snprintf(json, sizeof json, "export --format=json -o %s.json", path);
    snprintf(html, sizeof html, "html -o %s.html", path);
    double j = rate(gotrace, "export --format=json", json, path, events, baseline);
    double h = rate(gotrace, "html", html, path, events, baseline);
    struct stat st;
    for (int i = 0; i < 2; i++) {
        char out[700];
        snprintf(out, sizeof out, "%s.%s", path, i ? "html" : "json");
        if (stat(out, &st) == 0)
            printf("%s: %.1f MiB (%.1f bytes/event)\n", i ? "HTML page" : "JSON", st.st_size / 1048576.0,
                   (double)st.st_size / (double)events);
        remove(out);
    }
    return baseline < 0 || j < 0 || h < 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gotracebench GOTRACE [--quick] [--events N] [--keep FILE]\n");
        return 2;
    }
    double millions = 20;
    const char *keep = NULL;
    bool view = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            millions = 0.01;
        else if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
            millions = atof(argv[++i]);
        else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
            keep = argv[++i];
        else if (strcmp(argv[i], "--viewers") == 0)
            view = true;
    }
    char path[64];
    snprintf(path, sizeof path, "%s", keep != NULL ? keep : "/tmp/gotracebench.out");
    if (keep == NULL)
        snprintf(path, sizeof path, "/tmp/gotracebench-%d.out", (int)getpid());
    /* A round is about 8 events per pair: two regions' 4, a block, an unblock and a start
     * each way, less those a handoff to a waiting receiver skips. */
    long rounds = (long)(millions * 1e6 / 2 / 8);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    pair pairs[2];
    if (go_trace_start_file(path) != 0)
        return 1;
    go_wg_add(&wg, 4);
    for (int i = 0; i < 2; i++) {
        pairs[i] = (pair){go_make_chan(int, 0), go_make_chan(int, 0), rounds, &wg};
        go(echo, &pairs[i]);
        go(ping, &pairs[i]);
    }
    go_wg_wait(&wg);
    go_trace_stop();
    struct stat st;
    stat(path, &st);
    char command[512];
    snprintf(command, sizeof command, "%s dump %s | wc -l", argv[1], path);
    FILE *p = popen(command, "r");
    long lines = 0;
    if (p == NULL || fscanf(p, "%ld", &lines) != 1)
        return 1;
    pclose(p);
    long events = lines - 1; /* dump's first line is the clock */
    snprintf(command, sizeof command, "%s stats %s > /dev/null", argv[1], path);
    double seconds, wall;
    int status = timed(command, &seconds, &wall);
    printf("trace: %ld events, %.1f MiB (%.2f bytes/event)\n", events, st.st_size / 1048576.0,
           (double)st.st_size / (double)events);
    printf("gotrace stats: %.3f s CPU (%.3f s wall), %.1f M events per CPU second%s\n", seconds, wall,
           seconds > 0 ? (double)events / seconds / 1e6 : 0.0, status == 0 ? "" : " (FAILED)");
    if (view && status == 0)
        status = viewers(argv[1], path, events);
    if (keep == NULL)
        remove(path);
    for (int i = 0; i < 2; i++) {
        go_chan_release(pairs[i].ping);
        go_chan_release(pairs[i].pong);
    }
    return status == 0 ? 0 : 1;
}
