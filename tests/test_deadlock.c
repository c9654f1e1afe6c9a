/* Tests of the deadlock detector and the leak report.
 *
 * Each deadlocking program runs in a child process and must end with Go's
 *     fatal error: all goroutines are asleep - deadlock!
 * exit status 2, and a dump naming every goroutine, its state, and the function and line of
 * this file where it blocked. Each correct program (sleeps, timers, heavy blocking, foreign
 * threads, a blocking system call) runs many times, in child processes, and must never be
 * reported: a false report would kill a correct program.
 */
#define _GNU_SOURCE /* syscall(SYS_gettid) for the thread-id reuse test */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "fixture_pool.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"
#include "gocurrent/syscall.h"
#include "gocurrent/timer.h"

static const char deadlock[] = "all goroutines are asleep - deadlock!";

/* The blocking operations, one per line, each with the number of its line beside it: a dump
 * must name exactly that line. (Keep each on one line: the constant is the line's number.) */
enum { recv_line = __LINE__ }; static void block_recv(go_chan *c) { int v; go_recv(c, &v); }
enum { send_line = __LINE__ }; static void block_send(go_chan *c) { go_send(c, int, 1); }
enum { select_line = __LINE__ }; static void block_select(go_chan *a, go_chan *b) { go_select(GO_RECV_DROP(a), GO_RECV_DROP(b)); }
enum { forever_line = __LINE__ }; static void block_forever(void) { go_select_forever(); }
enum { wg_line = __LINE__ }; static void block_wg(go_wait_group *wg) { go_wg_wait(wg); }
enum { lock_line = __LINE__ }; static void block_lock(go_mutex *m) { go_mutex_lock(m); }
enum { nil_recv_line = __LINE__ }; static void block_recv_nil(void) { int v; go_recv(NULL, &v); }
enum { nil_send_line = __LINE__ }; static void block_send_nil(void) { go_send(NULL, int, 1); }

/* Checks that the dump shows goroutine `id` blocked in `state` at func() and its line here. */
static void expect_goroutine(const char *file, int line, const char *output, int id,
                             const char *state, const char *func, int at)
{
    char want[256];
    snprintf(want, sizeof want, "\ngoroutine %d [%s]:\n%s()\n\ttests/test_deadlock.c:%d\n", id, state,
             func, at);
    if (strstr(output, want) == NULL)
        check_failed(file, line, "the dump\n%s\ndoes not contain\n%s", output, want);
}
#define EXPECT_GOROUTINE(output, id, state, func, at) \
    expect_goroutine(__FILE__, __LINE__, (output), (id), (state), (func), (at))

/* Runs a deadlocking child and checks the fatal error; returns its output (free it) or NULL. */
static char *expect_deadlock(const char *file, int line, const char *child)
{
    check_run run = check_spawn(child, NULL, NULL);
    if (!check_run_ends_in(file, line, &run, "fatal error: ", deadlock)) {
        check_release(&run);
        return NULL;
    }
    return run.output;
}
#define EXPECT_DEADLOCK(child) expect_deadlock(__FILE__, __LINE__, CHECK_NAME(child))

/* ---- Programs that deadlock ---------------------------------------------------------------- */

static void main_receives_alone(int argc, char **argv)
{
    (void)argc, (void)argv;
    block_recv(go_make_chan(int, 0));
}

static void test_main_alone_on_receive(void)
{
    char *out = EXPECT_DEADLOCK(main_receives_alone);
    if (out == NULL)
        return;
    EXPECT_GOROUTINE(out, 1, "chan receive", "block_recv", recv_line);
    free(out);
}

static void sender(void *arg) { block_send(arg); }
static void receiver(void *arg) { block_recv(arg); }

/* Main and two goroutines, each blocked on a different channel nobody else uses. */
static void all_blocked_on_channels(int argc, char **argv)
{
    (void)argc, (void)argv;
    go(sender, go_make_chan(int, 0));
    go(receiver, go_make_chan(int, 2));
    block_recv(go_make_chan(int, 1));
}

