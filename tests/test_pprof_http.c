/* test_pprof_http - the pprof HTTP server (gocurrent/pprof_http.h) as its clients see it.
 *
 * Starts the server in this process on a port the kernel picks, with goroutines at work (a slow
 * feed for the block profile, a contended lock for the mutex profile, a hot loop for the CPU
 * profile), then points real clients at it: curl fetches every endpoint and the bad requests,
 * go tool pprof and google-pprof read profiles from it (google-pprof without the binary, through
 * /symbol and /cmdline), and hey loads it while a CPU profile is taken. A missing tool skips its
 * part, saying which Debian package has it (CMake makes that an error under
 * GOCURRENT_REQUIRE_ALL).
 *
 * The CPU and heap endpoints need gocurrent-gperf, which sanitizer builds leave out (tcmalloc
 * would replace the sanitizer's malloc): there the test checks that they answer 501 instead.
 *
 * usage: test_pprof_http WORK_DIR CURL HEY GO GOOGLE_PPROF   (a tool's path, or - if missing)
 * Prints the server's port, each check that fails, and "PASS" or "FAIL"; exits 1 on failure.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/pprof.h"
#include "gocurrent/pprof_http.h"
#include "gocurrent/sync.h"
#include "gocurrent/trace.h"

#ifdef GOCURRENT_HAVE_GPERF
#include "gocurrent/pprof_gperf.h"
#endif

static const char *work_dir, *curl, *hey, *go_tool, *google_pprof;
static char base[64]; /* http://127.0.0.1:PORT/debug/pprof/ */
static int failures;

/* ---- Running the clients ---- */

/* Runs the shell command made from format, and returns its exit status; its output (stdout,
 * and stderr joined to it) into out. */
