/* interfaces.c - chapter 02: Go's interfaces, built by hand in C.
 *
 * A Go interface value is two words: a pointer to a method table for the concrete type it holds
 * (Go calls that table an itab) and a pointer to the value itself. Go writes the tables and fills
 * in both words for you. Here every table is written out, the way the library writes out its own
 * interface, go_writer (gocurrent/writer.h). Each demo mirrors one Go program in go/<demo>.go.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gocurrent/demo.h"
#include "gocurrent/fmt.h"
#include "gocurrent/panic.h"
#include "gocurrent/writer.h"

/* ---- type Speaker interface { Speak() string } ------------------------------------------- */

/* The method table of one concrete type seen as a Speaker. The name is the type's name as Go's
 * %T prints it: type switches, error messages and panics need to know what a value holds. */
typedef struct speaker_type {
    const char *name;
    const char *(*speak)(const void *self);
} speaker_type;

/* A Speaker value: which table, and which value. The zero value {NULL, NULL} is the nil
 * interface. */
typedef struct speaker {
    const speaker_type *type;
    const void *self;
} speaker;

/* Go's promise, checked by the C compiler: an interface value is exactly two pointers. */
_Static_assert(sizeof(speaker) == 2 * sizeof(void *), "an interface value is two words");

/* s.Speak(). Go also finds the method through the table; a nil interface has no table, so Go's
 * call faults, and its runtime turns the fault into the panic this raises instead. */
static const char *speak(speaker s)
{
    if (s.type == NULL)
        go_panic("runtime error: invalid memory address or nil pointer dereference");
    return s.type->speak(s.self);
}

/* What fmt's %T prints for an interface value: the name of the type it holds, or <nil>. */
static const char *type_name(speaker s)
{
    return s.type != NULL ? s.type->name : "<nil>";
}

/* ---- Dog and Cat: types with a Speak method and no data ---------------------------------- */

/* Nothing here says "Dog implements Speaker". In Go, having the method is enough; in C the
 * table below is what makes a Dog usable as a Speaker, and someone has to write it. */
static const char *dog_speak(const void *self)
{
    (void)self; /* a Dog has no fields to read */
    return "Woof!";
}

static const speaker_type dog_speaker_type = {"main.Dog", dog_speak};

static const char *cat_speak(const void *self)
{
    (void)self;
    return "Meow!";
}

static const speaker_type cat_speaker_type = {"main.Cat", cat_speak};

/* Dog{} and Cat{} as Speakers. A value of a type with no fields takes no memory, so Go points the
 * data word at one shared zero-size location (runtime.zerobase); the library has the same. */
static speaker dog_speaker(void)
{
    return (speaker){&dog_speaker_type, go_zerobase};
}

static speaker cat_speaker(void)
{
    return (speaker){&cat_speaker_type, go_zerobase};
}

/* ---- Parrot: a type whose method reads the value's fields through self ------------------- */

typedef struct parrot {
    const char *name;
    const char *phrase;
} parrot;

static const char *parrot_speak(const void *self)
{
    const parrot *bird = self;
    return bird->phrase;
}

/* Parrot and *Parrot are two types in Go, with two itabs and two names. C's self is a pointer
 * in both cases, so one function serves both tables. */
static const speaker_type parrot_speaker_type = {"main.Parrot", parrot_speak};
static const speaker_type parrot_ptr_speaker_type = {"*main.Parrot", parrot_speak};

/* Typed constructors win back the checking that `const void *self` gives up: the compiler
 * refuses parrot_speaker(&some_dog). Go's `var s Speaker = polly` stores a copy of polly, so
 * the caller passes the copy the interface will point at. */
static speaker parrot_speaker(const parrot *copy)
{
    return (speaker){&parrot_speaker_type, copy};
}

/* `var s Speaker = &polly`: the interface points at polly itself. */
static speaker parrot_ptr_speaker(const parrot *bird)
{
    return (speaker){&parrot_ptr_speaker_type, bird};
}

/* ---- fmt.Stringer: type Stringer interface { String() string } --------------------------- */

typedef struct stringer_type {
    const char *name;
    const char *(*string)(const void *self);
} stringer_type;

typedef struct stringer {
    const stringer_type *type;
    const void *self;
} stringer;

static const char *parrot_string(const void *self)
{
    const parrot *bird = self;
    return bird->name;
}

static const stringer_type parrot_stringer_type = {"main.Parrot", parrot_string};

/* ---- the built-in error interface: type error interface { Error() string } --------------- */

typedef struct error_type {
    const char *name;
    const char *(*error)(const void *self);
} error_type;

typedef struct error {
    const error_type *type;
    const void *self;
} error;

/* type ZooError struct{ reason string }, whose Error method has a pointer receiver, so it is
 * *ZooError that satisfies error. */
