/* Exercise 1 of chapter 03: end a range loop.
 *
 * Task: count() sends 1 to 100 on ch, and main adds up what `for v := range ch` receives. As it
 * stands the loop never ends: after 100 it waits for a value that never comes, and the runtime
 * reports a deadlock. Make the loop end so that main prints 5050. Who should close ch, and when?
 * Then run `GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R 03-channels/sum`.
 */
#include <inttypes.h>
#include <stdio.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"

static void count(void *arg)
{
    go_chan *ch = arg;
    for (go_int i = 1; i <= 100; i++)
        go_send(ch, go_int, i);
    /* TODO */
    go_chan_release(ch);
}

int main(void)
{
    go_chan *ch = go_make_chan(go_int, 0);
    go(count, go_chan_retain(ch));

    go_int sum = 0, v;
    while (go_recv(ch, &v)) /* for v := range ch */
        sum += v;
    printf("%" PRId64 "\n", sum);
    go_chan_release(ch);
    return sum == 5050 ? 0 : 1;
}
