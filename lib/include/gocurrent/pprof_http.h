/* pprof_http.h - the profiles over HTTP, as Go's net/http/pprof serves them. Link the target
 * `gocurrent-http` (Debian libmicrohttpd-dev).
 *
 *     go_pprof_http *srv = go_pprof_http_start(NULL, 6060, &err);  // import _ "net/http/pprof"
 *     ... go tool pprof http://127.0.0.1:6060/debug/pprof/block ...
 *     go_pprof_http_stop(srv);
 *
 * Endpoints, under /debug/pprof/ (GET or HEAD; POST too for symbol):
 *   (the index)          a page listing the profiles, like Go's
 *   profile?seconds=N    a CPU profile of the next N seconds (default 30), gperftools' binary
 *                        format; needs the program linked with gocurrent-gperf
 *   heap                 the heap profile so far (tcmalloc's text); needs gocurrent-gperf and
 *                        the heap profile started (go_heap_profile_start), else answers 500
 *   block, mutex         the block and mutex profiles (pprof.h); `contention` is mutex under
 *                        the name google-pprof asks for
 *   goroutine?debug=N    the goroutine profile: 0 proto, 1 text, 2 dumps (pprof.h)
 *   threadcreate         the threadcreate profile
 *   symbol               GET: `num_symbols: 1`; POST `0xa+0xb`: a `0xa name` line for each
 *                        address it can name (dladdr: exported symbols; link with -rdynamic),
 *                        so google-pprof can read profiles without the binary
 *   cmdline              the program's arguments, NUL-separated
 *   trace?seconds=N      an execution trace of the next N seconds (default 1), in the library's
 *                        own format (trace.h), not Go's: go tool trace does not read it (gotrace
 *                        reads it). Also at /debug/trace?seconds=N, the path of the handler Go
 *                        programs often register themselves.
 * Bad requests get Go's answers: 400 for a `seconds` or `debug` that is not a number or is out
 * of range (seconds: 1 to 3600), 404 for an unknown path, 405 for another method, and 500 with
 * "Could not enable CPU profiling: cpu profiling already in use" for a second CPU profile while
 * one runs ("Could not enable tracing: tracing is already enabled" for a second trace). 501 says
 * a profile needs gocurrent-gperf.
 *
 * Requests are served by a pool of threads (libmicrohttpd's, not goroutines), so a 30 s CPU
 * profile holds one thread and never stalls the others.
 */
#ifndef GOCURRENT_PPROF_HTTP_H
#define GOCURRENT_PPROF_HTTP_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct go_pprof_http go_pprof_http;

enum { GO_PPROF_HTTP_THREADS = 4 }; /* the serving threads */

/* Starts serving on the IPv4 address `host` (NULL: 127.0.0.1, loopback only; "0.0.0.0" every
 * interface, which anyone who can reach the port may then profile) and `port` (0: one the
 * kernel picks, see go_pprof_http_port). Returns the server, or NULL with *error set to why not
 * (a static string) when the address is not IPv4 or the port cannot be bound. */
go_pprof_http *go_pprof_http_start(const char *host, int port, const char **error);

/* The port the server listens on. */
int go_pprof_http_port(const go_pprof_http *server);

/* Stops the server: waits for the requests being served (a CPU profile: until it ends), then
 * frees it. */
void go_pprof_http_stop(go_pprof_http *server);

#ifdef __cplusplus
}
#endif

#endif
