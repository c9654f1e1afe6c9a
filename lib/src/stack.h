/* stack.h - goroutine stacks: their size, and "fatal error: stack overflow" instead of SIGSEGV.
 *
 * Each goroutine's thread gets a stack of go_set_max_stack's size (1 MiB unless changed) with a
 * guard region below it. A goroutine that runs into the guard faults; a SIGSEGV handler, running
 * on a small alternate stack of the thread's own (the overflowed one has no room left), sees
 * that the fault is in its guard and dies as Go does:
 *
 *     runtime: goroutine stack exceeds 1048576-byte limit
 *     fatal error: stack overflow
 *
 * Any other fault is left to the default action. Under a sanitizer, or when the program has its
 * own SIGSEGV handler, the runtime does not watch at all: the sanitizer reports overflows itself. Printing from a signal handler is not async-signal-safe; the process is
 * dying anyway, and Go prints its report from the handler too.
 */
#ifndef GOCURRENT_STACK_H
#define GOCURRENT_STACK_H

#include <pthread.h>

/* The stack size new goroutines get (go_set_max_stack's). */
size_t go__stack_size(void);
/* Sets a new goroutine thread's stack size and guard in attr. */
void go__stack_attr(pthread_attr_t *attr);
/* On a goroutine's thread as it starts: notes where its guard is and gives the thread its
 * alternate signal stack. */
void go__stack_enter(void);
/* Installs the SIGSEGV handler, unless the program has one or a sanitizer runs. Once, at start
 * (before any goroutine's thread starts). */
void go__stack_watch_overflows(void);

#endif