static void test_all_blocked_on_channels(void)
{
    char *out = EXPECT_DEADLOCK(all_blocked_on_channels);
    if (out == NULL)
        return;
    EXPECT_GOROUTINE(out, 1, "chan receive", "block_recv", recv_line);
    EXPECT_GOROUTINE(out, 2, "chan send", "block_send", send_line);
    EXPECT_GOROUTINE(out, 3, "chan receive", "block_recv", recv_line);
    CHECK_CONTAINS(out, "[chan send]:\nblock_send()\n\ttests/test_deadlock.c:");
    CHECK_CONTAINS(out, "created by all_blocked_on_channels\n\ttests/test_deadlock.c:");
    free(out);
}

/* A ring: each goroutine receives from its left neighbour before sending to its right. */
typedef struct ring_link {
    go_chan *left, *right;
} ring_link;

static void ring_member(void *arg)
{
    ring_link *l = arg;
    block_recv(l->left);
    block_send(l->right);
}

static void ring_without_token(int argc, char **argv)
{
    (void)argc, (void)argv;
    enum { n = 5 };
    static go_chan *chans[n];
    static ring_link links[n];
    for (int i = 0; i < n; i++)
        chans[i] = go_make_chan(int, 0);
    for (int i = 0; i < n; i++) {
        links[i] = (ring_link){chans[i], chans[(i + 1) % n]};
        go(ring_member, &links[i]);
    }
    block_forever();
}

static void test_ring_without_token(void)
{
    char *out = EXPECT_DEADLOCK(ring_without_token);
    if (out == NULL)
        return;
    EXPECT_GOROUTINE(out, 1, "select (no cases)", "block_forever", forever_line);
    for (int id = 2; id <= 6; id++)
        EXPECT_GOROUTINE(out, id, "chan receive", "block_recv", recv_line);
    free(out);
}

static void send_nil(void *arg)
{
    (void)arg;
    block_send_nil();
}

static void nil_channels(int argc, char **argv)
{
    (void)argc, (void)argv;
    go(send_nil, NULL);
    block_recv_nil();
}

static void test_nil_channels(void)
{
    char *out = EXPECT_DEADLOCK(nil_channels);
    if (out == NULL)
        return;
    EXPECT_GOROUTINE(out, 1, "chan receive (nil chan)", "block_recv_nil", nil_recv_line);
    EXPECT_GOROUTINE(out, 2, "chan send (nil chan)", "block_send_nil", nil_send_line);
    CHECK_CONTAINS(out, "created by nil_channels\n\ttests/test_deadlock.c:");
    free(out);
}

static void selector(void *arg)
{
    go_chan **pair = arg;
    block_select(pair[0], pair[1]);
}

static void selects(int argc, char **argv)
{
    (void)argc, (void)argv;
    static go_chan *pair[2];
    pair[0] = go_make_chan(int, 0);
    pair[1] = go_make_chan(int, 0);
    go(selector, pair);
    block_forever();
}

static void test_selects(void)
{
    char *out = EXPECT_DEADLOCK(selects);
    if (out == NULL)
        return;
    EXPECT_GOROUTINE(out, 1, "select (no cases)", "block_forever", forever_line);
    EXPECT_GOROUTINE(out, 2, "select", "block_select", select_line);
    free(out);
}

static void wait_group_never_done(int argc, char **argv)
{
    (void)argc, (void)argv;
    static go_wait_group wg = GO_WAIT_GROUP_INIT;
    go_wg_add(&wg, 1);
    block_wg(&wg);
}

static void test_wait_group(void)
{
    char *out = EXPECT_DEADLOCK(wait_group_never_done);
    if (out == NULL)
        return;
    EXPECT_GOROUTINE(out, 1, "semacquire", "block_wg", wg_line);
    free(out);
}

typedef struct lock_and_done {
    go_mutex *m;
    go_wait_group *wg;
} lock_and_done;

static void locker(void *arg)
{
    lock_and_done *a = arg;
    block_lock(a->m);
    go_wg_done(a->wg);
}

