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
 *
 * Line references. Outside console blocks (whose output is checked by running it), every
 * reference to a line of a source file is checked against that file, so that a README cannot
 * point at a line that has moved. A reference is either
 *
 *     race.c:63, 06-race/race.c:63, …/06-race/race.c:63:9   a file name (.c, .h or .go) and a line
 *     line 63, Line 63, lines 63 and 70, line 15 of `counter.go`      a line in prose
 *
 * "line N" refers to the file named after "of", else to the last file named before it in the same
 * paragraph, else to the README's own program (the only .c file in the README's directory). A
 * file is looked up relative to the README's directory, then to the current directory (the
 * source root), then under the README's directory by its name alone. The rule: the same
 * paragraph must name what is on that line, with a code span (`...`, other than the reference
 * itself) that either occurs in the line (`counter++` names `counter++; // the race`) or is the
 * name of the function whose body holds the line (`increment`, as a sanitizer report names it).
 * So "Line 64 is `counter++`" fails as soon as `counter++` is no longer on line 64. Where lines
 * close together look alike (two `go_mutex_lock` calls), quote enough to tell them apart. A
 * reference inside a fenced block is named by the frame on the line above it, when the block
 * quotes a stack trace (`main.increment()` or `created by main.lookup` over `counter.go:15`: the
 * line must be in that function), or else by the paragraph just after the block. A file that is only an example and not in the repository is declared once in
 * the README, `<!-- docs-check: not in the repository: table.c -->`, and its references are not
 * checked.
 *
 * Working directory. Blocks run from the current directory (the source root), unless the README
 * declares once `<!-- docs-check: blocks run in build/default/ -->`: then each block's shell
 * first changes to that directory (rewritten as commands are), as a reader who followed the
 * README's `cd` would be. Chapter 07 does this: its demos write their profiles where they run.
 *
 * Exit status 0 if every output and line reference matches, 1 if any differs, 2 if a file cannot
 * be read or has no console block at all (a README with nothing checked is a mistake, not a
 * pass).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Runs the block's commands in one shell, in `workdir` if not NULL (workdir_len bytes), and
 * compares each output. Returns the mismatch count. */
static int check_block(const char *path, command *commands, size_t count, const char *build_dir,
                       const char *workdir, size_t workdir_len)
{
    go_buffer script = GO_BUFFER_INIT;
    go_writer w = go_buffer_writer(&script);
    go_write(w, "exec 2>&1\n", 10);
    if (workdir != NULL) {
        go_write(w, "cd '", 4);
        append_rewritten(w, workdir, workdir_len, build_dir);
        go_write(w, "' || exit 1\n", 12);
    }
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

/* ---------------------------------------------------------------- line references */

/* A paragraph of prose, or a fenced block other than a console block. */
typedef struct unit {
    int line;          /* its first line in the Markdown file */
    const char *text;  /* not owned: points into the file's text */
    size_t len;
    bool fenced;
} unit;

static void write_text(go_writer w, const char *text)
{
    go_write(w, text, strlen(text));
}

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '/' || c == '-';
}

/* Whether text[0..len) ends a source file name: ".c", ".h" or ".go". */
static size_t source_suffix(const char *text, size_t len)
{
    if (len >= 2 && text[len - 2] == '.' && (text[len - 1] == 'c' || text[len - 1] == 'h'))
        return 2;
    if (len >= 3 && strncmp(text + len - 3, ".go", 3) == 0)
        return 3;
    return 0;
}

/* Searches dir and its subdirectories (not build trees or hidden ones) for a file called name. */
static char *find_by_name(const char *dir, const char *name)
{
    go_buffer command = GO_BUFFER_INIT;
    go_writer w = go_buffer_writer(&command);
    write_text(w, "find '");
    write_text(w, dir);
    write_text(w, "' -name build -prune -o -name '.*' -prune -o -type f -name '");
    write_text(w, name);
    write_text(w, "' -print 2>/dev/null | sort | head -n 1");
    FILE *find = popen(go_buffer_string(&command), "r");
    go_buffer_free(&command);
    char found[4096] = "";
    if (find != NULL) {
        if (fgets(found, sizeof found, find) == NULL)
            found[0] = '\0';
        pclose(find);
    }
    found[strcspn(found, "\n")] = '\0';
    return found[0] ? strdup(found) : NULL;
}

