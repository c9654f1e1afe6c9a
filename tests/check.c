/* check.c - assertions, case runner, child processes and runtime helpers for the unit tests. */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/trace.h"

extern char **environ;

/* ThreadSanitizer by default sleeps a second when a process exits (atexit_sleep_ms), to catch
 * races with threads still running then; every test binary and every child would pay it. The
 * TSAN_OPTIONS environment variable still overrides this. Unused in other builds. */
__attribute__((used, no_sanitize("thread"))) const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
    return "atexit_sleep_ms=0";
}

static const char *current_case;
static atomic_bool current_failed; /* goroutines of a case may fail it too */

/* The running binary's argv[0] and child table, for check_spawn. */
static const char *program_name = "test";
static const check_child *child_table;
static size_t child_count;

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

static const check_child *find_child(const char *name)
{
    for (size_t i = 0; i < child_count; i++)
        if (strcmp(child_table[i].name, name) == 0)
            return &child_table[i];
    return NULL;
}

int check_main(int argc, char **argv, const check_case *cases, size_t ncases,
               const check_child *children, size_t nchildren)
{
    program_name = argc > 0 ? argv[0] : "test";
    child_table = children;
    child_count = nchildren;

    if (argc >= 3 && strcmp(argv[1], "--child") == 0) {
        const check_child *child = find_child(argv[2]);
        if (child == NULL) {
            fprintf(stderr, "%s: no child named %s\n", program_name, argv[2]);
            return 3;
        }
        current_case = child->name;
        child->run(argc - 2, argv + 2);
        fflush(NULL);
        return current_failed ? 1 : 0;
    }

    int failures = 0, ran = 0;
    for (size_t i = 0; i < ncases; i++) {
        if (argc > 1 && strcmp(argv[1], cases[i].name) != 0)
            continue;
        current_case = cases[i].name;
        current_failed = false;
        cases[i].run();
        printf("%s %s\n", current_failed ? "FAIL" : "ok  ", cases[i].name);
        fflush(stdout);
        failures += atomic_load(&current_failed);
        ran++;
    }
    if (ran == 0) {
        fprintf(stderr, "%s: no test case named %s\n", program_name, argc > 1 ? argv[1] : "(any)");
        return 1;
    }
    printf("%d of %d cases passed\n", ran - failures, ran);
    return failures ? 1 : 0;
}

static size_t count_strings(const char *const *list)
{
    size_t n = 0;
    while (list != NULL && list[n] != NULL)
        n++;
    return n;
}

/* The parent's environment with `extra` ("NAME=value") in front, replacing same-named entries;
 * an entry "NAME" without '=' removes NAME. */
static char **make_environment(const char *const *extra)
{
    size_t nextra = count_strings(extra), nenv = count_strings((const char *const *)environ);
    char **envp = calloc(nextra + nenv + 1, sizeof *envp);
    if (envp == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < nextra; i++)
        if (strchr(extra[i], '=') != NULL)
            envp[n++] = (char *)extra[i];
    for (size_t i = 0; i < nenv; i++) {
        bool replaced = false;
        for (size_t j = 0; j < nextra && !replaced; j++) {
            size_t len = strcspn(extra[j], "=");
            replaced = strncmp(environ[i], extra[j], len) == 0 && environ[i][len] == '=';
        }
        if (!replaced)
            envp[n++] = environ[i];
    }
    envp[n] = NULL;
    return envp;
}

static int child_timeout_seconds(void)
{
    const char *text = getenv("CHECK_CHILD_TIMEOUT");
    int seconds = text != NULL ? atoi(text) : 0;
    return seconds > 0 ? seconds : 300;
}

static void append(char **output, size_t *len, size_t *cap, const char *bytes, size_t n)
{
    if (*output == NULL)
        return;
    if (*len + n + 1 > *cap) {
        while (*len + n + 1 > *cap)
            *cap *= 2;
        char *grown = realloc(*output, *cap);
        if (grown == NULL)
            free(*output);
        *output = grown;
        if (grown == NULL)
            return;
    }
    memcpy(*output + *len, bytes, n);
    *len += n;
}

