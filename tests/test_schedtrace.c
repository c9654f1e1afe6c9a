/* test_schedtrace - GOCURRENT_SCHEDTRACE's report (lib/src/schedtrace.h), for a program whose
 * goroutines are known: three goroutines waiting on a channel and goroutine 1, asleep (or, if
 * a line is printed just as it wakes to look at the report, running). Every line printed once
 * they are all in place must say goroutines=4 runnable=0 syscall=0 and running=0 waiting=4 (or
 * running=1 waiting=3); lines before then need only the shape.
 *
 * The test sets the variable itself before anything starts the runtime, and sends stderr, where
 * the report goes, to a file it reads back. It waits for three lines after the goroutines are in
 * place, however long a loaded machine takes to print them. Prints the lines; exits 1 if one is
 * wrong. */
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"

/* How many lines the file at fd has past offset `from`. */
static int lines_after(int fd, off_t from)
{
    char chunk[4096];
    ssize_t n;
    int lines = 0;
    while ((n = pread(fd, chunk, sizeof chunk, from)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            lines += chunk[i] == '\n';
        from += n;
    }
    return lines;
}

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
    off_t in_place = lseek(fd, 0, SEEK_CUR); /* the report's lines from here on are exact */
    for (int tries = 0; tries < 600 && lines_after(fd, in_place) < 3; tries++)
        go_sleep(100 * GO_MILLISECOND);
    go_close(ch);
    for (int i = 0; i < 3; i++)
        go_goroutine_wait_returned(ids[i]);
    go_chan_release(ch);

    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    FILE *report = fopen(path, "r");
    unlink(path);
    regex_t shape, exact;
    regcomp(&shape,
            "^SCHED [0-9]+ms: gomaxprocs=[1-9][0-9]* idleprocs=[0-9]+ threads=[0-9]+ goroutines=[0-9]+ "
            "running=[0-9]+ runnable=[0-9]+ syscall=[0-9]+ waiting=[0-9]+ cpu=[0-9]+\\.[0-9][0-9]\n$",
            REG_EXTENDED | REG_NOSUB);
    regcomp(&exact,
            " goroutines=4 running=(0 runnable=0 syscall=0 waiting=4|1 runnable=0 syscall=0 waiting=3) ",
            REG_EXTENDED | REG_NOSUB);
    char text[512];
    int exact_lines = 0, wrong = 0;
    while (fgets(text, sizeof text, report) != NULL) {
        bool after = ftell(report) > in_place;
        bool ok = regexec(&shape, text, 0, NULL, 0) == 0 &&
                  (!after || regexec(&exact, text, 0, NULL, 0) == 0);
        printf("%s %s", ok ? "ok   " : "WRONG", text);
        exact_lines += after && ok;
        wrong += !ok;
    }
    fclose(report);
    regfree(&shape);
    regfree(&exact);
    printf("%d lines after the goroutines were in place, %d wrong\n", exact_lines, wrong);
    return wrong == 0 && exact_lines >= 3 ? 0 : 1;
}
