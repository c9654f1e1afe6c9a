/* map.h - the two tables the analyses need: goroutine or task id -> record (live ones only,
 * so removal matters), and interned names (start functions, task and region names, sites),
 * which are few however long the trace. */
#ifndef GOTRACE_MAP_H
#define GOTRACE_MAP_H

#include <stddef.h>
#include <stdint.h>

/* An id -> pointer table (open addressing, linear probing). Values are the caller's. */
typedef struct gt_idmap {
    uint64_t *keys;
    void **values; /* NULL: empty slot */
    size_t cap, len;
} gt_idmap;

void *gt_idmap_get(const gt_idmap *m, uint64_t key);
void gt_idmap_put(gt_idmap *m, uint64_t key, void *value); /* value != NULL; replaces */
void *gt_idmap_remove(gt_idmap *m, uint64_t key);          /* the value removed, or NULL */
/* Visits every entry (in no order); the visitor must not change the map. */
void gt_idmap_each(const gt_idmap *m, void (*visit)(uint64_t key, void *value, void *arg), void *arg);
void gt_idmap_free(gt_idmap *m);

/* Interned byte strings, numbered from 0 in order of first sight, each with a record of
 * `size` zeroed bytes for the caller. */
typedef struct gt_names {
    size_t size;   /* bytes of each record */
    char **names;  /* NUL-terminated copies, by number */
    uint32_t *lens;
    void **records;
    size_t len, cap;
    uint32_t *slots; /* hash table of numbers + 1; 0: empty */
    size_t nslots;
} gt_names;

/* The number of name (n bytes), added with a zeroed record if new. */
size_t gt_names_intern(gt_names *t, const char *name, size_t n);
/* The numbers of all names, sorted by name (for output in a stable order); free() it. */
size_t *gt_names_sorted(const gt_names *t);
void gt_names_free(gt_names *t);

#endif
