/* Tests of `gotrace export --format=go` (tools/gotrace/export_go.c): traces of small programs
 * with known behaviour, exported, then read by Go 1.19's own tools, as a reader would:
 *   - `go tool trace -d` parses every exported trace (Go's parser is strict: one goroutine per
 *     P, ordered timestamps, sequence numbers, nested regions), and shows the events the
 *     program must have made (channel blocks, Mutex, sleep, tasks, regions, logs, goroutines
 *     waiting or running when tracing started, tracing stopped while goroutines run, system
 *     calls from a trace written by hand);
 *   - `go tool trace -pprof=sync` (and net, syscall) names the function that blocked;
 *   - the pages served by `go tool trace -http` list the program's goroutines by start function
 *     with their ids, the timeline's data, the tasks and the regions (fetched with curl; the
 *     server is stopped by its PID);
 *   - a trace gotrace cannot export (regions not nested, a cut file) gets a message with a byte
 *     offset, exit status 1, and no output file; and a trace with any one byte flipped is
 *     either refused so or exported into one Go's parser reads.
 * The environment names the tools: GOTRACE, GOTRACE_GO (go) and GOTRACE_CURL (curl); a missing
 * tool skips its part, naming the Debian package (CMake refuses that under
 * GOCURRENT_REQUIRE_ALL). No check depends on timing: orderings are forced by channels, wait
 * states and WaitGroups. */
#define _POSIX_C_SOURCE 200809L /* posix_spawn's file actions, nanosleep */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/syscall.h"
#include "gocurrent/trace.h"
#include "gotrace_cli.h"

extern char **environ;

/* A tool from the environment, or NULL (and a note naming its package) if it is missing. */
static const char *tool(const char *variable, const char *what, const char *package)
{
    const char *path = getenv(variable);
    if (path != NULL && path[0] != '\0')
        return path;
    printf("skipped: %s (apt-get install %s to enable it)\n", what, package);
    return NULL;
}

/* Exports trace to trace.go.out (returned, a static buffer) and checks that Go's parser reads
 * it; the parser's listing in *listing (free it), or NULL without go. */
static const char *export_and_parse(const char *trace, char **listing)
{
    static char exported[300];
    snprintf(exported, sizeof exported, "%s.go.out", trace);
    char *out;
    int status = run(&out, "%s export --format=go %s -o %s", gotrace(), trace, exported);
    if (status != 0)
        printf("gotrace export %s:\n%s\n", trace, out);
    CHECK_EQ(status, 0);
    free(out);
    *listing = NULL;
    const char *go = tool("GOTRACE_GO", "go tool trace on the exported traces", "golang-go");
    if (go != NULL) {
        status = run(listing, "%s tool trace -d %s", go, exported);
        if (status != 0)
            printf("go tool trace -d %s:\n%s\n", exported, *listing);
        CHECK_EQ(status, 0);
    }
    return exported;
}

static void remove_both(const char *trace, const char *exported)
{
    remove(exported);
    remove(trace);
}

/* ---- go tool trace's HTTP server ---- */

typedef struct server {
    pid_t pid;
    char url[64]; /* http://127.0.0.1:PORT */
    char log[320];
} server;

/* Starts `go tool trace -http=127.0.0.1:0 FILE` and waits until it says where it listens (its
 * output, polled). BROWSER=true keeps it from opening a browser. False if it ended first. */
static bool serve(server *s, const char *go, const char *exported)
{
    snprintf(s->log, sizeof s->log, "%s.http.log", exported);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, s->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    size_t n = 0;
    while (environ[n] != NULL)
        n++;
    char **env = calloc(n + 2, sizeof *env);
    memcpy(env, environ, n * sizeof *env);
    env[n] = "BROWSER=true";
    char *const args[] = {(char *)go, "tool", "trace", "-http=127.0.0.1:0", (char *)exported, NULL};
    int err = posix_spawn(&s->pid, go, &actions, NULL, args, env);
    posix_spawn_file_actions_destroy(&actions);
    free(env);
    CHECK_EQ(err, 0);
    if (err != 0)
        return false;
    for (;;) {
        FILE *f = fopen(s->log, "r");
        char text[4096] = "";
        if (f != NULL) {
            text[fread(text, 1, sizeof text - 1, f)] = '\0';
            fclose(f);
        }
        const char *at = strstr(text, "http://");
        if (at != NULL && strchr(at, '\n') != NULL) {
            size_t len = strcspn(at + 7, "/\n") + 7;
            snprintf(s->url, sizeof s->url, "%.*s", (int)len, at);
            return true;
        }
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            check_failed(__FILE__, __LINE__, "go tool trace ended before serving: %s", text);
            return false;
        }
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL); /* the next look at its output */
    }
}

