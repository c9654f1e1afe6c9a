/* check.h - the unit tests' assertions, and child processes whose output a test checks.
 *
 * A test binary lists its cases in a table and hands it to check_main:
 *
 *     static void test_append_grows(void) { CHECK_EQ(go_cap(s), 10); ... }
 *     static const check_case cases[] = { CHECK_CASE(test_append_grows), ... };
 *     CHECK_MAIN(cases)
 *
 * A failed CHECK prints the file, line and both values and marks the case failed; the binary
 * runs every case and exits 1 if any failed. `binary NAME` runs one case.
 *
 * Panics, fatal errors and deadlocks end the process, so code expected to end that way runs in
 * a child process and the test asserts on the child's exit status and output (Go's testing has
 * no equivalent: it would use recover, or run a subprocess as here). A child is a fresh process:
 * the test binary itself, executed again as `binary --child NAME ARGS...`, which runs the child
 * body NAME from a second table instead of the cases:
 *
 *     static void index_5_of_5(int argc, char **argv) { ... go_at(s, go_int, 5) ... }
 *     static const check_child children[] = { CHECK_CHILD(index_5_of_5), ... };
 *     CHECK_MAIN_WITH_CHILDREN(cases, children)
 *
 *     CHECK_PANICS(index_5_of_5, "runtime error: index out of range [5] with length 5");
 *
 * It is exec'd, not merely forked, because the process is multithreaded: once the runtime has
 * started, its monitor thread runs, which a forked copy would lack (its timers would never fire),
 * and ThreadSanitizer does not support starting threads after a multithreaded fork. A child body
 * gets argv[0] = its own name and argv[1..] = the ARGS the test passed; when it returns the child
 * exits normally with status 0 (atexit handlers run), or 1 if a CHECK in it failed.
 */
#ifndef GOCURRENT_CHECK_H
#define GOCURRENT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gocurrent/panic.h" /* go_site, GO_HERE */

typedef struct check_case {
    const char *name;
    void (*run)(void);
} check_case;

typedef struct check_child {
    const char *name;
    void (*run)(int argc, char **argv);
} check_child;

#define CHECK_CASE(fn) {#fn, fn}
#define CHECK_CHILD(fn) {#fn, fn}

int check_main(int argc, char **argv, const check_case *cases, size_t ncases,
               const check_child *children, size_t nchildren);

#define CHECK_MAIN(table)                                                                 \
    int main(int argc, char **argv)                                                       \
    {                                                                                     \
        return check_main(argc, argv, table, sizeof table / sizeof table[0], NULL, 0);    \
    }

#define CHECK_MAIN_WITH_CHILDREN(table, child_table)                                      \
    int main(int argc, char **argv)                                                       \
    {                                                                                     \
        return check_main(argc, argv, table, sizeof table / sizeof table[0], child_table, \
                          sizeof child_table / sizeof child_table[0]);                    \
    }

/* Records a failure of the running case (used by the macros). */
void check_failed(const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond))                                                                    \
            check_failed(__FILE__, __LINE__, "CHECK(%s) failed", #cond);                \
    } while (0)

