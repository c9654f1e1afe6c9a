/* fixture_pool.h - a shared library with a worker thread started by its constructor. */
#ifndef GOCURRENT_FIXTURE_POOL_H
#define GOCURRENT_FIXTURE_POOL_H

/* Runs fn(arg) on the pool's worker thread (one job at a time; the pool must be running). */
void fixture_pool_submit(void (*fn)(void *arg), void *arg);

#endif
