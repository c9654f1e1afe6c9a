/* Exercise 3 of chapter 02: return a nil interface, not a typed nil.
 *
 * Task: find(name) returns an error interface. For a name it knows it means "no error", but it
 * returns the interface {&not_found_error_type, NULL}: a nil pointer with its type word set,
 * which is not a nil interface, so the caller's `err != nil` test is true. Make find return the
 * nil interface, {NULL, NULL}, when there is no error. (In Go: return nil, not a nil *NotFound.)
 * Then run `GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R 02-interfaces/is-nil`.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct error_type {
    const char *name;
    const char *(*error)(const void *self);
} error_type;

typedef struct error {
    const error_type *type; /* NULL: the nil interface */
    const void *self;
} error;

typedef struct not_found {
    const char *name;
} not_found;

static const char *not_found_error(const void *self)
{
    (void)self;
    return "no such animal";
}

static const error_type not_found_error_type = {"*main.NotFound", not_found_error};
static const not_found rex = {"Rex"};

static error find(const char *name)
{
    const not_found *err = NULL;
    if (strcmp(name, "Polly") != 0)
        err = &rex;
    return (error){&not_found_error_type, err}; /* TODO */
}

/* ---- The check: leave it as it is ---------------------------------------------------------- */

int main(void)
{
    error polly = find("Polly"), other = find("Rex");
    bool polly_nil = polly.type == NULL, other_nil = other.type == NULL;
    printf("find(\"Polly\"): err != nil is %s\n", polly_nil ? "false" : "true");
    printf("find(\"Rex\"):   err != nil is %s\n", other_nil ? "false" : "true");
    bool ok = polly_nil && !other_nil;
    if (!polly_nil)
        printf("WRONG: finding Polly must give the nil interface (type word NULL)\n");
    if (other_nil || other.type->error(other.self) == NULL)
        printf("WRONG: finding Rex must give an error\n");
    else
        printf("find(\"Rex\") error: %s\n", other.type->error(other.self));
    return ok ? 0 : 1;
}
