/* allg.h - every goroutine record, and goroutine dumps.
 *
 * Records are never freed (Go's are not either): a dead one is reused by the next goroutine
 * (except under ThreadSanitizer: allg.c).
 * So the list only grows, at its head, and a reader can walk it without the lock and never
 * touch freed memory; that is what lets a dying program dump its goroutines whatever locks it
 * holds.
 */
#ifndef GOCURRENT_ALLG_H
#define GOCURRENT_ALLG_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "g.h"

/* A record for a new goroutine: a dead one to reuse, or a new one (IDLE) on the list. Its
 * fields other than status and the list links are cleared. NULL if out of memory: the caller
 * dies, since a fatal error here would dump the list it is changing. */
go__g *go__allg_new(void);
/* Puts a record that is not allocated (goroutine 1's, static) on the list. */
void go__allg_add_static(go__g *g);
/* Puts a dead goroutine's record up for reuse. Its thread must not touch it again. */
void go__allg_free(go__g *g);

/* Calls fn(g, arg) for every living goroutine, with the list's lock held (and hidden from
 * ThreadSanitizer, runtime.h): no goroutine starts or ends its record's reuse meanwhile, but
 * statuses go on changing. fn must not take the list's lock (start or end a goroutine). */
void go__allg_each_live(void (*fn)(go__g *g, void *arg), void *arg);

/* Whether every thread id of tids[0..count) is a living goroutine's thread. */
bool go__allg_all_goroutines(const pid_t *tids, size_t count);

/* Calls visit(g, arg) for every living goroutine, in no particular order, with the list's lock
 * held: visit must not start or end a goroutine, nor block. For the goroutine profile. */
void go__allg_each(void (*visit)(go__g *g, void *arg), void *arg);

/* Writes goroutine dumps to stderr as Go's traceback does: `self` (if not NULL) first, shown
 * running at `where`; then, if `all`, every other living goroutine in order of id. Callable
 * from any state: if the list's lock cannot be had at once (the caller may hold it), it walks
 * the list without it, as Go's traceback of a crashing program does. Not async-signal-safe
 * (stdio). */
void go__dump_goroutines(go__g *self, go_site where, bool all);
/* The same onto `out` (the goroutine profile's debug=2 form). */
void go__dump_goroutines_to(FILE *out, go__g *self, go_site where, bool all);

#endif
