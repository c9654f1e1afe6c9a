/* Unit tests of lib/src/slice.c: Go slice semantics, growth and panics. */
#include <stdint.h>

#include "check.h"
#include "gocurrent/slice.h"

static void test_nil_and_empty_differ(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice nil = go_nil(go_int);
    go_slice empty = go_empty(go_int);
    go_slice made = go_make(&heap, go_int, 0, 0);
    CHECK(go_is_nil(nil));
    CHECK(!go_is_nil(empty));
    CHECK(!go_is_nil(made));
    CHECK_EQ(go_len(nil), 0);
    CHECK_EQ(go_cap(nil), 0);
    CHECK_EQ(go_len(empty), 0);
    CHECK_EQ(go_cap(empty), 0);
    /* nil[0:0] is still nil, as in Go. */
    CHECK(go_is_nil(go_sub(nil, 0, 0)));
    go_arena_free(&heap);
}

static void test_make_zeroes_len_and_cap(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice s = go_make(&heap, go_int, 3, 10);
    CHECK_EQ(go_len(s), 3);
    CHECK_EQ(go_cap(s), 10);
    /* The whole backing array is zeroed, not only the first len elements. */
    go_slice whole = go_sub(s, 0, 10);
    for (int i = 0; i < 10; i++)
        CHECK_EQ(go_at(whole, go_int, i), 0);
    go_arena_free(&heap);
}

static void test_slice_of_holds_values(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice s = go_slice_of(&heap, go_int, 4, 5, 6);
    CHECK_EQ(go_len(s), 3);
    CHECK_EQ(go_cap(s), 3);
    CHECK_EQ(go_at(s, go_int, 0), 4);
    CHECK_EQ(go_at(s, go_int, 2), 6);
    go_arena_free(&heap);
}

static void test_slicing_shares_backing_array(void)
{
    go_int array[5] = {1, 2, 3, 4, 5};
    go_slice all = go_slice_array(array);
    go_slice mid = go_sub(all, 1, 3);
    CHECK_EQ(go_len(mid), 2);
    CHECK_EQ(go_cap(mid), 4); /* from index 1 to the end of the array */
    go_at(mid, go_int, 0) = 20;
    CHECK_EQ(array[1], 20);
    CHECK_EQ(go_at(all, go_int, 1), 20);
    /* A slice can be re-extended up to its capacity: mid[0:4] sees array[1..4]. */
    go_slice extended = go_sub(mid, 0, 4);
    CHECK_EQ(go_at(extended, go_int, 3), 5);
}

static void test_full_slice_expression_limits_cap(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_int array[5] = {1, 2, 3, 4, 5};
    go_slice limited = go_sub3(go_slice_array(array), 1, 3, 3);
    CHECK_EQ(go_len(limited), 2);
    CHECK_EQ(go_cap(limited), 2);
    /* No spare capacity, so append must copy instead of overwriting array[3]. */
    go_slice grown = go_append(&heap, limited, go_int, 99);
    CHECK_EQ(array[3], 4);
    CHECK_EQ(go_at(grown, go_int, 2), 99);
    CHECK(grown.ptr != limited.ptr);
    go_arena_free(&heap);
}

static void test_append_uses_spare_capacity_in_place(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_int array[5] = {1, 2, 3, 4, 5};
    go_slice prefix = go_sub(go_slice_array(array), 0, 2);
    go_slice appended = go_append(&heap, prefix, go_int, 30);
    /* It fit: same backing array, and the write landed in the array itself. */
    CHECK(appended.ptr == prefix.ptr);
    CHECK_EQ(go_cap(appended), 5);
    CHECK_EQ(array[2], 30);
    CHECK_EQ(heap.bytes, 0);
    go_arena_free(&heap);
}

static void test_append_reallocates_when_full_and_keeps_old(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice x = go_slice_of(&heap, go_int, 1, 2, 3, 4, 5);
    go_slice y = x;
    x = go_append(&heap, x, go_int, 6);
    CHECK(x.ptr != y.ptr);
    CHECK_EQ(go_len(x), 6);
    CHECK_EQ(go_cap(x), 10); /* 5 doubles to 10: 80 bytes is a size class */
    go_at(x, go_int, 0) = 100;
    CHECK_EQ(go_at(y, go_int, 0), 1); /* y still sees the old array */
    for (int i = 1; i < 6; i++)
        CHECK_EQ(go_at(x, go_int, i), i + 1);
    go_arena_free(&heap);
}