/* Integers of any type, compared and printed as long long. */
#define CHECK_EQ(got, want)                                                             \
    do {                                                                                \
        long long got_ = (long long)(got), want_ = (long long)(want);                   \
        if (got_ != want_)                                                              \
            check_failed(__FILE__, __LINE__, "%s == %lld, want %s == %lld", #got, got_, \
                         #want, want_);                                                 \
    } while (0)

#define CHECK_STREQ(got, want)                                                           \
    do {                                                                                 \
        const char *got_ = (got), *want_ = (want);                                       \
        if (got_ == NULL || strcmp(got_, want_) != 0)                                    \
            check_failed(__FILE__, __LINE__, "%s is\n\"%s\"\nwant\n\"%s\"", #got,        \
                         got_ ? got_ : "(null)", want_);                                 \
    } while (0)

/* The text `haystack` contains `needle`. */
#define CHECK_CONTAINS(haystack, needle)                                                 \
    do {                                                                                 \
        const char *hay_ = (haystack), *needle_ = (needle);                              \
        if (strstr(hay_, needle_) == NULL)                                               \
            check_failed(__FILE__, __LINE__, "%s is\n%s\nwant it to contain\n%s",        \
                         #haystack, hay_, needle_);                                      \
    } while (0)

/* What a child process did: its exit status (or -signal) and everything it wrote to stdout and
 * stderr, merged in order. Free `output` with check_release. */
typedef struct check_run {
    int status;
    char *output;
} check_run;

/* A NULL-terminated list of strings, for a child's arguments or extra environment. */
#define CHECK_ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Runs the child body `name` (from the table given to check_main) in a new process whose stdout
 * and stderr go to one pipe, with the extra arguments `args` and the extra environment entries
 * `env` ("NAME=value", or "NAME" to remove NAME), either may be NULL. Returns what the child
 * did. A child still running after a generous watchdog limit (CHECK_CHILD_TIMEOUT seconds,
 * default 300) is killed, so a hang fails the test instead of stalling it: a guard, not an
 * assertion on time. */
check_run check_spawn(const char *name, const char *const *args, const char *const *env);
void check_release(check_run *run);

/* CHECK_NAME(fn) is "fn", and fails to compile if there is no function fn. */
#define CHECK_NAME(fn) ((void)(fn), #fn)

/* check_capture(fn): runs child body fn with no arguments. */
#define check_capture(fn) check_spawn(CHECK_NAME(fn), NULL, NULL)
#define check_capture_args(fn, args) check_spawn(CHECK_NAME(fn), (args), NULL)

/* Asserts that the child body fn ends in a panic: exit status 2 and output that starts with
 * "panic: <message>\n" (so, under a sanitizer, also that it reported nothing first). */
#define CHECK_PANICS(fn, message) \
    check_child_ends_in(__FILE__, __LINE__, CHECK_NAME(fn), "panic: ", (message))
/* Asserts that the child body fn ends in a fatal error: exit status 2 and output that starts
 * with "fatal error: <message>\n". */
#define CHECK_FATAL(fn, message) \
    check_child_ends_in(__FILE__, __LINE__, CHECK_NAME(fn), "fatal error: ", (message))
void check_child_ends_in(const char *file, int line, const char *child, const char *kind,
                         const char *message);

/* The same assertions on a run already captured, to check more of its output afterwards. */
#define CHECK_RUN_PANICKED(run, message) \
    check_run_ends_in(__FILE__, __LINE__, (run), "panic: ", (message))
#define CHECK_RUN_FATAL(run, message) \
    check_run_ends_in(__FILE__, __LINE__, (run), "fatal error: ", (message))
bool check_run_ends_in(const char *file, int line, const check_run *run, const char *kind,
                       const char *message);

/* Runtime helpers. */

/* Waits until goroutine `id` is in `state`, as go_goroutine_state names it ("chan receive",
 * "select", ...). This is how tests see that a goroutine blocked, instead of sleeping and hoping:
 * the state is set by the runtime once the goroutine has committed to park. Fails the case and
 * returns false if the goroutine ends first. */
#define CHECK_WAIT_STATE(id, state) check_wait_state(__FILE__, __LINE__, (id), (state))
bool check_wait_state(const char *file, int line, int64_t id, const char *state);

/* Lets other threads run while polling for a condition. */
void check_pause(void);

/* A TCP socket listening on the loopback interface at a port the kernel chose, which *addr
 * receives (a struct sockaddr_in, passed as void * so that this header needs no socket
 * headers). Fails the case if it cannot. */
int check_listen_loopback(void *addr);

/* Traces, into the file at `path`, n goroutines of `fn` created, run and ended while tracing;
 * `fn` is given a go_wait_group * and must call go_wg_done on it. Returns once every one has
 * returned and tracing has stopped; ids (n entries) receives their ids. Fails the case if
 * tracing does not start or stop cleanly. The goroutines are named after fn, as go() names them. */
#define CHECK_TRACE_GOROUTINES(path, n, fn, ids) check_trace_goroutines((path), (n), (fn), #fn, (ids), GO_HERE)
void check_trace_goroutines(const char *path, int n, void (*fn)(void *), const char *name, int64_t *ids,
                            go_site where);

#endif
