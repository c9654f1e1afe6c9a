/* syscall.c - system calls and network waits the runtime knows about (gocurrent/syscall.h).
 *
 * A blocking call moves the goroutine RUNNING -> SYSCALL -> RUNNING around it (g.h's arrows),
 * which is all Go's entersyscall/exitsyscall tell the tracer and dumps. A network call first
 * waits for readiness as Go's netpoller makes a goroutine wait: RUNNING -> WAITING (IO wait,
 * on the descriptor) -> RUNNABLE (readied by the poller: by = NULL, no goroutine) -> RUNNING,
 * then makes the call as a syscall. The poller here is the goroutine's own thread, asleep in
 * poll(2), so it is the goroutine that readies itself; no other thread touches its status
 * meanwhile, which is what g.h's rule (one known thread may change it) asks.
 *
 * errno: observers run between the call and the return (the tracer may write a full buffer
 * out), so each wrapper saves the call's errno and sets it again last. */
#define _GNU_SOURCE /* accept4 */
#include "gocurrent/syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#include "g.h"

static const go_site no_site = {NULL, NULL, 0};

static void enter_syscall(go__g *g, go_site where)
{
    go__transition(g, GO__SYSCALL, GO__WAIT_NONE, where, NULL, NULL);
}

/* Leaves the syscall with errno as the call left it. */
static void exit_syscall(go__g *g)
{
    int saved = errno;
    go__transition(g, GO__RUNNING, GO__WAIT_NONE, no_site, NULL, NULL);
    errno = saved;
}

/* Waits until fd has one of `events` (or an error or hang-up, which the call then reports),
 * as a network wait if it does not have one now. Returns 0, or -1 with errno: EBADF for a
 * negative fd, or poll's (ENOMEM; a closed fd shows as POLLNVAL, which the call reports). */
static int wait_ready(go__g *g, int fd, short events, go_site where)
{
    if (fd < 0) {
        /* poll(2) ignores a negative descriptor: it would wait forever. */
        errno = EBADF;
        return -1;
    }
    struct pollfd p = {fd, events, 0};
    int n;
    while ((n = poll(&p, 1, 0)) < 0 && errno == EINTR)
        ;
    if (n != 0)
        return n < 0 ? -1 : 0;
    /* The object is the descriptor's number: what Go's pollDesc stands for. */
    go__transition(g, GO__WAITING, GO__WAIT_NETWORK, where, (const void *)(uintptr_t)fd, NULL);
    while ((n = poll(&p, 1, -1)) < 0 && errno == EINTR)
        ;
    int saved = errno;
    go__transition(g, GO__RUNNABLE, GO__WAIT_NONE, no_site, NULL, NULL);
    go__transition(g, GO__RUNNING, GO__WAIT_NONE, no_site, NULL, NULL);
    errno = saved;
    return n < 0 ? -1 : 0;
}

ssize_t go_read_at(int fd, void *buf, size_t n, go_site where)
{
    go__g *g = go__current();
    enter_syscall(g, where);
    ssize_t r;
    while ((r = read(fd, buf, n)) < 0 && errno == EINTR)
        ;
    exit_syscall(g);
    return r;
}

ssize_t go_write_fd_at(int fd, const void *buf, size_t n, go_site where)
{
    go__g *g = go__current();
    enter_syscall(g, where);
    ssize_t r;
    while ((r = write(fd, buf, n)) < 0 && errno == EINTR)
        ;
    exit_syscall(g);
    return r;
}

/* EAGAIN (or EWOULDBLOCK) after a wait: another reader or writer got there first, or a
 * readiness the kernel reported spuriously; wait again. */
static bool try_again(ssize_t r)
{
    return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
}

int go_net_accept_at(int fd, struct sockaddr *addr, socklen_t *len, go_site where)
{
    go__g *g = go__current();
    int r;
    do {
        if (wait_ready(g, fd, POLLIN, where) != 0)
            return -1;
        enter_syscall(g, where);
        r = accept4(fd, addr, len, SOCK_CLOEXEC);
        exit_syscall(g);
    } while (try_again(r));
    return r;
}

ssize_t go_net_read_at(int fd, void *buf, size_t n, go_site where)
{
    go__g *g = go__current();
    ssize_t r;
    do {
        if (wait_ready(g, fd, POLLIN, where) != 0)
            return -1;
        enter_syscall(g, where);
        r = read(fd, buf, n);
        exit_syscall(g);
    } while (try_again(r));
    return r;
}

/* One write of what is left: send(2) without SIGPIPE on a socket, write(2) on anything else. */
static ssize_t write_some(int fd, const char *p, size_t n)
{
    ssize_t r = send(fd, p, n, MSG_NOSIGNAL);
    return r < 0 && errno == ENOTSOCK ? write(fd, p, n) : r;
}

ssize_t go_net_write_at(int fd, const void *buf, size_t n, go_site where)
{
    go__g *g = go__current();
    const char *p = buf;
    size_t done = 0;
    while (done < n) {
        if (wait_ready(g, fd, POLLOUT, where) != 0)
            return -1;
        enter_syscall(g, where);
        ssize_t r = write_some(fd, p + done, n - done);
        exit_syscall(g);
        if (r >= 0)
            done += (size_t)r;
        else if (!try_again(r))
            return -1;
    }
    return (ssize_t)n;
}

int go_net_connect_at(int fd, const struct sockaddr *addr, socklen_t len, go_site where)
{
    go__g *g = go__current();
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0)
        return -1;
    /* Started without blocking, so that the wait for the handshake is a network wait. */
    if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
        return -1;
    enter_syscall(g, where);
    int r = connect(fd, addr, len);
    exit_syscall(g);
    int err = r == 0 ? 0 : errno;
    if (err == EINPROGRESS || err == EINTR) {
        /* In progress (an interrupted connect goes on in the kernel): writable once made or
         * refused, and SO_ERROR says which. */
        socklen_t size = sizeof err;
        if (wait_ready(g, fd, POLLOUT, where) != 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &size) != 0)
            err = errno;
    }
    if (!(flags & O_NONBLOCK))
        fcntl(fd, F_SETFL, flags);
    errno = err;
    return err == 0 ? 0 : -1;
}
