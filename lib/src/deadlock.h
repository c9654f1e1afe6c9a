/* deadlock.h - "fatal error: all goroutines are asleep - deadlock!", and never a false one. */
#ifndef GOCURRENT_DEADLOCK_H
#define GOCURRENT_DEADLOCK_H

/* Turns the detector on and starts the monitor thread, whose tick re-checks. Called once, by
 * the runtime's start, before any goroutine is counted. */
void go__deadlock_start(void);

/* Checks now; if every goroutine is parked with nothing left to wake one, prints Go's fatal
 * error and every goroutine's dump and exits 2. Called with no runtime lock held (the detector
 * also checks by itself whenever a goroutine parks). */
void go__deadlock_check(void);

/* How many goroutines live, by the detector's counts (go_num_goroutine). */
int go__deadlock_live(void);

#endif
