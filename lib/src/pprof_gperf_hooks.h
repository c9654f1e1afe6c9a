/* pprof_gperf_hooks.h - how the core reaches the optional gperftools part (pprof_gperf.c)
 * without depending on it. Not installed.
 *
 * The harness (demo.c, in the core) and the HTTP server (pprof_http.c, its own target) offer the
 * CPU and heap profiles only when the program links `gocurrent-gperf`. They see that part
 * through one weak symbol: go__gperf_hooks is defined in pprof_gperf.c and nowhere else, so its
 * address is NULL in a program without it, and the core links neither libprofiler nor tcmalloc.
 *
 * Why a weak symbol rather than a registration function that the gperf part calls from a
 * constructor: nothing would have to run before main, there is no mutable global to order
 * against the first use, and the question "is it linked?" is answered by the linker itself.
 * Either way the part's object must be in the program, though nothing in the core names it:
 * gocurrent-gperf asks every program that links it to treat go__gperf_hooks as undefined
 * (-Wl,--undefined, in its CMake target and its pkg-config file), which pulls the object out of
 * the archive.
 */
#ifndef GOCURRENT_PPROF_GPERF_HOOKS_H
#define GOCURRENT_PPROF_GPERF_HOOKS_H

#include "gocurrent/pprof_gperf.h"

typedef struct go__gperf_hooks_t {
    const char *(*cpu_start)(const char *path);
    void (*cpu_stop)(void);
    const char *(*heap_start)(const char *prefix);
    bool (*heap_write)(go_writer w);
    void (*heap_stop)(void);
} go__gperf_hooks_t;

/* The gperftools part, or NULL (&go__gperf_hooks == NULL) when the program does not link it. */
extern const go__gperf_hooks_t go__gperf_hooks __attribute__((weak));

#endif
