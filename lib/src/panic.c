/* panic.c - Go-style panics: message, goroutine dump, exit status 2. */
#include "gocurrent/panic.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

_Noreturn void go_panic_at(go_site where, const char *format, ...)
{
    /* What the program printed so far must come out before the panic, as it does in Go. */
    fflush(stdout);

    va_list args;
    va_start(args, format);
    fputs("panic: ", stderr);
    vfprintf(stderr, format, args);
    va_end(args);

    /* Go lists the panicking goroutine first, with the function and line that panicked. */
    fprintf(stderr, "\n\ngoroutine 1 [running]:\n%s()\n\t%s:%d\n", where.func, where.file, where.line);
    fflush(stderr);

    /* _exit, not exit: a panic is not a clean shutdown, so atexit handlers (and LeakSanitizer's
     * end-of-program check of memory nobody got to free) do not run. */
    _exit(2);
}
