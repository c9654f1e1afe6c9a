/* pprof_example.c - the library's optional parts as another project links them, installed:
 * gocurrent-gperf (a CPU profile) and gocurrent-http (the /debug/pprof/ server). Built by
 * check.cmake with find_package and with pkg-config, when the workbook's build has both parts. */
#include <stdio.h>

#include <gocurrent/pprof_gperf.h>
#include <gocurrent/pprof_http.h>

int main(void)
{
    const char *err = go_cpu_profile_start("cpu.prof");
    if (err != NULL) {
        fprintf(stderr, "go_cpu_profile_start: %s\n", err);
        return 1;
    }
    go_cpu_profile_stop();
    go_pprof_http *server = go_pprof_http_start(NULL, 0, &err);
    if (server == NULL) {
        fprintf(stderr, "go_pprof_http_start: %s\n", err);
        return 1;
    }
    int port = go_pprof_http_port(server);
    go_pprof_http_stop(server);
    printf("a CPU profile taken, /debug/pprof/ served: %s\n", port > 0 ? "yes" : "no");
    return 0;
}