static void stop_serving(server *s)
{
    kill(s->pid, SIGTERM);
    int status;
    waitpid(s->pid, &status, 0);
    remove(s->log);
}

/* In /goroutines, the link of the group of goroutines started at func: its id (the start
 * PC), or 0 if the page has none. */
static unsigned long long group_id(const char *page, const char *func)
{
    char tail[128];
    snprintf(tail, sizeof tail, "\">%s</a>", func);
    const char *at = strstr(page, tail);
    if (at == NULL)
        return 0;
    while (at > page && at[-1] != '=')
        at--;
    return strtoull(at, NULL, 10);
}

/* ---- A pipeline: channel blocks, several goroutines, a server's view ---- */

typedef struct pipe_line {
    go_chan *items, *results;
    go_wait_group *workers;
} pipe_line;

static void producer(void *arg)
{
    pipe_line *p = arg;
    for (int i = 0; i < 200; i++)
        go_send(p->items, int, i);
    go_close(p->items);
}

static void worker(void *arg)
{
    pipe_line *p = arg;
    int v;
    while (go_recv(p->items, &v))
        go_send(p->results, int, v * v);
    go_wg_done(p->workers);
}

static void closer(void *arg)
{
    pipe_line *p = arg;
    go_wg_wait(p->workers);
    go_close(p->results);
}

static void test_pipeline(void)
{
    const char *path = trace_path("go-pipeline");
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    pipe_line p = {go_make_chan(int, 0), go_make_chan(int, 0), &wg};
    CHECK_EQ(go_trace_start_file(path), 0);
    go_wg_add(&wg, 2);
    int64_t ids[4] = {go(producer, &p), go(worker, &p), go(worker, &p), go(closer, &p)};
    /* The workers cannot finish before the first result is received: the closer is made to
     * wait on their WaitGroup first, so the trace has its GoBlockSync. */
    CHECK_WAIT_STATE(ids[3], "semacquire");
    long sum = 0;
    int v;
    while (go_recv(p.results, &v))
        sum += v;
    for (int i = 0; i < 4; i++)
        go_goroutine_wait_returned(ids[i]);
    CHECK_EQ(go_trace_stop(), 0);
    CHECK_EQ(sum, 2646700L); /* the sum of the squares of 0..199: every item went through */

    char *listing;
    const char *exported = export_and_parse(path, &listing);
    if (listing != NULL) {
        CHECK_CONTAINS(listing, " GoBlockSend ");
        CHECK_CONTAINS(listing, " GoBlockRecv ");
        CHECK_CONTAINS(listing, " GoBlockSync "); /* the closer's WaitGroup */
        CHECK_EQ(count(listing, " GoEnd "), 4);
        free(listing);
    }
    const char *go = getenv("GOTRACE_GO");
    const char *curl = tool("GOTRACE_CURL", "fetching go tool trace's goroutine analysis", "curl");
    server s;
    if (go != NULL && go[0] != '\0' && curl != NULL && serve(&s, go, exported)) {
        char *page, *group, line[64];
        CHECK_EQ(run(&page, "%s -sf %s/goroutines", curl, s.url), 0);
        CHECK_CONTAINS(page, ">producer</a> N=1 ");
        CHECK_CONTAINS(page, ">worker</a> N=2 ");
        CHECK_CONTAINS(page, ">closer</a> N=1 ");
        unsigned long long workers = group_id(page, "worker");
        CHECK(workers != 0);
        CHECK_EQ(run(&group, "%s -sf '%s/goroutine?id=%llu'", curl, s.url, workers), 0);
        CHECK_CONTAINS(group, "Goroutine Name:</td><td>worker</td>");
        for (int i = 1; i <= 2; i++) { /* the two workers, by id; not the others */
            snprintf(line, sizeof line, "/trace?goid=%lld\">", (long long)ids[i]);
            CHECK_CONTAINS(group, line);
        }
        snprintf(line, sizeof line, "/trace?goid=%lld\">", (long long)ids[0]);
        CHECK(strstr(group, line) == NULL);
        free(group);
        free(page);
        /* The timeline's data: the viewer's whole-trace JSON is made without an error. */
        CHECK_EQ(run(&page, "%s -sf %s/jsontrace", curl, s.url), 0);
        CHECK_CONTAINS(page, "\"traceEvents\"");
        snprintf(line, sizeof line, "\"G%lld worker\"", (long long)ids[1]); /* a slice of a worker's */
        CHECK_CONTAINS(page, line);
        free(page);
        stop_serving(&s);
    }
    remove_both(path, exported);
    go_chan_release(p.items);
    go_chan_release(p.results);
}

