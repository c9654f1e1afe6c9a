/* panic.h - Go-style panics.
 *
 * Go stops a program that misuses the language or the runtime with a panic: a message on
 * stderr, the stack of the goroutine that panicked, and exit status 2. The library does the
 * same for every misuse it can detect (an index out of range, a send on a closed channel, ...),
 * so a C reader sees the exact message a Go programmer would.
 *
 *     panic: runtime error: index out of range [5] with length 5
 *
 *     goroutine 1 [running]:
 *     demo_index_out_of_range()
 *             01-arrays-slices/arrays_slices.c:210
 */
#ifndef GOCURRENT_PANIC_H
#define GOCURRENT_PANIC_H

/* _Noreturn, which C++ spells [[noreturn]]: declarations use this, so C++ can include them. */
#ifdef __cplusplus
#define GO_NORETURN [[noreturn]]
#else
#define GO_NORETURN _Noreturn
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A place in the source: what Go prints under a goroutine's header. GO_HERE names the caller's. */
typedef struct go_site {
    const char *func;
    const char *file;
    int line;
} go_site;

/* Keep a call that uses GO_HERE (go_panic, go_send, go_at, ...) on one line where its line
 * number is printed: for a call spread over several lines gcc reports the first line and clang
 * the last, so dumps would differ between compilers. */
#ifdef __cplusplus
#define GO_HERE (go_site{__func__, __FILE__, __LINE__})
#else
#define GO_HERE ((go_site){__func__, __FILE__, __LINE__})
#endif

/* Prints "panic: <message>", a blank line and the goroutine dump (the panicking goroutine first,
 * at `where`), then ends the process with exit status 2. Standard output is flushed first, so
 * what the program printed before the panic appears before it, as in Go. No atexit handlers run:
 * a panic is not a clean exit, and nothing is freed. */
GO_NORETURN void go_panic_at(go_site where, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* go_panic("...", ...): panic at the caller's line. */
#define go_panic(...) go_panic_at(GO_HERE, __VA_ARGS__)

/* A fatal error, which Go's recover cannot stop either (an unlock of an unlocked mutex, running
 * out of memory): prints "fatal error: <message>", a blank line and the dump of every goroutine
 * (the caller's first, at `where`), and ends the process with exit status 2. */
GO_NORETURN void go_fatal_at(go_site where, const char *format, ...) __attribute__((format(printf, 2, 3)));
#define go_fatal(...) go_fatal_at(GO_HERE, __VA_ARGS__)

/* If two goroutines panic (or hit a fatal error) at the same moment, only the first reports:
 * the other waits while the first prints and ends the process, so the output is one report. */

#ifdef __cplusplus
}
#endif

#endif
