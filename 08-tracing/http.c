/* http.c - the demo `http-trace`: a trace collected over HTTP, as Go's net/http/pprof serves
 * it: GET /debug/pprof/trace?seconds=N from the library's server (pprof_http.h), which needs
 * libmicrohttpd (Debian libmicrohttpd-dev); without it the demo says so. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "gocurrent/chan.h"
#include "gocurrent/sync.h"
#include "gocurrent/timer.h"
#include "gocurrent/trace.h"
#include "summary.h"
#include "tracing.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* What `curl -o path http://127.0.0.1:port/<target>` does, over HTTP/1.0 (no chunks): writes
 * the body to path and returns the status line, without its CRLF; with path NULL, returns the
 * status line and the body's first line, joined by ": ". */
const char *http_get(int port, const char *target, const char *path, char status[static 128])
{
    snprintf(status, 128, "no answer");
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0)
        go_panic("connect to 127.0.0.1:%d: %s", port, strerror(errno));
    dprintf(fd, "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", target);
    FILE *in = fdopen(fd, "rb");
    char line[512];
    if (fgets(line, sizeof line, in) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        snprintf(status, 128, "%.127s", line);
    }
    while (fgets(line, sizeof line, in) != NULL && strcmp(line, "\r\n") != 0)
        ; /* the headers */
    if (path == NULL && fgets(line, sizeof line, in) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        size_t len = strlen(status);
        snprintf(status + len, 128 - len, ": %.100s", line);
    }
    FILE *out = path != NULL ? fopen(path, "wb") : NULL;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        if (out != NULL)
            fwrite(chunk, 1, n, out);
    if (out != NULL && fclose(out) != 0)
        go_panic("writing %s: %s", path, strerror(errno));
    fclose(in);
    return status;
}

#ifdef CH08_HAVE_HTTP
#include "gocurrent/pprof_http.h"


typedef struct fetch {
    int port;
    go_chan *done; /* closed when the trace has been fetched */
    char status[128];
} fetch;

static void fetch_trace(void *arg)
{
    fetch *f = arg;
    http_get(f->port, "/debug/pprof/trace?seconds=1", "http.trace", f->status);
    go_close(f->done);
}

/* The program being traced: a ticker every 10ms, and a goroutine that handles each tick. */
static void handle_ticks(void *arg)
{
    go_chan *ticks = arg;
    while (go_recv_drop(ticks))
        burn(100 * GO_MICROSECOND);
    go_chan_release(ticks);
}

void demo_http_trace(void)
{
    const char *err;
    go_pprof_http *srv = go_pprof_http_start(NULL, 0, &err);
    if (srv == NULL)
        go_panic("go_pprof_http_start: %s", err);
    go_chan *ticks = go_make_chan(go_int, 0);
    go(handle_ticks, go_chan_retain(ticks));

    fetch f = {go_pprof_http_port(srv), go_make_chan(bool, 0), ""};
    go(fetch_trace, &f);
    /* A second request, once the first has started tracing, must be refused; here at the
     * notes' path, /debug/trace, which the server also serves. */
    while (!go_trace_is_enabled())
        sched_yield();
    char second[128];
    http_get(f.port, "/debug/trace?seconds=1", NULL, second);

    go_ticker *ticker = go_ticker_new(10 * GO_MILLISECOND);
    bool fetched = false;
    while (!fetched) {
        if (go_select(GO_RECV_DROP(go_ticker_chan(ticker)), GO_RECV_DROP(f.done)) == 0)
            go_send(ticks, go_int, 1);
        else
            fetched = true;
    }
    go_ticker_stop(ticker);
    go_close(ticks);
    go_chan_release(ticks);
    go_chan_release(f.done);
    go_pprof_http_stop(srv);

    printf("GET /debug/pprof/trace?seconds=1: %s\n", f.status);
    printf("GET /debug/trace?seconds=1 meanwhile: %s\n", second);
    trace_summary s;
    trace_summarize("http.trace", &s);
    const trace_group *h = trace_group_of(&s, "handle_ticks");
    char b[16];
    printf("http.trace: %s long, handle_ticks ran %s in it\n", trace_ms(b, s.wall_ns),
           trace_ms((char[16]){0}, h->ns[GT_EXEC]));
    printf("the trace covers the second asked for: %s\n", truth(s.wall_ns > 0.95e9 && s.wall_ns < 5e9));
}
#else
void demo_http_trace(void)
{
    printf("skipped: the HTTP server needs libmicrohttpd (apt-get install libmicrohttpd-dev)\n");
}
#endif