/* ---- A Mutex held while another goroutine waits: the sync profile ---- */

static go_mutex mu = GO_MUTEX_INIT;

static void lock_waiter(void *unused)
{
    (void)unused;
    go_mutex_lock(&mu);
    go_mutex_unlock(&mu);
}

static void test_mutex_profile(void)
{
    const char *path = trace_path("go-mutex");
    CHECK_EQ(go_trace_start_file(path), 0);
    go_mutex_lock(&mu);
    int64_t id = go(lock_waiter, NULL);
    CHECK_WAIT_STATE(id, "semacquire"); /* Go's name for a wait on a Mutex */
    go_mutex_unlock(&mu);
    go_goroutine_wait_returned(id);
    CHECK_EQ(go_trace_stop(), 0);

    char *listing;
    const char *exported = export_and_parse(path, &listing);
    if (listing != NULL) {
        CHECK_CONTAINS(listing, " GoBlockSync ");
        free(listing);
        const char *go = getenv("GOTRACE_GO");
        char *out, profile[320];
        snprintf(profile, sizeof profile, "%s.sync.pb", exported);
        CHECK_EQ(run(&out, "%s tool trace -pprof=sync %s > %s", go, exported, profile), 0);
        free(out);
        CHECK_EQ(run(&out, "%s tool pprof -top %s", go, profile), 0);
        CHECK_CONTAINS(out, "Type: delay");
        CHECK_CONTAINS(out, " lock_waiter\n");
        free(out);
        remove(profile);
    }
    remove_both(path, exported);
}

/* ---- A network wait: Go's GoBlockNet, and the net profile ---- */

static void net_reader(void *fd)
{
    char c;
    go_net_read(*(int *)fd, &c, 1);
}

static void test_network_wait(void)
{
    const char *path = trace_path("go-net");
    int fds[2];
    CHECK(pipe(fds) == 0);
    CHECK_EQ(go_trace_start_file(path), 0);
    int64_t id = go(net_reader, &fds[0]);
    CHECK_WAIT_STATE(id, "IO wait"); /* waiting for readiness, as on Go's netpoller */
    CHECK(write(fds[1], "n", 1) == 1);
    go_goroutine_wait_returned(id);
    CHECK_EQ(go_trace_stop(), 0);
    close(fds[0]);
    close(fds[1]);

    char *listing;
    const char *exported = export_and_parse(path, &listing);
    if (listing != NULL) {
        CHECK_CONTAINS(listing, " GoBlockNet ");
        free(listing);
        const char *go = getenv("GOTRACE_GO");
        char *out, profile[320];
        snprintf(profile, sizeof profile, "%s.net.pb", exported);
        CHECK_EQ(run(&out, "%s tool trace -pprof=net %s > %s", go, exported, profile), 0);
        free(out);
        CHECK_EQ(run(&out, "%s tool pprof -top %s", go, profile), 0);
        CHECK_CONTAINS(out, " net_reader\n");
        free(out);
        remove(profile);
    }
    remove_both(path, exported);
}

/* ---- Sleep, tasks, regions and logs ---- */

static void brewer(void *arg)
{
    uint64_t task = *(uint64_t *)arg;
    go_trace_region r = go_trace_start_region(task, "brew");
    go_sleep(GO_MILLISECOND);
    go_trace_log(task, "orderID", "42");
    go_trace_end_region(r);
}

