/* fuzz_reader.c - the libFuzzer target for gotrace: any bytes, read as a trace by each command
 * but pprof (whose encoder is the library's), every exporter included (go, json, html), must end
 * in an answer or an error message, never a crash, a hang or a leak. Seeds: tests/gotrace/corpus (real traces). */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include <stdio.h>

#include "output.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static FILE *devnull;
    if (devnull == NULL)
        devnull = fopen("/dev/null", "w");
    if (size == 0 || devnull == NULL)
        return 0; /* fmemopen refuses an empty buffer */
    static int (*const commands[])(gt_reader *, const gt_options *) = {gt_stats, gt_tasks,  gt_regions,
                                                                       gt_dump,  gt_export, gt_export, gt_html};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        FILE *f = fmemopen((void *)data, size, "rb");
        if (f == NULL)
            return 0;
        gt_reader r;
        gt_options o = {.format = (gt_format)(i % 3), .out = devnull, .export_format = i == 4 ? "go" : "json", .to_ms = -1};
        if (gt_open_file(&r, f))
            commands[i](&r, &o);
        gt_close(&r);
        fclose(f);
    }
    return 0;
}
