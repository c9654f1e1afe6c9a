/* Exercise leak, solved: ask() closes `answers`, which ends every receive at once, and waits
 * until each waiter has returned, so none is left when main writes the goroutine profile. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/pprof.h"

enum { waiters = 3 };

static void wait_for_answer(void *ch)
{
    int v;
    go_recv(ch, &v); /* returns at the close, with ok false */
}

static void ask(go_chan *answers)
{
    int64_t ids[waiters];
    for (int i = 0; i < waiters; i++)
        ids[i] = go(wait_for_answer, answers);
    /* ... the question is withdrawn: nobody will answer, so say so, and wait for the waiters. */
    go_close(answers);
    for (int i = 0; i < waiters; i++)
        go_goroutine_wait_returned(ids[i]);
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
    go_chan_release(answers);
    return 0;
}
