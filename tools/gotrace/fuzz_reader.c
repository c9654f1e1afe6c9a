/* fuzz_reader.c - the libFuzzer target for gotrace's reader: any bytes, read as a trace and
 * fed to the goroutine analysis, must end in events or an error message, never a crash, a
 * hang or a leak. Seeds: tests/gotrace/corpus (real traces). */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include <stdio.h>

#include "goroutines.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size == 0)
        return 0; /* fmemopen refuses an empty buffer */
    FILE *f = fmemopen((void *)data, size, "rb");
    if (f == NULL)
        return 0;
    gt_reader r;
    if (gt_open_file(&r, f)) {
        gt_goroutines a = {.clock = r.clock};
        const gt_event *e;
        while ((e = gt_next(&r)) != NULL)
            gt_goroutines_event(&a, e);
        gt_goroutines_finish(&a);
        gt_goroutines_free(&a);
    }
    gt_close(&r);
    fclose(f);
    return 0;
}
