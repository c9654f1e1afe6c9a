/* export.c - `gotrace export --format=FORMAT FILE [-o OUT]`: the trace in another tool's
 * format, written as it is read. The formats are in their own files (export_go.c: Go 1.19's
 * execution trace, for `go tool trace`), each a command of its own on o->out. A trace found
 * broken midway leaves no output file behind: the message says where, and the status is 1 (on
 * stdout, what was written stays). */
#include <string.h>

#include "output.h"

int gt_export(gt_reader *r, const gt_options *o)
{
    static const struct {
        const char *name;
        int (*run)(gt_reader *, const gt_options *);
    } formats[] = {{"go", gt_export_go}};
    int (*run)(gt_reader *, const gt_options *) = NULL;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (o->export_format != NULL && strcmp(o->export_format, formats[i].name) == 0)
            run = formats[i].run;
    if (run == NULL) {
        fprintf(stderr, "gotrace: export needs --format=go%s%s\n", o->export_format ? ", not " : "",
                o->export_format ? o->export_format : "");
        return 2;
    }
    gt_options to = *o;
    if (o->output != NULL && (to.out = fopen(o->output, "wb")) == NULL) {
        perror(o->output);
        return 1;
    }
    int status = run(r, &to);
    if (o->output != NULL) {
        if ((ferror(to.out) | fclose(to.out)) != 0 && status == 0) {
            perror(o->output);
            status = 1;
        }
        if (status != 0)
            remove(o->output);
    }
    return status;
}
