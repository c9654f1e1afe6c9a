/* map.c - the id table and the interned names (map.h). */
#include "map.h"

#include <stdlib.h>
#include <string.h>

static size_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

static size_t find(const gt_idmap *m, uint64_t key)
{
    size_t mask = m->cap - 1, i = mix(key) & mask;
    while (m->values[i] != NULL && m->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

void *gt_idmap_get(const gt_idmap *m, uint64_t key)
{
    return m->cap ? m->values[find(m, key)] : NULL;
}

void gt_idmap_put(gt_idmap *m, uint64_t key, void *value)
{
    if (2 * (m->len + 1) > m->cap) { /* at most half full: short probes */
        gt_idmap old = *m;
        m->cap = old.cap ? 2 * old.cap : 64;
        m->keys = calloc(m->cap, sizeof *m->keys);
        m->values = calloc(m->cap, sizeof *m->values);
        m->len = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.values[i] != NULL)
                gt_idmap_put(m, old.keys[i], old.values[i]);
        free(old.keys);
        free(old.values);
    }
    size_t i = find(m, key);
    if (m->values[i] == NULL)
        m->len++;
    m->keys[i] = key;
    m->values[i] = value;
}

void *gt_idmap_remove(gt_idmap *m, uint64_t key)
{
    if (m->cap == 0)
        return NULL;
    size_t mask = m->cap - 1, i = find(m, key);
    void *value = m->values[i];
    if (value == NULL)
        return NULL;
    m->values[i] = NULL;
    m->len--;
    /* Backward-shift deletion: move up later entries of the probe run that the hole would
     * otherwise hide from their home slot, so no tombstones accumulate. */
    for (size_t j = (i + 1) & mask; m->values[j] != NULL; j = (j + 1) & mask) {
        size_t home = mix(m->keys[j]) & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->keys[i] = m->keys[j];
            m->values[i] = m->values[j];
            m->values[j] = NULL;
            i = j;
        }
    }
    return value;
}

void gt_idmap_each(const gt_idmap *m, void (*visit)(uint64_t key, void *value, void *arg), void *arg)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->values[i] != NULL)
            visit(m->keys[i], m->values[i], arg);
}

void gt_idmap_free(gt_idmap *m)
{
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}

static size_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)h;
}

size_t gt_names_intern(gt_names *t, const char *name, size_t n)
{
    if (2 * (t->len + 1) > t->nslots) {
        free(t->slots);
        t->nslots = t->nslots ? 2 * t->nslots : 64;
        t->slots = calloc(t->nslots, sizeof *t->slots);
        for (size_t k = 0; k < t->len; k++) {
            size_t i = hash_bytes(t->names[k], t->lens[k]) & (t->nslots - 1);
            while (t->slots[i] != 0)
                i = (i + 1) & (t->nslots - 1);
            t->slots[i] = (uint32_t)k + 1;
        }
    }
    size_t i = hash_bytes(name, n) & (t->nslots - 1);
    for (; t->slots[i] != 0; i = (i + 1) & (t->nslots - 1)) {
        size_t k = t->slots[i] - 1;
        if (t->lens[k] == n && memcmp(t->names[k], name, n) == 0)
            return k;
    }
    if (t->len == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->names = realloc(t->names, t->cap * sizeof *t->names);
        t->lens = realloc(t->lens, t->cap * sizeof *t->lens);
        t->records = realloc(t->records, t->cap * sizeof *t->records);
    }
    size_t k = t->len++;
    t->names[k] = malloc(n + 1);
    memcpy(t->names[k], name, n);
    t->names[k][n] = '\0';
    t->lens[k] = (uint32_t)n;
    t->records[k] = calloc(1, t->size ? t->size : 1);
    t->slots[i] = (uint32_t)k + 1;
    return k;
}

/* qsort has no argument for its comparison (qsort_r is not C17): the table being sorted. */
static const gt_names *sorting;

static int by_name(const void *x, const void *y)
{
    return strcmp(sorting->names[*(const size_t *)x], sorting->names[*(const size_t *)y]);
}

size_t *gt_names_sorted(const gt_names *t)
{
    size_t *order = malloc((t->len + 1) * sizeof *order);
    for (size_t k = 0; k < t->len; k++)
        order[k] = k;
    sorting = t;
    qsort(order, t->len, sizeof *order, by_name);
    return order;
}

void gt_names_free(gt_names *t)
{
    for (size_t k = 0; k < t->len; k++) {
        free(t->names[k]);
        free(t->records[k]);
    }
    free(t->names);
    free(t->lens);
    free(t->records);
    free(t->slots);
    memset(t, 0, sizeof *t);
}
