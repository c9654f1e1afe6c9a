/* Unit tests of the chapter harness: --list, default run, named runs, usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "gocurrent/demo.h"
#include "gocurrent/panic.h"

static void demo_first(void) { printf("first\n"); }
static void demo_second(void) { printf("second\n"); }
static void demo_panics(void) { go_panic("boom"); }

static const go_demo demos[] = {
    GO_DEMO("first", demo_first, GO_NORMAL, "the first demo"),
    GO_DEMO("panics", demo_panics, GO_PANIC, "a demo that panics"),
    GO_DEMO("second-one", demo_second, GO_NORMAL, "the second demo"),
};

/* The child: runs go_demo_main as a chapter program named "chapter" with the arguments the test
 * passed, and exits with its status. */
static void run_main(int argc, char **argv)
{
    argv[0] = "chapter";
    int status = go_demo_main(argc, argv, demos, sizeof demos / sizeof demos[0]);
    fflush(NULL);
    _exit(status);
}

/* The same, ending as a chapter's main does, by returning: exit runs the atexit handlers, which
 * write the profiles. */
static void run_main_returning(int argc, char **argv)
{
    argv[0] = "chapter";
    exit(go_demo_main(argc, argv, demos, sizeof demos / sizeof demos[0]));
}

/* Runs the chapter with up to two arguments (NULL: fewer). */
static check_run run(const char *a1, const char *a2)
{
    return check_capture_args(run_main, CHECK_ARGS(a1, a2));
}

static void test_list_names_outcomes_and_titles(void)
{
    check_run r = run("--list", NULL);
    CHECK_EQ(r.status, 0);
    CHECK_STREQ(r.output, "first       normal    the first demo\n"
                          "panics      panic     a demo that panics\n"
                          "second-one  normal    the second demo\n");
    check_release(&r);
}

static void test_no_argument_runs_normal_demos_with_headings(void)
{
    check_run r = run(NULL, NULL);
    CHECK_EQ(r.status, 0);
    CHECK_STREQ(r.output, "=== first: the first demo\nfirst\n\n"
                          "=== second-one: the second demo\nsecond\n\n");
    check_release(&r);
}

static void test_one_named_demo_prints_just_its_output(void)
{
    check_run r = run("second-one", NULL);
    CHECK_EQ(r.status, 0);
    CHECK_STREQ(r.output, "second\n");
    check_release(&r);
}

static void test_several_named_demos_get_headings(void)
{
    check_run r = run("second-one", "first");
    CHECK_EQ(r.status, 0);
    CHECK_STREQ(r.output, "=== second-one: the second demo\nsecond\n\n"
                          "=== first: the first demo\nfirst\n\n");
    check_release(&r);
}

static void test_named_panic_demo_exits_2(void)
{
    check_run r = run("panics", NULL);
    CHECK_EQ(r.status, 2);
    CHECK(strncmp(r.output, "panic: boom\n\ngoroutine 1 [running]:\ndemo_panics()\n", 49) == 0);
    check_release(&r);
}

static void test_unknown_name_is_a_usage_error(void)
{
    check_run r = run("first", "nope");
    CHECK_EQ(r.status, 2);
    /* Nothing ran: the names are checked before any demo starts. */
    CHECK(strstr(r.output, "first\n") == NULL);
    CHECK(strstr(r.output, "chapter: no demo named \"nope\"\nusage: chapter") == r.output);
    check_release(&r);
}

/* A flag with extra arguments, or an unknown flag, is named as what it is, not as a demo. */
static void test_bad_flags_are_named(void)
{
    check_run r = run("--list", "extra");
    CHECK_EQ(r.status, 2);
    CHECK(strstr(r.output, "chapter: --list takes no other arguments (got \"extra\")\nusage: chapter") == r.output);
    check_release(&r);
    r = run("first", "--lsit");
    CHECK_EQ(r.status, 2);
    CHECK(strstr(r.output, "chapter: unknown flag --lsit\nusage: chapter") == r.output);
    check_release(&r);
}

/* --blockprofile FILE writes the profile at exit, after the demos, in the contention format; the
 * flag and its value are not demo names. */
static void test_blockprofile_flag_writes_the_profile(void)
{
    char path[] = "/tmp/test_demo_block_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    check_run r = check_capture_args(run_main_returning, CHECK_ARGS("--blockprofile", path, "--blockprofilerate", "1", "first"));
    CHECK_EQ(r.status, 0);
    CHECK_STREQ(r.output, "first\n");
    check_release(&r);
    FILE *f = fopen(path, "r");
    char line[64] = "";
    CHECK(f != NULL && fgets(line, sizeof line, f) != NULL);
    CHECK_STREQ(line, "--- contention:\n");
    if (f != NULL)
        fclose(f);
    remove(path);
}

static void test_profiling_flag_errors_are_usage_errors(void)
{
    check_run r = run("first", "--mutexprofile");
    CHECK_EQ(r.status, 2);
    CHECK(strstr(r.output, "chapter: flag needs an argument: --mutexprofile\nusage: chapter") == r.output);
    check_release(&r);
    r = run("--mutexprofilefraction", "x");
    CHECK_EQ(r.status, 2);
    CHECK(strstr(r.output, "chapter: invalid value \"x\" for flag --mutexprofilefraction\n") == r.output);
    check_release(&r);
    r = run("--blockprofile", "/nonexistent/dir/block.out");
    CHECK_EQ(r.status, 2);
    CHECK(strstr(r.output, "chapter: cannot create /nonexistent/dir/block.out\n") == r.output);
    check_release(&r);
}

/* test_demo does not link gocurrent-gperf: --cpuprofile and --memprofile say what they need.
 * (pprof_gperf_sample, which links it, takes both profiles with them: pprof_readers.cmake.) */
static void test_gperf_flags_need_gocurrent_gperf(void)
{
    check_run r = run("--cpuprofile", "cpu.out");
    CHECK_EQ(r.status, 2);
    CHECK(strstr(r.output, "chapter: --cpuprofile needs the program linked with gocurrent-gperf") ==
          r.output);
    check_release(&r);
    r = run("first", "--memprofile");
    CHECK_EQ(r.status, 2);
    CHECK(strstr(r.output, "chapter: flag needs an argument: --memprofile\n") == r.output);
    check_release(&r);
}

static const check_case cases[] = {
    CHECK_CASE(test_list_names_outcomes_and_titles),
    CHECK_CASE(test_bad_flags_are_named),
    CHECK_CASE(test_no_argument_runs_normal_demos_with_headings),
    CHECK_CASE(test_one_named_demo_prints_just_its_output),
    CHECK_CASE(test_several_named_demos_get_headings),
    CHECK_CASE(test_named_panic_demo_exits_2),
    CHECK_CASE(test_unknown_name_is_a_usage_error),
    CHECK_CASE(test_blockprofile_flag_writes_the_profile),
    CHECK_CASE(test_profiling_flag_errors_are_usage_errors),
    CHECK_CASE(test_gperf_flags_need_gocurrent_gperf),
};
static const check_child children[] = {
    CHECK_CHILD(run_main),
    CHECK_CHILD(run_main_returning),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
