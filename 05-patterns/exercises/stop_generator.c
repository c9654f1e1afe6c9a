/* Exercise stop-generator: stop a generator you no longer need.
 *
 * count() starts a goroutine that sends 1, 2, 3, ... for ever. main takes three values and
 * stops listening: the goroutine then waits for ever to send 4, a leak. main's last line says
 * so ("blocked [chan send]"), and so does the leak report the test turns on
 * (GOCURRENT_LEAK_REPORT=1). Give count() a done
 * channel: the goroutine selects between sending the next value and a receive from done
 * (go_select with GO_SEND and GO_RECV_DROP), and returns once done is closed. main closes
 * done when it has its three values, and waits for the goroutine with the WaitGroup.
 *
 * Test it (chapter 05's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R stop-generator
 */
#include <inttypes.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

static go_wait_group generators = GO_WAIT_GROUP_INIT;
static int64_t generator; /* the generator goroutine's id, for main's last look */

static void count_forever(void *arg)
{
    go_chan *out = arg;
    for (go_int v = 1;; v++)
        go_send(out, go_int, v);
    go_chan_release(out); /* never reached */
    go_wg_done(&generators);
}

/* Returns a channel on which a new goroutine sends 1, 2, 3, ... */
static go_chan *count(void)
{
    go_chan *out = go_make_chan(go_int, 0);
    go_wg_add(&generators, 1);
    generator = go(count_forever, go_chan_retain(out));
    return out;
}

int main(void)
{
    go_chan *numbers = count();
    printf("took");
    for (int i = 0; i < 3; i++) {
        go_int v;
        go_recv(numbers, &v);
        printf(" %" PRId64, v);
    }
    printf("\n");
    go_chan_release(numbers);
    /* Waits until the generator has stopped running, and says how it stopped: returned (NULL),
     * or blocked, and on what. */
    const char *state = go_goroutine_settle(generator);
    if (state == NULL)
        printf("the generator: returned\n");
    else
        printf("the generator: blocked [%s]\n", state);
    return 0;
}
