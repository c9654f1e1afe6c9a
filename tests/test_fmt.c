/* Unit tests of the go_writer interface, go_buffer and Go-style printing. */
#include <stdio.h>

#include "check.h"
#include "gocurrent/fmt.h"
#include "gocurrent/writer.h"

static void test_buffer_collects_writes(void)
{
    go_buffer buffer = GO_BUFFER_INIT;
    go_writer w = go_buffer_writer(&buffer);
    CHECK_STREQ(go_buffer_string(&buffer), "");
    CHECK_EQ(go_write(w, "ab", 2), 2);
    CHECK_EQ(go_fprintf(w, "%d-%s", 42, "x"), 4);
    CHECK_STREQ(go_buffer_string(&buffer), "ab42-x");
    CHECK_EQ(buffer.len, 6);
    go_buffer_free(&buffer);
    CHECK_EQ(buffer.len, 0);
    CHECK_STREQ(go_buffer_string(&buffer), "");
}

static void test_fprintf_longer_than_stack_buffer(void)
{
    go_buffer buffer = GO_BUFFER_INIT;
    char long_text[1000];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    CHECK_EQ(go_fprintf(go_buffer_writer(&buffer), "<%s>", long_text), 1001);
    CHECK_EQ(buffer.len, 1001);
    CHECK(buffer.data[0] == '<' && buffer.data[1000] == '>' && buffer.data[500] == 'a');
    go_buffer_free(&buffer);
}

static void test_ints_print_as_go_does(void)
{
    go_buffer buffer = GO_BUFFER_INIT;
    go_writer w = go_buffer_writer(&buffer);
    go_int values[] = {1, -2, 30};
    go_fprint_ints(w, values, 3);
    go_fprint_ints(w, values, 0);
    go_fprint_ints(w, values, 1);
    CHECK_STREQ(go_buffer_string(&buffer), "[1 -2 30][][1]");
    go_buffer_free(&buffer);
}

static void print_slices(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_int array[] = {7, 8, 9};
    go_println_array(array);
    go_println_int_slice(go_nil(go_int));
    go_println_int_slice(go_sub(go_slice_array(array), 1, 3));
}

static void test_println_writes_stdout(void)
{
    check_run run = check_capture(print_slices);
    CHECK_EQ(run.status, 0);
    CHECK_STREQ(run.output, "[7 8 9]\n[]\n[8 9]\n");
    check_release(&run);
}

static void write_to_nil_interface(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_writer nil = {0};
    go_write(nil, "x", 1);
}

static void println_slice_of_c_ints(int argc, char **argv)
{
    (void)argc, (void)argv;
    int values[] = {1};
    go_println_int_slice(go_slice_array(values));
}

static void test_misuse_panics(void)
{
    CHECK_PANICS(write_to_nil_interface,
                 "runtime error: invalid memory address or nil pointer dereference");
    CHECK_PANICS(println_slice_of_c_ints,
                 "go_println_int_slice: slice elements are 4 bytes, not a go_int's 8");
}

/* A writer type defined outside the library works through the same interface. */
typedef struct counting_writer {
    size_t calls, bytes;
} counting_writer;

static size_t counting_write(void *self, const void *bytes, size_t n)
{
    (void)bytes;
    counting_writer *c = self;
    c->calls++;
    c->bytes += n;
    return n;
}

static void test_user_defined_writer(void)
{
    static const go_writer_type counting_type = {"counting", counting_write};
    counting_writer counter = {0, 0};
    go_writer w = {&counting_type, &counter};
    go_int values[] = {1, 2};
    go_fprint_ints(w, values, 2);
    CHECK_EQ(counter.bytes, 5); /* "[1 2]" */
    CHECK(counter.calls >= 1);
    CHECK_STREQ(w.type->name, "counting");
}

static const check_case cases[] = {
    CHECK_CASE(test_buffer_collects_writes),
    CHECK_CASE(test_fprintf_longer_than_stack_buffer),
    CHECK_CASE(test_ints_print_as_go_does),
    CHECK_CASE(test_println_writes_stdout),
    CHECK_CASE(test_misuse_panics),
    CHECK_CASE(test_user_defined_writer),
};
static const check_child children[] = {
    CHECK_CHILD(print_slices),
    CHECK_CHILD(write_to_nil_interface),
    CHECK_CHILD(println_slice_of_c_ints),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