static void test_append_to_nil(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice s = go_nil(go_int);
    s = go_append(&heap, s, go_int, 7);
    CHECK(!go_is_nil(s));
    CHECK_EQ(go_len(s), 1);
    CHECK_EQ(go_cap(s), 1);
    CHECK_EQ(go_at(s, go_int, 0), 7);
    go_arena_free(&heap);
}

static void test_append_many_takes_what_is_needed(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice s = go_make(&heap, go_int, 2, 3);
    s = go_append(&heap, s, go_int, 1, 1, 2, 2);
    /* Needing 6 is not more than double 3, so cap doubles to 6 (48 bytes, a size class). */
    CHECK_EQ(go_len(s), 6);
    CHECK_EQ(go_cap(s), 6);
    s = go_append(&heap, go_nil(go_int), go_int, 1, 2, 3, 4, 5, 6, 7);
    /* Needing 7 > 2*0: take 7, then round 56 bytes up to the 64-byte class: cap 8. */
    CHECK_EQ(go_cap(s), 8);
    go_arena_free(&heap);
}

static void test_append_slice_to_itself(void)
{
    go_arena heap = GO_ARENA_INIT;
    go_slice s = go_make(&heap, go_int, 0, 8);
    s = go_append(&heap, s, go_int, 1, 2, 3);
    s = go_append_slice(&heap, s, s); /* append(s, s...) within capacity */
    go_int want[] = {1, 2, 3, 1, 2, 3};
    CHECK_EQ(go_len(s), 6);
    for (int i = 0; i < 6; i++)
        CHECK_EQ(go_at(s, go_int, i), want[i]);
    go_arena_free(&heap);
}

/* The rule's shape, checked against the definition rather than a table: caps double while
 * small, then each growth is between 1.25x and 2x, and always at least what is needed. */
static void test_grow_cap_follows_go_rule(void)
{
    for (size_t cap = 1; cap < 256; cap *= 2)
        CHECK_EQ(go_grow_cap(cap, cap + 1, sizeof(int64_t)), 2 * cap);
    for (size_t cap = 256; cap < 1000000; cap = go_grow_cap(cap, cap + 1, sizeof(int64_t))) {
        size_t grown = go_grow_cap(cap, cap + 1, sizeof(int64_t));
        CHECK(grown * 4 >= cap * 5);
        CHECK(grown <= 2 * cap);
    }
    for (size_t elem = 1; elem <= 64; elem *= 2)
        for (size_t needed = 1; needed < 5000; needed += 37)
            CHECK(go_grow_cap(needed / 2, needed, elem) >= needed);
}

static void test_copy_copies_min_len(void)
{
    go_int src_array[] = {1, 2, 3, 4};
    go_int dst_array[] = {0, 0};
    go_slice src = go_slice_array(src_array), dst = go_slice_array(dst_array);
    CHECK_EQ(go_copy(dst, src), 2);
    CHECK_EQ(dst_array[0], 1);
    CHECK_EQ(dst_array[1], 2);
    /* Overlapping copy shifts like memmove: copy(s[1:], s) */
    CHECK_EQ(go_copy(go_sub(src, 1, 4), src), 3);
    go_int want[] = {1, 1, 2, 3};
    for (int i = 0; i < 4; i++)
        CHECK_EQ(src_array[i], want[i]);
}