check_run check_spawn(const char *name, const char *const *args, const char *const *env)
{
    if (find_child(name) == NULL) {
        check_failed(__FILE__, __LINE__, "no child body named %s in the child table", name);
        char *output = malloc(1);
        if (output != NULL)
            output[0] = '\0';
        return (check_run){-1000, output};
    }

    /* Everything the child needs is built before fork: between fork and exec the child may only
     * make async-signal-safe calls, as other threads of this process may hold locks. */
    size_t nargs = count_strings(args);
    char **argv = calloc(nargs + 4, sizeof *argv);
    char **envp = make_environment(env);
    int fds[2];
    if (argv == NULL || envp == NULL || pipe(fds) != 0) {
        perror("check_spawn");
        exit(1);
    }
    argv[0] = (char *)program_name;
    argv[1] = "--child";
    argv[2] = (char *)name;
    for (size_t i = 0; i < nargs; i++)
        argv[3 + i] = (char *)args[i];
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);

    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        if (fds[1] != STDOUT_FILENO && fds[1] != STDERR_FILENO)
            close(fds[1]);
        execve("/proc/self/exe", argv, envp);
        static const char failed[] = "check_spawn: cannot exec /proc/self/exe\n";
        ssize_t ignored = write(STDERR_FILENO, failed, sizeof failed - 1);
        (void)ignored;
        _exit(127);
    }
    close(fds[1]);
    free(argv);
    free(envp);

    size_t len = 0, cap = 4096;
    char *output = malloc(cap);
    char chunk[4096];
    int timeout_ms = child_timeout_seconds() * 1000;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool timed_out = false;
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed_ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed_ms >= timeout_ms) {
            timed_out = true;
            break;
        }
        struct pollfd p = {fds[0], POLLIN, 0};
        int ready = poll(&p, 1, (int)(timeout_ms - elapsed_ms));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            continue; /* the deadline is checked at the top */
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        append(&output, &len, &cap, chunk, (size_t)n);
    }
    if (timed_out) {
        kill(pid, SIGKILL);
        char note[128];
        int n = snprintf(note, sizeof note, "\n[check: child %s killed after %d s]\n", name,
                         timeout_ms / 1000);
        append(&output, &len, &cap, note, (size_t)n);
    }
    if (output == NULL) {
        fputs("check_spawn: out of memory\n", stderr);
        exit(1);
    }
    output[len] = '\0';
    close(fds[0]);

    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        continue;
    int status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -WTERMSIG(wstatus);
    return (check_run){status, output};
}

void check_release(check_run *run)
{
    free(run->output);
    run->output = NULL;
}

bool check_run_ends_in(const char *file, int line, const check_run *run, const char *kind,
                       const char *message)
{
    char want[512];
    snprintf(want, sizeof want, "%s%s\n", kind, message);
    if (run->status != 2) {
        check_failed(file, line, "exit status %d, want 2 (%s%s); output:\n%s", run->status, kind,
                     message, run->output);
        return false;
    }
    if (strncmp(run->output, want, strlen(want)) != 0) {
        check_failed(file, line, "output is\n%s\nwant it to start with\n%s", run->output, want);
        return false;
    }
    return true;
}

void check_child_ends_in(const char *file, int line, const char *child, const char *kind,
                         const char *message)
{
    check_run run = check_spawn(child, NULL, NULL);
    check_run_ends_in(file, line, &run, kind, message);
    check_release(&run);
}

void check_pause(void)
{
    /* Yield first; if the wait goes on, stop spinning so the awaited thread gets the CPU. */
    static _Thread_local unsigned spins;
    if (++spins % 64 != 0) {
        sched_yield();
        return;
    }
    struct timespec pause = {0, 50000};
    nanosleep(&pause, NULL);
}

bool check_wait_state(const char *file, int line, int64_t id, const char *state)
{
    for (;;) {
        const char *now = go_goroutine_state(id);
        if (now == NULL) {
            check_failed(file, line, "goroutine %lld ended before it was in state \"%s\"",
                         (long long)id, state);
            return false;
        }
        if (strcmp(now, state) == 0)
            return true;
        check_pause();
    }
}

int check_listen_loopback(void *out)
{
    struct sockaddr_in *addr = out;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    socklen_t len = sizeof *addr;
    *addr = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)addr, len) == 0 && listen(fd, 1) == 0 &&
          getsockname(fd, (struct sockaddr *)addr, &len) == 0);
    return fd;
}

void check_trace_goroutines(const char *path, int n, void (*fn)(void *), const char *name, int64_t *ids,
                            go_site where)
{
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    CHECK_EQ(go_trace_start_file(path), 0);
    go_wg_add(&wg, n);
    for (int i = 0; i < n; i++)
        ids[i] = go_start(fn, &wg, name, where);
    go_wg_wait(&wg);
    /* Done is called before the end: wait for each END to be recorded. */
    for (int i = 0; i < n; i++)
        go_goroutine_wait_returned(ids[i]);
    CHECK_EQ(go_trace_stop(), 0);
}