static void test_sleep_tasks_regions_logs(void)
{
    const char *path = trace_path("go-tasks");
    CHECK_EQ(go_trace_start_file(path), 0);
    uint64_t task = go_trace_new_task(0, "makeCappuccino");
    int64_t id = go(brewer, &task);
    go_goroutine_wait_returned(id);
    go_trace_end_task(task);
    CHECK_EQ(go_trace_stop(), 0);

    char *listing;
    const char *exported = export_and_parse(path, &listing);
    if (listing != NULL) {
        char line[160];
        CHECK_CONTAINS(listing, " GoSleep p=");
        CHECK_CONTAINS(listing, " UserTaskCreate p=");
        CHECK_CONTAINS(listing, " name=makeCappuccino");
        snprintf(line, sizeof line, "taskid=%llu mode=0", (unsigned long long)task);
        CHECK_CONTAINS(listing, line);
        snprintf(line, sizeof line, "taskid=%llu mode=1", (unsigned long long)task);
        CHECK_CONTAINS(listing, line);
        CHECK_EQ(count(listing, " name=brew"), 2);
        CHECK_CONTAINS(listing, " category=orderID message=42");
        CHECK_CONTAINS(listing, " UserTaskEnd p=");
        free(listing);
    }
    /* The task and region pages (which need every region to have a frame). */
    const char *go = getenv("GOTRACE_GO"), *curl = getenv("GOTRACE_CURL");
    server s;
    if (go != NULL && go[0] != '\0' && curl != NULL && curl[0] != '\0' && serve(&s, go, exported)) {
        char *page;
        CHECK_EQ(run(&page, "%s -sf %s/usertasks", curl, s.url), 0);
        CHECK_CONTAINS(page, "<td>makeCappuccino</td>");
        free(page);
        CHECK_EQ(run(&page, "%s -sf %s/userregions", curl, s.url), 0);
        CHECK_CONTAINS(page, "<td>brew<br>brewer<br>"); /* the region, in its goroutine's function */
        free(page);
        stop_serving(&s);
    }
    remove_both(path, exported);
}

/* ---- Goroutines alive when tracing starts; stopping while they run ---- */

static void parked(void *ch)
{
    int v;
    go_recv((go_chan *)ch, &v);
}

static void test_alive_at_start(void)
{
    enum { n = 3 };
    const char *path = trace_path("go-alive");
    go_chan *ch = go_make_chan(int, 0);
    int64_t ids[n];
    for (int i = 0; i < n; i++)
        ids[i] = go(parked, ch);
    for (int i = 0; i < n; i++)
        CHECK_WAIT_STATE(ids[i], "chan receive");
    CHECK_EQ(go_trace_start_file(path), 0);
    go_close(ch);
    for (int i = 0; i < n; i++)
        go_goroutine_wait_returned(ids[i]);
    CHECK_EQ(go_trace_stop(), 0);

    char *listing;
    const char *exported = export_and_parse(path, &listing);
    if (listing != NULL) {
        /* Each waiting at start (a GoWaiting naming it), then woken, run and ended. */
        for (int i = 0; i < n; i++) {
            char id[32];
            snprintf(id, sizeof id, " g=%lld\n", (long long)ids[i]);
            bool waiting = false;
            for (const char *w = listing; (w = strstr(w, " GoWaiting ")) != NULL; w++)
                waiting |= strncmp(strchr(w, '\n') - strlen(id) + 1, id, strlen(id)) == 0;
            CHECK(waiting);
        }
        CHECK_EQ(count(listing, " GoWaiting "), n);
        /* This goroutine, running when tracing started, runs from then on: its GoStart is
         * stamped at the start, before its first event (the close that wakes the others). */
        char mine[48];
        snprintf(mine, sizeof mine, " g=%lld off=", (long long)go_id());
        long long started = -1, woke = -1;
        for (const char *line = listing; *line != '\0'; line = strchr(line, '\n') + 1) {
            const char *eol = strchr(line, '\n');
            if (eol == NULL)
                break;
            const char *at = strstr(line, " GoStart p="), *who = strstr(line, mine);
            if (started < 0 && at != NULL && who != NULL && at < eol && who < eol)
                started = atoll(line);
            at = strstr(line, " GoUnblock ");
            if (woke < 0 && at != NULL && at < eol)
                woke = atoll(line);
        }
        CHECK(started >= 0 && woke > started);
        free(listing);
    }
    go_chan_release(ch);
    remove_both(path, exported);
}