typedef struct zoo_error {
    const char *reason;
} zoo_error;

static const char *zoo_error_error(const void *self)
{
    const zoo_error *err = self;
    return err->reason;
}

static const error_type zoo_error_ptr_error_type = {"*main.ZooError", zoo_error_error};

/* var ErrNoSuchAnimal = &ZooError{"no such animal"}: a sentinel error, like io.EOF. */
static const zoo_error no_such_animal = {"no such animal"};

/* ---- demos: the Speaker interface --------------------------------------------------------- */

/* One variable of interface type holds a Dog, then a Cat; the call picks the method at run
 * time from whichever table the variable points at. */
static void demo_speak(void)
{
    speaker pet = dog_speaker();
    printf("%s\n", speak(pet));
    pet = cat_speaker();
    printf("%s\n", speak(pet));
}

/* introduce is written once against the interface and works for every type that has a table,
 * including types written after it. */
static void introduce(speaker s)
{
    printf("%s says %s\n", type_name(s), speak(s));
}

static void demo_speakers(void)
{
    const parrot polly = {"Polly", "Pieces of eight!"};
    const speaker zoo[] = {dog_speaker(), cat_speaker(), parrot_speaker(&polly)};
    for (size_t i = 0; i < GO_LEN(zoo); i++)
        introduce(zoo[i]);
}

/* An interface value is the same two words whatever it holds: that is what lets a slice of
 * Speakers hold a Dog next to a Parrot. */
static void demo_two_words(void)
{
    printf("a pointer: %2zu bytes\n", sizeof(void *));
    printf("Speaker:   %2zu bytes = %zu pointers\n", sizeof(speaker), sizeof(speaker) / sizeof(void *));
    printf("io.Writer: %2zu bytes = %zu pointers\n", sizeof(go_writer),
           sizeof(go_writer) / sizeof(void *));
}

/* Storing a value in an interface copies it; storing a pointer shares the value. Go makes the
 * copy silently; in C the copy is a variable you can see, and must keep alive. */
static void demo_value_or_pointer(void)
{
    parrot polly = {"Polly", "Hello!"};
    const parrot polly_copy = polly; /* Go's hidden copy, made by `var copied Speaker = polly` */
    speaker copied = parrot_speaker(&polly_copy);
    speaker shared = parrot_ptr_speaker(&polly);

    polly.phrase = "Goodbye!";
    introduce(copied);
    introduce(shared);
}

/* One value can satisfy any number of interfaces. Go builds one itab per (interface, type)
 * pair when it needs one; C needs one hand-written table per pair, all pointing at one value. */
static void demo_two_interfaces(void)
{
    const parrot polly = {"Polly", "Pieces of eight!"};
    speaker as_speaker = parrot_speaker(&polly);
    stringer as_stringer = {&parrot_stringer_type, &polly};

    printf("as a fmt.Stringer: %s\n", as_stringer.type->string(as_stringer.self));
    printf("as a Speaker:      %s\n", speak(as_speaker));
}

/* A Fish with no Speak method. Go refuses `var s Speaker = Fish{}` at compile time. C accepts
 * this table without a word: a member an initialiser leaves out is simply NULL. */
static const speaker_type fish_speaker_type = {.name = "main.Fish"};

/* C-only: the check Go's compiler makes is, in C, a test at run time that somebody must write. */
static void demo_missing_method(void)
{
    const speaker_type *tables[] = {&dog_speaker_type, &parrot_speaker_type, &fish_speaker_type};
    for (size_t i = 0; i < GO_LEN(tables); i++) {
        const speaker_type *table = tables[i];
        printf("%-11s speak: %s\n", table->name,
               table->speak != NULL ? "set" : "NULL, and the compiler said nothing");
    }
}

/* ---- demos: nil ---------------------------------------------------------------------------- */

/* An interface is nil only when it holds nothing at all: no type, no value. */
static void demo_nil_interface(void)
{
    speaker s = {NULL, NULL}; /* var s Speaker */
    printf("var s Speaker: s == nil is %s, %%T is %s\n", s.type == NULL ? "true" : "false",
           type_name(s));
    s = dog_speaker();
    printf("s = Dog{}:     s == nil is %s, %%T is %s\n", s.type == NULL ? "true" : "false",
           type_name(s));
    s = (speaker){NULL, NULL};
    printf("s = nil:       s == nil is %s, %%T is %s\n", s.type == NULL ? "true" : "false",
           type_name(s));
}

/* A nil interface has no method table to look the method up in, so the call panics. */
static void demo_nil_call(void)
{
    speaker s = {NULL, NULL};
    printf("s == nil: %s\n", s.type == NULL ? "true" : "false");
    printf("%s\n", speak(s));
}

