/* pprof_http.c - net/http/pprof on libmicrohttpd (gocurrent/pprof_http.h).
 *
 * libmicrohttpd calls handle() for each request, on one of the pool's threads, several times:
 * first with no body (we make the request's state), then with each piece of the body (kept),
 * then once more with none, when we answer. Every answer is built whole in memory, then handed
 * to libmicrohttpd, which frees it after sending. complete() frees the request's state.
 */
#include "gocurrent/pprof_http.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gocurrent/fmt.h"
#include "gocurrent/pprof.h"
#include "gocurrent/trace.h"
#include "gocurrent/writer.h"
#include "pprof_gperf_hooks.h"

struct go_pprof_http {
    struct MHD_Daemon *daemon;
    int port;
};

enum {
    max_seconds = 3600,      /* a longer CPU profile is refused: surely a typo */
    max_body = 1 << 20,      /* a symbol request's body: 1 MB of addresses is plenty */
};

/* One request's state: its body so far. */
typedef struct request {
    go_buffer body;
    bool too_long;
} request;

/* ---- Answers ---- */

/* Queues the answer `status` with the bytes of b, which it takes (libmicrohttpd frees them once
 * sent) and leaves empty. disposition: a Content-Disposition header, or NULL. */
static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *type,
                              go_buffer *b, const char *disposition)
{
    struct MHD_Response *r;
    if (b->len > 0) {
        r = MHD_create_response_from_buffer(b->len, b->data, MHD_RESPMEM_MUST_FREE);
        if (r == NULL)
            go_buffer_free(b);
    } else {
        go_buffer_free(b);
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    *b = (go_buffer)GO_BUFFER_INIT;
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (disposition != NULL)
        MHD_add_response_header(r, "Content-Disposition", disposition);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

/* Go's serveError: the status, and a plain-text line saying why. */
static enum MHD_Result fail(struct MHD_Connection *c, unsigned status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
static enum MHD_Result fail(struct MHD_Connection *c, unsigned status, const char *format, ...)
{
    go_buffer b = GO_BUFFER_INIT;
    char line[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    n = n < 0 ? 0 : n < (int)sizeof line ? n : (int)sizeof line - 1;
    go_write(go_buffer_writer(&b), line, (size_t)n);
    go_write(go_buffer_writer(&b), "\n", 1);
    return answer(c, status, "text/plain; charset=utf-8", &b, NULL);
}

/* The query parameter `name` as an integer in [lo, hi], or `fallback` when absent. Returns false
 * when it is present but not such a number. */
static bool int_param(struct MHD_Connection *c, const char *name, long lo, long hi, long fallback,
                      long *value)
{
    const char *text = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    if (text == NULL) {
        *value = fallback;
        return true;
    }
    char *end;
    errno = 0;
    *value = strtol(text, &end, 10);
    return errno == 0 && end != text && *end == '\0' && *value >= lo && *value <= hi;
}

/* ---- Endpoints ---- */

static const char *const profiles[][2] = {
    {"block", "Stack traces that led to blocking on synchronization primitives"},
    {"cmdline", "The command line invocation of the current program"},
    {"goroutine", "Stack traces of all current goroutines"},
    {"heap", "Memory allocations of live objects, and all allocations (tcmalloc's heap profile)"},
    {"mutex", "Stack traces of holders of contended mutexes"},
    {"profile", "CPU profile. You can specify the duration in the seconds GET parameter."},
    {"threadcreate", "Stack traces that led to the creation of new OS threads"},
    {"trace", "A trace of execution of the current program (the library's format: lib/src/trace_format.h). "
              "You can specify the duration in the seconds GET parameter."},
};

static enum MHD_Result serve_index(struct MHD_Connection *c)
{
    go_buffer b = GO_BUFFER_INIT;
    go_writer w = go_buffer_writer(&b);
    go_fprintf(w, "<html>\n<head>\n<title>/debug/pprof/</title>\n</head>\n<body>\n"
                  "/debug/pprof/<br>\n<br>\nTypes of profiles available:\n<ul>\n");
    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
        go_fprintf(w, "<li><a href=\"%s%s\">%s</a>: %s</li>\n", profiles[i][0],
                   strcmp(profiles[i][0], "goroutine") == 0 ? "?debug=1" : "", profiles[i][0],
                   profiles[i][1]);
    go_fprintf(w, "</ul>\n</body>\n</html>\n");
    return answer(c, MHD_HTTP_OK, "text/html; charset=utf-8", &b, NULL);
}

/* block, mutex, goroutine, threadcreate: go_profile_write, text for debug > 0 as Go sends. */
static enum MHD_Result serve_profile(struct MHD_Connection *c, const char *name)
{
    long debug;
    if (!int_param(c, "debug", 0, 2, 0, &debug))
        return fail(c, MHD_HTTP_BAD_REQUEST, "Bad debug parameter: want 0, 1 or 2");
    go_buffer b = GO_BUFFER_INIT;
    if (!go_profile_write(name, go_buffer_writer(&b), (int)debug)) {
        go_buffer_free(&b);
        return fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Could not write the %s profile", name);
    }
    bool text = debug > 0 || strcmp(name, "goroutine") != 0;
    char disposition[64];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
    return answer(c, MHD_HTTP_OK, text ? "text/plain; charset=utf-8" : "application/octet-stream",
                  &b, text ? NULL : disposition);
}

/* Appends the whole file at fd to b. Returns false on a read error. */
static bool read_all(int fd, go_buffer *b)
{
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        go_write(go_buffer_writer(b), chunk, (size_t)n);
    return n == 0;
}

/* Sleeps `seconds`, whatever signals arrive meanwhile (the CPU profiler's SIGPROF cuts nanosleep
 * short with EINTR: sleep what is left). */
static void sleep_seconds(long seconds)
{
    struct timespec left = {seconds, 0};
    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        continue;
}

/* Sends the file at fd, a finished profile or trace named `name`, and closes it. */
static enum MHD_Result send_file(struct MHD_Connection *c, int fd, const char *name)
{
    go_buffer b = GO_BUFFER_INIT;
    bool ok = lseek(fd, 0, SEEK_SET) == 0 && read_all(fd, &b);
    close(fd);
    if (!ok) {
        go_buffer_free(&b);
        return fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Could not read the %s", name);
    }
    char disposition[64];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
    return answer(c, MHD_HTTP_OK, "application/octet-stream", &b, disposition);
}

/* A temporary file, already unlinked: the descriptor is all that is left of it. Returns -1 if
 * none can be made; path receives its name, for writers that want one. */
static int temporary(char path[static 32])
{
    strcpy(path, "/tmp/gocurrent-pprof-XXXXXX");
    return mkstemp(path);
}

/* profile?seconds=N: libprofiler writes only to a file, so profile into a temporary one for N
 * seconds (this pool thread sleeps; the others serve on), then send it. */
static enum MHD_Result serve_cpu(struct MHD_Connection *c)
{
    long seconds;
    if (!int_param(c, "seconds", 1, max_seconds, 30, &seconds))
        return fail(c, MHD_HTTP_BAD_REQUEST, "Bad seconds parameter: want a whole number from 1 to %d",
                    max_seconds);
    if (&go__gperf_hooks == NULL)
        return fail(c, MHD_HTTP_NOT_IMPLEMENTED,
                    "CPU profiling needs the program linked with gocurrent-gperf (gperftools)");
    char path[32];
    int fd = temporary(path);
    if (fd < 0)
        return fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Could not create a temporary file");
    const char *err = go__gperf_hooks.cpu_start(path);
    unlink(path); /* libprofiler opens its own descriptor now */
    if (err != NULL) {
        close(fd);
        return fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Could not enable CPU profiling: %s", err);
    }
    sleep_seconds(seconds);
    go__gperf_hooks.cpu_stop();
    return send_file(c, fd, "profile");
}

/* trace?seconds=N (default 1, as Go's): the library's execution trace of the next N seconds.
 * One at a time, as Go's: while one runs (or the program traces itself), go_trace_start fails
 * and the request gets Go's 500 "Could not enable tracing: tracing is already enabled"; the
 * other threads of the pool go on serving. */
static enum MHD_Result serve_trace(struct MHD_Connection *c)
{
    long seconds;
    if (!int_param(c, "seconds", 1, max_seconds, 1, &seconds))
        return fail(c, MHD_HTTP_BAD_REQUEST, "Bad seconds parameter: want a whole number from 1 to %d",
                    max_seconds);
    char path[32];
    int fd = temporary(path);
    if (fd < 0)
        return fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Could not create a temporary file");
    unlink(path);
    int err = go_trace_start(fd);
    if (err != 0) {
        close(fd);
        return fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Could not enable tracing: %s",
                    go_trace_strerror(err));
    }
    sleep_seconds(seconds);
    if ((err = go_trace_stop()) != 0) {
        close(fd);
        return fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Could not write the trace: %s",
                    go_trace_strerror(err));
    }
    return send_file(c, fd, "trace");
}

static enum MHD_Result serve_heap(struct MHD_Connection *c)
{
    if (&go__gperf_hooks == NULL)
        return fail(c, MHD_HTTP_NOT_IMPLEMENTED,
                    "The heap profile needs the program linked with gocurrent-gperf (gperftools)");
    go_buffer b = GO_BUFFER_INIT;
    if (!go__gperf_hooks.heap_write(go_buffer_writer(&b))) {
        go_buffer_free(&b);
        return fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
                    "Could not write the heap profile: it is not running (go_heap_profile_start)");
    }
    return answer(c, MHD_HTTP_OK, "text/plain; charset=utf-8", &b, NULL);
}

/* symbol: GET says symbols can be looked up; a POST of `0xa+0xb+...` (or the same in the query
 * string) is answered with a line `0xa name` for each address dladdr can name. */
static enum MHD_Result serve_symbol(struct MHD_Connection *c, bool post, request *req)
{
    go_buffer b = GO_BUFFER_INIT;
    go_writer w = go_buffer_writer(&b);
    const char *list = post ? go_buffer_string(&req->body) : NULL;
    if (list == NULL) {
        go_fprintf(w, "num_symbols: 1\n");
        return answer(c, MHD_HTTP_OK, "text/plain; charset=utf-8", &b, NULL);
    }
    for (const char *p = list; *p != '\0';) {
        char *end;
        uintptr_t pc = (uintptr_t)strtoull(p, &end, 16);
        if (end == p)
            break;
        Dl_info info;
        if (dladdr((void *)pc, &info) != 0 && info.dli_sname != NULL)
            go_fprintf(w, "%#jx %s\n", (uintmax_t)pc, info.dli_sname);
        p = end + (*end == '+');
    }
    return answer(c, MHD_HTTP_OK, "text/plain; charset=utf-8", &b, NULL);
}

/* cmdline: /proc/self/cmdline, whose size stat says is 0, so read to the end. Go joins the
 * arguments with NULs and ends with none. */
static enum MHD_Result serve_cmdline(struct MHD_Connection *c)
{
    go_buffer b = GO_BUFFER_INIT;
    int fd = open("/proc/self/cmdline", O_RDONLY);
    if (fd < 0 || !read_all(fd, &b)) {
        if (fd >= 0)
            close(fd);
        go_buffer_free(&b);
        return fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Could not read the command line");
    }
    close(fd);
    if (b.len > 0 && b.data[b.len - 1] == '\0')
        b.len--;
    return answer(c, MHD_HTTP_OK, "text/plain; charset=utf-8", &b, NULL);
}

/* Routes one complete request. */
static enum MHD_Result route(struct MHD_Connection *c, const char *url, const char *method,
                             request *req)
{
    static const char prefix[] = "/debug/pprof/";
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    /* /debug/trace: the handler Go programs commonly register beside net/http/pprof's
     * (trace.Start(w), sleep, trace.Stop()), the same trace as /debug/pprof/trace. */
    if (strcmp(url, "/debug/trace") == 0)
        return get ? serve_trace(c) : fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Method Not Allowed");
    if (strncmp(url, prefix, sizeof prefix - 1) != 0)
        return fail(c, MHD_HTTP_NOT_FOUND, "404 page not found");
    const char *name = url + sizeof prefix - 1;
    bool post = strcmp(method, "POST") == 0;
    if (!get && !(post && strcmp(name, "symbol") == 0))
        return fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Method Not Allowed");
    if (req->too_long)
        return fail(c, MHD_HTTP_BAD_REQUEST, "Request body over %d bytes", max_body);
    if (*name == '\0')
        return serve_index(c);
    if (strcmp(name, "profile") == 0)
        return serve_cpu(c);
    if (strcmp(name, "heap") == 0)
        return serve_heap(c);
    if (strcmp(name, "trace") == 0)
        return serve_trace(c);
    if (strcmp(name, "symbol") == 0)
        return serve_symbol(c, post, req);
    if (strcmp(name, "cmdline") == 0)
        return serve_cmdline(c);
    if (strcmp(name, "contention") == 0)
        return serve_profile(c, "mutex");
    if (strcmp(name, "block") == 0 || strcmp(name, "mutex") == 0 ||
        strcmp(name, "goroutine") == 0 || strcmp(name, "threadcreate") == 0)
        return serve_profile(c, name);
    return fail(c, MHD_HTTP_NOT_FOUND, "Unknown profile");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **state)
{
    (void)cls, (void)version;
    request *req = *state;
    if (req == NULL) {
        if ((req = calloc(1, sizeof *req)) == NULL)
            return MHD_NO;
        *state = req;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (req->body.len + *upload_data_size > max_body)
            req->too_long = true;
        else
            go_write(go_buffer_writer(&req->body), upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return route(c, url, method, req);
}

static void complete(void *cls, struct MHD_Connection *c, void **state,
                     enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    request *req = *state;
    if (req != NULL) {
        go_buffer_free(&req->body);
        free(req);
    }
    *state = NULL;
}

go_pprof_http *go_pprof_http_start(const char *host, int port, const char **error)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (port < 0 || port > 65535 || inet_pton(AF_INET, host != NULL ? host : "127.0.0.1",
                                               &addr.sin_addr) != 1) {
        *error = "not an IPv4 address and port";
        return NULL;
    }
    go_pprof_http *server = calloc(1, sizeof *server);
    if (server == NULL) {
        *error = "out of memory";
        return NULL;
    }
    /* A pool of threads, each polling with epoll: a request that takes long (a CPU profile)
     * holds one thread, and the others go on serving. */
    server->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, handle, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)GO_PPROF_HTTP_THREADS,
        MHD_OPTION_NOTIFY_COMPLETED, complete, NULL, MHD_OPTION_END);
    const union MHD_DaemonInfo *info =
        server->daemon != NULL ? MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT)
                               : NULL;
    if (info == NULL) {
        if (server->daemon != NULL)
            MHD_stop_daemon(server->daemon);
        free(server);
        *error = "cannot listen on that address and port";
        return NULL;
    }
    server->port = info->port;
    return server;
}

int go_pprof_http_port(const go_pprof_http *server)
{
    return server->port;
}

void go_pprof_http_stop(go_pprof_http *server)
{
    MHD_stop_daemon(server->daemon);
    free(server);
}
