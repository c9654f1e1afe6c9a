/* pprof_stack.c - the calling thread's stack, by its frame pointers; and each goroutine's, saved.
 *
 * With frame pointers (-fno-omit-frame-pointer, which the library is built with), every
 * function's frame begins with two words: the caller's frame pointer, then the return address
 * into the caller. So the frames form a linked list from the current frame pointer up to the
 * thread's first function, and walking it is a few loads per frame: tens of nanoseconds for a
 * whole stack, where a DWARF unwinder (backtrace(3), libunwind) takes microseconds. The catch
 * is that a function built without frame pointers (libc's, or your own built with -O2 alone)
 * keeps its own use of that register, so the walk must check every link it follows: a link
 * must point further up the stack and stay inside the thread's stack, or the walk ends there.
 *
 * The goroutine profile needs the stacks of goroutines that wait, which only they can walk: so
 * each saves its own into its record as it begins to wait (go__save_stack, from the seam in
 * g.h), and the profile copies it from there (go__stack_saved) under a seqlock, which tells a
 * copy torn by the goroutine saving a new stack meanwhile. Those walks end at the goroutine's
 * entry (goroutine.c), as Go's stacks end at goexit.
 */
#define _GNU_SOURCE /* pthread_getattr_np: the bounds of the calling thread's stack */
#include <pthread.h>

#include "pprof_internal.h"

/* The top (highest address) of the calling thread's stack; looked up once per thread. */
static uintptr_t stack_top(void)
{
    static _Thread_local uintptr_t top;
    if (top == 0) {
        pthread_attr_t attr;
        void *base;
        size_t size;
        if (pthread_getattr_np(pthread_self(), &attr) != 0)
            return 0; /* unknown: the walk stops at once */
        if (pthread_attr_getstack(&attr, &base, &size) == 0)
            top = (uintptr_t)base + size;
        pthread_attr_destroy(&attr);
    }
    return top;
}

/* The walk from frame fp: up to max return addresses after dropping `skip`, ending at the top
 * of the stack, at the first frame that breaks the rules above, or after the return address into
 * the frame `entry` (NULL: no such end). Not instrumented by AddressSanitizer: a frame pointer of
 * a function without one may point into another frame's locals, whose redzones are poisoned but
 * harmless to read. */
__attribute__((always_inline, no_sanitize_address)) static inline int
walk(const uintptr_t *fp, const void *entry, uintptr_t *pcs, int max, int skip)
{
    uintptr_t top = stack_top();
    int n = 0;
    while (n < max) {
        uintptr_t link = fp[0], ret = fp[1];
        if (ret == 0)
            break;
        if (skip > 0)
            skip--;
        else
            pcs[n++] = ret;
        /* The next frame is further up (stacks grow down), word-aligned, and on this stack. */
        if (link <= (uintptr_t)fp || link % sizeof(uintptr_t) != 0 ||
            link + 2 * sizeof(uintptr_t) > top || (const void *)link == entry)
            break;
        fp = (const uintptr_t *)link;
    }
    return n;
}

/* Not inlined: its own frame is where the walk starts, and skip counts from its caller. */
__attribute__((noinline, no_sanitize_address)) int go__callers(uintptr_t *pcs, int max, int skip)
{
    return walk(__builtin_frame_address(0), NULL, pcs, max, skip);
}

/* Not inlined, for the same reason. */
__attribute__((noinline, no_sanitize_address)) int go__goroutine_callers(go__g *g, uintptr_t *pcs,
                                                                         int skip)
{
    return walk(__builtin_frame_address(0), g->entry_frame, pcs, GO__G_STACK_DEPTH, skip);
}

/* The writer's half of the seqlock: odd while the stack changes. The stores of the stack are
 * release so that a reader that sees one of them also sees the odd count (go__stack_saved). */
__attribute__((noinline, no_sanitize_address)) void go__save_stack(go__g *g)
{
    uintptr_t pcs[GO__G_STACK_DEPTH];
    /* From the caller of go__transition to the goroutine's entry. */
    int depth = walk(__builtin_frame_address(0), g->entry_frame, pcs, GO__G_STACK_DEPTH, 0);
    unsigned seq = atomic_load_explicit(&g->stack_seq, memory_order_relaxed);
    atomic_store_explicit(&g->stack_seq, seq + 1, memory_order_relaxed);
    for (int i = 0; i < depth; i++)
        atomic_store_explicit(&g->stack_pcs[i], pcs[i], memory_order_release);
    atomic_store_explicit(&g->stack_depth, depth, memory_order_release);
    atomic_store_explicit(&g->stack_seq, seq + 2, memory_order_release);
}

/* The reader's half: a copy made between two equal even counts is whole. Acquire loads, so that
 * no load of the stack moves after the second count; on x86 they are plain loads. (The profile
 * reads inside the list's lock, whose region TSan ignores for synchronisation: runtime.h.) */
int go__stack_saved(go__g *g, uintptr_t *pcs)
{
    unsigned before = atomic_load_explicit(&g->stack_seq, memory_order_acquire);
    if (before % 2 != 0)
        return 0;
    int depth = atomic_load_explicit(&g->stack_depth, memory_order_acquire);
    if (depth < 0 || depth > GO__G_STACK_DEPTH)
        return 0;
    for (int i = 0; i < depth; i++)
        pcs[i] = atomic_load_explicit(&g->stack_pcs[i], memory_order_acquire);
    return atomic_load_explicit(&g->stack_seq, memory_order_relaxed) == before ? depth : 0;
}
