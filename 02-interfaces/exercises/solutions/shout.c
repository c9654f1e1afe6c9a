/* Reference solution to exercise 2 of chapter 02: your own go_writer.
 *
 * Task: write shout_write, the write method of a writer that passes everything on to the writer
 * it wraps (s->out) but writes every '!' twice, so that "Woof!" comes out as "Woof!!". It must
 * return n, the number of bytes it was given, as io.Writer's Write does on success. The table,
 * shout_writer_type, is already there.
 * Then run `GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R 02-interfaces/shout`.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gocurrent/fmt.h"
#include "gocurrent/writer.h"

typedef struct shout {
    go_writer out;
} shout;

static size_t shout_write(void *self, const void *bytes, size_t n)
{
    shout *s = self;
    const char *text = bytes;
    for (size_t i = 0; i < n; i++) {
        go_write(s->out, &text[i], 1);
        if (text[i] == '!')
            go_write(s->out, "!", 1);
    }
    return n;
}

static const go_writer_type shout_writer_type = {"*main.shout", shout_write};

/* ---- The check: leave it as it is ---------------------------------------------------------- */

int main(void)
{
    go_buffer buffer = GO_BUFFER_INIT;
    shout s = {go_buffer_writer(&buffer)};
    go_writer w = {&shout_writer_type, &s};
    size_t n = go_fprintf(w, "%s says %s\n", "main.Dog", "Woof!");
    go_fprintf(w, "Moo! Moo!\n");

    const char *want = "main.Dog says Woof!!\nMoo!! Moo!!\n";
    const char *got = go_buffer_string(&buffer);
    printf("%s", got);
    bool ok = strcmp(got, want) == 0;
    if (!ok)
        printf("WRONG: want\n%s", want);
    if (n != strlen("main.Dog says Woof!\n")) {
        printf("WRONG: go_fprintf says %zu bytes were written; write must return n, the bytes it "
               "was given\n", n);
        ok = false;
    }
    go_buffer_free(&buffer);
    return ok ? 0 : 1;
}
