/* Exercise 2 of chapter 03: a send that never waits.
 *
 * Task: write try_send(ch, v): send v on ch if that can happen at once, and return true;
 * otherwise send nothing and return false, without waiting. Use go_select with a GO_SEND case
 * and GO_DEFAULT (Go: select { case ch <- v: return true; default: return false }).
 * Then run `GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R 03-channels/try-send`.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "gocurrent/chan.h"

static bool try_send(go_chan *ch, go_int v)
{
    (void)ch;
    (void)v;
    return false; /* TODO */
}

/* ---- The check: leave it as it is ---------------------------------------------------------- */

static bool expect(const char *what, bool got, bool want)
{
    printf("%s: %s: try_send returned %s\n", got == want ? "ok" : "WRONG", what,
           got ? "true" : "false");
    return got == want;
}

int main(void)
{
    go_chan *buffered = go_make_chan(go_int, 1);
    bool ok = expect("room in the buffer", try_send(buffered, 42), true);
    ok = expect("buffer full", try_send(buffered, 43), false) && ok;
    go_int v = 0;
    go_select(GO_RECV(buffered, &v, NULL), GO_DEFAULT);
    printf("%s: received %" PRId64 ", want 42\n", v == 42 ? "ok" : "WRONG", v);
    ok = ok && v == 42;

    go_chan *unbuffered = go_make_chan(go_int, 0);
    ok = expect("unbuffered, no receiver", try_send(unbuffered, 1), false) && ok;
    ok = expect("nil channel", try_send(NULL, 1), false) && ok;
    go_chan_release(buffered);
    go_chan_release(unbuffered);
    return ok ? 0 : 1;
}
