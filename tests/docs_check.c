/* docs-check: runs the command-and-output blocks of Markdown files and compares.
 *
 * usage: docs-check [--build-dir DIR] FILE.md...
 *
 * A block fenced with ```console holds commands, each on a line starting with "$ ", and below
 * each command the exact output it prints (stdout and stderr merged, as a terminal shows them):
 *
 *     ```console
 *     $ build/default/bin/01-arrays-slices declare
 *     [0 0 0 0 0]
 *     $ echo $?
 *     0
 *     ```
 *
 * The commands of one block run in order in one shell, from the current directory, so `echo $?`
 * reports the previous command's exit status. Where output varies from run to run (a duration,
 * a racy count), the README writes "…" (U+2026) in its place: it matches any run of characters
 * within that line. With --build-dir, "build/default/" in a command is
 * replaced by DIR/, so the same README is checked against the tsan or asan build's programs.
 * Exit status 0 if every output matches, 1 if any differs, 2 if a file cannot be read or has no
 * console block at all (a README with nothing checked is a mistake, not a pass).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "gocurrent/writer.h"

/* Separates the commands' outputs in the shell's combined output. */
static const char marker[] = "@@docs-check: end of command@@";

typedef struct command {
    const char *text;   /* after "$ ", up to the newline, not owned */
    size_t text_len;
    int line;           /* in the Markdown file */
    go_buffer expected; /* the lines below the command, each ending in '\n' */
} command;

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    go_buffer contents = GO_BUFFER_INIT;
    go_writer w = go_buffer_writer(&contents);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        go_write(w, chunk, n);
    fclose(f);
    go_write(w, "", 0);
    return contents.data ? contents.data : calloc(1, 1);
}

/* Appends `text` to the shell script with every "build/default/" replaced by build_dir + "/". */
static void append_rewritten(go_writer script, const char *text, size_t len, const char *build_dir)
{
    static const char from[] = "build/default/";
    const char *end = text + len;
    while (text < end) {
        const char *hit = build_dir ? strstr(text, from) : NULL;
        if (hit == NULL || hit >= end) {
            go_write(script, text, (size_t)(end - text));
            return;
        }
        go_write(script, text, (size_t)(hit - text));
        go_write(script, build_dir, strlen(build_dir));
        go_write(script, "/", 1);
        text = hit + strlen(from);
    }
}

static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 in UTF-8 */

/* Whether got[0..len) matches the expected text, where each "…" stands for any characters other
 * than a newline. Backtracks over the ellipsis positions, which are few. */
static bool matches(const char *want, const char *got, size_t len)
{
    const char *hole = strstr(want, ellipsis);
    if (hole == NULL)
        return strlen(want) == len && memcmp(want, got, len) == 0;
    size_t prefix = (size_t)(hole - want);
    if (prefix > len || memcmp(want, got, prefix) != 0)
        return false;
    const char *rest = hole + strlen(ellipsis);
    for (size_t skip = prefix; skip <= len; skip++) {
        if (matches(rest, got + skip, len - skip))
            return true;
        if (skip < len && got[skip] == '\n')
            break;
    }
    return false;
}

