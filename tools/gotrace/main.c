/* main.c - gotrace: answers from a gocurrent execution trace (trace.h), as `go tool trace`
 * gives them for Go's. The commands are in their own files (output.h lists them). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

static const char usage[] =
    "usage: gotrace COMMAND [OPTIONS] FILE\n"
    "  stats [--csv|--json] FILE    time per goroutine and per start function: execution,\n"
    "                               scheduler wait, network wait, sync block by reason,\n"
    "                               syscall, sleep\n"
    "  tasks FILE                   durations per task name, logs, goroutines per task\n"
    "  regions FILE                 durations per region name\n"
    "  pprof --kind=sync|syscall|sched|net FILE\n"
    "                               a blocking profile (profile.proto) on stdout, for go tool pprof\n"
    "  dump FILE                    every event, one a line, in time order\n"
    "  export --format=json FILE -o OUT\n"
    "                               the trace for Perfetto UI (Chrome Trace Event JSON)\n"
    "  html FILE -o OUT.html        a self-contained timeline page, opened offline\n"
    "  export and html take [--from=MS] [--to=MS] [--max-events=N]: a window of the trace\n";

/* --name=NUMBER: false if arg is that option with a bad number; true otherwise (and *v set
 * if it is). */
static bool number_option(const char *arg, const char *name, double *v)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return true;
    char *end;
    *v = strtod(arg + n, &end);
    return end != arg + n && *end == '\0' && *v >= 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs(usage, stderr);
        return 2;
    }
    static const struct {
        const char *name;
        int (*run)(gt_reader *, const gt_options *);
    } commands[] = {{"stats", gt_stats}, {"tasks", gt_tasks}, {"regions", gt_regions},
                    {"pprof", gt_pprof}, {"dump", gt_dump},
                    {"export", gt_export}, {"html", gt_html}};
    int (*run)(gt_reader *, const gt_options *) = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            run = commands[i].run;
    double max_events = 0;
    gt_options o = {.format = GT_TEXT, .out = stdout, .to_ms = -1};
    const char *path = NULL, *output = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--csv") == 0)
            o.format = GT_CSV;
        else if (strcmp(argv[i], "--json") == 0)
            o.format = GT_JSON;
        else if (strncmp(argv[i], "--kind=", 7) == 0)
            o.kind = argv[i] + 7;
        else if (strncmp(argv[i], "--format=", 9) == 0)
            o.export_format = argv[i] + 9;
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            output = argv[++i];
        else if (!number_option(argv[i], "--from=", &o.from_ms) || !number_option(argv[i], "--to=", &o.to_ms) ||
                 !number_option(argv[i], "--max-events=", &max_events)) {
            fprintf(stderr, "gotrace: bad number in %s\n%s", argv[i], usage);
            return 2;
        } else if (strncmp(argv[i], "--from=", 7) == 0 || strncmp(argv[i], "--to=", 5) == 0 ||
                   strncmp(argv[i], "--max-events=", 13) == 0)
            continue;
        else if (argv[i][0] == '-' || path != NULL) {
            fprintf(stderr, "gotrace: unexpected argument %s\n%s", argv[i], usage);
            return 2;
        } else
            path = argv[i];
    }
    if (run == NULL || path == NULL) {
        fprintf(stderr, "gotrace: %s\n%s", run == NULL ? "unknown command" : "no trace file", usage);
        return 2;
    }
    o.max_events = (uint64_t)max_events;
    /* -o: written to a temporary file renamed at the end, so a bad trace leaves nothing. */
    char partial[4096];
    if (output != NULL) {
        snprintf(partial, sizeof partial, "%s.partial", output);
        if ((o.out = fopen(partial, "w")) == NULL) {
            fprintf(stderr, "gotrace: %s: %s\n", partial, strerror(errno));
            return 1;
        }
        setvbuf(o.out, NULL, _IOFBF, 1 << 20); /* the viewers' files are large */
    }
    gt_reader r;
    int status = 1;
    if (gt_open(&r, path))
        status = run(&r, &o);
    if (r.error[0] != '\0')
        fprintf(stderr, "gotrace: %s: %s\n", path, r.error);
    gt_close(&r);
    if (fflush(o.out) != 0 || ferror(o.out)) {
        perror("gotrace: writing the output");
        status = 1;
    }
    if (output != NULL) {
        if (fclose(o.out) != 0 && status == 0) {
            perror("gotrace: writing the output");
            status = 1;
        }
        if (status == 0 && rename(partial, output) != 0) {
            fprintf(stderr, "gotrace: %s: %s\n", output, strerror(errno));
            status = 1;
        }
        if (status != 0)
            remove(partial);
    }
    return status;
}