/* The path of the file a README calls `name`, or NULL (see the header comment). */
static char *resolve_source(const char *readme_dir, const char *name)
{
    char path[4096];
    for (const char *rest = name; rest != NULL; rest = strchr(rest, '/')) {
        while (*rest == '/')
            rest++;
        snprintf(path, sizeof path, "%s/%s", readme_dir, rest);
        if (is_regular_file(path))
            return strdup(path);
        if (is_regular_file(rest))
            return strdup(rest);
    }
    const char *base = strrchr(name, '/');
    return find_by_name(readme_dir, base ? base + 1 : name);
}

/* Line n (from 1) of the file, without its newline, or NULL past its end. */
static char *source_line(const char *text, long n)
{
    for (long i = 1; i < n; i++) {
        text = strchr(text, '\n');
        if (text == NULL)
            return NULL;
        text++;
    }
    if (*text == '\0')
        return NULL;
    return strndup(text, strcspn(text, "\n"));
}

/* The function whose body holds line n: the nearest line above it that starts in column 0 with a
 * name and holds a '(' (`static void transfer(account *from, ...)`, `func worker(id int)`),
 * unless a closing '}' in column 0 comes first. Writes its name to `name`. */
static bool enclosing_function(const char *text, long n, char *name, size_t size)
{
    for (long i = n; i >= 1; i--) {
        char *line = source_line(text, i);
        if (line == NULL)
            return false;
        bool found = false, outside = i < n && line[0] == '}';
        const char *paren = strchr(line, '(');
        if (!outside && (isalpha((unsigned char)line[0]) || line[0] == '_') && paren != NULL) {
            const char *open = paren;
            if (strncmp(line, "func (", 6) == 0) /* a Go method: skip the receiver */
                open = strchr(strchr(line, ')') ? strchr(line, ')') : line, '(');
            if (open != NULL) {
                const char *end = open;
                while (end > line && end[-1] == ' ')
                    end--;
                const char *start = end;
                while (start > line && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
                    start--;
                size_t name_len = (size_t)(end - start);
                snprintf(name, size, "%.*s", (int)name_len, start);
                found = name_len > 0;
            }
        }
        free(line);
        if (outside || found)
            return found;
    }
    return false;
}

/* Whether a code span names line `line` (number n) of the file `text`. */
static bool span_names(const char *span, size_t len, const char *text, long n, const char *line)
{
    while (len > 0 && isspace((unsigned char)*span))
        span++, len--;
    while (len > 0 && isspace((unsigned char)span[len - 1]))
        len--;
    if (len == 0)
        return false;
    char *needle = strndup(span, len);
    bool named = strstr(line, needle) != NULL;
    if (!named) {
        bool identifier = true;
        for (size_t i = 0; i < len; i++)
            identifier = identifier && (isalnum((unsigned char)span[i]) || span[i] == '_');
        char function[256];
        named = identifier && enclosing_function(text, n, function, sizeof function) &&
                strcmp(function, needle) == 0;
    }
    free(needle);
    return named;
}

/* Whether a code span is worth comparing: it has a letter or digit and is not a reference. */
static bool useful_span(const char *span, size_t len)
{
    bool alnum = false;
    for (size_t i = 0; i < len; i++) {
        alnum = alnum || isalnum((unsigned char)span[i]);
        if (span[i] == ':' && i + 1 < len && isdigit((unsigned char)span[i + 1]) &&
            source_suffix(span, i) > 0)
            return false;
    }
    return alnum;
}

typedef struct reference {
    size_t at;        /* offset in the unit's text */
    char file[512];   /* as the README writes it; "" for the README's own program */
    long line;
} reference;

/* The last file name that ends before `before` in the unit's text, or "". */
static void last_file_named(const unit *u, size_t before, char *file, size_t size)
{
    file[0] = '\0';
    for (size_t i = 1; i <= before && i <= u->len; i++) {
        size_t suffix = source_suffix(u->text, i);
        if (suffix == 0 || (i < u->len && is_name_char(u->text[i]) && u->text[i] != '.'))
            continue;
        if (i < u->len && u->text[i] == '.' && i + 1 < u->len && isalpha((unsigned char)u->text[i + 1]))
            continue;
        size_t start = i - suffix;
        while (start > 0 && is_name_char(u->text[start - 1]))
            start--;
        if (start < i - suffix)
            snprintf(file, size, "%.*s", (int)(i - start), u->text + start);
    }
}

/* Finds the references in one unit; returns how many (at most max). */
static size_t find_references(const unit *u, reference *refs, size_t max)
{
    size_t count = 0;
    const char *t = u->text;
    for (size_t i = 0; i < u->len && count < max; i++) {
        /* file.c:N */
        size_t suffix = t[i] == ':' ? source_suffix(t, i) : 0;
        if (suffix > 0 && i + 1 < u->len && isdigit((unsigned char)t[i + 1])) {
            size_t start = i - suffix;
            while (start > 0 && is_name_char(t[start - 1]))
                start--;
            if (start < i - suffix) {
                reference *r = &refs[count++];
                r->at = start;
                snprintf(r->file, sizeof r->file, "%.*s", (int)(i - start), t + start);
                r->line = strtol(t + i + 1, NULL, 10);
            }
            continue;
        }
        /* line N, lines N and M */
        bool word_start = i == 0 || !isalpha((unsigned char)t[i - 1]);
        if (!word_start || (t[i] != 'l' && t[i] != 'L') || strncmp(t + i + 1, "ine", 3) != 0)
            continue;
        size_t j = i + 4;
        if (j < u->len && t[j] == 's')
            j++;
        if (j + 1 >= u->len || t[j] != ' ' || !isdigit((unsigned char)t[j + 1]))
            continue;
        size_t first = count;
        j++;
        for (;;) {
            char *end;
            long n = strtol(t + j, &end, 10);
            if (count < max)
                refs[count++] = (reference){.at = i, .line = n};
            j = (size_t)(end - t);
            size_t k = j;
            if (strncmp(t + k, ", ", 2) == 0)
                k += 2;
            else if (strncmp(t + k, " and ", 5) == 0)
                k += 5;
            else if (strncmp(t + k, " to ", 4) == 0)
                k += 4;
            else if (t[k] == '-')
                k += 1;
            if (k == j || !isdigit((unsigned char)t[k]))
                break;
            j = k;
        }
        /* "line 15 of `counter.go`" names its file; otherwise the last one named before. */
        char file[512] = "";
        if (strncmp(t + j, " of ", 4) == 0) {
            size_t k = j + 4, start;
            if (t[k] == '`')
                k++;
            start = k;
            while (k < u->len && is_name_char(t[k]))
                k++;
            while (k > start && t[k - 1] == '.')
                k--;
            if (source_suffix(t + start, k - start) > 0)
                snprintf(file, sizeof file, "%.*s", (int)(k - start), t + start);
        }
        if (file[0] == '\0')
            last_file_named(u, i, file, sizeof file);
        for (size_t r = first; r < count; r++)
            strcpy(refs[r].file, file);
        i = j;
    }
    return count;
}

/* The only .c file in dir, or NULL. */
static char *own_program(const char *dir)
{
    go_buffer command = GO_BUFFER_INIT;
    go_writer w = go_buffer_writer(&command);
    write_text(w, "ls '");
    write_text(w, dir);
    write_text(w, "' | grep '\\.c$'");
    FILE *ls = popen(go_buffer_string(&command), "r");
    go_buffer_free(&command);
    char first[1024] = "", second[1024] = "";
    if (ls != NULL) {
        if (fgets(first, sizeof first, ls) == NULL || fgets(second, sizeof second, ls) != NULL)
            first[0] = '\0';
        pclose(ls);
    }
    first[strcspn(first, "\n")] = '\0';
    return first[0] ? strdup(first) : NULL;
}

/* Checks one reference; returns whether it holds, and prints why not. */
static bool check_reference(const char *path, const char *readme_dir, const char *declared,
                            const unit *u, const unit *named_by, const reference *r)
{
    int at_line = u->line;
    for (size_t i = 0; i < r->at; i++)
        at_line += u->text[i] == '\n';
    char *own = NULL;
    const char *file = r->file;
    if (file[0] == '\0') {
        own = own_program(readme_dir);
        if (own == NULL) {
            fprintf(stderr, "%s:%d: line %ld: of which file? Name it in the paragraph (`file.c`)\n",
                    path, at_line, r->line);
            return false;
        }
        file = own;
    }
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    if (declared != NULL && strstr(declared, base) != NULL) {
        free(own);
        return true;
    }
    char *source_path = resolve_source(readme_dir, file);
    char *source = source_path ? read_file(source_path) : NULL;
    bool ok = false;
    if (source == NULL) {
        fprintf(stderr, "%s:%d: %s:%ld: no such file in the repository (if it is only an example, "
                        "declare it: <!-- docs-check: not in the repository: %s -->)\n",
                path, at_line, file, r->line, base);
    } else {
        char *line = source_line(source, r->line);
        if (line == NULL) {
            fprintf(stderr, "%s:%d: %s has no line %ld\n", path, at_line, source_path, r->line);
        } else {
            /* In a quoted stack trace the frame above names the function: `main.increment()`
             * or `created by main.lookup` above `…/counter.go:15`. */
            if (u->fenced) {
                const char *at = u->text + r->at;
                while (at > u->text && at[-1] != '\n')
                    at--;
                const char *prev = at > u->text ? at - 1 : NULL;
                while (prev != NULL && prev > u->text && prev[-1] != '\n')
                    prev--;
                if (prev != NULL) {
                    while (*prev == ' ' || *prev == '\t')
                        prev++;
                    if (strncmp(prev, "created by ", 11) == 0)
                        prev += 11;
                    size_t n = strcspn(prev, "(\n ");
                    char frame[256], function[256];
                    snprintf(frame, sizeof frame, "%.*s", (int)n, prev);
                    char *last = strrchr(frame, '.');
                    /* main.main.func1 is a closure in main */
                    if (last != NULL && strncmp(last + 1, "func", 4) == 0 &&
                        isdigit((unsigned char)last[5])) {
                        *last = '\0';
                        last = strrchr(frame, '.');
                    }
                    const char *name = last ? last + 1 : frame;
                    ok = name[0] != '\0' &&
                         enclosing_function(source, r->line, function, sizeof function) &&
                         strcmp(function, name) == 0;
                }
            }
            const unit *p = named_by;
            for (const char *s = p ? memchr(p->text, '`', p->len) : NULL; s != NULL && !ok;) {
                const char *end = memchr(s + 1, '`', p->len - (size_t)(s + 1 - p->text));
                if (end == NULL)
                    break;
                size_t len = (size_t)(end - s - 1);
                ok = useful_span(s + 1, len) && span_names(s + 1, len, source, r->line, line);
                size_t left = p->len - (size_t)(end + 1 - p->text);
                s = left ? memchr(end + 1, '`', left) : NULL;
            }
            if (!ok)
                fprintf(stderr,
                        "%s:%d: line %ld of %s is\n    %s\nbut no code span of the paragraph "
                        "names it (quote part of the line, or the function it is in)\n",
                        path, at_line, r->line, source_path, line);
            free(line);
        }
    }
    free(source);
    free(source_path);
    free(own);
    return ok;
}

/* Checks every line reference of one Markdown file. Returns how many are wrong. */
static int check_line_references(const char *path, const char *text, int *references_checked)
{
    char readme_dir[4096];
    snprintf(readme_dir, sizeof readme_dir, "%s", path);
    char *slash = strrchr(readme_dir, '/');
    if (slash != NULL)
        *slash = '\0';
    else
        strcpy(readme_dir, ".");
    static const char declare[] = "<!-- docs-check: not in the repository:";
    const char *declared_at = strstr(text, declare);
    char *declared = NULL;
    if (declared_at != NULL) {
        const char *end = strstr(declared_at, "-->");
        declared = strndup(declared_at + strlen(declare),
                           end ? (size_t)(end - declared_at) - strlen(declare) : 0);
    }

    /* Cut the file into units: prose paragraphs, headings and non-console fenced blocks. */
    size_t capacity = 64, count = 0;
    unit *units = malloc(capacity * sizeof *units);
    bool in_fence = false, console = false;
    int line = 0;
    unit *open = NULL;
    for (const char *p = text; *p != '\0';) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        line++;
        bool fence = len >= 3 && strncmp(p, "```", 3) == 0;
        bool blank = len == 0;
        if (count == capacity)
            units = realloc(units, (capacity *= 2) * sizeof *units);
        if (fence && !in_fence) {
            in_fence = true;
            console = len >= 10 && strncmp(p, "```console", 10) == 0;
            open = NULL;
            if (!console) {
                units[count] = (unit){line + 1, eol ? eol + 1 : p + len, 0, true};
                open = &units[count++];
            }
        } else if (fence) {
            in_fence = false;
            open = NULL;
        } else if (in_fence) {
            if (open != NULL)
                open->len = (size_t)(p + len - open->text);
        } else if (blank || p[0] == '#') {
            open = NULL;
            if (p[0] == '#')
                units[count++] = (unit){line, p, len, false};
        } else if (open == NULL) {
            units[count] = (unit){line, p, len, false};
            open = &units[count++];
        } else {
            open->len = (size_t)(p + len - open->text);
        }
        p = eol ? eol + 1 : p + len;
    }

    int wrong = 0;
    reference refs[64];
    for (size_t i = 0; i < count; i++) {
        size_t n = find_references(&units[i], refs, sizeof refs / sizeof refs[0]);
        /* A fenced block is named by the paragraph just after it. */
        const unit *named_by = &units[i];
        if (units[i].fenced)
            named_by = i + 1 < count && !units[i + 1].fenced ? &units[i + 1] : NULL;
        for (size_t r = 0; r < n; r++) {
            (*references_checked)++;
            if (!check_reference(path, readme_dir, declared, &units[i], named_by, &refs[r]))
                wrong++;
        }
    }
    free(units);
    free(declared);
    return wrong;
}

