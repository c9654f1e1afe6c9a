/* schedtrace.h - GODEBUG=schedtrace=X for the library: GOCURRENT_SCHEDTRACE=X (milliseconds)
 * prints a one-line report of the runtime's state to stderr every X ms, as Go's does:
 *
 *   SCHED 1004ms: gomaxprocs=2 idleprocs=1 threads=7 goroutines=5 running=1 runnable=0 syscall=0 waiting=4 cpu=0.98
 *
 *   1004ms       time since the runtime started
 *   gomaxprocs   the CPUs the process may run on (here every goroutine has its own thread, and the
 *                kernel, not a scheduler of ours, shares these CPUs among them)
 *   idleprocs    of those, how many no running goroutine occupies (gomaxprocs - running, >= 0)
 *   threads      the process's OS threads (goroutines, the monitor, any others)
 *   goroutines   the living goroutines, then how many of them are in each state
 *   cpu          CPU time used during the period, per second of it: 2.00 means two CPUs were busy
 * Go's line also has spinningthreads, idlethreads and the run queues, which describe Go's
 * scheduler and have nothing to match here.
 *
 * The report runs on the monitor thread, from its tick hook (monitor.h): it is printed at the
 * first tick after each period ends, so up to a tick (100 ms) late, and X below 100 ms prints at
 * most once a tick. Not installed.
 */
#ifndef GOCURRENT_SCHEDTRACE_H
#define GOCURRENT_SCHEDTRACE_H

/* Reads GOCURRENT_SCHEDTRACE and, if it is a positive number of milliseconds, starts the
 * report. Called once, by the runtime's start, after the monitor has started. */
void go__schedtrace_start(void);

#endif
