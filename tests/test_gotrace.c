/* Tests of gotrace (tools/gotrace), the analyser of the tracer's files: small programs with
 * known behaviour are traced here, and the tool's answers checked, through its command line
 * (the environment names the binary: GOTRACE, and GOTRACE_GO for `go tool pprof`).
 *   - a goroutine blocked ~100 ms on a receive shows ~100 ms of sync block, on that reason, at
 *     that site, and `go tool pprof -top` names its function in the sync profile;
 *   - the goroutines run are the goroutines counted, each created and ended once;
 *   - tasks get their logs and goroutines; regions nest, and regions that do not are refused;
 *   - broken files (cut, flipped, wrong version, no END) get a message with a byte offset and
 *     exit status 1, never a crash.
 * Durations are checked with a tolerance; the one sleep is the workload being measured. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gotrace_cli.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/syscall.h"
#include "gocurrent/trace.h"

/* In a CSV answer of `gotrace stats`, the value of column `key` in the row whose first fields
 * are `scope,func` (the first such row); -1 if none. */
static long long csv_value(const char *csv, const char *scope, const char *func, const char *key)
{
    const char *header_end = strchr(csv, '\n');
    int column = -1, i = 0;
    for (const char *p = csv; p != NULL && p < header_end; p = strchr(p, ','), p = p ? p + 1 : p, i++)
        if (strncmp(p, key, strlen(key)) == 0 && (p[strlen(key)] == ',' || p[strlen(key)] == '\n'))
            column = i;
    char prefix[128];
    snprintf(prefix, sizeof prefix, "\n%s,%s,", scope, func);
    const char *row = strstr(csv, prefix);
    if (column < 0 || row == NULL)
        return -1;
    row++;
    for (int k = 0; k < column; k++)
        row = strchr(row, ',') + 1;
    return atoll(row);
}

/* ---- A receive blocked ~100 ms ---- */

static void receive_one(void *ch)
{
    int v;
    go_recv((go_chan *)ch, &v);
}

static void trace_receive(const char *path)
{
    go_chan *ch = go_make_chan(int, 0);
    CHECK_EQ(go_trace_start_file(path), 0);
    int64_t id = go(receive_one, ch);
    CHECK_WAIT_STATE(id, "chan receive");
    go_sleep(100 * GO_MILLISECOND); /* the workload: the wait gotrace must measure */
    go_send(ch, int, 1);
    go_goroutine_wait_returned(id);
    CHECK_EQ(go_trace_stop(), 0);
    go_chan_release(ch);
}

static void test_receive_blocked_100ms(void)
{
    const char *path = trace_path("receive");
    trace_receive(path);
    char *out;
    CHECK_EQ(run(&out, "%s stats --csv %s", gotrace(), path), 0);
    /* At least the sleep (less 1% for the two clocks' calibration); at most a generous bound on
     * a busy machine: the receiver is woken by the send right after the sleep. */
    long long waited = csv_value(out, "goroutine", "receive_one", "sync_chan_receive_ns");
    CHECK(waited >= 99 * 1000000LL);
    CHECK(waited < 2000 * 1000000LL);
    CHECK(csv_value(out, "goroutine", "receive_one", "sync_block_ns") == waited);
    CHECK(csv_value(out, "group", "receive_one", "sync_chan_receive_ns") == waited);
    free(out);
    /* The site: the receive in receive_one, in this file. */
    CHECK_EQ(run(&out, "%s dump %s", gotrace(), path), 0);
    CHECK_CONTAINS(out, "BLOCK");
    CHECK_CONTAINS(out, "reason=\"chan receive\"");
    CHECK_CONTAINS(out, "at=receive_one@");
    CHECK_CONTAINS(out, "test_gotrace.c:");
    free(out);

    const char *go = getenv("GOTRACE_GO");
    if (go == NULL || go[0] == '\0') {
        printf("skipped: go tool pprof on gotrace's profile (apt-get install golang-go to enable it)\n");
    } else {
        char profile[300];
        snprintf(profile, sizeof profile, "%s.pb", path);
        CHECK_EQ(run(&out, "%s pprof --kind=sync %s > %s", gotrace(), path, profile), 0);
        free(out);
        CHECK_EQ(run(&out, "%s tool pprof -top %s", go, profile), 0);
        CHECK_CONTAINS(out, "Type: delay");
        CHECK_CONTAINS(out, "receive_one");
        free(out);
        remove(profile);
    }
    remove(path);
}

