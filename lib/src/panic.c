/* panic.c - how a program dies, as Go's does: panics, fatal errors and throws.
 *
 * Each prints its message and goroutine dumps to stderr and ends the process with exit status
 * 2. Standard output is flushed first, so what the program printed before comes out before the
 * report, as in Go. _exit, not exit: this is not a clean shutdown, so atexit handlers (and
 * LeakSanitizer's end-of-program check of memory nobody got to free) do not run.
 */
#include "gocurrent/panic.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allg.h"
#include "runtime.h"

static atomic_flag dying = ATOMIC_FLAG_INIT;

/* GOTRACEBACK=all (or system, crash) makes a panic dump every goroutine; by default it dumps
 * only the one that panicked, as Go does. Fatal errors always dump every goroutine. */
static bool traceback_all(void)
{
    const char *level = getenv("GOTRACEBACK");
    return level != NULL &&
           (strcmp(level, "all") == 0 || strcmp(level, "system") == 0 || strcmp(level, "crash") == 0);
}

static _Noreturn void die_va(const char *kind, go__g *self, go_site where, bool all,
                             const char *format, va_list args)
{
    if (atomic_flag_test_and_set(&dying))
        for (;;)
            pause();
    fflush(stdout);
    fputs(kind, stderr);
    vfprintf(stderr, format, args);
    fputs("\n\n", stderr);
    go__dump_goroutines(self, where, all);
    fflush(stderr);
    _exit(2);
}

_Noreturn void go__die(const char *kind, go__g *self, go_site where, bool all, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    die_va(kind, self, where, all, format, args);
}

_Noreturn void go_panic_at(go_site where, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    die_va("panic: ", go__current_if_any(), where, traceback_all(), format, args);
}

_Noreturn void go_fatal_at(go_site where, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    die_va("fatal error: ", go__current_if_any(), where, true, format, args);
}

_Noreturn void go__throw(const char *message, go_site where)
{
    go__die("fatal error: ", go__current_if_any(), where, true, "%s", message);
}
