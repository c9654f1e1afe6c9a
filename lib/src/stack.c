/* stack.c - goroutine stack sizes and overflow reports (stack.h). */
#define _GNU_SOURCE /* pthread_getattr_np */
#include "stack.h"

#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "gocurrent/goroutine.h"
#include "runtime.h"

/* 1 MiB: goroutines are many and C stack frames small. A pthread's default, 8 MiB, reserves so
 * much address space that under `ulimit -v 4000000` fewer than 500 goroutines start; with 1 MiB
 * about 3,900 do, and pid_max (32,768 here) caps them before address space does on 64 bits. */
enum { default_stack = 1 << 20, guard_size = 64 << 10 };
static atomic_size_t max_stack = default_stack;

size_t go_set_max_stack(size_t bytes)
{
    if (bytes < (size_t)PTHREAD_STACK_MIN)
        bytes = PTHREAD_STACK_MIN;
    return atomic_exchange(&max_stack, bytes);
}

size_t go__stack_size(void)
{
    return atomic_load(&max_stack);
}

void go__stack_attr(pthread_attr_t *attr)
{
    pthread_attr_setstacksize(attr, atomic_load(&max_stack));
    /* A guard larger than the default page, so that a function with a frame of up to 64 KiB
     * that overflows still lands in it rather than past it. */
    pthread_attr_setguardsize(attr, guard_size);
}

/* This thread's guard region, [guard_lo, guard_hi), and its stack's size; 0 for threads whose
 * stack is not a goroutine's. */
static _Thread_local uintptr_t guard_lo, guard_hi;
static _Thread_local size_t stack_bytes;
/* The alternate stack the handler runs on: part of the thread's own memory (static TLS sits at
 * the top of its stack mapping, far from the guard), so it needs no allocation or freeing. Big
 * enough for the handler's printing. */
static _Thread_local _Alignas(16) unsigned char signal_stack[32 << 10];

/* Whether the runtime watches for overflows: not under a sanitizer, whose own SIGSEGV handler
 * reports them (ASan and TSan: "stack-overflow") and which manages threads' alternate stacks
 * itself (ASan unmaps a thread's alternate stack when the thread ends). The sanitizers' runtimes
 * are weak references: present only in a sanitized process, however the library was built. */
extern void __asan_init(void) __attribute__((weak));
extern void __tsan_init(void) __attribute__((weak));
static atomic_bool watching;

void go__stack_enter(void)
{
    if (!atomic_load_explicit(&watching, memory_order_relaxed))
        return;
    pthread_attr_t attr;
    void *lo;
    size_t size, guard;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    if (pthread_attr_getstack(&attr, &lo, &size) == 0 && pthread_attr_getguardsize(&attr, &guard) == 0) {
        /* glibc puts the guard at the low end of the mapping, below the usable stack. */
        guard_lo = (uintptr_t)lo - guard;
        guard_hi = (uintptr_t)lo;
        stack_bytes = size;
    }
    pthread_attr_destroy(&attr);
    stack_t alt = {.ss_sp = signal_stack, .ss_size = sizeof signal_stack};
    sigaltstack(&alt, NULL);
}

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)context;
    uintptr_t at = (uintptr_t)info->si_addr;
    /* A fault just below the stack counts too: a large frame may skip part of the guard. */
    if (guard_hi != 0 && at >= guard_lo - guard_size && at < guard_hi) {
        fprintf(stderr, "runtime: goroutine stack exceeds %zu-byte limit\n", stack_bytes);
        go__die("fatal error: ", go__current_if_any(), (go_site){NULL, NULL, 0}, true, "%s",
                "stack overflow");
    }
    /* Not ours: the default action, when the faulting instruction runs again. */
    signal(sig, SIG_DFL);
}

void go__stack_watch_overflows(void)
{
    if (__asan_init != NULL || __tsan_init != NULL)
        return;
    struct sigaction current;
    if (sigaction(SIGSEGV, NULL, &current) != 0 || current.sa_handler != SIG_DFL ||
        (current.sa_flags & SA_SIGINFO))
        return;
    struct sigaction watch = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigemptyset(&watch.sa_mask);
    if (sigaction(SIGSEGV, &watch, NULL) == 0)
        atomic_store(&watching, true);
}
