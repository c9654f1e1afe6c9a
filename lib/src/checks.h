/* checks.h - the runtime's own consistency checks, and how the runtime dies of a broken one.
 *
 * Where Go's runtime throws (a corrupted wait queue, a goroutine readied twice, a select woken
 * with no case fired), this runtime checks the same invariants with GO__CHECK. The checks are
 * on in debug builds and in the sanitizer presets (GOCURRENT_CHECKS, set by the build) and
 * compile to nothing otherwise; either way the compiler sees the condition, so it stays valid.
 */
#ifndef GOCURRENT_CHECKS_H
#define GOCURRENT_CHECKS_H

#include <stddef.h>

#include "gocurrent/panic.h"

#ifdef GOCURRENT_CHECKS
#define GO__CHECKS 1
#else
#define GO__CHECKS 0
#endif

/* Go's throw: "fatal error: <message>" and every goroutine's dump, exit status 2 (panic.c).
 * Safe to call with any of the runtime's locks held: the dump takes none it cannot do without. */
_Noreturn void go__throw(const char *message, go_site where);

/* If checks are on and cond is false, throws "runtime: <message>" at the check's line. */
#define GO__CHECK(cond, message)                       \
    do {                                               \
        if (GO__CHECKS && !(cond))                     \
            go__throw("runtime: " message, GO_HERE);   \
    } while (0)

/* A test-only hook: where the runtime has a window that a guard closes (select's two looks at
 * its channels), builds with checks call go__test_hook, if a test set it, so that the test can
 * act inside the window and prove the guard works (tests/test_guards.c). Nothing otherwise. */
#ifdef GOCURRENT_CHECKS
extern void (*go__test_hook)(const char *window, size_t step);
#define GO__TEST_HOOK(window, step)          \
    do {                                     \
        if (go__test_hook != NULL)           \
            go__test_hook((window), (step)); \
    } while (0)
#else
#define GO__TEST_HOOK(window, step) ((void)0)
#endif

#endif
