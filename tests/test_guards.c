/* The runtime's guards, each proved by opening the window it closes.
 *
 * A guard is code that handles a race: it matters only when another goroutine acts at one
 * precise moment, which a test cannot arrange by running goroutines and hoping. Builds with the
 * runtime's checks (debug and sanitizer builds: src/checks.h) call a test-only hook inside each
 * such window, and the test acts there, deterministically, on the selecting thread itself.
 * Each test fails if its guard is removed. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "gocurrent/chan.h"

/* Present only in a library built with checks (a weak reference: NULL otherwise). */
extern void (*go__test_hook)(const char *window, size_t step) __attribute__((weak));

static bool hooks_available(void)
{
    if (&go__test_hook != NULL)
        return true;
    printf("skipped: the library was built without its checks (the debug and sanitizer builds "
           "have them)\n");
    return false;
}

/* ---- select with default: the second look ----
 *
 * A select with a default may return the default only if, at some instant, no case could
 * proceed. It looks at each channel in turn without locking; a token that moves from the
 * channel not yet looked at to the one already looked at would make every case look empty,
 * though one of them held the token all along. The second look, which must find every channel
 * unchanged, closes that window. Here the token moves inside it. */
static go_chan *first, *second;

static void move_token_between_looks(const char *window, size_t step)
{
    if (strcmp(window, "select: between looks") != 0 || step != 0)
        return;
    go__test_hook = NULL; /* once */
    go_send(first, int, 1); /* the first channel, already looked at, gets the token... */
    go_recv_drop(second);   /* ...before the second, not yet looked at, gives it up */
}

static void test_select_default_second_look(void)
{
    if (!hooks_available())
        return;
    first = go_make_chan(int, 1);
    second = go_make_chan(int, 1);
    go_send(second, int, 1);
    go__test_hook = move_token_between_looks;
    int chosen = go_select(GO_RECV_DROP(first), GO_RECV_DROP(second), GO_DEFAULT);
    CHECK_EQ(chosen, 0); /* the token was in one channel or the other at every instant */
    go_chan_release(first);
    go_chan_release(second);
}

static const check_case cases[] = {
    CHECK_CASE(test_select_default_second_look),
};
CHECK_MAIN(cases)
