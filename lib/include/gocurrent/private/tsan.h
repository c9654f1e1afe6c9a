/* private/tsan.h - whether this translation unit is built with ThreadSanitizer, and the mutex
 * annotations the sync fast paths make in the caller's own function. Private: the names and
 * macros here may change; use <gocurrent/sync.h>.
 *
 * Under ThreadSanitizer, go_mutex and go_rwmutex are described to TSan as mutexes (see
 * <sanitizer/tsan_interface.h>): it then reports misuse of them, lock-order inversions included,
 * as it does for pthread mutexes. The lock macros make these calls in the caller's own
 * function, so that TSan's reports name the caller's line, not the library's (with gcc; clang
 * 14 links its TSan runtime without symbols, and its SUMMARY line names the annotation function
 * instead, though the report's stacks show the caller). Without TSan they compile to nothing.
 */
#ifndef GOCURRENT_PRIVATE_TSAN_H
#define GOCURRENT_PRIVATE_TSAN_H

#if defined(__SANITIZE_THREAD__)
#define GO__TSAN_ENABLED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GO__TSAN_ENABLED 1
#endif
#endif

#ifdef GO__TSAN_ENABLED
#include <sanitizer/tsan_interface.h>
#define GO__TSAN_MUTEX(op, ...) __tsan_mutex_##op(__VA_ARGS__)
#define GO__TSAN_READ __tsan_mutex_read_lock
#define GO__TSAN_TRY __tsan_mutex_try_lock
#define GO__TSAN_TRY_FAILED __tsan_mutex_try_lock_failed
#else
#define GO__TSAN_MUTEX(op, ...) ((void)0)
#define GO__TSAN_READ 0u
#define GO__TSAN_TRY 0u
#define GO__TSAN_TRY_FAILED 0u
#endif

#endif
