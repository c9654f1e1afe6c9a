/* export.c - `gotrace export --format=FORMAT FILE [-o OUT]`: the trace in another tool's
 * format, written as it is read. The formats are in their own files (export_go.c: Go 1.19's
 * execution trace, for `go tool trace`). A trace found broken midway leaves no output file
 * behind: the message says where, and the status is 1 (on stdout, what was written stays). */
#include <string.h>

#include "output.h"

int gt_export(gt_reader *r, const gt_options *o)
{
    static const struct {
        const char *name;
        int (*write)(gt_reader *, FILE *);
    } formats[] = {{"go", gt_export_go}};
    int (*write)(gt_reader *, FILE *) = NULL;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (o->export_format != NULL && strcmp(o->export_format, formats[i].name) == 0)
            write = formats[i].write;
    if (write == NULL) {
        fprintf(stderr, "gotrace: export needs --format=go%s%s\n", o->export_format ? ", not " : "",
                o->export_format ? o->export_format : "");
        return 2;
    }
    FILE *out = o->out;
    if (o->output != NULL && (out = fopen(o->output, "wb")) == NULL) {
        perror(o->output);
        return 1;
    }
    int status = write(r, out);
    if (o->output != NULL) {
        if ((ferror(out) | fclose(out)) != 0 && status == 0) {
            perror(o->output);
            status = 1;
        }
        if (status != 0)
            remove(o->output);
    }
    return status;
}
