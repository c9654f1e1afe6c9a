/* Solution of the exercise publish: a release store and an acquire load.
 *
 * (The exercise: make a flag publish the data written before it.)
 *
 * A goroutine fills in a config, then raises `ready`; main waits for `ready` and reads the
 * config. The flag is an atomic, but both of its operations are relaxed: a relaxed load that
 * sees `true` orders nothing else, so the writes of the config and main's reads of it are a
 * data race, and the -tsan build reports it (the plain build on x86-64 prints the right values
 * anyway). Change the two memory orders so that the store publishes the config and the load
 * receives it, and change nothing else.
 *
 * Test it (chapter 06's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R publish
 */
#include <inttypes.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/goroutine.h"

static struct {
    const char *name;
    go_int workers;
} config;
static atomic_bool ready;

static void load_config(void *arg)
{
    (void)arg;
    config.name = "gocurrent";
    config.workers = 4;
    atomic_store_explicit(&ready, true, memory_order_release); /* publishes the config */
}

int main(void)
{
    go(load_config, NULL);
    while (!atomic_load_explicit(&ready, memory_order_acquire)) /* and receives it */
        sched_yield();
    printf("config: %s, %" PRId64 " workers\n", config.name, config.workers);
    return 0;
}
