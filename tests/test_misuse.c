/* Misuse of the library, and the OS's limits, end the way Go's end: a message that says what
 * happened and where, and exit status 2; never a bare signal or a silent hang. Each case runs
 * in a child process. */
#define _GNU_SOURCE /* pthread_getattr_np */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/timer.h"
#include "gocurrent/sync.h" /* GO__TSAN_ENABLED */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#if defined(UNDER_ASAN) || defined(GO__TSAN_ENABLED)
#define UNDER_SANITIZER 1
#endif

/* ---- go(NULL) ---- */

static void go_nil(int argc, char **argv)
{
    (void)argc, (void)argv;
    go(NULL, NULL);
}

static void test_go_of_nil_func(void)
{
    CHECK_FATAL(go_nil, "go of nil func value");
}

/* ---- A channel released once too often ---- */


static void release_twice(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 0);
    go_chan_release(ch);
    go_chan_release(ch);
}

static void send_after_release(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 1);
    go_chan_release(ch);
    go_send(ch, int, 1);
}

/* Under a sanitizer, which knows the memory is freed, its report of the first touch comes first. */
static void expect_released(const char *file, int line, const char *child)
{
#ifdef UNDER_SANITIZER
    check_run run = check_spawn(child, NULL, NULL);
    if (run.status == 0 || strstr(run.output, "heap-use-after-free") == NULL)
        check_failed(file, line, "%s: status %d, output\n%s\nwant the sanitizer's heap-use-after-free", child,
                     run.status, run.output);
    check_release(&run);
#else
    check_child_ends_in(file, line, child, "fatal error: ",
                        "gocurrent: use of a released channel (it was released more times than retained)");
#endif
}
#define EXPECT_RELEASED(child) expect_released(__FILE__, __LINE__, CHECK_NAME(child))

static void test_double_release_is_fatal(void)
{
    EXPECT_RELEASED(release_twice);
    EXPECT_RELEASED(send_after_release);
}

/* ---- fork() ---- */

static void nothing(void *wg)
{
    go_wg_done((go_wait_group *)wg);
}

/* Starts the runtime (a goroutine that ends), forks, and runs `in_child` in the child; prints
 * how the child exited. */
static void fork_and_report(void (*in_child)(void))
{
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    go_wg_add(&wg, 1);
    go(nothing, &wg);
    go_wg_wait(&wg);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        in_child();
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
}

static void receive_in_child(void)
{
    go_recv_drop(go_make_chan(int, 0));
}

static void timer_in_child(void)
{
    go_recv_drop(go_after(GO_MILLISECOND));
}

static void fork_then_receive(int argc, char **argv)
{
    (void)argc, (void)argv;
    fork_and_report(receive_in_child);
}

static void fork_then_timer(int argc, char **argv)
{
    (void)argc, (void)argv;
    fork_and_report(timer_in_child);
}

static void test_forked_child_dies_clearly(void)
{
    check_run run = check_capture(fork_then_receive);
    CHECK_EQ(run.status, 0);
    CHECK_CONTAINS(run.output, "fatal error: gocurrent: goroutines cannot run in a fork()ed child");
    CHECK_CONTAINS(run.output, "child exited 2\n");
    check_release(&run);
    run = check_capture(fork_then_timer);
    CHECK_EQ(run.status, 0);
    CHECK_CONTAINS(run.output, "fatal error: gocurrent: timers cannot run in a fork()ed child");
    CHECK_CONTAINS(run.output, "child exited 2\n");
    check_release(&run);
}

/* ---- Stacks ---- */

static void report_stack_size(void *ch)
{
    pthread_attr_t attr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstacksize(&attr, &size);
        pthread_attr_destroy(&attr);
    }
    go_send((go_chan *)ch, size_t, size);
}

static size_t stack_of_new_goroutine(void)
{
    go_chan *ch = go_make_chan(size_t, 0);
    go(report_stack_size, ch);
    size_t size = 0;
    go_recv(ch, &size);
    go_chan_release(ch);
    return size;
}

