/* Exercise 1 of chapter 02: a new type behind an interface.
 *
 * Task: add a Cow that says "Moo!": write cow_speak and its table, cow_speaker_type (named
 * "main.Cow"), and make cow_speaker() return a speaker that uses them, as dog_speaker() does.
 * Then run `GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R 02-interfaces/cow`.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gocurrent/panic.h"

typedef struct speaker_type {
    const char *name;
    const char *(*speak)(const void *self);
} speaker_type;

typedef struct speaker {
    const speaker_type *type;
    const void *self;
} speaker;

static const char *speak(speaker s)
{
    if (s.type == NULL || s.type->speak == NULL)
        go_panic("runtime error: invalid memory address or nil pointer dereference");
    return s.type->speak(s.self);
}

static const char *dog_speak(const void *self)
{
    (void)self;
    return "Woof!";
}

static const speaker_type dog_speaker_type = {"main.Dog", dog_speak};

static speaker dog_speaker(void)
{
    return (speaker){&dog_speaker_type, ""};
}

/* TODO: cow_speak and cow_speaker_type */

static speaker cow_speaker(void)
{
    return (speaker){NULL, NULL}; /* TODO */
}

/* ---- The check: leave it as it is ---------------------------------------------------------- */

int main(void)
{
    speaker zoo[] = {dog_speaker(), cow_speaker()};
    bool ok = true;
    for (size_t i = 0; i < sizeof zoo / sizeof zoo[0]; i++) {
        if (zoo[i].type == NULL) {
            printf("WRONG: zoo[%zu] is a nil interface\n", i);
            ok = false;
            continue;
        }
        printf("%s says %s\n", zoo[i].type->name, speak(zoo[i]));
    }
    if (ok && (strcmp(zoo[1].type->name, "main.Cow") != 0 || strcmp(speak(zoo[1]), "Moo!") != 0)) {
        printf("WRONG: want main.Cow says Moo!\n");
        ok = false;
    }
    return ok ? 0 : 1;
}
