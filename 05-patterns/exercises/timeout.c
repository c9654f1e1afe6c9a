/* Exercise timeout: stop waiting for an answer that does not come.
 *
 * ask() starts a goroutine that should answer on `answer` but never does (it waits for a
 * request that nobody sends, as a server might that has lost one). main waits for the answer
 * with a plain receive, so it waits for ever, and the runtime ends the program with "fatal
 * error: all goroutines are asleep - deadlock!". Wait at most 50 ms instead: go_select on the
 * answer and on go_after(50 * GO_MILLISECOND), and print "no answer after 50 ms" when the timer
 * wins (release the timer's channel with go_chan_release when done).
 *
 * Test it (chapter 05's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R timeout
 */
#include <inttypes.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/timer.h"

static go_chan *requests; /* nobody ever sends on it */

static void server(void *arg)
{
    go_chan *answer = arg;
    go_int question;
    go_recv(requests, &question); /* waits for ever */
    go_send(answer, go_int, question * 2);
    go_chan_release(answer);
}

int main(void)
{
    requests = go_make_chan(go_int, 0);
    /* Room for one answer: a late answer never blocks the server, nobody must take it. */
    go_chan *answer = go_make_chan(go_int, 1);
    go(server, go_chan_retain(answer));

    go_int v;
    go_recv(answer, &v);
    printf("answer: %" PRId64 "\n", v);
    go_chan_release(answer);
    return 0;
}
