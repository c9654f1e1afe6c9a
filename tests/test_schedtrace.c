/* test_schedtrace - GOCURRENT_SCHEDTRACE's report (lib/src/schedtrace.h), for a program whose
 * goroutines are known: goroutine 1 sleeping and three goroutines waiting on a channel, so every
 * line after the first period must say goroutines=4 running=0 runnable=0 syscall=0 waiting=4.
 *
 * The test sets the variable itself before anything starts the runtime, and sends stderr, where
 * the report goes, to a file it reads back. Prints the lines; exits 1 if one is wrong. */
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"

static void wait_for_close(void *ch)
{
    int v;
    go_recv((go_chan *)ch, &v);
}

int main(void)
{
    setenv("GOCURRENT_SCHEDTRACE", "100", 1);
    char path[] = "/tmp/test_schedtrace-XXXXXX";
    int fd = mkstemp(path);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);

    go_chan *ch = go_make_chan(int, 0);
    int64_t ids[3];
    for (int i = 0; i < 3; i++)
        ids[i] = go(wait_for_close, ch);
    for (int i = 0; i < 3; i++)
        go_goroutine_settle(ids[i]);
    go_sleep(550 * GO_MILLISECOND);
    go_close(ch);
    for (int i = 0; i < 3; i++)
        go_goroutine_wait_returned(ids[i]);
    go_chan_release(ch);

    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    FILE *report = fopen(path, "r");
    unlink(path);
    regex_t line;
    regcomp(&line,
            "^SCHED [0-9]+ms: gomaxprocs=[1-9][0-9]* idleprocs=[0-9]+ threads=[0-9]+ goroutines=4 "
            "running=0 runnable=0 syscall=0 waiting=4 cpu=[0-9]+\\.[0-9][0-9]\n$",
            REG_EXTENDED);
    char text[512];
    int lines = 0, wrong = 0;
    while (fgets(text, sizeof text, report) != NULL) {
        bool ok = regexec(&line, text, 0, NULL, 0) == 0;
        printf("%s %s", ok ? "ok   " : "WRONG", text);
        lines++;
        wrong += !ok;
    }
    fclose(report);
    regfree(&line);
    /* 550 ms at a 100 ms period: 5 lines, give or take one to a late tick. */
    printf("%d lines, %d wrong\n", lines, wrong);
    return wrong == 0 && lines >= 4 && lines <= 6 ? 0 : 1;
}
