/* gotracebench - how fast does gotrace read, and export? Writes a large trace of a busy
 * program, then times `gotrace stats` on it (reading and analysing: the baseline) and `gotrace
 * export --format=go` (reading and writing Go's format), each --repeat times, and prints events
 * per CPU second, min/median/max, and export's time as a ratio to stats' medians.
 *
 * usage: gotracebench GOTRACE [--quick] [--events N] [--repeat R] [--go GO] [--keep FILE]
 *   N in millions, default 20; R default 3; --go also times `GO tool trace -d` once on the
 *   exported file, for comparison (Go's parser reads it all into memory); --keep writes the
 *   trace to FILE and leaves it there.
 *
 * The program: 4 goroutines, in pairs handing an integer back and forth over unbuffered
 * channels (every handoff a block, an unblock and a start: the goroutine analysis's work),
 * each entering and leaving a region between handoffs (two events the analysis only reads).
 * The trace goes to a file in /tmp, deleted afterwards, unless kept. The rate is per second of
 * gotrace's CPU time (user and system), steadier than wall-clock time on a shared machine;
 * both are printed. */
#define _GNU_SOURCE
#include <math.h>
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

/* Runs command through the shell; its CPU time (user and system) and wall time, in seconds.
 * False if it failed. */
static bool timed(const char *command, double *cpu, double *wall)
{
    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    int64_t t0 = go_nanotime();
    int status = system(command);
    *wall = (double)(go_nanotime() - t0) / 1e9;
    getrusage(RUSAGE_CHILDREN, &after);
    *cpu = (double)(after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec -
                    before.ru_stime.tv_sec) +
           (double)(after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec -
                    before.ru_stime.tv_usec) / 1e6;
    return status == 0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { MAX_REPEAT = 50 };

/* Times command `repeat` times and prints its CPU seconds and events per CPU second (min, median,
 * max); returns the median CPU seconds, or NAN if a run failed. */
static double bench(const char *name, const char *command, int repeat, long events)
{
    double cpu[MAX_REPEAT], wall[MAX_REPEAT];
    for (int i = 0; i < repeat; i++)
        if (!timed(command, &cpu[i], &wall[i])) {
            printf("%s: FAILED (%s)\n", name, command);
            return NAN;
        }
    qsort(cpu, (size_t)repeat, sizeof *cpu, by_value);
    qsort(wall, (size_t)repeat, sizeof *wall, by_value);
    double median = cpu[repeat / 2];
    printf("%s: %d runs, CPU s min/median/max %.3f/%.3f/%.3f (wall median %.3f s); "
           "M events per CPU second %.1f/%.1f/%.1f\n",
           name, repeat, cpu[0], median, cpu[repeat - 1], wall[repeat / 2],
           cpu[repeat - 1] > 0 ? (double)events / cpu[repeat - 1] / 1e6 : 0.0,
           median > 0 ? (double)events / median / 1e6 : 0.0, cpu[0] > 0 ? (double)events / cpu[0] / 1e6 : 0.0);
    return median;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gotracebench GOTRACE [--quick] [--events N] [--keep FILE]\n");
        return 2;
    }
    double millions = 20;
    int repeat = 3;
    const char *keep = NULL, *go_tool = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            millions = 0.01;
        else if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
            millions = atof(argv[++i]);
        else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
            keep = argv[++i];
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--go") == 0 && i + 1 < argc)
            go_tool = argv[++i];
    }
    if (repeat < 1 || repeat > MAX_REPEAT) {
        fprintf(stderr, "gotracebench: --repeat takes 1 to %d\n", MAX_REPEAT);
        return 2;
    }
    char path[256], exported[300];
    snprintf(path, sizeof path, "%s", keep != NULL ? keep : "/tmp/gotracebench.out");
    if (keep == NULL)
        snprintf(path, sizeof path, "/tmp/gotracebench-%d.out", (int)getpid());
    snprintf(exported, sizeof exported, "%s.go", path);
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
    char command[1024];
    snprintf(command, sizeof command, "%s dump %s | wc -l", argv[1], path);
    FILE *p = popen(command, "r");
    long lines = 0;
    if (p == NULL || fscanf(p, "%ld", &lines) != 1)
        return 1;
    pclose(p);
    long events = lines - 1; /* dump's first line is the clock */
    printf("trace: %ld events, %.1f MiB (%.2f bytes/event)\n", events, st.st_size / 1048576.0,
           (double)st.st_size / (double)events);
    snprintf(command, sizeof command, "%s stats %s > /dev/null", argv[1], path);
    double stats = bench("gotrace stats", command, repeat, events);
    snprintf(command, sizeof command, "%s export --format=go %s -o %s", argv[1], path, exported);
    double export = bench("gotrace export --format=go", command, repeat, events);
    struct stat go_st;
    int status = isnan(stats) || isnan(export) || stat(exported, &go_st) != 0;
    if (status == 0) {
        printf("export/stats CPU, medians: %.2f; Go's file: %.1f MiB (%.2f bytes/event)\n", export / stats,
               go_st.st_size / 1048576.0, (double)go_st.st_size / (double)events);
        if (go_tool != NULL) {
            snprintf(command, sizeof command, "%s tool trace -d %s > /dev/null 2>&1", go_tool, exported);
            double cpu, wall;
            bool ok = timed(command, &cpu, &wall);
            printf("go tool trace -d on it: %.3f s CPU (%.3f s wall), %.1f M events per CPU second%s\n", cpu, wall,
                   cpu > 0 ? (double)events / cpu / 1e6 : 0.0, ok ? "" : " (FAILED)");
            status = !ok;
        }
    }
    remove(exported);
    if (keep == NULL)
        remove(path);
    for (int i = 0; i < 2; i++) {
        go_chan_release(pairs[i].ping);
        go_chan_release(pairs[i].pong);
    }
    return status == 0 ? 0 : 1;
}
