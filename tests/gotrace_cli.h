/* gotrace_cli.h - what the tests of gotrace (tools/gotrace) share: running its command line
 * and other tools through the shell, and naming their trace files. */
#ifndef GOCURRENT_TESTS_GOTRACE_CLI_H
#define GOCURRENT_TESTS_GOTRACE_CLI_H

/* A trace file of this test process's own, named after name, in the working directory (a
 * static buffer: the next call reuses it). */
const char *trace_path(const char *name);

/* Runs a shell command (stdout and stderr together) and returns its exit status, or -1 if it
 * died of a signal (a crash); its output in *output (free it). */
int run(char **output, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* The gotrace binary, from the environment (GOTRACE); a failed check if it is not set. */
const char *gotrace(void);

/* How many times needle occurs in haystack. */
int count(const char *haystack, const char *needle);

/* Traces, into path, a goroutine that ends its regions in the wrong order: "outer" begun, then
 * "inner", then "outer" ended before "inner" (a trace gotrace must refuse). */
void trace_regions_out_of_order(const char *path);

#endif
