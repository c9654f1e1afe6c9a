/* demo.h - the chapter program harness.
 *
 * A chapter is one C program made only of demos: short functions, each mirroring one example of
 * the Go notes. The harness owns everything else: argument parsing, headings and exit status.
 *
 *     static void demo_declare(void) { ... }
 *
 *     static const go_demo demos[] = {
 *         GO_DEMO("declare", demo_declare, GO_NORMAL, "an array has a fixed size and starts zeroed"),
 *         GO_DEMO("index-out-of-range", demo_index, GO_PANIC, "indexing past the end panics"),
 *     };
 *     GO_DEMO_MAIN(demos)
 *
 * Usage of the resulting program:
 *     chapter              runs every GO_NORMAL demo, in table order, each under a heading
 *     chapter NAME...      runs just the named demos (any outcome); one name prints no heading
 *     chapter --list       one line per demo: name, outcome, title
 *     chapter --trace FILE ...   as above, tracing the run into FILE (trace.h), written at exit
 *     chapter --blockprofile block.out --mutexprofile mutex.out NAME...
 *                          the same, profiled as go test -blockprofile does (pprof.h); the
 *                          rates default to 1 (--blockprofilerate N, --mutexprofilefraction N)
 * Exit status is Go's: 0, or 2 for a panic, a fatal error (deadlock) or a usage error.
 */
#ifndef GOCURRENT_DEMO_H
#define GOCURRENT_DEMO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a demo ends. Only GO_NORMAL demos run without being named: the others stop the program
 * (a panic, a deadlock), exist to be shown to a race detector, or wait for the reader (a server). */
typedef enum go_outcome {
    GO_NORMAL,   /* prints its lesson and returns */
    GO_PANIC,    /* ends in a panic, exit status 2 */
    GO_DEADLOCK, /* ends in "fatal error: all goroutines are asleep - deadlock!", exit status 2 */
    GO_RACE,     /* has a data race: wrong results plainly, a report under ThreadSanitizer */
    GO_SERVER,   /* serves (HTTP, say) until its standard input ends (Ctrl-D), then returns */
} go_outcome;

typedef struct go_demo {
    const char *name;  /* what the reader types: lower-case words joined by '-' */
    void (*run)(void);
    go_outcome outcome;
    const char *title; /* one line saying what the demo shows */
} go_demo;

#define GO_DEMO(name, run, outcome, title) {name, run, outcome, title}

/* Runs a chapter program: parses argv as described above and runs the demos of `demos[0..count)`.
 * Returns the exit status (a demo that panics never returns). Bad arguments print a usage
 * message to stderr and return 2. */
int go_demo_main(int argc, char **argv, const go_demo *demos, size_t count);

/* Defines main() for a chapter whose demo table is the array `table`. */
#define GO_DEMO_MAIN(table)                                                  \
    int main(int argc, char **argv)                                          \
    {                                                                        \
        return go_demo_main(argc, argv, table, sizeof table / sizeof table[0]); \
    }

#ifdef __cplusplus
}
#endif

#endif
