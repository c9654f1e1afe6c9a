/* placeholder */
#include "gocurrent/demo.h"
#include "gocurrent/fmt.h"
static void demo_declare(void) { go_int a[5] = {0}; go_println_array(a); }
static void demo_index(void) { go_int a[5] = {0}; go_slice s = go_slice_array(a); ptrdiff_t i = 5; go_at(s, go_int, i) = 1; }
static const go_demo demos[] = {
    GO_DEMO("declare", demo_declare, GO_NORMAL, "declare"),
    GO_DEMO("index-out-of-range", demo_index, GO_PANIC, "index"),
};
GO_DEMO_MAIN(demos)