/* Checks every console block of one Markdown file. Returns mismatches, or -1 if unusable. */
static int check_file(const char *path, const char *build_dir, int *commands_run,
                      int *references_checked, int *references_wrong)
{
    char *text = read_file(path);
    if (text == NULL) {
        fprintf(stderr, "docs-check: cannot read %s\n", path);
        return -1;
    }
    static const char run_in[] = "<!-- docs-check: blocks run in ";
    const char *workdir = strstr(text, run_in), *workdir_end = NULL;
    if (workdir != NULL) {
        workdir += strlen(run_in);
        workdir_end = strstr(workdir, " -->");
        if (workdir_end == NULL || memchr(workdir, '\n', (size_t)(workdir_end - workdir)) != NULL) {
            fprintf(stderr, "%s: the `blocks run in` declaration does not end in \" -->\" on its line\n",
                    path);
            free(text);
            return -1;
        }
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
            mismatches += check_block(path, commands, count, build_dir, workdir,
                                      workdir ? (size_t)(workdir_end - workdir) : 0);
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
    int wrong_references = check_line_references(path, text, references_checked);
    mismatches += wrong_references;
    *references_wrong += wrong_references;
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
    int mismatches = 0, commands_run = 0, references = 0, wrong_references = 0;
    for (int i = first; i < argc; i++) {
        int result = check_file(argv[i], build_dir, &commands_run, &references, &wrong_references);
        if (result < 0)
            return 2;
        mismatches += result;
    }
    printf("docs-check: %d commands run, %d outputs differ from the README; "
           "%d line references checked, %d wrong\n",
           commands_run, mismatches - wrong_references, references, wrong_references);
    return mismatches ? 1 : 0;
}