typedef struct spinner {
    go_chan *ping, *pong;
    atomic_long rounds;
    atomic_bool *stop;
} spinner;

static void pinger(void *arg)
{
    spinner *s = arg;
    int v = 0;
    while (!atomic_load(s->stop)) {
        go_send(s->ping, int, v);
        go_recv(s->pong, &v);
        atomic_fetch_add(&s->rounds, 1);
    }
    go_close(s->ping);
}

static void ponger(void *arg)
{
    spinner *s = arg;
    int v;
    while (go_recv(s->ping, &v))
        go_send(s->pong, int, v + 1);
}

/* Waits (yielding) until each pair has made `more` rounds since now. */
static void let_run(spinner *s, int pairs, long more)
{
    for (int i = 0; i < pairs; i++) {
        long until = atomic_load(&s[i].rounds) + more;
        while (atomic_load(&s[i].rounds) < until)
            check_pause();
    }
}

static void test_start_stop_while_running(void)
{
    enum { pairs = 2 };
    const char *path = trace_path("go-running");
    atomic_bool stop = false;
    spinner s[pairs];
    int64_t ids[2 * pairs];
    for (int i = 0; i < pairs; i++) {
        s[i] = (spinner){go_make_chan(int, 0), go_make_chan(int, 0), 0, &stop};
        ids[2 * i] = go(pinger, &s[i]);
        ids[2 * i + 1] = go(ponger, &s[i]);
    }
    let_run(s, pairs, 100);
    CHECK_EQ(go_trace_start_file(path), 0);
    let_run(s, pairs, 250); /* every goroutine acts while traced */
    CHECK_EQ(go_trace_stop(), 0); /* while they run */
    atomic_store(&stop, true);
    for (int i = 0; i < 2 * pairs; i++)
        go_goroutine_wait_returned(ids[i]);

    char *listing;
    const char *exported = export_and_parse(path, &listing);
    if (listing != NULL) {
        CHECK(count(listing, " GoUnblock ") >= 500); /* 500 rounds or more, each two handoffs to a waiting side */
        free(listing);
    }
    const char *go = getenv("GOTRACE_GO");
    const char *curl = getenv("GOTRACE_CURL");
    server sv;
    if (go != NULL && go[0] != '\0' && curl != NULL && curl[0] != '\0' && serve(&sv, go, exported)) {
        char *page;
        CHECK_EQ(run(&page, "%s -sf %s/goroutines", curl, sv.url), 0);
        CHECK_CONTAINS(page, ">pinger</a> N=2 ");
        CHECK_CONTAINS(page, ">ponger</a> N=2 ");
        free(page);
        stop_serving(&sv);
    }
    for (int i = 0; i < pairs; i++) {
        go_chan_release(s[i].ping);
        go_chan_release(s[i].pong);
    }
    remove_both(path, exported);
}

/* ---- System calls, from a trace written by hand ---- */

/* The library records no system calls yet (format version 1 has the events), so this trace is
 * made byte by byte (trace_format.h): goroutine 7, running at start, makes a blocking call at
 * syscaller (sys.c:42) for 1000 ticks (1 tick = 1 ns here); goroutine 8, in a call at start,
 * returns from it. */
typedef struct bytes_out {
    unsigned char data[512];
    size_t len;
} bytes_out;

static void put(bytes_out *b, uint64_t v)
{
    for (; v >= 0x80; v >>= 7)
        b->data[b->len++] = (unsigned char)(v | 0x80);
    b->data[b->len++] = (unsigned char)v;
}

static void chunk(bytes_out *file, int kind, const bytes_out *payload)
{
    file->data[file->len++] = (unsigned char)kind;
    put(file, payload->len);
    memcpy(file->data + file->len, payload->data, payload->len);
    file->len += payload->len;
}

