/* demo.c - the chapter program harness: --list, run all normal demos, or run named ones. */
#include "gocurrent/demo.h"

#include "gocurrent/trace.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gocurrent/pprof.h"
#include "pprof_gperf_hooks.h"

static const char *const outcome_names[] = {
    [GO_NORMAL] = "normal",
    [GO_PANIC] = "panic",
    [GO_DEADLOCK] = "deadlock",
    [GO_RACE] = "race",
    [GO_SERVER] = "server",
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
            "usage: %s [--list] [--trace FILE] [profiling flags] [demo...]\n"
            "  with no demo named, runs every demo whose outcome is normal, in order;\n"
            "  demos that panic, deadlock, race or serve run only when named (see --list);\n"
            "  --trace FILE writes an execution trace of the run to FILE.\n"
            "profiling flags, as go test's (the files are written when the program exits):\n"
            "  --cpuprofile FILE            the CPU profile (a program linked with gocurrent-gperf)\n"
            "  --memprofile FILE            the heap profile (the same; not with --cpuprofile)\n"
            "  --blockprofile FILE          the block profile\n"
            "  --blockprofilerate N         its rate, as go_set_block_profile_rate (default 1)\n"
            "  --mutexprofile FILE          the mutex profile\n"
            "  --mutexprofilefraction N     its fraction, as go_set_mutex_profile_fraction (default 1)\n",
            program);
}

/* ---- Profiling the run, as go test -blockprofile does ----
 * The files are opened before any demo runs, so a bad path stops the program at once, and
 * written at exit, after every demo; a demo that panics or deadlocks ends the process without
 * them, as a panicking test does in Go. */

typedef struct profile_flag {
    const char *flag, *rate_flag; /* --blockprofile, --blockprofilerate */
    const char *name;             /* the profile */
    FILE *file;
    int rate;
} profile_flag;

enum { block_flags, mutex_flags, profile_kinds };
static profile_flag profile_flags[profile_kinds] = {
    [block_flags] = {"--blockprofile", "--blockprofilerate", "block", NULL, 1},
    [mutex_flags] = {"--mutexprofile", "--mutexprofilefraction", "mutex", NULL, 1},
};

/* --cpuprofile and --memprofile: gperftools' profilers, reached through go__gperf_hooks (NULL
 * when the program does not link gocurrent-gperf: the core does not depend on it). */
static FILE *mem_file;

static void stop_cpu_profile(void)
{
    go__gperf_hooks.cpu_stop();
}

static void write_heap_profile(void)
{
    bool written = go__gperf_hooks.heap_write(go_file_writer(mem_file));
    go__gperf_hooks.heap_stop();
    if (fclose(mem_file) != 0 || !written)
        fprintf(stderr, "cannot write the heap profile\n");
}

/* Starts the CPU profile into cpu_path and the heap profile for mem_path, those not NULL.
 * Returns false, having said why, if the program lacks gocurrent-gperf or a profiler refuses. */
static bool start_gperf(const char *program, const char *cpu_path, const char *mem_path)
{
    if (cpu_path == NULL && mem_path == NULL)
        return true;
    if (&go__gperf_hooks == NULL) {
        fprintf(stderr, "%s: %s needs the program linked with gocurrent-gperf (gperftools)\n",
                program, cpu_path != NULL ? "--cpuprofile" : "--memprofile");
        return false;
    }
    const char *err;
    if (cpu_path != NULL && (err = go__gperf_hooks.cpu_start(cpu_path)) != NULL) {
        fprintf(stderr, "%s: --cpuprofile %s: %s\n", program, cpu_path, err);
        return false;
    }
    if (cpu_path != NULL)
        atexit(stop_cpu_profile);
    if (mem_path == NULL)
        return true;
    if ((mem_file = fopen(mem_path, "w")) == NULL) {
        fprintf(stderr, "%s: cannot create %s\n", program, mem_path);
        return false;
    }
    /* tcmalloc's own periodic dumps, if any, go beside the file: FILE.0001.heap, ... */
    if ((err = go__gperf_hooks.heap_start(mem_path)) != NULL) {
        fprintf(stderr, "%s: --memprofile %s: %s\n", program, mem_path, err);
        return false;
    }
    atexit(write_heap_profile);
    return true;
}

