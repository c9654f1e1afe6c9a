/* tracing.h - what the chapter's files share: the demos defined outside tracing.c, and the
 * helpers every demo uses. */
#ifndef CH08_TRACING_H
#define CH08_TRACING_H

#include <stdbool.h>
#include <stdint.h>

#include "gocurrent/goroutine.h"

/* trace.Start(path) and trace.Stop(), with a panic naming the file and the error when either
 * fails (a demo cannot go on without its trace). */
void trace_begin(const char *path);
void trace_end(const char *path);

/* The calling thread's CPU time, and the whole process's, in ns. */
int64_t thread_cpu_ns(void);
double process_cpu_ns(void);

/* Computes until the calling thread has used cpu ns of CPU: work, as a go_sleep is waiting. */
void burn(go_duration cpu);

/* "true" or "false", as Go prints a bool: the demos' verdicts. */
const char *truth(bool b);

/* overhead.c */
void demo_overhead(void);

/* http.c */
void demo_http_trace(void);
/* GET http://127.0.0.1:port<target> over HTTP/1.0, as `curl -o path` does: writes the body to
 * path and returns the status line (in status); with path NULL, returns the status line and
 * the body's first line, joined by ": ". Panics if it cannot connect. */
const char *http_get(int port, const char *target, const char *path, char status[static 128]);

/* flight.c */
void demo_flight_recorder(void);

/* server.c */
void demo_encrypt_server(void);

#endif
