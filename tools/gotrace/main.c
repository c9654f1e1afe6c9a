/* main.c - gotrace: answers from a gocurrent execution trace (trace.h), as `go tool trace`
 * gives them for Go's. The commands are in their own files (output.h lists them). */
#include <stdio.h>
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
    "  export --format=go FILE [-o OUT]\n"
    "                               the trace in Go 1.19's format, for go tool trace\n";

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
                    {"export", gt_export}};
    int (*run)(gt_reader *, const gt_options *) = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            run = commands[i].run;
    gt_options o = {.format = GT_TEXT, .out = stdout};
    const char *path = NULL;
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
            o.output = argv[++i];
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
    gt_reader r;
    int status = 1;
    if (gt_open(&r, path))
        status = run(&r, &o);
    if (r.error[0] != '\0')
        fprintf(stderr, "gotrace: %s: %s\n", path, r.error);
    gt_close(&r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("gotrace: writing the output");
        status = 1;
    }
    return status;
}
