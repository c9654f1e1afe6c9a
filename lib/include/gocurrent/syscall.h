/* syscall.h - system calls and network I/O the runtime knows about, as Go's os and net do.
 *
 *     ssize_t n = go_read(fd, buf, sizeof buf);            // f.Read(buf): a blocking syscall
 *     int conn = go_net_accept(listener, NULL, NULL);      // ln.Accept(): waits like the netpoller
 *     n = go_net_read(conn, buf, sizeof buf);              // conn.Read(buf)
 *
 * A goroutine that calls read(2) directly is, as far as the runtime can tell, running. These
 * wrappers tell it what the goroutine is doing instead, as Go's runtime knows:
 *   - go_read and go_write are blocking system calls: the goroutine is in Go's "syscall" state
 *     for the call's length (a dump says [syscall]; the tracer records Go's GoSysCall, GoSysBlock
 *     and GoSysExit as one SYSCALL event and one SYSEXIT, and `gotrace stats` counts the time as
 *     Blocking syscall).
 *   - go_net_* wait for the descriptor to be ready first, the way Go's network poller does: while
 *     it is not, the goroutine is waiting with Go's reason "IO wait" (a dump says [IO wait]; the
 *     tracer records a network block, and the wake-up by the poller, no goroutine; `gotrace
 *     stats` counts it as Network wait); then it makes the call, traced as a syscall. Where Go
 *     has one poller thread for every descriptor, each goroutine here waits in poll(2) on its own
 *     thread: the same states, without a poller thread.
 *
 * Contract, for all of them:
 *   - they return what the system call returns, and on failure -1 with errno set by the call
 *     (errno is preserved past the runtime's bookkeeping, which may make calls of its own);
 *   - EINTR is never returned: an interrupted call is made again, as Go's os and net packages do;
 *   - the descriptor may be blocking or non-blocking (O_NONBLOCK): go_net_* wait for readiness
 *     either way and never return EAGAIN; go_read and go_write on a non-blocking descriptor
 *     return EAGAIN as read(2) does. A goroutine that another one beats to the data after the
 *     wait (two readers of one descriptor) blocks in the call, on a blocking descriptor;
 *   - the deadlock detector does not count a goroutine in a system call or a network wait as
 *     blocked (the outside world may wake it), as Go's does not: a program whose other
 *     goroutines all wait on channels while one reads a socket is not deadlocked;
 *   - go_net_write does not raise SIGPIPE on a socket whose peer is gone: it fails with EPIPE,
 *     as Go's net package does (on a pipe, write(2)'s signal is the caller's to handle);
 *   - called from a thread the runtime did not start, the thread becomes a goroutine first, as
 *     with any blocking call of the library. In a fork()ed child they are fatal errors, as every
 *     blocking operation is (goroutine.h).
 * The macros record the caller's line, for the trace and dumps; the _at functions take it. */
#ifndef GOCURRENT_SYSCALL_H
#define GOCURRENT_SYSCALL_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "panic.h"
#include "writer.h" /* go_write: both writers' */

#ifdef __cplusplus
extern "C" {
#endif

/* read(2) as a blocking system call: returns what read returns (0 at the end of the file). */
#define go_read(fd, buf, n) go_read_at((fd), (buf), (n), GO_HERE)
ssize_t go_read_at(int fd, void *buf, size_t n, go_site where);

/* write(2) as a blocking system call: returns what one write returns (possibly fewer than n
 * bytes, as write(2)).
 * go_write is also writer.h's io.Writer call, go_write(w, bytes, n) on a go_writer: in C the
 * macro chooses by its first argument's type (a go_writer, or a descriptor); C++ calls
 * go_write_fd_at or go_write_at by name. */
ssize_t go_write_fd_at(int fd, const void *buf, size_t n, go_site where);
#ifndef __cplusplus
#undef go_write
#define go_write(w, bytes, n) \
    _Generic((w), go_writer: go_write_at, default: go_write_fd_at)((w), (bytes), (n), GO_HERE)
#endif

/* accept(2) on listening socket fd, after waiting (IO wait) for a connection: returns the new
 * connection's descriptor, made close-on-exec (as Go's are); addr and len as accept's (both may
 * be NULL). */
#define go_net_accept(fd, addr, len) go_net_accept_at((fd), (addr), (len), GO_HERE)
int go_net_accept_at(int fd, struct sockaddr *addr, socklen_t *len, go_site where);

/* read(2) after waiting (IO wait) until fd has data or its end: returns what one read returns,
 * at most n bytes, 0 at the end (net.Conn.Read). Any pollable descriptor: socket, pipe. */
#define go_net_read(fd, buf, n) go_net_read_at((fd), (buf), (n), GO_HERE)
ssize_t go_net_read_at(int fd, void *buf, size_t n, go_site where);

/* Writes all n bytes, waiting (IO wait) whenever fd cannot take more (net.Conn.Write): returns
 * n; or -1 and errno if a write fails, some bytes perhaps already sent. */
#define go_net_write(fd, buf, n) go_net_write_at((fd), (buf), (n), GO_HERE)
ssize_t go_net_write_at(int fd, const void *buf, size_t n, go_site where);

/* connect(2) as Go's net.Dial does it: starts the connection without blocking, waits (IO wait)
 * until it is made or refused, and returns 0, or -1 with the connection's error in errno
 * (ECONNREFUSED, ...). fd's O_NONBLOCK flag is as the caller left it when this returns. */
#define go_net_connect(fd, addr, len) go_net_connect_at((fd), (addr), (len), GO_HERE)
int go_net_connect_at(int fd, const struct sockaddr *addr, socklen_t len, go_site where);

#ifdef __cplusplus
}
#endif

#endif