static void test_syscalls(void)
{
    const char *path = trace_path("go-syscall");
    bytes_out file = {.len = 16}, clock = {.len = 0}, batch = {.len = 0}, events = {.len = 0}, end = {.len = 0};
    memcpy(file.data, "gocurrent trace\1", 16);
    const uint64_t clock_fields[] = {0, 1000, 1000, 1}; /* CLOCK_MONOTONIC, tick0, ns0, pid */
    for (int i = 0; i < 4; i++)
        put(&clock, clock_fields[i]);
    chunk(&file, 1, &clock);
    /* Each event: type, delta, arguments (STRING's bytes written as a length and bytes). */
    const uint64_t list[][8] = {
        {1, 0, 1, 9}, {1, 0, 2, 5},      /* STRING 1 "syscaller", STRING 2 "sys.c" */
        {2, 0, 1, 1, 2, 42},             /* SITE 1: syscaller, sys.c, 42 */
        {11, 0, 7, 2, 1, 0},             /* STATE 7 running, func "syscaller" */
        {11, 0, 8, 3, 1, 0},             /* STATE 8 in a system call */
        {3, 0, 7}, {9, 10, 1},           /* SETG 7; SYSCALL at site 1 */
        {10, 1000}, {8, 10},             /* SYSEXIT; END */
        {3, 0, 8}, {10, 5}, {8, 10},     /* SETG 8; SYSEXIT; END */
    };
    static const int lengths[] = {4, 4, 6, 6, 6, 3, 3, 2, 2, 3, 2, 2};
    const char *strings[] = {"syscaller", "sys.c"};
    enum { nevents = sizeof lengths / sizeof lengths[0] };
    for (int i = 0; i < nevents; i++) {
        events.data[events.len++] = (unsigned char)list[i][0];
        for (int k = 1; k < lengths[i]; k++)
            put(&events, list[i][k]);
        if (i < 2) {
            memcpy(events.data + events.len, strings[i], strlen(strings[i]));
            events.len += strlen(strings[i]);
        }
    }
    const uint64_t header[] = {0, 100, 0, nevents, 1000}; /* buffer, tid, seq, events, base */
    for (int i = 0; i < 5; i++)
        put(&batch, header[i]);
    memcpy(batch.data + batch.len, events.data, events.len);
    batch.len += events.len;
    chunk(&file, 2, &batch);
    const uint64_t end_fields[] = {3000, 3000, 1, 0}; /* tick1, ns1, batches, dropped */
    for (int i = 0; i < 4; i++)
        put(&end, end_fields[i]);
    chunk(&file, 3, &end);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK_EQ(fwrite(file.data, 1, file.len, f), file.len);
    fclose(f);

    char *listing, *out;
    CHECK_EQ(run(&out, "%s dump %s", gotrace(), path), 0); /* the native reader takes it */
    CHECK_CONTAINS(out, "SYSCALL g=7");
    free(out);
    const char *exported = export_and_parse(path, &listing);
    if (listing != NULL) {
        CHECK_CONTAINS(listing, " GoInSyscall p=1 g=8 ");
        CHECK_CONTAINS(listing, " GoSysCall p=0 g=7 ");
        CHECK_CONTAINS(listing, " GoSysBlock p=0 g=7 ");
        CHECK_EQ(count(listing, " GoSysExit "), 2);
        CHECK_EQ(count(listing, " GoEnd "), 2);
        free(listing);
        const char *go = getenv("GOTRACE_GO");
        char profile[320];
        snprintf(profile, sizeof profile, "%s.syscall.pb", exported);
        CHECK_EQ(run(&out, "%s tool trace -pprof=syscall %s > %s", go, exported, profile), 0);
        free(out);
        CHECK_EQ(run(&out, "%s tool pprof -top %s", go, profile), 0);
        CHECK_CONTAINS(out, "Type: delay");
        CHECK_CONTAINS(out, " syscaller\n"); /* 1000 ns in the call */
        CHECK_CONTAINS(out, "1us");
        free(out);
        remove(profile);
    }
    remove_both(path, exported);
}

/* ---- What cannot be exported ---- */