/* Runs the block's commands in one shell and compares each output. Returns the mismatch count. */
static int check_block(const char *path, command *commands, size_t count, const char *build_dir)
{
    go_buffer script = GO_BUFFER_INIT;
    go_writer w = go_buffer_writer(&script);
    go_write(w, "exec 2>&1\n", 10);
    for (size_t i = 0; i < count; i++) {
        append_rewritten(w, commands[i].text, commands[i].text_len, build_dir);
        /* Keep the command's status for a following `echo $?`, after printing the marker. */
        go_write(w, "\n__status=$?; printf '\\n%s\\n' '", 31);
        go_write(w, marker, strlen(marker));
        go_write(w, "'; (exit $__status)\n", 20);
    }

    fflush(NULL);
    FILE *shell = popen(go_buffer_string(&script), "r");
    go_buffer output = GO_BUFFER_INIT;
    char chunk[4096];
    size_t n;
    while (shell != NULL && (n = fread(chunk, 1, sizeof chunk, shell)) > 0)
        go_write(go_buffer_writer(&output), chunk, n);
    if (shell != NULL)
        pclose(shell);

    int mismatches = 0;
    char *cursor = output.data ? output.data : "";
    for (size_t i = 0; i < count; i++) {
        command *c = &commands[i];
        char *end = strstr(cursor, marker);
        /* The marker is printed after a '\n' of its own: drop that one to get the output. */
        size_t got_len = end ? (size_t)(end - cursor) - 1 : strlen(cursor);
        const char *want = go_buffer_string(&c->expected);
        if (end == NULL || !matches(want, cursor, got_len)) {
            mismatches++;
            fprintf(stderr, "%s:%d: $ %.*s\n--- the README shows:\n%s--- the command printed:\n%.*s---\n",
                    path, c->line, (int)c->text_len, c->text, want, (int)got_len, cursor);
        }
        if (end == NULL)
            break;
        cursor = end + strlen(marker) + 1;
    }
    go_buffer_free(&output);
    go_buffer_free(&script);
    return mismatches;
}

/* Checks every console block of one Markdown file. Returns mismatches, or -1 if unusable. */
static int check_file(const char *path, const char *build_dir, int *commands_run)
{
    char *text = read_file(path);
    if (text == NULL) {
        fprintf(stderr, "docs-check: cannot read %s\n", path);
        return -1;
    }
    int mismatches = 0, blocks = 0, line = 0;
    bool in_block = false;
    command commands[256];
    size_t count = 0;
    for (char *p = text; *p != '\0';) {
        char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        line++;
        if (!in_block && len >= 10 && strncmp(p, "```console", 10) == 0) {
            in_block = true;
            count = 0;
        } else if (in_block && len == 3 && strncmp(p, "```", 3) == 0) {
            in_block = false;
            blocks++;
            mismatches += check_block(path, commands, count, build_dir);
            *commands_run += (int)count;
            for (size_t i = 0; i < count; i++)
                go_buffer_free(&commands[i].expected);
        } else if (in_block && len >= 2 && strncmp(p, "$ ", 2) == 0) {
            if (count == sizeof commands / sizeof commands[0]) {
                fprintf(stderr, "%s:%d: more than %zu commands in one block\n", path, line, count);
                free(text);
                return -1;
            }
            commands[count++] = (command){p + 2, len - 2, line, GO_BUFFER_INIT};
        } else if (in_block && count > 0) {
            go_writer expected = go_buffer_writer(&commands[count - 1].expected);
            go_write(expected, p, len);
            go_write(expected, "\n", 1);
        } else if (in_block && len > 0) {
            fprintf(stderr, "%s:%d: output before the first \"$ \" command of a console block\n",
                    path, line);
            mismatches++;
        }
        p = eol ? eol + 1 : p + len;
    }
    free(text);
    if (in_block) {
        fprintf(stderr, "%s: a ```console block is never closed\n", path);
        return -1;
    }
    if (blocks == 0) {
        fprintf(stderr, "%s: no ```console block to check\n", path);
        return -1;
    }
    return mismatches;
}

int main(int argc, char **argv)
{
    const char *build_dir = NULL;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--build-dir") == 0) {
        build_dir = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: docs-check [--build-dir DIR] FILE.md...\n");
        return 2;
    }
    int mismatches = 0, commands_run = 0;
    for (int i = first; i < argc; i++) {
        int result = check_file(argv[i], build_dir, &commands_run);
        if (result < 0)
            return 2;
        mismatches += result;
    }
    printf("docs-check: %d commands run, %d outputs differ from the README\n", commands_run, mismatches);
    return mismatches ? 1 : 0;
}