/* Each misuse panics with Go's exact runtime error. */
static void index_5_of_5(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_int array[5] = {0};
    go_slice s = go_slice_array(array);
    go_at(s, go_int, 5) = 1;
}
static void index_negative(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_int array[5] = {0};
    ptrdiff_t i = -1;
    go_at(go_slice_array(array), go_int, i) = 1;
}
static void slice_past_cap(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_int array[5] = {0};
    go_sub(go_slice_array(array), 0, 7);
}
static void slice_low_above_high(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_int array[5] = {0};
    go_sub(go_slice_array(array), 3, 2);
}
static void slice3_past_cap(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_int array[5] = {0};
    go_sub3(go_slice_array(array), 0, 2, 6);
}
static void slice3_high_above_max(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_int array[5] = {0};
    go_sub3(go_slice_array(array), 0, 4, 3);
}
static void slice3_low_above_high(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_int array[5] = {0};
    go_sub3(go_slice_array(array), 3, 2, 4);
}
static void make_negative_len(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_arena heap = GO_ARENA_INIT;
    go_make(&heap, go_int, -1, 0);
}
static void make_cap_below_len(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_arena heap = GO_ARENA_INIT;
    go_make(&heap, go_int, 3, 2);
}
static void index_wrong_type(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_int array[2] = {0};
    go_at(go_slice_array(array), int, 0) = 1;
}
static void append_to_zero_value(int argc, char **argv)
{
    (void)argc, (void)argv;
    go_arena heap = GO_ARENA_INIT;
    go_slice unset = {0};
    go_append(&heap, unset, go_int, 1);
}

static void test_misuse_panics_like_go(void)
{
    CHECK_PANICS(index_5_of_5, "runtime error: index out of range [5] with length 5");
    CHECK_PANICS(index_negative, "runtime error: index out of range [-1]");
    CHECK_PANICS(slice_past_cap, "runtime error: slice bounds out of range [:7] with capacity 5");
    CHECK_PANICS(slice_low_above_high, "runtime error: slice bounds out of range [3:2]");
    CHECK_PANICS(slice3_past_cap, "runtime error: slice bounds out of range [::6] with capacity 5");
    CHECK_PANICS(slice3_high_above_max, "runtime error: slice bounds out of range [:4:3]");
    CHECK_PANICS(slice3_low_above_high, "runtime error: slice bounds out of range [3:2:]");
    CHECK_PANICS(make_negative_len, "runtime error: makeslice: len out of range");
    CHECK_PANICS(make_cap_below_len, "runtime error: makeslice: cap out of range");
    CHECK_PANICS(index_wrong_type, "slice elements are 8 bytes, used as a 4-byte type");
    CHECK_PANICS(append_to_zero_value,
                 "slice has no element size: declare it with go_nil(T), not {0}");
}

/* The panic names where it happened, in Go's goroutine-dump layout. */
static void test_panic_reports_site(void)
{
    check_run run = check_capture(index_5_of_5);
    CHECK_EQ(run.status, 2);
    CHECK(strstr(run.output, "\n\ngoroutine 1 [running]:\nindex_5_of_5()\n\ttests/test_slice.c:") != NULL);
    check_release(&run);
}

static const check_case cases[] = {
    CHECK_CASE(test_nil_and_empty_differ),
    CHECK_CASE(test_make_zeroes_len_and_cap),
    CHECK_CASE(test_slice_of_holds_values),
    CHECK_CASE(test_slicing_shares_backing_array),
    CHECK_CASE(test_full_slice_expression_limits_cap),
    CHECK_CASE(test_append_uses_spare_capacity_in_place),
    CHECK_CASE(test_append_reallocates_when_full_and_keeps_old),
    CHECK_CASE(test_append_to_nil),
    CHECK_CASE(test_append_many_takes_what_is_needed),
    CHECK_CASE(test_append_slice_to_itself),
    CHECK_CASE(test_grow_cap_follows_go_rule),
    CHECK_CASE(test_copy_copies_min_len),
    CHECK_CASE(test_misuse_panics_like_go),
    CHECK_CASE(test_panic_reports_site),
};
static const check_child children[] = {
    CHECK_CHILD(index_5_of_5),
    CHECK_CHILD(index_negative),
    CHECK_CHILD(slice_past_cap),
    CHECK_CHILD(slice_low_above_high),
    CHECK_CHILD(slice3_past_cap),
    CHECK_CHILD(slice3_high_above_max),
    CHECK_CHILD(slice3_low_above_high),
    CHECK_CHILD(make_negative_len),
    CHECK_CHILD(make_cap_below_len),
    CHECK_CHILD(index_wrong_type),
    CHECK_CHILD(append_to_zero_value),
};
CHECK_MAIN_WITH_CHILDREN(cases, children)