/* Main holds the mutex and waits for a goroutine that waits for the mutex. */
static void mutex_held_by_waiter(int argc, char **argv)
{
    (void)argc, (void)argv;
    static go_mutex m = GO_MUTEX_INIT;
    static go_wait_group wg = GO_WAIT_GROUP_INIT;
    static lock_and_done a = {&m, &wg};
    go_mutex_lock(&m);
    go_wg_add(&wg, 1);
    go(locker, &a);
    block_wg(&wg);
}

static void test_mutex(void)
{
    char *out = EXPECT_DEADLOCK(mutex_held_by_waiter);
    if (out == NULL)
        return;
    EXPECT_GOROUTINE(out, 1, "semacquire", "block_wg", wg_line);
    EXPECT_GOROUTINE(out, 2, "semacquire", "block_lock", lock_line);
    free(out);
}

/* The last other goroutine returns while main is already blocked: its exit completes the
 * deadlock, which must be reported then (nothing parks afterwards to notice it). */
static void exit_once_main_blocks(void *arg)
{
    (void)arg;
    CHECK_WAIT_STATE(1, "chan receive");
}

static void main_blocked_then_last_goroutine_exits(int argc, char **argv)
{
    (void)argc, (void)argv;
    go(exit_once_main_blocks, NULL);
    block_recv(go_make_chan(int, 0));
}

static void test_last_goroutine_exits(void)
{
    char *out = EXPECT_DEADLOCK(main_blocked_then_last_goroutine_exits);
    if (out == NULL)
        return;
    EXPECT_GOROUTINE(out, 1, "chan receive", "block_recv", recv_line);
    CHECK(strstr(out, "goroutine 2 ") == NULL); /* it is gone */
    free(out);
}

/* A foreign thread (not started by the library) keeps the program alive while it exists; when
 * it ends without sending, the program is deadlocked and the monitor reports it. */
static void *exit_when_main_blocks(void *arg)
{
    (void)arg;
    const char *state;
    while ((state = go_goroutine_state(1)) == NULL || strcmp(state, "chan receive") != 0)
        check_pause();
    return NULL;
}

static void foreign_thread_exits_without_sending(int argc, char **argv)
{
    (void)argc, (void)argv;
    pthread_t thread;
    pthread_create(&thread, NULL, exit_when_main_blocks, NULL);
    pthread_detach(thread);
    block_recv(go_make_chan(int, 0));
}

static void test_foreign_thread_exits(void)
{
    char *out = EXPECT_DEADLOCK(foreign_thread_exits_without_sending);
    if (out == NULL)
        return;
    EXPECT_GOROUTINE(out, 1, "chan receive", "block_recv", recv_line);
    free(out);
}

/* ---- kill -QUIT: every goroutine's dump, as Go prints it, and exit status 2 ---- */

static void quit_when_main_blocks(void *unused)
{
    (void)unused;
    CHECK_WAIT_STATE(1, "chan receive");
    kill(getpid(), SIGQUIT);
    go_sleep(3600 * GO_SECOND); /* asleep, so never a deadlock: the dump must come from SIGQUIT */
}

static void main_blocks_then_sigquit(int argc, char **argv)
{
    (void)argc, (void)argv;
    go(quit_when_main_blocks, NULL);
    block_recv(go_make_chan(int, 0));
}

static void test_sigquit_dumps_every_goroutine(void)
{
    check_run run = check_spawn(CHECK_NAME(main_blocks_then_sigquit), NULL, NULL);
    CHECK_EQ(run.status, 2);
    const char *header = "SIGQUIT: quit\n\n";
    CHECK(strncmp(run.output, header, strlen(header)) == 0);
    EXPECT_GOROUTINE(run.output, 1, "chan receive", "block_recv", recv_line);
    CHECK_CONTAINS(run.output, "\ngoroutine 2 [");
    check_release(&run);
}

/* ---- Correct programs: never reported ------------------------------------------------------ */

enum { child_runs = 25 };

/* Runs child `name` child_runs times, with the extra environment `env` (may be NULL); each run
 * must exit 0 and print exactly `want`. */
