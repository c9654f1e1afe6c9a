/* Exercise leak: find a goroutine leak with the goroutine profile, and fix it.
 *
 * ask() starts three goroutines that each wait for an answer on `answers`, and nobody ever sends
 * one or closes the channel: when main writes the goroutine profile, it counts the three still
 * parked beside main. Fix ask() so that the waiters end before it returns: close `answers` once
 * the question is withdrawn, and wait until the three have returned (go() returns each one's
 * id, and go_goroutine_wait_returned(id) waits for it; a WaitGroup's Wait can return while a
 * goroutine that called Done is still on its way out, in Go too). The profile's first line must
 * then say `goroutine profile: total 1`.
 *
 * Test it (chapter 07's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R leak
 */
#include <stdio.h>
#include <string.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/pprof.h"

enum { waiters = 3 };

static void wait_for_answer(void *ch)
{
    int v;
    go_recv(ch, &v);
}

static void ask(go_chan *answers)
{
    for (int i = 0; i < waiters; i++)
        go(wait_for_answer, answers);
    /* ... the question is withdrawn: nobody will answer. */
}

int main(void)
{
    go_chan *answers = go_make_chan(int, 0);
    ask(answers);

    /* The profile's first line, as `curl .../debug/pprof/goroutine?debug=1 | head -n 1`. */
    go_buffer profile = GO_BUFFER_INIT;
    go_profile_write("goroutine", go_buffer_writer(&profile), 1);
    const char *text = go_buffer_string(&profile);
    printf("%.*s\n", (int)strcspn(text, "\n"), text);
    go_buffer_free(&profile);
    return 0;
}