/* ---- A blocking syscall and a network wait, ~100 ms each ---- */

static void read_byte(void *fd)
{
    char c;
    go_read(*(int *)fd, &c, 1);
}

static void read_net_byte(void *fd)
{
    char c;
    go_net_read(*(int *)fd, &c, 1);
}

static void test_syscall_and_network_wait_100ms(void)
{
    const char *path = trace_path("syscall");
    int sys[2], net[2];
    CHECK(pipe(sys) == 0 && pipe(net) == 0);
    CHECK_EQ(go_trace_start_file(path), 0);
    int64_t a = go(read_byte, &sys[0]), b = go(read_net_byte, &net[0]);
    CHECK_WAIT_STATE(a, "syscall");
    CHECK_WAIT_STATE(b, "IO wait");
    go_sleep(100 * GO_MILLISECOND); /* the workload: the waits gotrace must measure */
    CHECK(write(sys[1], "s", 1) == 1 && write(net[1], "n", 1) == 1);
    go_goroutine_wait_returned(a);
    go_goroutine_wait_returned(b);
    CHECK_EQ(go_trace_stop(), 0);
    for (int i = 0; i < 2; i++) {
        close(sys[i]);
        close(net[i]);
    }
    char *out;
    CHECK_EQ(run(&out, "%s stats --csv %s", gotrace(), path), 0);
    /* At least the sleep, less 1% for the clocks' calibration; a generous upper bound. */
    long long in_syscall = csv_value(out, "goroutine", "read_byte", "syscall_ns");
    long long in_network = csv_value(out, "goroutine", "read_net_byte", "net_wait_ns");
    CHECK(in_syscall >= 99 * 1000000LL && in_syscall < 2000 * 1000000LL);
    CHECK(in_network >= 99 * 1000000LL && in_network < 2000 * 1000000LL);
    /* Each in its own column only; the network reader's read(2) itself is a short syscall. */
    CHECK_EQ(csv_value(out, "goroutine", "read_byte", "net_wait_ns"), 0);
    CHECK_EQ(csv_value(out, "goroutine", "read_byte", "sync_block_ns"), 0);
    CHECK_EQ(csv_value(out, "goroutine", "read_net_byte", "sync_block_ns"), 0);
    CHECK(csv_value(out, "goroutine", "read_net_byte", "syscall_ns") < in_network / 10);
    free(out);
    CHECK_EQ(run(&out, "%s stats %s", gotrace(), path), 0);
    CHECK_CONTAINS(out, "Network wait");
    CHECK_CONTAINS(out, "Blocking syscall");
    free(out);
    CHECK_EQ(run(&out, "%s dump %s", gotrace(), path), 0);
    CHECK_CONTAINS(out, "reason=\"network\"");
    CHECK_CONTAINS(out, " SYSCALL ");
    CHECK_CONTAINS(out, " SYSEXIT ");
    free(out);
    const char *go = getenv("GOTRACE_GO");
    if (go == NULL || go[0] == '\0') {
        printf("skipped: go tool pprof on the net profile (apt-get install golang-go to enable it)\n");
    } else {
        char profile[300];
        snprintf(profile, sizeof profile, "%s.pb", path);
        CHECK_EQ(run(&out, "%s pprof --kind=net %s > %s", gotrace(), path, profile), 0);
        free(out);
        CHECK_EQ(run(&out, "%s tool pprof -top %s", go, profile), 0);
        CHECK_CONTAINS(out, "read_net_byte");
        CHECK(strstr(out, "read_byte") == NULL); /* the syscall is in --kind=syscall's profile */
        free(out);
        remove(profile);
    }
    remove(path);
}

/* ---- A flight recorder's window ---- */

