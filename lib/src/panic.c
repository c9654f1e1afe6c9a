/* panic.c - Go-style panics: message, goroutine dump, exit status 2. */
#include "gocurrent/panic.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

/* GOTRACEBACK=all (or system, crash) dumps every goroutine; the default dumps only the one that
 * panicked, as Go does. */
static bool traceback_all(void)
{
    const char *level = getenv("GOTRACEBACK");
    return level != NULL &&
           (strcmp(level, "all") == 0 || strcmp(level, "system") == 0 || strcmp(level, "crash") == 0);
}

_Noreturn void go_panic_at(go_site where, const char *format, ...)
{
    /* What the program printed so far must come out before the panic, as it does in Go. */
    fflush(stdout);

    va_list args;
    va_start(args, format);
    fputs("panic: ", stderr);
    vfprintf(stderr, format, args);
    va_end(args);
    fputs("\n\n", stderr);

    go_dump_goroutines(go_current(), where, traceback_all());
    fflush(stderr);

    /* _exit, not exit: a panic is not a clean shutdown, so atexit handlers (and LeakSanitizer's
     * end-of-program check of memory nobody got to free) do not run. */
    _exit(2);
}
