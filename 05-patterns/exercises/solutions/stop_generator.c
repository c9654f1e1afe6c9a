/* Solution of the exercise stop-generator: a done channel that main closes.
 *
 * Test it (chapter 05's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R stop-generator
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "gocurrent/builtin.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

static go_wait_group generators = GO_WAIT_GROUP_INIT;
static int64_t generator; /* the generator goroutine's id, for main's last look */

typedef struct count_args {
    go_chan *out, *done;
} count_args;

static void count_until_done(void *arg)
{
    count_args a = *(count_args *)arg;
    free(arg);
    for (go_int v = 1;; v++)
        if (go_select(GO_SEND(a.out, &v), GO_RECV_DROP(a.done)) == 1)
            break; /* done is closed */
    go_chan_release(a.out);
    go_chan_release(a.done);
    go_wg_done(&generators);
}

/* Returns a channel on which a new goroutine sends 1, 2, 3, ... until done is closed. */
static go_chan *count(go_chan *done)
{
    go_chan *out = go_make_chan(go_int, 0);
    count_args *a = malloc(sizeof *a);
    if (a == NULL)
        return NULL;
    *a = (count_args){go_chan_retain(out), go_chan_retain(done)};
    go_wg_add(&generators, 1);
    generator = go(count_until_done, a);
    return out;
}

int main(void)
{
    go_chan *done = go_chan_make(0, 0);
    go_chan *numbers = count(done);
    printf("took");
    for (int i = 0; i < 3; i++) {
        go_int v;
        go_recv(numbers, &v);
        printf(" %" PRId64, v);
    }
    printf("\n");
    go_close(done);            /* stop listening, and say so */
    go_wg_wait(&generators);   /* the generator has returned */
    go_chan_release(numbers);
    go_chan_release(done);
    /* Waits until the generator has stopped running, and says how it stopped: returned (NULL),
     * or blocked, and on what. */
    const char *state = go_goroutine_settle(generator);
    if (state == NULL)
        printf("the generator: returned\n");
    else
        printf("the generator: blocked [%s]\n", state);
    return 0;
}