static void expect_never_reported(const char *file, int line, const char *name,
                                  const char *const *env, const char *want)
{
    for (int i = 0; i < child_runs; i++) {
        check_run run = check_spawn(name, NULL, env);
        bool good = run.status == 0 && strcmp(run.output, want) == 0;
        if (!good)
            check_failed(file, line, "run %d of %s: exit status %d, output:\n%s\nwant status 0 and\n%s",
                         i + 1, name, run.status, run.output, want);
        check_release(&run);
        if (!good)
            return;
    }
}
#define EXPECT_NEVER_REPORTED(child, want) \
    expect_never_reported(__FILE__, __LINE__, CHECK_NAME(child), NULL, (want))
#define EXPECT_NEVER_REPORTED_WITH(child, env, want) \
    expect_never_reported(__FILE__, __LINE__, CHECK_NAME(child), (env), (want))

typedef struct nap_args {
    go_chan *ch;
    go_duration nap;
} nap_args;

static void nap_then_send(void *arg)
{
    nap_args *a = arg;
    go_sleep(a->nap);
    go_send(a->ch, int, 1);
}

/* Main waits on a goroutine that is asleep: a sleeper wakes by itself. */
static void wait_for_sleeper(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 0);
    for (int i = 0; i < 5; i++) {
        nap_args a = {ch, (i % 3) * GO_MILLISECOND};
        go(nap_then_send, &a);
        go_recv_drop(ch);
    }
    go_chan_release(ch);
    printf("ok\n");
}

static void test_sleeping_goroutine_is_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED(wait_for_sleeper, "ok\n");
}

/* Main waits only on timers: a pending timer can wake it. */
static void wait_for_timers(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *never = go_make_chan(int, 0);
    for (int i = 0; i < 10; i++) {
        go_chan *timeout = go_after((i % 4) * 500 * GO_MICROSECOND);
        if (i % 2 == 0)
            go_recv_drop(timeout);
        else
            go_select(GO_RECV_DROP(never), GO_RECV_DROP(timeout));
        go_chan_release(timeout);
    }
    go_ticker *ticker = go_ticker_new(GO_MILLISECOND);
    for (int i = 0; i < 3; i++)
        go_recv_drop(go_ticker_chan(ticker));
    go_ticker_stop(ticker);
    go_chan_release(never);
    printf("ok\n");
}

static void test_timer_wait_is_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED(wait_for_timers, "ok\n");
}

/* Rings of goroutines passing tokens over unbuffered channels: nearly every goroutine is
 * parked nearly all the time, and every handoff readies one just before another parks. */
typedef struct relay_args {
    go_chan *in, *out;
    int rounds;
} relay_args;

static void relay(void *arg)
{
    relay_args r = *(relay_args *)arg; /* *arg may be gone once the last token has passed */
    for (int i = 0; i < r.rounds; i++) {
        int token;
        go_recv(r.in, &token);
        go_send(r.out, int, token + 1);
    }
}

static void token_rings(int argc, char **argv)
{
    (void)argc, (void)argv;
    enum { n = 16, rounds = 100 };
    go_chan *chans[n + 1];
    relay_args relays[n];
    for (int i = 0; i <= n; i++)
        chans[i] = go_make_chan(int, 0);
    /* Main sends into chans[0], the relays pass it along to chans[n], main receives. */
    for (int i = 0; i < n; i++) {
        relays[i] = (relay_args){chans[i], chans[i + 1], rounds};
        go(relay, &relays[i]);
    }
    long long total = 0;
    for (int r = 0; r < rounds; r++) {
        go_send(chans[0], int, 0);
        int token;
        go_recv(chans[n], &token);
        total += token;
    }
    for (int i = 0; i <= n; i++)
        go_chan_release(chans[i]);
    printf("%lld\n", total);
}

static void test_heavy_blocking_is_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED(token_rings, "1600\n");
}

typedef struct contender_args {
    go_mutex *m;
    go_wait_group *wg;
    long *counter;
} contender_args;

static void contend(void *arg)
{
    contender_args *a = arg;
    for (int i = 0; i < 300; i++) {
        go_mutex_lock(a->m);
        (*a->counter)++;
        go_mutex_unlock(a->m);
    }
    go_wg_done(a->wg);
}