static void test_flight_recorder_window(void)
{
    const char *path = trace_path("flight");
    go_chan *ch = go_make_chan(int, 0);
    int64_t before = go(receive_one, ch); /* waiting since before the window */
    CHECK_WAIT_STATE(before, "chan receive");
    CHECK_EQ(go_trace_flight_start(1 << 20), 0);
    int64_t id = go(receive_one, ch);
    CHECK_WAIT_STATE(id, "chan receive");
    go_send(ch, int, 1);
    go_send(ch, int, 2);
    go_goroutine_wait_returned(id);
    go_goroutine_wait_returned(before);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK_EQ(go_trace_flight_write(fileno(f)), 0);
    fclose(f);
    CHECK_EQ(go_trace_stop(), 0);
    char *out;
    CHECK_EQ(run(&out, "%s stats --csv %s", gotrace(), path), 0);
    CHECK_EQ(count(out, "\ngoroutine,receive_one,"), 2);
    CHECK(csv_value(out, "group", "receive_one", "count") == 2);
    free(out);
    remove(path);
    go_chan_release(ch);
}

/* ---- Create and end counts ---- */

static void worker(void *wg)
{
    go_wg_done((go_wait_group *)wg);
}

static void test_goroutines_counted(void)
{
    enum { n = 8 };
    const char *path = trace_path("counts");
    int64_t ids[n];
    CHECK_TRACE_GOROUTINES(path, n, worker, ids);
    char *out;
    CHECK_EQ(run(&out, "%s dump %s", gotrace(), path), 0);
    CHECK_EQ(count(out, " CREATE "), n);
    CHECK_EQ(count(out, "func=\"worker\""), n);
    CHECK_EQ(count(out, " END "), n);
    free(out);
    CHECK_EQ(run(&out, "%s stats --csv %s", gotrace(), path), 0);
    CHECK_EQ(count(out, "\ngoroutine,worker,"), n);
    CHECK(csv_value(out, "group", "worker", "count") == n);
    free(out);
    CHECK_EQ(run(&out, "%s stats --json %s", gotrace(), path), 0);
    CHECK_EQ(count(out, "\"func\": \"worker\""), n + 1); /* n goroutines and their group */
    free(out);
    remove(path);
}

/* ---- Tasks, logs, regions ---- */

typedef struct work {
    uint64_t task;
    go_wait_group *wg;
} work;

static void inner(void *arg)
{
    work *w = arg;
    go_trace_logf(w->task, "step", "inside %d", (int)go_id());
}

static void regions(void *arg)
{
    work *w = arg;
    go_trace_region outer = go_trace_start_region(w->task, "outer");
    go_trace_with_region(w->task, "inner", inner, w);
    go_trace_with_region(w->task, "inner", inner, w);
    go_trace_end_region(outer);
    go_wg_done(w->wg);
}

static void test_tasks_and_regions(void)
{
    const char *path = trace_path("tasks");
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    CHECK_EQ(go_trace_start_file(path), 0);
    uint64_t order = go_trace_new_task(0, "order");
    uint64_t brew = go_trace_new_task(order, "brew");
    go_trace_logf(order, "orderID", "%d", 42);
    work w[2] = {{order, &wg}, {brew, &wg}};
    go_wg_add(&wg, 2);
    int64_t a = go(regions, &w[0]), b = go(regions, &w[1]);
    go_wg_wait(&wg);
    go_trace_end_task(brew);
    go_trace_end_task(order);
    go_goroutine_wait_returned(a);
    go_goroutine_wait_returned(b);
    CHECK_EQ(go_trace_stop(), 0);

    char *out, line[128];
    CHECK_EQ(run(&out, "%s tasks %s", gotrace(), path), 0);
    CHECK_CONTAINS(out, "order: 1 finished, 0 unfinished");
    CHECK_CONTAINS(out, "brew: 1 finished, 0 unfinished");
    /* Each task: its parent, and the goroutines that worked on it (main, then its worker). */
    snprintf(line, sizeof line, "task %llu brew (parent %llu): ", (unsigned long long)brew, (unsigned long long)order);
    CHECK_CONTAINS(out, line);
    const char *listing = strstr(out, line);
    snprintf(line, sizeof line, " goroutines %lld %lld\n", (long long)go_id(), (long long)b);
    CHECK(listing != NULL && strstr(listing, line) == strchr(listing, '\n') - strlen(line) + 1);
    snprintf(line, sizeof line, "[step] inside %lld\n", (long long)a);
    CHECK_EQ(count(out, line), 2);
    CHECK_CONTAINS(out, "[orderID] 42\n");
    free(out);
    CHECK_EQ(run(&out, "%s regions %s", gotrace(), path), 0);
    CHECK_CONTAINS(out, "inner: 4 finished, 0 unfinished");
    CHECK_CONTAINS(out, "outer: 2 finished, 0 unfinished");
    free(out);
    remove(path);
}