static int run(go_buffer *out, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int run(go_buffer *out, const char *format, ...)
{
    char command[2048];
    va_list args;
    va_start(args, format);
    vsnprintf(command, sizeof command, format, args);
    va_end(args);
    strncat(command, " 2>&1", sizeof command - strlen(command) - 1);
    FILE *p = popen(command, "r");
    if (p == NULL)
        return -1;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        go_write(go_buffer_writer(out), chunk, n);
    return pclose(p);
}

static void expect(bool ok, const char *what, const go_buffer *output)
{
    if (!ok) {
        printf("FAILED: %s\n%s\n", what, output != NULL ? go_buffer_string(output) : "");
        failures++;
    }
}

static bool have(const char *tool, const char *what, const char *package)
{
    if (strcmp(tool, "-") != 0)
        return true;
    printf("skipped: %s (apt-get install %s)\n", what, package);
    return false;
}

/* curl's answer to `path` (under /debug/pprof/ unless it starts with '/'): the status is
 * returned, the body is in body. extra: more curl options ("" for none). */
static int fetch(go_buffer *body, const char *extra, const char *path)
{
    char url[512], file[512];
    if (path[0] == '/')
        snprintf(url, sizeof url, "%.*s%s", (int)(strstr(base, "/debug") - base), base, path);
    else
        snprintf(url, sizeof url, "%s%s", base, path);
    snprintf(file, sizeof file, "%s/body", work_dir);
    go_buffer code = GO_BUFFER_INIT;
    run(&code, "%s -s %s -o %s -w '%%{http_code}' '%s'", curl, extra, file, url);
    int status = atoi(go_buffer_string(&code));
    go_buffer_free(&code);
    run(body, "cat %s", file);
    return status;
}

/* Fetches path and checks its status and that its body contains `want`. */
static void expect_answer(const char *extra, const char *path, int status, const char *want)
{
    go_buffer body = GO_BUFFER_INIT;
    int got = fetch(&body, extra, path);
    char what[256];
    snprintf(what, sizeof what, "%s %s: want %d and \"%s\", got %d", extra, path, status, want, got);
    /* memmem: a proto body has NULs */
    expect(got == status && memmem(body.data, body.len, want, strlen(want)) != NULL, what, &body);
    go_buffer_free(&body);
}

/* ---- The workloads the profiles must name (exported: /symbol names them with dladdr) ---- */

enum { items = 20 };

__attribute__((noinline)) void wait_for_slow_feed(go_chan *ch)
{
    int v;
    for (int i = 0; i < items; i++)
        go_recv(ch, &v);
}

static void slow_feed(void *ch)
{
    for (int i = 0; i < items; i++) {
        go_sleep(GO_MILLISECOND);
        go_send((go_chan *)ch, int, i);
    }
}

static go_mutex contended = GO_MUTEX_INIT;

__attribute__((noinline)) void hold_the_lock(void *done)
{
    for (int i = 0; i < items; i++) {
        go_mutex_lock(&contended);
        go_sleep(GO_MILLISECOND);
        go_mutex_unlock(&contended);
    }
    go_wg_done(done);
}

static atomic_bool spinning = true;
volatile double sink;

__attribute__((noinline)) void spin_for_profile(void *arg)
{
    (void)arg;
    double x = 0;
    while (atomic_load_explicit(&spinning, memory_order_relaxed))
        for (int i = 0; i < 100000; i++)
            x += (double)i * 0.5;
    sink = x;
}

static void make_profiles(void)
{
    go_set_block_profile_rate(1);
    go_set_mutex_profile_fraction(1);
    go_chan *ch = go_make_chan(int, 0);
    go(slow_feed, ch);
    wait_for_slow_feed(ch);
    go_chan_release(ch);
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    go_wg_add(&wg, 2);
    go(hold_the_lock, &wg);
    go(hold_the_lock, &wg);
    go_wg_wait(&wg);
}

/* ---- The checks ---- */

static void endpoints(void)
{
    expect_answer("", "", 200, "Types of profiles available");
    expect_answer("", "block", 200, "--- contention:");
    expect_answer("", "mutex", 200, "--- contention:");
    expect_answer("", "contention", 200, "--- contention:");
    expect_answer("", "goroutine?debug=1", 200, "goroutine profile: total");
    expect_answer("", "goroutine?debug=2", 200, "goroutine 1 [");
    expect_answer("", "goroutine", 200, "spin_for_profile"); /* proto: the names are strings */
    expect_answer("", "threadcreate", 200, "threadcreate profile: total");
    expect_answer("", "symbol", 200, "num_symbols: 1");
    char post[128], want[128];
    snprintf(post, sizeof post, "--data-binary %p+0x1", (void *)wait_for_slow_feed);
    snprintf(want, sizeof want, "%p wait_for_slow_feed\n", (void *)wait_for_slow_feed);
    expect_answer(post, "symbol", 200, want);
    expect_answer("", "cmdline", 200, "test_pprof_http");
    expect_answer("", "trace?seconds=1", 200, "gocurrent trace"); /* the format's header */
}

/* One trace at a time: while a trace request runs (tracing is on), a second one, at either
 * path, gets Go's 500, and the server goes on answering other requests; the first trace then
 * arrives whole. The second request is made once tracing is seen on (the order is forced),
 * within the first one's 5 seconds. */
static void one_trace_at_a_time(void)
{
    char command[1024];
    snprintf(command, sizeof command, "%s -s -o %s/first.trace -w '%%{http_code}' '%strace?seconds=5'", curl,
             work_dir, base);
    FILE *first = popen(command, "r");
    while (!go_trace_is_enabled())
        go_sleep(GO_MILLISECOND); /* waiting for the first request to start tracing */
    expect_answer("", "trace?seconds=1", 500, "Could not enable tracing: tracing is already enabled");
    expect_answer("", "/debug/trace?seconds=1", 500, "Could not enable tracing: tracing is already enabled");
    expect_answer("", "cmdline", 200, "test_pprof_http");
    expect(go_trace_is_enabled(), "the refusals came while the first trace ran", NULL);
    char code[16] = "";
    fgets(code, sizeof code, first);
    expect(pclose(first) == 0 && strcmp(code, "200") == 0, "the first trace: 200", NULL);
    go_buffer body = GO_BUFFER_INIT;
    run(&body, "head -c 15 %s/first.trace", work_dir);
    expect(strcmp(go_buffer_string(&body), "gocurrent trace") == 0, "the first trace arrives whole", &body);
    go_buffer_free(&body);
    /* Once it is done, the next one is served, at the notes' path too. */
    expect_answer("", "/debug/trace?seconds=1", 200, "gocurrent trace");
}

static void bad_requests(void)
{
    expect_answer("", "profile?seconds=abc", 400, "Bad seconds parameter");
    expect_answer("", "profile?seconds=99999999999", 400, "Bad seconds parameter");
    expect_answer("", "profile?seconds=0", 400, "Bad seconds parameter");
    expect_answer("", "goroutine?debug=x", 400, "Bad debug parameter");
    expect_answer("", "trace?seconds=-1", 400, "Bad seconds parameter");
    expect_answer("", "nonesuch", 404, "Unknown profile");
    expect_answer("", "/elsewhere", 404, "404 page not found");
    expect_answer("", "/debug/trace?seconds=x", 400, "Bad seconds parameter");
    expect_answer("-X POST", "/debug/trace", 405, "Method Not Allowed");
    expect_answer("-X POST", "heap", 405, "Method Not Allowed");
    expect_answer("-X DELETE", "", 405, "Method Not Allowed");
#ifndef GOCURRENT_HAVE_GPERF
    expect_answer("", "profile?seconds=1", 501, "gocurrent-gperf");
    expect_answer("", "heap", 501, "gocurrent-gperf");
#endif
    expect_answer("", "", 200, "Types of profiles available"); /* and it serves on */
}

/* go tool pprof and google-pprof read the profiles from the server. */
static void readers(void)
{
    go_buffer out = GO_BUFFER_INIT;
    if (have(go_tool, "go tool pprof against the server", "golang-go")) {
        int status = run(&out, "PPROF_TMPDIR=%s %s tool pprof -top %sblock", work_dir, go_tool, base);
        expect(status == 0 && strstr(go_buffer_string(&out), "wait_for_slow_feed") != NULL,
               "go tool pprof -top .../block names wait_for_slow_feed", &out);
        go_buffer_free(&out);
        status = run(&out, "PPROF_TMPDIR=%s %s tool pprof -top %smutex", work_dir, go_tool, base);
        expect(status == 0 && strstr(go_buffer_string(&out), "hold_the_lock") != NULL,
               "go tool pprof -top .../mutex names hold_the_lock", &out);
        go_buffer_free(&out);
#ifdef GOCURRENT_HAVE_GPERF
        status = run(&out, "PPROF_TMPDIR=%s %s tool pprof -top %sprofile?seconds=2", work_dir,
                     go_tool, base);
        expect(status == 0 && strstr(go_buffer_string(&out), "spin_for_profile") != NULL,
               "go tool pprof -top .../profile?seconds=2 names spin_for_profile", &out);
        go_buffer_free(&out);
#endif
    }
    if (have(google_pprof, "google-pprof against the server", "google-perftools")) {
        /* No binary: google-pprof names the addresses through /symbol, the program via /cmdline. */
        int status = run(&out, "PPROF_TMPDIR=%s %s --text %scontention", work_dir, google_pprof, base);
        expect(status == 0 && strstr(go_buffer_string(&out), "hold_the_lock") != NULL,
               "google-pprof --text .../contention names hold_the_lock", &out);
        go_buffer_free(&out);
#ifdef GOCURRENT_HAVE_GPERF
        status = run(&out, "PPROF_TMPDIR=%s %s --text --seconds=2 %sprofile", work_dir,
                     google_pprof, base);
        expect(status == 0 && strstr(go_buffer_string(&out), "spin_for_profile") != NULL,
               "google-pprof --text --seconds=2 .../profile names spin_for_profile", &out);
        go_buffer_free(&out);
#endif
    }
}

/* hey's 2000 requests, 20 at a time, all succeed. With gocurrent-gperf they run while a CPU
 * profile is taken: a second CPU profile meanwhile gets Go's 500, and the first arrives whole
 * (pprof reads it). */
static void load(void)
{
#ifdef GOCURRENT_HAVE_GPERF
    char command[1024];
    snprintf(command, sizeof command, "%s -s -o %s/load.prof -w '%%{http_code}' '%sprofile?seconds=4'",
             curl, work_dir, base);
    FILE *first = popen(command, "r");
    struct timespec settle = {0, 500 * 1000 * 1000};
    nanosleep(&settle, NULL);
    expect_answer("", "profile?seconds=1", 500,
                  "Could not enable CPU profiling: cpu profiling already in use");
#endif
    go_buffer out = GO_BUFFER_INIT;
    if (have(hey, "hey's load on the server", "hey")) {
        int status = run(&out, "%s -n 2000 -c 20 '%sgoroutine?debug=1'", hey, base);
        expect(status == 0 && strstr(go_buffer_string(&out), "[200]\t2000 responses") != NULL &&
                   strstr(go_buffer_string(&out), "Error distribution") == NULL,
               "hey -n 2000 -c 20: every request answered 200", &out);
        go_buffer_free(&out);
    }
#ifdef GOCURRENT_HAVE_GPERF
    char code[16] = "";
    fgets(code, sizeof code, first);
    expect(pclose(first) == 0 && strcmp(code, "200") == 0, "the first CPU profile: 200", NULL);
    if (have(go_tool, "reading the profile taken under load", "golang-go")) {
        int status = run(&out, "%s tool pprof -top %s/load.prof", go_tool, work_dir);
        expect(status == 0 && strstr(go_buffer_string(&out), "spin_for_profile") != NULL,
               "the profile taken under load reads whole", &out);
        go_buffer_free(&out);
    }
#endif
}

#ifdef GOCURRENT_HAVE_GPERF
__attribute__((noinline)) void *hold_memory(size_t n)
{
    char *p = malloc(n);
    memset(p, 1, n);
    return p;
}

/* The heap endpoint, while the heap profile runs. */
static void heap(void)
{
    expect_answer("", "heap", 500, "not running");
    expect(go_heap_profile_start(work_dir) == NULL, "go_heap_profile_start", NULL);
    void *held = hold_memory(16 << 20);
    expect_answer("", "heap", 200, "heap profile:");
    go_buffer out = GO_BUFFER_INIT;
    if (have(go_tool, "go tool pprof reading the heap", "golang-go")) {
        int status = run(&out, "PPROF_TMPDIR=%s %s tool pprof -top -sample_index=inuse_space %sheap",
                         work_dir, go_tool, base);
        expect(status == 0 && strstr(go_buffer_string(&out), "hold_memory") != NULL,
               "go tool pprof -sample_index=inuse_space .../heap names hold_memory", &out);
        go_buffer_free(&out);
    }
    if (have(google_pprof, "google-pprof reading the heap", "google-perftools")) {
        int status = run(&out, "PPROF_TMPDIR=%s %s --text %sheap", work_dir, google_pprof, base);
        expect(status == 0 && strstr(go_buffer_string(&out), "hold_memory") != NULL,
               "google-pprof --text .../heap names hold_memory", &out);
        go_buffer_free(&out);
    }
    go_heap_profile_stop();
    free(held);
}
#endif

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s WORK_DIR CURL HEY GO GOOGLE_PPROF\n", argv[0]);
        return 2;
    }
    work_dir = argv[1], curl = argv[2], hey = argv[3], go_tool = argv[4], google_pprof = argv[5];
    if (!have(curl, "the pprof HTTP server's test", "curl"))
        return 0;

    const char *err = NULL;
    expect(go_pprof_http_start("localhost", 0, &err) == NULL && err != NULL,
           "a host that is not an IPv4 address is refused", NULL);
    go_pprof_http *server = go_pprof_http_start(NULL, 0, &err);
    if (server == NULL) {
        printf("FAIL: cannot start the server: %s\n", err);
        return 1;
    }
    snprintf(base, sizeof base, "http://127.0.0.1:%d/debug/pprof/", go_pprof_http_port(server));
    printf("pprof server on %s\n", base);
    fflush(stdout);

    make_profiles();
    int64_t spinner = go(spin_for_profile, NULL);
    endpoints();
    bad_requests();
    one_trace_at_a_time();
    readers();
    load();
    atomic_store(&spinning, false);
    go_goroutine_wait_returned(spinner);
#ifdef GOCURRENT_HAVE_GPERF
    heap();
#endif
    go_pprof_http_stop(server);
    printf(failures == 0 ? "PASS\n" : "FAIL: %d checks\n", failures);
    return failures == 0 ? 0 : 1;
}
