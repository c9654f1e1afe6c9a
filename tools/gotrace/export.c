/* export.c - `gotrace export --format=FORMAT FILE [-o OUT]`: the trace in another tool's
 * format, written as it is read. Each format is a command of its own on o->out (export_go.c:
 * Go 1.19's execution trace, for `go tool trace`; export_json.c: Chrome Trace Event JSON, for
 * Perfetto). main.c writes -o OUT through a temporary file, so a trace found broken midway
 * leaves no output file behind: the message says where, and the status is 1. */
#include <string.h>

#include "output.h"
#include "view.h"

int gt_export(gt_reader *r, const gt_options *o)
{
    static const struct {
        const char *name;
        int (*run)(gt_reader *, const gt_options *);
    } formats[] = {{"go", gt_export_go}, {"json", gt_export_json}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (o->export_format != NULL && strcmp(o->export_format, formats[i].name) == 0)
            return formats[i].run(r, o);
    fprintf(stderr, "gotrace: export needs --format=go or --format=json%s%s\n", o->export_format ? ", not " : "",
            o->export_format ? o->export_format : "");
    return 2;
}
