/* private/valgrind.h - the runtime's happens-before edges, described to Valgrind's race checkers
 * (Helgrind and DRD). Private: the macros here may change.
 *
 * Helgrind and DRD see pthread calls, and nothing of futexes or C11 atomics: to them the
 * runtime's own locks, its parking and a buffered channel's lock-free ring order nothing, and
 * every atomic word is a plain variable that threads race on. So the runtime describes itself
 * with Valgrind's client requests, at the same places where ThreadSanitizer sees a release and
 * an acquire:
 *   GO__HAPPENS_BEFORE(addr)   just before the release of the word at addr (an unlock, a
 *                              wake-up, a value let go);
 *   GO__HAPPENS_AFTER(addr)    just after its acquire: whatever preceded every earlier
 *                              GO__HAPPENS_BEFORE(addr) now happens before what follows;
 *   GO__IGNORE_RACES(addr, n)  the n bytes at addr are the runtime's bookkeeping (statuses,
 *                              counts, the synchronising words themselves): never check them.
 * Helgrind's requests serve both tools: DRD honours Helgrind's happens-before and untracked-
 * range requests as its own. They are in the library's inline fast paths too (sync.h), so this
 * header goes wherever the library's headers go: it turns itself on when <valgrind/helgrind.h>
 * (Debian's `valgrind` package) is there to compile against, and otherwise compiles to nothing.
 * Outside Valgrind a request does nothing, but its half-dozen stores cost a channel handoff or
 * an uncontended lock several per cent (bench/chanbench); so each request waits behind one
 * predictable branch on go__on_valgrind, which the library sets before main.
 */
#ifndef GOCURRENT_PRIVATE_VALGRIND_H
#define GOCURRENT_PRIVATE_VALGRIND_H

#if defined(__has_include)
#if __has_include(<valgrind/helgrind.h>)
#define GO__VALGRIND_ENABLED 1
#endif
#endif

#ifdef GO__VALGRIND_ENABLED
#include <stdbool.h>
#include <valgrind/helgrind.h>
#ifdef __cplusplus
extern "C" {
#endif
/* Whether the program runs under Valgrind (os_linux.c). Defined in every build of the library,
 * so that a program compiled with Valgrind's headers links with one built without them. */
extern bool go__on_valgrind;
#ifdef __cplusplus
}
#endif
#define GO__HAPPENS_BEFORE(addr)                  \
    do {                                          \
        if (__builtin_expect(go__on_valgrind, 0)) \
            ANNOTATE_HAPPENS_BEFORE(addr);        \
    } while (0)
#define GO__HAPPENS_AFTER(addr)                   \
    do {                                          \
        if (__builtin_expect(go__on_valgrind, 0)) \
            ANNOTATE_HAPPENS_AFTER(addr);         \
    } while (0)
#define GO__IGNORE_RACES(addr, n)                  \
    do {                                           \
        if (__builtin_expect(go__on_valgrind, 0))  \
            VALGRIND_HG_DISABLE_CHECKING(addr, n); \
    } while (0)
#else
#define GO__HAPPENS_BEFORE(addr) ((void)0)
#define GO__HAPPENS_AFTER(addr) ((void)0)
#define GO__IGNORE_RACES(addr, n) ((void)0)
#endif

/* The name for the edges of an object that may live on a stack (a Mutex, a WaitGroup, a Once):
 * its address plus one. DRD remembers each address annotated until the memory is freed, which
 * a stack never is, and takes a pthread mutex later placed at that address for a misuse; an odd
 * address is never a pthread mutex's. */
#define GO__OBJECT_TAG(addr) ((const char *)(addr) + 1)

#endif
