/* Tests of the system call and network wrappers (gocurrent/syscall.h): what each returns, errno
 * as the call left it, no SIGPIPE, connect's refusal, and a megabyte through a loopback
 * connection on blocking and non-blocking descriptors, whole. Their states and trace events
 * are test_trace's; the deadlock detector's view of them, test_deadlock's. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/syscall.h"

static void test_errno_of_the_call(void)
{
    char c;
    errno = 0;
    CHECK_EQ(go_read(-1, &c, 1), -1);
    CHECK_EQ(errno, EBADF);
    errno = 0;
    CHECK_EQ(go_write(-1, &c, 1), -1);
    CHECK_EQ(errno, EBADF);
    errno = 0;
    CHECK_EQ(go_net_read(-1, &c, 1), -1);
    CHECK_EQ(errno, EBADF);
    errno = 0;
    CHECK_EQ(go_net_accept(-1, NULL, NULL), -1);
    CHECK_EQ(errno, EBADF);
}

/* A write to a socket whose peer is gone fails with EPIPE; the process gets no SIGPIPE (it
 * would die of it: this test would not finish). */
static void test_no_sigpipe(void)
{
    int fds[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    close(fds[1]);
    errno = 0;
    CHECK_EQ(go_net_write(fds[0], "x", 1), -1);
    CHECK_EQ(errno, EPIPE);
    close(fds[0]);
}

/* Connecting where nobody listens: ECONNREFUSED, and the descriptor still blocking. */
static void test_connect_refused(void)
{
    struct sockaddr_in addr;
    close(check_listen_loopback(&addr)); /* a port that was just free */
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    errno = 0;
    CHECK_EQ(go_net_connect(fd, (struct sockaddr *)&addr, sizeof addr), -1);
    CHECK_EQ(errno, ECONNREFUSED);
    CHECK_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    close(fd);
}

/* ---- A megabyte through a loopback connection ---- */

enum { megabyte = 1 << 20 };

typedef struct server {
    int listener;
    bool nonblocking;
    go_chan *received; /* how many bytes it read */
} server;

/* Accepts one connection, reads it to its end, and says how much it read. */
static void serve(void *arg)
{
    server *s = arg;
    int conn = go_net_accept(s->listener, NULL, NULL);
    CHECK(conn >= 0);
    if (s->nonblocking)
        fcntl(conn, F_SETFL, fcntl(conn, F_GETFL) | O_NONBLOCK);
    char buf[4096];
    ssize_t n;
    long received = 0;
    while ((n = go_net_read(conn, buf, sizeof buf)) > 0)
        received += n;
    CHECK_EQ(n, 0); /* the end, never EAGAIN */
    close(conn);
    go_send(s->received, long, received);
}

static void send_a_megabyte(bool nonblocking)
{
    struct sockaddr_in addr;
    server s = {check_listen_loopback(&addr), nonblocking, go_make_chan(long, 0)};
    go(serve, &s);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (nonblocking)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    CHECK_EQ(go_net_connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    CHECK_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, nonblocking ? O_NONBLOCK : 0);
    char *data = calloc(1, megabyte);
    /* Whole, in one call: more than the socket's buffers take at once. */
    CHECK_EQ(go_net_write(fd, data, megabyte), megabyte);
    close(fd);
    long received = 0;
    go_recv(s.received, &received);
    CHECK_EQ(received, megabyte);
    free(data);
    close(s.listener);
    go_chan_release(s.received);
}

static void test_megabyte_blocking(void)
{
    send_a_megabyte(false);
}

static void test_megabyte_nonblocking(void)
{
    send_a_megabyte(true);
}

static const check_case cases[] = {
    CHECK_CASE(test_errno_of_the_call),
    CHECK_CASE(test_no_sigpipe),
    CHECK_CASE(test_connect_refused),
    CHECK_CASE(test_megabyte_blocking),
    CHECK_CASE(test_megabyte_nonblocking),
};
CHECK_MAIN(cases)