/* Goroutines fighting over a mutex while main waits on a WaitGroup: a woken waiter that loses
 * the mutex to a newcomer parks again, and none of it may look like a deadlock. */
static void mutex_contention(int argc, char **argv)
{
    (void)argc, (void)argv;
    enum { n = 8 };
    go_mutex m = GO_MUTEX_INIT;
    go_wait_group wg = GO_WAIT_GROUP_INIT;
    long counter = 0;
    contender_args a = {&m, &wg, &counter};
    go_wg_add(&wg, n);
    for (int i = 0; i < n; i++)
        go(contend, &a);
    go_wg_wait(&wg);
    printf("%ld\n", counter);
}

static void test_mutex_contention_is_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED(mutex_contention, "2400\n");
}

static void nap_ms(int ms)
{
    struct timespec t = {0, ms * 1000000L};
    nanosleep(&t, NULL);
}

/* Threads the library did not start send, a little later, on the channel main waits on. They
 * stay alive (blocked on a semaphore nobody posts) until the process exits, so that a foreign
 * thread exists whenever main waits: what ends right after sending is the case of
 * test_foreign_thread_exiting_right_after_send_is_not_a_deadlock. */
static sem_t never_posted;

static void *foreign_sender(void *arg)
{
    nap_ms(2);
    go_send((go_chan *)arg, int, 7);
    sem_wait(&never_posted);
    return NULL;
}

static void wait_for_foreign_thread(int argc, char **argv)
{
    (void)argc, (void)argv;
    sem_init(&never_posted, 0, 0);
    go_chan *ch = go_make_chan(int, 0);
    for (int i = 0; i < 3; i++) {
        pthread_t thread;
        pthread_create(&thread, NULL, foreign_sender, ch);
        pthread_detach(thread);
        int v = 0;
        go_recv(ch, &v);
        if (v != 7)
            return;
    }
    printf("ok\n"); /* the process exits with the three threads still blocked */
}

static void test_foreign_thread_is_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED(wait_for_foreign_thread, "ok\n");
}

/* The same without the pause: the foreign thread sends and ends at once. */
static void *foreign_sender_at_once(void *arg)
{
    go_send((go_chan *)arg, int, 7);
    return NULL;
}

static void foreign_thread_sends_and_exits_at_once(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 0);
    for (int i = 0; i < 500; i++) {
        pthread_t thread;
        pthread_create(&thread, NULL, foreign_sender_at_once, ch);
        go_recv_drop(ch);
        pthread_join(thread, NULL);
    }
    go_chan_release(ch);
    printf("ok\n");
}

static void test_foreign_thread_exiting_right_after_send_is_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED(foreign_thread_sends_and_exits_at_once, "ok\n");
}

/* Threads that existed before the runtime started are foreign too, however early they began:
 * one started by the program's own constructor, and one started by a shared library's (a
 * thread pool's). Each waits until main has blocked on a channel, then sends on it. */
static sem_t ctor_go_ahead;
static go_chan *ctor_channel;

/* Whether the kernel shows the main thread asleep (state S in /proc/self/task/PID/stat). */
static bool main_thread_asleep(void)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)getpid());
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    bool read = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    const char *p = read ? strrchr(line, ')') : NULL;
    return p != NULL && p[1] == ' ' && p[2] == 'S';
}

/* Waits until main is blocked receiving and asleep in the kernel: by then the runtime has
 * looked for a deadlock (a goroutine checks as it parks, before it sleeps), so a sender that
 * waits for this proves the check counted this thread as a possible waker. */
static void wait_for_main_to_block(void)
{
    const char *state;
    while ((state = go_goroutine_state(1)) == NULL || strcmp(state, "chan receive") != 0 ||
           !main_thread_asleep())
        sched_yield();
}

/* GOCURRENT_TEST_CTOR_THREAD=send: the thread sends once main blocks; =exit: it ends as soon as
 * main says go, without sending. */
static void *ctor_thread(void *send)
{
    while (sem_wait(&ctor_go_ahead) != 0) {
    }
    if (send != NULL) {
        wait_for_main_to_block();
        go_send(ctor_channel, int, 42);
    }
    return NULL;
}