static void test_stack_size_is_settable(void)
{
    size_t before = go_set_max_stack(256 << 10);
    CHECK_EQ(before, 1 << 20); /* the documented default */
    size_t small = stack_of_new_goroutine();
    go_set_max_stack(before);
    size_t standard = stack_of_new_goroutine();
    CHECK(small < standard);
#ifndef UNDER_SANITIZER
    /* Exactly, where no sanitizer adjusts the stacks of the threads it starts. */
    CHECK_EQ(small, 256 << 10);
    CHECK_EQ(standard, 1 << 20);
#endif
}

/* Recursion the compiler cannot turn into a loop (each frame keeps a buffer it reads back), nor
 * prove endless (the limit is read at run time and never reached). */
static volatile int depth_limit = 1 << 30;

static int recurse(int depth)
{
    volatile char frame[512];
    frame[depth % 512] = (char)depth;
    if (depth == depth_limit)
        return 0;
    return recurse(depth + 1) + frame[(depth + 1) % 512];
}

static void overflow(void *done)
{
    recurse(0);
    go_close((go_chan *)done);
}

static void goroutine_overflows(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *done = go_make_chan(int, 0);
    go(overflow, done);
    go_recv_drop(done);
}

static void test_stack_overflow_is_fatal(void)
{
#ifdef UNDER_SANITIZER
    /* The sanitizers report stack overflows themselves ("stack-overflow"); the runtime then
     * does not watch (stack.h). */
#else
    check_run run = check_capture(goroutine_overflows);
    CHECK_EQ(run.status, 2);
    CHECK_CONTAINS(run.output, "runtime: goroutine stack exceeds 1048576-byte limit\n");
    CHECK_CONTAINS(run.output, "\nfatal error: stack overflow\n\ngoroutine 2 [running]:\n");
    check_release(&run);
#endif
}

/* ---- The OS refuses a thread ---- */

static void receive_forever(void *ch)
{
    go_recv_drop((go_chan *)ch);
}

/* Limits the address space to what the process uses now plus 64 MiB, then starts goroutines
 * (each reserving a 1 MiB stack) until the OS refuses one. */
static void out_of_address_space(int argc, char **argv)
{
    (void)argc, (void)argv;
    FILE *statm = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (statm == NULL || fscanf(statm, "%lu", &pages) != 1)
        abort();
    fclose(statm);
    struct rlimit as = {pages * 4096 + (64 << 20), pages * 4096 + (64 << 20)};
    if (setrlimit(RLIMIT_AS, &as) != 0)
        abort();
    go_chan *never = go_make_chan(int, 0);
    for (;;)
        go(receive_forever, never);
}

static void test_thread_refused_names_the_limit(void)
{
#ifdef UNDER_SANITIZER
    /* Sanitizers reserve terabytes of shadow memory: they cannot run under an address-space
     * limit at all. */
#else
    check_run run = check_capture(out_of_address_space);
    CHECK_EQ(run.status, 2);
    CHECK_CONTAINS(run.output, "runtime: failed to create new OS thread (have ");
    CHECK_CONTAINS(run.output, "runtime: may need to increase the address space limit (ulimit -v: ");
    CHECK_CONTAINS(run.output, "\nfatal error: newosproc\n");
    check_release(&run);
#endif
}

static const check_case cases[] = {
    CHECK_CASE(test_go_of_nil_func),
    CHECK_CASE(test_double_release_is_fatal),
    CHECK_CASE(test_forked_child_dies_clearly),
    CHECK_CASE(test_stack_size_is_settable),
    CHECK_CASE(test_stack_overflow_is_fatal),
    CHECK_CASE(test_thread_refused_names_the_limit),
};

static const check_child children[] = {
    CHECK_CHILD(go_nil),
    CHECK_CHILD(release_twice),
    CHECK_CHILD(send_after_release),
    CHECK_CHILD(fork_then_receive),
    CHECK_CHILD(fork_then_timer),
    CHECK_CHILD(goroutine_overflows),
    CHECK_CHILD(out_of_address_space),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
