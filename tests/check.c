/* check.c - assertions, case runner and child capture for the unit tests. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *current_case;
static bool current_failed;

void check_failed(const char *file, int line, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s:%d: %s: ", file, line, current_case);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    current_failed = true;
}

int check_main(int argc, char **argv, const check_case *cases, size_t count)
{
    int failures = 0, ran = 0;
    for (size_t i = 0; i < count; i++) {
        if (argc > 1 && strcmp(argv[1], cases[i].name) != 0)
            continue;
        current_case = cases[i].name;
        current_failed = false;
        cases[i].run();
        printf("%s %s\n", current_failed ? "FAIL" : "ok  ", cases[i].name);
        failures += current_failed;
        ran++;
    }
    if (ran == 0) {
        fprintf(stderr, "%s: no test case named %s\n", argv[0], argc > 1 ? argv[1] : "(any)");
        return 1;
    }
    printf("%d of %d cases passed\n", ran - failures, ran);
    return failures ? 1 : 0;
}

check_run check_capture(void (*fn)(void *arg), void *arg)
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        exit(1);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        fn(arg);
        fflush(NULL);
        _exit(0);
    }
    close(fds[1]);

    size_t len = 0, cap = 4096;
    char *output = malloc(cap);
    ssize_t n;
    while (output != NULL && (n = read(fds[0], output + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2048)
            output = realloc(output, cap *= 2);
    }
    if (output == NULL) {
        fputs("check_capture: out of memory\n", stderr);
        exit(1);
    }
    output[len] = '\0';
    close(fds[0]);

    int wstatus;
    waitpid(pid, &wstatus, 0);
    int status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -WTERMSIG(wstatus);
    return (check_run){status, output};
}

void check_release(check_run *run)
{
    free(run->output);
    run->output = NULL;
}

void check_panics(const char *file, int line, void (*fn)(void *), void *arg, const char *message)
{
    check_run run = check_capture(fn, arg);
    char want[512];
    snprintf(want, sizeof want, "panic: %s\n", message);
    if (run.status != 2)
        check_failed(file, line, "exit status %d, want 2 (a panic); output:\n%s", run.status,
                     run.output);
    else if (strncmp(run.output, want, strlen(want)) != 0)
        check_failed(file, line, "output is\n%s\nwant it to start with\n%s", run.output, want);
    check_release(&run);
}