__attribute__((constructor)) static void start_ctor_thread(void)
{
    const char *mode = getenv("GOCURRENT_TEST_CTOR_THREAD");
    if (mode == NULL)
        return;
    sem_init(&ctor_go_ahead, 0, 0);
    pthread_t thread;
    if (pthread_create(&thread, NULL, ctor_thread, strcmp(mode, "send") == 0 ? "send" : NULL) != 0)
        abort();
    pthread_detach(thread);
}

static void main_waits_for_ctor_thread(int argc, char **argv)
{
    (void)argc, (void)argv;
    ctor_channel = go_make_chan(int, 0);
    sem_post(&ctor_go_ahead);
    int v = 0;
    go_recv(ctor_channel, &v);
    printf("%d\n", v);
}

static void test_thread_from_constructor_is_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED_WITH(main_waits_for_ctor_thread, CHECK_ARGS("GOCURRENT_TEST_CTOR_THREAD=send"),
                               "42\n");
}

static void send_once_main_blocks(void *ch)
{
    wait_for_main_to_block();
    go_send((go_chan *)ch, int, 42);
}

static void main_waits_for_pool_job(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_chan *ch = go_make_chan(int, 0);
    fixture_pool_submit(send_once_main_blocks, ch);
    int v = 0;
    go_recv(ch, &v);
    printf("%d\n", v);
}

static void test_thread_from_library_constructor_is_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED_WITH(main_waits_for_pool_job, CHECK_ARGS("GOCURRENT_TEST_POOL=1"), "42\n");
}

/* Once such a thread has ended, a deadlock is reported as usual (under ThreadSanitizer too,
 * whose own thread is not taken for a foreign one). */
static void ctor_thread_ends_then_main_blocks(int argc, char **argv)
{
    (void)argc, (void)argv;
    sem_post(&ctor_go_ahead);
    block_recv(go_make_chan(int, 0));
}

static void test_deadlock_reported_once_ctor_thread_ended(void)
{
    check_run run = check_spawn(CHECK_NAME(ctor_thread_ends_then_main_blocks), NULL,
                                CHECK_ARGS("GOCURRENT_TEST_CTOR_THREAD=exit"));
    if (check_run_ends_in(__FILE__, __LINE__, &run, "fatal error: ", deadlock))
        EXPECT_GOROUTINE(run.output, 1, "chan receive", "block_recv", recv_line);
    check_release(&run);
}

/* A goroutine blocked in read(2) on a pipe that a foreign thread writes later: the goroutine is
 * in a system call, not parked in the library, so it keeps the program alive. */
typedef struct pipe_args {
    int fds[2];
    go_chan *got;
} pipe_args;

static void read_pipe(void *arg)
{
    pipe_args *p = arg;
    char byte = 0;
    ssize_t n = read(p->fds[0], &byte, 1);
    go_send(p->got, int, n == 1 ? byte : -1);
}

static void *write_pipe_later(void *arg)
{
    pipe_args *p = arg;
    nap_ms(2);
    ssize_t n = write(p->fds[1], "x", 1);
    (void)n;
    return NULL;
}

static void goroutine_in_blocking_read(int argc, char **argv)
{
    (void)argc, (void)argv;
    pipe_args p;
    if (pipe(p.fds) != 0)
        return;
    p.got = go_make_chan(int, 0);
    go(read_pipe, &p);
    pthread_t thread;
    pthread_create(&thread, NULL, write_pipe_later, &p);
    int byte = 0;
    go_recv(p.got, &byte);
    pthread_join(thread, NULL);
    go_chan_release(p.got);
    close(p.fds[0]);
    close(p.fds[1]);
    printf("%c\n", byte);
}

static void test_blocking_read_is_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED(goroutine_in_blocking_read, "x\n");
}

/* A goroutine in go_net_read (a network wait, IO wait), or in go_read (a system call), on a
 * pipe that another process writes later, while main waits on a channel for it: every
 * goroutine is blocked, but not on anything of the program's, and no thread but theirs exists,
 * so only the kind of the wait says the outside world will wake it. */