static void write_profiles(void)
{
    for (int k = 0; k < profile_kinds; k++) {
        profile_flag *p = &profile_flags[k];
        if (p->file == NULL)
            continue;
        bool written = go_profile_write(p->name, go_file_writer(p->file), 0);
        if (fclose(p->file) != 0 || !written)
            fprintf(stderr, "cannot write the %s profile\n", p->name);
    }
}

/* Takes the profiling flags out of argv (the rest keep their order), opens the files and turns
 * the profiles on. Returns false, having said why, for a flag without its value, a rate that is
 * not a number or a file that cannot be created. */
static bool start_profiling(int *argc, char **argv)
{
    const char *paths[profile_kinds] = {NULL};
    const char *cpu_path = NULL, *mem_path = NULL;
    int kept = 1;
    for (int i = 1; i < *argc; i++) {
        bool cpu = strcmp(argv[i], "--cpuprofile") == 0, mem = strcmp(argv[i], "--memprofile") == 0;
        if ((cpu || mem) && i + 1 == *argc) {
            fprintf(stderr, "%s: flag needs an argument: %s\n", argv[0], argv[i]);
            return false;
        }
        if (cpu || mem) {
            *(cpu ? &cpu_path : &mem_path) = argv[++i];
            continue;
        }
        int k = 0;
        while (k < profile_kinds && strcmp(argv[i], profile_flags[k].flag) != 0 &&
               strcmp(argv[i], profile_flags[k].rate_flag) != 0)
            k++;
        if (k == profile_kinds) {
            argv[kept++] = argv[i];
            continue;
        }
        if (i + 1 == *argc) {
            fprintf(stderr, "%s: flag needs an argument: %s\n", argv[0], argv[i]);
            return false;
        }
        const char *value = argv[++i];
        char *end;
        if (strcmp(argv[i - 1], profile_flags[k].flag) == 0)
            paths[k] = value;
        else if ((profile_flags[k].rate = (int)strtol(value, &end, 10)), *end != '\0' || end == value) {
            fprintf(stderr, "%s: invalid value \"%s\" for flag %s\n", argv[0], value, argv[i - 1]);
            return false;
        }
    }
    *argc = kept;
    for (int k = 0; k < profile_kinds; k++) {
        if (paths[k] != NULL && (profile_flags[k].file = fopen(paths[k], "w")) == NULL) {
            fprintf(stderr, "%s: cannot create %s\n", argv[0], paths[k]);
            return false;
        }
    }
    if (profile_flags[block_flags].file != NULL)
        go_set_block_profile_rate(profile_flags[block_flags].rate);
    if (profile_flags[mutex_flags].file != NULL)
        go_set_mutex_profile_fraction(profile_flags[mutex_flags].rate);
    if (profile_flags[block_flags].file != NULL || profile_flags[mutex_flags].file != NULL)
        atexit(write_profiles);
    return start_gperf(argv[0], cpu_path, mem_path);
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
    if (!start_profiling(&argc, argv)) {
        usage(stderr, program);
        return 2;
    }

    if (argc == 1) {
        for (size_t i = 0; i < count; i++)
            if (demos[i].outcome == GO_NORMAL)
                run_with_heading(&demos[i]);
        return 0;
    }

    /* Check every name before running anything, so a typo does not leave half a run. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--list") == 0 || strcmp(argv[i], "--help") == 0) {
            fprintf(stderr, "%s: %s takes no other arguments (got \"%s\")\n", program, argv[i],
                    argv[i == 1 ? 2 : 1]);
            usage(stderr, program);
            return 2;
        }
        if (argv[i][0] == '-') {
            fprintf(stderr, "%s: unknown flag %s\n", program, argv[i]);
            usage(stderr, program);
            return 2;
        }
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
