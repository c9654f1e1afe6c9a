/* demo.c - the chapter program harness: --list, run all normal demos, or run named ones. */
#include "gocurrent/demo.h"

#include "gocurrent/trace.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[] = {
    [GO_NORMAL] = "normal",
    [GO_PANIC] = "panic",
    [GO_DEADLOCK] = "deadlock",
    [GO_RACE] = "race",
};

static const go_demo *find_demo(const go_demo *demos, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(demos[i].name, name) == 0)
            return &demos[i];
    return NULL;
}

/* One line per demo, in three columns, parseable as `<name> <outcome> <title>`. */
static void list_demos(const go_demo *demos, size_t count)
{
    int width = 0;
    for (size_t i = 0; i < count; i++) {
        int len = (int)strlen(demos[i].name);
        width = len > width ? len : width;
    }
    for (size_t i = 0; i < count; i++)
        printf("%-*s  %-8s  %s\n", width, demos[i].name, outcome_names[demos[i].outcome],
               demos[i].title);
}

static void usage(FILE *out, const char *program)
{
    fprintf(out,
            "usage: %s [--list] [--trace FILE] [demo...]\n"
            "  with no demo named, runs every demo whose outcome is normal, in order;\n"
            "  demos that panic, deadlock or race run only when named (see --list);\n"
            "  --trace FILE writes an execution trace of the run to FILE.\n",
            program);
}

static void run_with_heading(const go_demo *demo)
{
    printf("=== %s: %s\n", demo->name, demo->title);
    demo->run();
    printf("\n");
    fflush(stdout);
}

/* --trace FILE: traces the run, and writes the trace out when the program exits. */
static const char *trace_path;

static void stop_trace(void)
{
    int err = go_trace_stop();
    if (err != 0)
        fprintf(stderr, "--trace %s: %s\n", trace_path, go_trace_strerror(err));
}

static bool start_trace(const char *program, const char *path)
{
    int err = go_trace_start_file(path);
    if (err != 0) {
        fprintf(stderr, "%s: --trace %s: %s\n", program, path, go_trace_strerror(err));
        return false;
    }
    trace_path = path;
    atexit(stop_trace);
    return true;
}

int go_demo_main(int argc, char **argv, const go_demo *demos, size_t count)
{
    const char *program = argc > 0 ? argv[0] : "demo";

    /* --trace FILE first, as `go test -trace FILE`; then the arguments as without it. */
    if (argc >= 3 && strcmp(argv[1], "--trace") == 0) {
        if (!start_trace(program, argv[2]))
            return 2;
        argv[2] = argv[0];
        argc -= 2, argv += 2;
    }

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        list_demos(demos, count);
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout, program);
        return 0;
    }

    if (argc == 1) {
        for (size_t i = 0; i < count; i++)
            if (demos[i].outcome == GO_NORMAL)
                run_with_heading(&demos[i]);
        return 0;
    }

    /* Check every name before running anything, so a typo does not leave half a run. */
    for (int i = 1; i < argc; i++) {
        if (find_demo(demos, count, argv[i]) == NULL) {
            fprintf(stderr, "%s: no demo named \"%s\"\n", program, argv[i]);
            usage(stderr, program);
            return 2;
        }
    }
    if (argc == 2) {
        find_demo(demos, count, argv[1])->run();
        /* Before any report a sanitizer prints at exit, whatever stdout is (a pipe buffers). */
        fflush(stdout);
        return 0;
    }
    for (int i = 1; i < argc; i++)
        run_with_heading(find_demo(demos, count, argv[i]));
    return 0;
}