static void net_read_pipe(void *arg)
{
    pipe_args *p = arg;
    char byte = 0;
    ssize_t n = go_net_read(p->fds[0], &byte, 1);
    go_send(p->got, int, n == 1 ? byte : -1);
}

static void syscall_read_pipe(void *arg)
{
    pipe_args *p = arg;
    char byte = 0;
    ssize_t n = go_read(p->fds[0], &byte, 1);
    go_send(p->got, int, n == 1 ? byte : -1);
}

static void wait_for_another_process(void (*reader)(void *))
{
    pipe_args p;
    if (pipe(p.fds) != 0)
        return;
    p.got = go_make_chan(int, 0);
    pid_t writer = fork(); /* before the goroutine: the child only naps and writes */
    if (writer == 0) {
        nap_ms(20);
        _exit(write(p.fds[1], "x", 1) == 1 ? 0 : 1);
    }
    go(reader, &p);
    int byte = 0;
    go_recv(p.got, &byte);
    int status = 0;
    waitpid(writer, &status, 0);
    go_chan_release(p.got);
    printf("%c\n", byte);
}

static void goroutine_in_network_wait(int argc, char **argv)
{
    (void)argc, (void)argv;
    wait_for_another_process(net_read_pipe);
}

static void goroutine_in_syscall(int argc, char **argv)
{
    (void)argc, (void)argv;
    wait_for_another_process(syscall_read_pipe);
}

static void test_network_and_syscall_waits_are_not_a_deadlock(void)
{
    EXPECT_NEVER_REPORTED(goroutine_in_network_wait, "x\n");
    EXPECT_NEVER_REPORTED(goroutine_in_syscall, "x\n");
}

/* A foreign thread that starts after very many goroutines have come and gone. Thread ids are
 * reused once the kernel's pid space wraps (pid_max, 32768 by default), so the new thread may
 * get the id an ended goroutine had. It must still count as foreign. */
static void quit(void *arg)
{
    go_chan *tids = arg;
    go_send(tids, int, (int)syscall(SYS_gettid));
}

static void *foreign_sender_later(void *arg)
{
    nap_ms(50);
    go_send((go_chan *)arg, int, -1);
    return NULL;
}

static void foreign_thread_after_tid_wrap(int argc, char **argv)
{
    (void)argc, (void)argv;
    FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
    long pid_max = 32768;
    if (f != NULL) {
        if (fscanf(f, "%ld", &pid_max) != 1)
            pid_max = 32768;
        fclose(f);
    }
    /* Start goroutines one after another until thread ids have gone all the way round. */
    go_chan *tids = go_make_chan(int, 0);
    int first = 0, previous = 0;
    bool wrapped = false;
    for (long i = 0; i < pid_max + 1000; i++) {
        go(quit, tids);
        int tid;
        go_recv(tids, &tid);
        if (i == 0)
            first = tid;
        else if (tid < previous)
            wrapped = true;
        previous = tid;
        if (wrapped && tid >= first)
            break;
    }
    pthread_t thread;
    pthread_create(&thread, NULL, foreign_sender_later, tids);
    go_recv_drop(tids);
    pthread_join(thread, NULL);
    go_chan_release(tids);
    printf("ok\n");
}

static void test_foreign_thread_with_reused_tid_is_not_a_deadlock(void)
{
    check_run run = check_capture(foreign_thread_after_tid_wrap);
    CHECK_EQ(run.status, 0);
    CHECK_STREQ(run.output, "ok\n");
    check_release(&run);
}

/* ---- The leak report ----------------------------------------------------------------------- */

static void leak_a_sender(int argc, char **argv)
{
    (void)argc, (void)argv;
    int64_t id = go(sender, go_make_chan(int, 0));
    CHECK_WAIT_STATE(id, "chan send");
    printf("main returns\n");
}