/* A program that ends its regions in the wrong order: gotrace says so (as Go's parser does,
 * "misuse of region"), with the offending event's offset, instead of pairing them wrongly. */
static void test_regions_must_nest(void)
{
    const char *path = trace_path("nest");
    trace_regions_out_of_order(path);
    char *out, expected[128];
    CHECK_EQ(run(&out, "%s regions %s", gotrace(), path), 1);
    snprintf(expected, sizeof expected, "goroutine %lld ends region \"outer\" but its innermost open region is "
             "\"inner\" (regions must nest)", (long long)go_id());
    CHECK_CONTAINS(out, expected);
    CHECK_CONTAINS(out, ": offset ");
    CHECK(strstr(out, "by name") == NULL); /* no partial answer */
    free(out);
    remove(path);
}

/* ---- Broken files ---- */

static void write_file(const char *path, const unsigned char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK_EQ(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* gotrace's answer to the file: exit status 1 and a message naming a byte offset; or, for a
 * flipped byte that still makes a valid trace (a changed tick or name), status 0. Never a
 * crash. */
static void check_refused(const char *path, const unsigned char *data, size_t n, const char *expected)
{
    write_file(path, data, n);
    char *out;
    static const char *const commands[] = {"stats", "tasks", "regions", "pprof --kind=sync", "dump"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        int status = run(&out, "%s %s %s > /dev/null", gotrace(), commands[i], path);
        if (expected == NULL) {
            CHECK(status == 0 || (status == 1 && strstr(out, "offset") != NULL));
        } else {
            CHECK_EQ(status, 1);
            CHECK_CONTAINS(out, expected);
        }
        free(out);
    }
}

static void test_broken_files(void)
{
    const char *path = trace_path("whole"), *broken = trace_path("broken");
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    CHECK_EQ(go_trace_start_file(path), 0);
    go_wg_add(&wg, 4);
    for (int i = 0; i < 4; i++)
        go(worker, &wg);
    go_wg_wait(&wg);
    CHECK_EQ(go_trace_stop(), 0);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    unsigned char data[1 << 16];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    CHECK(n > 100 && n < sizeof data);

    /* Cut: in the header, after it, inside chunks, just before the end. */
    check_refused(broken, data, 0, "offset 0: not a gocurrent trace");
    check_refused(broken, data, 10, "offset 0: not a gocurrent trace");
    check_refused(broken, data, 16, "offset 16: no CLOCK chunk");
    size_t cuts[] = {17, 20, n / 3, n / 2, n - 5, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++)
        check_refused(broken, data, cuts[i], "cut short");
    /* The wrong version. */
    unsigned char copy[sizeof data];
    memcpy(copy, data, n);
    copy[15] = 3;
    check_refused(broken, copy, n, "offset 15: trace format version 3; this gotrace reads versions 1 to 2");
    /* Every byte after the header flipped in turn, two ways. */
    for (size_t i = 16; i < n; i += n / 40 + 1) {
        for (int k = 0; k < 2; k++) {
            memcpy(copy, data, n);
            copy[i] ^= k ? 0xff : 0x01;
            check_refused(broken, copy, n, NULL);
        }
    }
    /* No END: the file up to the END chunk (the last: kind 3, a one-byte length, the payload). */
    size_t end = n;
    for (size_t i = n - 2; i > 16; i--)
        if (data[i] == 3 && i + 2 + data[i + 1] == n) {
            end = i;
            break;
        }
    CHECK(end < n);
    check_refused(broken, data, end, "no END chunk: the trace was cut short");
    remove(broken);
    remove(path);
}

static const check_case cases[] = {
    CHECK_CASE(test_receive_blocked_100ms),
    CHECK_CASE(test_syscall_and_network_wait_100ms),
    CHECK_CASE(test_flight_recorder_window),
    CHECK_CASE(test_goroutines_counted),
    CHECK_CASE(test_tasks_and_regions),
    CHECK_CASE(test_regions_must_nest),
    CHECK_CASE(test_broken_files),
};
CHECK_MAIN(cases)
