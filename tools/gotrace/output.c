/* output.c - quoting for the output formats, fast numbers (output.h). */
#define _GNU_SOURCE /* fwrite_unlocked: gotrace writes from one thread */
#include "output.h"

#include <stdbool.h>
#include <stdint.h>

void gt_json_string(FILE *out, const char *s, size_t n)
{
    putc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c == '<') /* '<' too, as Go's encoding/json: safe inside HTML's <script> */
            fprintf(out, "\\u%04x", c);
        else
            putc(c, out); /* other bytes as they are: the program's strings, UTF-8 or not */
    }
    putc('"', out);
}

void gt_csv_field(FILE *out, const char *s, size_t n)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        fwrite(s, 1, n, out);
        return;
    }
    putc('"', out);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            putc('"', out);
        putc(s[i], out);
    }
    putc('"', out);
}

void gt_put_u64(FILE *out, uint64_t v)
{
    char digits[20];
    size_t n = sizeof digits;
    do
        digits[--n] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    fwrite_unlocked(digits + n, 1, sizeof digits - n, out);
}

void gt_put_us(FILE *out, int64_t ns)
{
    if (ns < 0) {
        putc('-', out);
        ns = -ns;
    }
    gt_put_u64(out, (uint64_t)ns / 1000);
    char frac[4] = {'.', (char)('0' + ns / 100 % 10), (char)('0' + ns / 10 % 10), (char)('0' + ns % 10)};
    fwrite_unlocked(frac, 1, sizeof frac, out);
}

void gt_copy(FILE *from, FILE *to)
{
    char buf[1 << 16];
    size_t n;
    rewind(from);
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        fwrite(buf, 1, n, to);
}
