/* Exercise 3 of chapter 03: receive from two channels until both are closed.
 *
 * Task: main receives from a (1, 2, 3) and b (10, 20) with one select and must add up all five
 * values, 36. As it stands the loop stops at the first close, and a closes first, so b's values
 * are lost. When a channel is closed, set its variable to NULL: a nil channel's case is never
 * ready, so the select keeps serving the other one. Stop when both are NULL.
 * Then run `GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R 03-channels/merge`.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"

typedef struct senders {
    go_chan *a, *b;
} senders;

/* Sends 1, 2, 3 on a and closes it; then, and only then, 10 and 20 on b. */
static void send_all(void *arg)
{
    senders s = *(senders *)arg; /* main's copy may be gone once main returns */
    for (go_int i = 1; i <= 3; i++)
        go_send(s.a, go_int, i);
    go_close(s.a);
    go_send(s.b, go_int, 10);
    go_send(s.b, go_int, 20);
    go_close(s.b);
    go_chan_release(s.a);
    go_chan_release(s.b);
}

int main(void)
{
    go_chan *a = go_make_chan(go_int, 0), *b = go_make_chan(go_int, 0);
    senders s = {go_chan_retain(a), go_chan_retain(b)};
    go(send_all, &s);

    go_chan *keep_a = a, *keep_b = b; /* for the releases at the end */
    go_int sum = 0, v;
    bool ok;
    while (a != NULL || b != NULL) {
        switch (go_select(GO_RECV(a, &v, &ok), GO_RECV(b, &v, &ok))) {
        case 0:
            if (!ok)
                goto done; /* TODO: a is closed: switch its case off instead */
            sum += v;
            break;
        case 1:
            if (!ok)
                goto done; /* TODO: b is closed: switch its case off instead */
            sum += v;
            break;
        }
    }
done:
    printf("sum = %" PRId64 ", want 36\n", sum);
    go_chan_release(keep_a);
    go_chan_release(keep_b);
    return sum == 36 ? 0 : 1;
}
