/* check.h - the unit tests' assertions and the capture of a child process's output.
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
 * Panics end the process, so code expected to panic runs in a forked child (check_capture) and
 * the test asserts on the child's exit status and output: Go's testing has no equivalent, it
 * would use recover.
 */
#ifndef GOCURRENT_CHECK_H
#define GOCURRENT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct check_case {
    const char *name;
    void (*run)(void);
} check_case;

#define CHECK_CASE(fn) {#fn, fn}
int check_main(int argc, char **argv, const check_case *cases, size_t count);
#define CHECK_MAIN(table)                                                    \
    int main(int argc, char **argv)                                          \
    {                                                                        \
        return check_main(argc, argv, table, sizeof table / sizeof table[0]); \
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
        if (strcmp(got_, want_) != 0)                                                    \
            check_failed(__FILE__, __LINE__, "%s is\n\"%s\"\nwant\n\"%s\"", #got, got_, \
                         want_);                                                         \
    } while (0)

/* What a forked child did: its exit status (or -signal) and everything it wrote to stdout and
 * stderr, merged in order. Free `output` with check_release. */
typedef struct check_run {
    int status;
    char *output;
} check_run;

/* Runs fn(arg) in a forked child whose stdout and stderr go to one pipe; the child exits 0 if fn
 * returns. Returns what the child did. */
check_run check_capture(void (*fn)(void *arg), void *arg);
void check_release(check_run *run);

/* Asserts a child ran fn into a panic: exit status 2 and output that starts with
 * "panic: <message>\n". */
#define CHECK_PANICS(fn, arg, message) check_panics(__FILE__, __LINE__, (fn), (arg), (message))
void check_panics(const char *file, int line, void (*fn)(void *), void *arg, const char *message);

#endif
