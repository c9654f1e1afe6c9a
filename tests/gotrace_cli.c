/* gotrace_cli.c - the gotrace tests' shared helpers (gotrace_cli.h). */
#define _POSIX_C_SOURCE 200809L /* popen */
#include "gotrace_cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "gocurrent/trace.h"

const char *trace_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "test_gotrace-%s-%d.out", name, (int)getpid());
    return path;
}

int run(char **output, const char *format, ...)
{
    char inner[1024], command[1100];
    va_list args;
    va_start(args, format);
    vsnprintf(inner, sizeof inner, format, args);
    va_end(args);
    snprintf(command, sizeof command, "(%s) 2>&1", inner);
    FILE *p = popen(command, "r");
    CHECK(p != NULL);
    size_t len = 0, cap = 4096;
    char *out = malloc(cap);
    size_t n;
    while ((n = fread(out + len, 1, cap - len - 1, p)) > 0)
        if ((len += n) == cap - 1)
            out = realloc(out, cap *= 2);
    out[len] = '\0';
    int status = pclose(p);
    *output = out;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *gotrace(void)
{
    const char *g = getenv("GOTRACE");
    CHECK(g != NULL);
    return g != NULL ? g : "false";
}

int count(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

void trace_regions_out_of_order(const char *path)
{
    CHECK_EQ(go_trace_start_file(path), 0);
    go_trace_region outer = go_trace_start_region(0, "outer");
    go_trace_region inner = go_trace_start_region(0, "inner");
    go_trace_end_region(outer);
    go_trace_end_region(inner);
    CHECK_EQ(go_trace_stop(), 0);
}