static void test_leak_report_names_blocked_goroutine(void)
{
    check_run run = check_spawn(CHECK_NAME(leak_a_sender), NULL, CHECK_ARGS("GOCURRENT_LEAK_REPORT=1"));
    CHECK_EQ(run.status, 0);
    /* What main printed comes first; the report follows at exit. */
    CHECK(strncmp(run.output, "main returns\n", 13) == 0);
    CHECK_CONTAINS(run.output, "1 goroutine still blocked");
    CHECK_CONTAINS(run.output, "\ngoroutine 2 [chan send, ");
    char want[200];
    snprintf(want, sizeof want, " ms]:\nblock_send()\n\ttests/test_deadlock.c:%d\ncreated by leak_a_sender\n\ttests/test_deadlock.c:", send_line);
    CHECK_CONTAINS(run.output, want);
    CHECK(strstr(run.output, "goroutine 1 ") == NULL); /* main is not blocked */
    check_release(&run);

    /* Opt-in: without the variable, nothing. */
    run = check_spawn(CHECK_NAME(leak_a_sender), NULL, CHECK_ARGS("GOCURRENT_LEAK_REPORT"));
    CHECK_EQ(run.status, 0);
    CHECK_STREQ(run.output, "main returns\n");
    check_release(&run);
}

static const check_case cases[] = {
    CHECK_CASE(test_main_alone_on_receive),
    CHECK_CASE(test_all_blocked_on_channels),
    CHECK_CASE(test_ring_without_token),
    CHECK_CASE(test_nil_channels),
    CHECK_CASE(test_selects),
    CHECK_CASE(test_wait_group),
    CHECK_CASE(test_mutex),
    CHECK_CASE(test_last_goroutine_exits),
    CHECK_CASE(test_foreign_thread_exits),
    CHECK_CASE(test_sleeping_goroutine_is_not_a_deadlock),
    CHECK_CASE(test_timer_wait_is_not_a_deadlock),
    CHECK_CASE(test_heavy_blocking_is_not_a_deadlock),
    CHECK_CASE(test_mutex_contention_is_not_a_deadlock),
    CHECK_CASE(test_foreign_thread_is_not_a_deadlock),
    CHECK_CASE(test_foreign_thread_exiting_right_after_send_is_not_a_deadlock),
    CHECK_CASE(test_blocking_read_is_not_a_deadlock),
    CHECK_CASE(test_network_and_syscall_waits_are_not_a_deadlock),
    CHECK_CASE(test_foreign_thread_with_reused_tid_is_not_a_deadlock),
    CHECK_CASE(test_leak_report_names_blocked_goroutine),
    CHECK_CASE(test_sigquit_dumps_every_goroutine),
    CHECK_CASE(test_thread_from_constructor_is_not_a_deadlock),
    CHECK_CASE(test_thread_from_library_constructor_is_not_a_deadlock),
    CHECK_CASE(test_deadlock_reported_once_ctor_thread_ended),
};

static const check_child children[] = {
    CHECK_CHILD(main_receives_alone),
    CHECK_CHILD(all_blocked_on_channels),
    CHECK_CHILD(ring_without_token),
    CHECK_CHILD(nil_channels),
    CHECK_CHILD(selects),
    CHECK_CHILD(wait_group_never_done),
    CHECK_CHILD(mutex_held_by_waiter),
    CHECK_CHILD(main_blocked_then_last_goroutine_exits),
    CHECK_CHILD(foreign_thread_exits_without_sending),
    CHECK_CHILD(wait_for_sleeper),
    CHECK_CHILD(wait_for_timers),
    CHECK_CHILD(token_rings),
    CHECK_CHILD(mutex_contention),
    CHECK_CHILD(wait_for_foreign_thread),
    CHECK_CHILD(foreign_thread_sends_and_exits_at_once),
    CHECK_CHILD(goroutine_in_blocking_read),
    CHECK_CHILD(goroutine_in_network_wait),
    CHECK_CHILD(goroutine_in_syscall),
    CHECK_CHILD(foreign_thread_after_tid_wrap),
    CHECK_CHILD(leak_a_sender),
    CHECK_CHILD(main_blocks_then_sigquit),
    CHECK_CHILD(main_waits_for_ctor_thread),
    CHECK_CHILD(main_waits_for_pool_job),
    CHECK_CHILD(ctor_thread_ends_then_main_blocks),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