/* Meant to return no error for Polly. But it returns its *ZooError variable through error on
 * every path, and converting even a nil pointer fills in the type word. */
static error find_pet_broken(const char *name)
{
    const zoo_error *err = NULL;
    if (strcmp(name, "Polly") != 0)
        err = &no_such_animal;
    return (error){&zoo_error_ptr_error_type, err};
}

/* The fix: on success, return the nil interface itself. */
static error find_pet(const char *name)
{
    if (strcmp(name, "Polly") != 0)
        return (error){&zoo_error_ptr_error_type, &no_such_animal};
    return (error){NULL, NULL};
}

/* Go's famous trap: an interface holding a nil pointer is not a nil interface, so a caller's
 * `err != nil` is true although nothing went wrong. */
static void demo_typed_nil(void)
{
    error err = find_pet_broken("Polly");
    printf("find Polly, broken: err != nil is %s, its type is %s, its pointer is nil: %s\n",
           err.type != NULL ? "true" : "false", err.type->name, err.self == NULL ? "true" : "false");

    err = find_pet("Polly");
    printf("find Polly, fixed:  err != nil is %s\n", err.type != NULL ? "true" : "false");

    err = find_pet("Rex");
    printf("find Rex, fixed:    err != nil is %s, err.Error() is \"%s\"\n",
           err.type != NULL ? "true" : "false", err.type->error(err.self));
}

/* ---- demos: asking an interface what it holds --------------------------------------------- */

/* A type switch compares the value's type word with each case's type; in C, the type word is
 * the table pointer, and every type has exactly one table per interface. */
static void describe(speaker s)
{
    if (s.type == NULL) {
        printf("nil: there is no type to switch on\n");
    } else if (s.type == &dog_speaker_type) {
        printf("a Dog\n");
    } else if (s.type == &parrot_speaker_type) {
        const parrot *bird = s.self; /* in Go, v is already a Parrot here */
        printf("a Parrot named %s\n", bird->name);
    } else {
        printf("another Speaker: %s\n", s.type->name);
    }
}

static void demo_type_switch(void)
{
    const parrot polly = {"Polly", "Hello!"};
    const speaker zoo[] = {dog_speaker(), parrot_speaker(&polly), parrot_ptr_speaker(&polly),
                           cat_speaker(), {NULL, NULL}};
    for (size_t i = 0; i < GO_LEN(zoo); i++)
        describe(zoo[i]);

    /* The comma-ok assertion is the same comparison, for one type. */
    bool is_dog = zoo[1].type == &dog_speaker_type;
    printf("zoo[1].(Dog) ok: %s\n", is_dog ? "true" : "false");
}

/* s.(T) without ", ok": the value when s holds a T, or Go's panic naming both types. */
static const void *must_hold(speaker s, const speaker_type *want)
{
    const char *held = s.type != NULL ? s.type->name : "nil";
    if (s.type != want)
        go_panic("interface conversion: main.Speaker is %s, not %s", held, want->name);
    return s.self;
}

/* Asserting the wrong type without ", ok" panics. */
static void demo_bad_assertion(void)
{
    speaker pet = dog_speaker();
    printf("pet.(Cat) with ok: %s\n", pet.type == &cat_speaker_type ? "true" : "false");
    const void *kitty = must_hold(pet, &cat_speaker_type); /* kitty := pet.(Cat) */
    printf("%s\n", cat_speak(kitty));
}

/* ---- demos: the library's own interface, go_writer (Go's io.Writer) ----------------------- */

/* chorus prints through whatever writer it is given: it neither knows nor cares where the
 * bytes go. Go's fmt.Fprintf and go_fprintf both make one Write call per call. */
static void chorus(go_writer w, const speaker *zoo, size_t n)
{
    for (size_t i = 0; i < n; i++)
        go_fprintf(w, "%s: %s\n", type_name(zoo[i]), speak(zoo[i]));
}

/* The same function, sent to standard output and to a buffer in memory (Go's bytes.Buffer). */
static void demo_writer(void)
{
    const speaker zoo[] = {dog_speaker(), cat_speaker()};
    chorus(go_file_writer(stdout), zoo, GO_LEN(zoo));

    go_buffer buffer = GO_BUFFER_INIT;
    chorus(go_buffer_writer(&buffer), zoo, GO_LEN(zoo));
    printf("the buffer holds %zu bytes:\n%s", buffer.len, go_buffer_string(&buffer));
    go_buffer_free(&buffer);
}

/* type upper struct{ out io.Writer }: a writer that upper-cases what it is given and passes it
 * on to another writer. An interface value sits inside a struct like any other field. */
typedef struct upper_writer {
    go_writer out;
} upper_writer;

