/* fixture_pool.c - a stand-in for a thread-pool library: a shared library whose constructor
 * starts a worker thread before main runs, as such libraries do. The worker runs the jobs
 * submitted to it, one at a time, for the rest of the process's life.
 *
 * The constructor starts the worker only when GOCURRENT_TEST_POOL is set, so that the other
 * programs of the test binary that links this library run without a foreign thread. */
#include "fixture_pool.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

static sem_t submitted;
static void (*job_fn)(void *arg);
static void *job_arg;

static void *worker(void *unused)
{
    (void)unused;
    for (;;) {
        while (sem_wait(&submitted) != 0) {
        }
        job_fn(job_arg);
    }
    return NULL;
}

__attribute__((constructor)) static void start_pool(void)
{
    if (getenv("GOCURRENT_TEST_POOL") == NULL)
        return;
    sem_init(&submitted, 0, 0);
    pthread_t thread;
    if (pthread_create(&thread, NULL, worker, NULL) != 0)
        abort();
    pthread_detach(thread);
}

void fixture_pool_submit(void (*fn)(void *arg), void *arg)
{
    job_fn = fn;
    job_arg = arg;
    sem_post(&submitted);
}
