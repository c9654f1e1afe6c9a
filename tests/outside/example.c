#include <stdio.h>

#include <gocurrent/chan.h>
#include <gocurrent/goroutine.h>

/* go squares(ch): sends 0, 1, 4, 9, 16, then closes ch. */
static void squares(void *arg)
{
    go_chan *ch = arg;
    for (go_int i = 0; i < 5; i++)
        go_send(ch, go_int, i * i);
    go_close(ch);
    go_chan_release(ch);
}

int main(void)
{
    go_chan *ch = go_make_chan(go_int, 0);   // ch := make(chan int)
    go(squares, go_chan_retain(ch));         // go squares(ch)
    go_int v;
    while (go_recv(ch, &v))                  // for v := range ch
        printf("%lld\n", (long long)v);
    go_chan_release(ch);
    return 0;
}