static size_t upper_write(void *self, const void *bytes, size_t n)
{
    const upper_writer *upper = self;
    const unsigned char *in = bytes;
    size_t written = 0;
    while (written < n) {
        char chunk[128];
        size_t len = n - written < sizeof chunk ? n - written : sizeof chunk;
        for (size_t i = 0; i < len; i++)
            chunk[i] = (char)toupper(in[written + i]);
        size_t done = go_write(upper->out, chunk, len);
        written += done;
        if (done < len)
            break; /* the writer underneath failed: report how far we got */
    }
    return written;
}

static const go_writer_type upper_writer_type = {"main.upper", upper_write};

/* type counter struct{ writes, bytes int }: a writer that keeps nothing, only counts. */
typedef struct counter {
    size_t writes;
    size_t bytes;
} counter;

static size_t counter_write(void *self, const void *bytes, size_t n)
{
    (void)bytes;
    counter *count = self;
    count->writes++;
    count->bytes += n;
    return n;
}

static const go_writer_type counter_writer_type = {"*main.counter", counter_write};

/* Writer types the chapter defines plug into the library's interface exactly as its own do:
 * one function and one table each. */
static void demo_custom_writer(void)
{
    const speaker zoo[] = {dog_speaker(), cat_speaker()};
    upper_writer upper = {go_file_writer(stdout)};
    chorus((go_writer){&upper_writer_type, &upper}, zoo, GO_LEN(zoo));

    counter count = {0, 0};
    chorus((go_writer){&counter_writer_type, &count}, zoo, GO_LEN(zoo));
    printf("the counter saw %zu writes, %zu bytes in all\n", count.writes, count.bytes);
}

/* A type switch on the library's interface: the library's tables are exported, so they can be
 * compared, and once the type is known the value's own fields can be used. */
static void describe_writer(go_writer w)
{
    if (w.type == &go_file_writer_type) {
        printf("*os.File");
    } else if (w.type == &go_buffer_writer_type) {
        const go_buffer *buffer = w.self;
        printf("*bytes.Buffer holding %zu bytes", buffer->len);
    } else if (w.type == &upper_writer_type) {
        const upper_writer *upper = w.self;
        printf("main.upper around ");
        describe_writer(upper->out);
    } else {
        printf("%s", w.type != NULL ? w.type->name : "<nil>");
    }
}

static void demo_writer_switch(void)
{
    go_buffer buffer = GO_BUFFER_INIT;
    go_write(go_buffer_writer(&buffer), "Woof!\n", 6);
    upper_writer upper = {go_buffer_writer(&buffer)};
    counter count = {0, 0};

    const go_writer writers[] = {
        go_file_writer(stdout),
        go_buffer_writer(&buffer),
        {&upper_writer_type, &upper},
        {&counter_writer_type, &count},
        {NULL, NULL},
    };
    for (size_t i = 0; i < GO_LEN(writers); i++) {
        describe_writer(writers[i]);
        printf("\n");
    }
    go_buffer_free(&buffer);
}

static const go_demo demos[] = {
    GO_DEMO("speak", demo_speak, GO_NORMAL, "one Speaker variable holds a Dog, then a Cat"),
    GO_DEMO("speakers", demo_speakers, GO_NORMAL, "one function, any type with a Speak method"),
    GO_DEMO("two-words", demo_two_words, GO_NORMAL, "an interface value is two pointers"),
    GO_DEMO("value-or-pointer", demo_value_or_pointer, GO_NORMAL,
            "an interface holds a copy of a value, or shares a pointer"),
    GO_DEMO("two-interfaces", demo_two_interfaces, GO_NORMAL,
            "one value, two interfaces, two method tables"),
    GO_DEMO("missing-method", demo_missing_method, GO_NORMAL,
            "C compiles a table with a method missing, Go would not"),
    GO_DEMO("nil-interface", demo_nil_interface, GO_NORMAL, "a nil interface has no type and no value"),
    GO_DEMO("nil-call", demo_nil_call, GO_PANIC, "calling a method on a nil interface panics"),
    GO_DEMO("typed-nil", demo_typed_nil, GO_NORMAL,
            "an interface holding a nil pointer is not nil: the err != nil trap"),
    GO_DEMO("type-switch", demo_type_switch, GO_NORMAL,
            "a type switch compares the method table pointer"),
    GO_DEMO("bad-assertion", demo_bad_assertion, GO_PANIC,
            "asserting the wrong type without ok panics"),
    GO_DEMO("writer", demo_writer, GO_NORMAL,
            "the library's go_writer: one function prints to stdout and to a buffer"),
    GO_DEMO("custom-writer", demo_custom_writer, GO_NORMAL,
            "writers defined here plug into the library's interface"),
    GO_DEMO("writer-switch", demo_writer_switch, GO_NORMAL,
            "a type switch over the library's writer types"),
};

GO_DEMO_MAIN(demos)