static void test_refused(void)
{
    const char *path = trace_path("go-nest");
    char exported[300], *out;
    snprintf(exported, sizeof exported, "%s.go.out", path);
    trace_regions_out_of_order(path);
    CHECK_EQ(run(&out, "%s export --format=go %s -o %s", gotrace(), path, exported), 1);
    CHECK_CONTAINS(out, ": offset ");
    CHECK_CONTAINS(out, "ends region \"outer\" but its innermost open region is \"inner\"");
    CHECK(access(exported, F_OK) != 0); /* no partial output left behind */
    free(out);

    /* A cut file: the reader's message, with its offset. */
    CHECK_EQ(run(&out, "head -c 40 %s > %s.cut && %s export --format=go %s.cut -o %s", path, path, gotrace(), path,
                 exported),
             1);
    CHECK_CONTAINS(out, "offset ");
    CHECK(access(exported, F_OK) != 0);
    free(out);
    /* Bad use: an unknown format is exit status 2. */
    CHECK_EQ(run(&out, "%s export --format=svg %s -o %s", gotrace(), path, exported), 2);
    CHECK_CONTAINS(out, "export needs --format=go");
    free(out);
    CHECK_EQ(run(&out, "rm -f %s.cut", path), 0);
    free(out);
    remove(path);
}

/* ---- Whatever the trace, what is exported is valid ---- */

/* Every byte after the header of a trace of all of the above flipped in turn, two ways: gotrace
 * either refuses the file (status 1, a byte offset) or exports a trace Go's parser reads. A
 * flipped byte makes sequences a program cannot: a goroutine unblocked that never blocked,
 * started twice, seen first in the middle of its life; the exporter must still write only what
 * Go's state machine allows. */
static void test_corrupted_traces_stay_valid(void)
{
    const char *go = getenv("GOTRACE_GO");
    if (go == NULL || go[0] == '\0') {
        printf("skipped: go tool trace on exported broken traces (apt-get install golang-go to enable it)\n");
        return;
    }
    char path[300], broken[320], exported[340];
    snprintf(path, sizeof path, "%s", trace_path("go-mixed"));
    snprintf(broken, sizeof broken, "%s.broken", path);
    snprintf(exported, sizeof exported, "%s.go.out", broken);
    go_chan *ch = go_make_chan(int, 0);
    int64_t waiting = go(parked, ch);
    CHECK_WAIT_STATE(waiting, "chan receive");
    CHECK_EQ(go_trace_start_file(path), 0);
    uint64_t task = go_trace_new_task(0, "makeCappuccino");
    int64_t ids[] = {go(brewer, &task), go(lock_waiter, NULL)};
    go_close(ch);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        go_goroutine_wait_returned(ids[i]);
    go_goroutine_wait_returned(waiting);
    go_trace_end_task(task);
    CHECK_EQ(go_trace_stop(), 0);
    go_chan_release(ch);

    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    static unsigned char data[1 << 16], copy[1 << 16];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    CHECK(n > 100 && n < sizeof data);
    int exported_ok = 0;
    for (size_t i = 16; i < n; i += 3) {
        for (int k = 0; k < 2; k++) {
            memcpy(copy, data, n);
            copy[i] ^= k ? 0xff : 0x01;
            f = fopen(broken, "wb");
            CHECK(f != NULL);
            CHECK_EQ(fwrite(copy, 1, n, f), n);
            fclose(f);
            char *out;
            int status = run(&out, "%s export --format=go %s -o %s", gotrace(), broken, exported);
            CHECK(status == 0 || (status == 1 && strstr(out, "offset") != NULL));
            if (status != 0 && status != 1)
                printf("byte %zu ^ %#x: %s\n", i, k ? 0xff : 0x01, out);
            free(out);
            if (status == 0) {
                exported_ok++;
                status = run(&out, "%s tool trace -d %s > /dev/null", go, exported);
                if (status != 0)
                    printf("byte %zu ^ %#x: go tool trace -d: %s\n", i, k ? 0xff : 0x01, out);
                CHECK_EQ(status, 0);
                free(out);
                remove(exported);
            }
        }
    }
    printf("%d of the broken traces exported\n", exported_ok);
    CHECK(exported_ok > 0); /* some flips (a tick, a name) leave a trace to export */
    remove(broken);
    remove(path);
}

static const check_case cases[] = {
    CHECK_CASE(test_pipeline),
    CHECK_CASE(test_mutex_profile),
    CHECK_CASE(test_sleep_tasks_regions_logs),
    CHECK_CASE(test_alive_at_start),
    CHECK_CASE(test_start_stop_while_running),
    CHECK_CASE(test_network_wait),
    CHECK_CASE(test_syscalls),
    CHECK_CASE(test_refused),
    CHECK_CASE(test_corrupted_traces_stay_valid),
};
CHECK_MAIN(cases)
