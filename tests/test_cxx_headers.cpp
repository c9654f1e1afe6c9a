// The public headers from C++: every one compiles as C++ and declares the library's functions
// with C linkage, and the types C++ sees have the layout the library's C code uses. The macros
// built on C's compound literals (go_send, go_select, GO_HERE, ...) are for C only; C++ calls
// the functions under them.
#include <cstdio>

#include "all_headers.h"

static go_wait_group wg = GO_WAIT_GROUP_INIT;
static go_once once = GO_ONCE_INIT;
static int inits;

static void init(void *)
{
    inits++;
}

static void sender(void *arg)
{
    go_chan *ch = static_cast<go_chan *>(arg);
    const go_site here = {__func__, __FILE__, __LINE__};
    go_once_do(&once, init, nullptr);
    for (go_int i = 1; i <= 3; i++)
        go_chan_send(ch, &i, sizeof i, here);
    go_chan_close(ch, here);
    go_chan_release(ch);
    go_wait_group_add(&wg, -1, here);
}

int main()
{
    const go_site here = {__func__, __FILE__, __LINE__};
    go_chan *ch = go_chan_make(sizeof(go_int), 0);
    go_wait_group_add(&wg, 1, here);
    go_start(sender, go_chan_retain(ch), "sender", here);
    go_once_do(&once, init, nullptr);
    go_int sum = 0, v;
    while (go_chan_recv(ch, &v, sizeof v, here))
        sum += v;
    go_wait_group_wait(&wg, here);
    go_chan_release(ch);
    std::printf("sum %lld, init ran %d time(s)\n", static_cast<long long>(sum), inits);
    return sum == 6 && inits == 1 ? 0 : 1;
}
