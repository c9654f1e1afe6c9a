/* trace_format.h - the tracer's native file format, version 1: everything a reader needs.
 *
 * Version 2 adds the network wait (reason 12) and TIMER (18) to version 1; a reader of version 2
 * reads both.
 *
 * A trace is a byte stream meant to be read front to back, by a reader whose memory grows with
 * the live goroutines and open tasks, not with the length of the trace.
 *
 * ---- Numbers ----
 * uvarint: an unsigned integer in 7-bit groups, least significant first, the top bit of each
 *          byte set on all but the last (Go's encoding/binary.Uvarint; at most 10 bytes).
 * svarint: a signed integer zigzag-mapped to an uvarint ((n << 1) ^ (n >> 63)).
 * bytes:   an uvarint length n, then n bytes (no terminating NUL). Strings are UTF-8 or whatever
 *          the program passed; strings longer than the limits below were cut to the limit.
 *
 * ---- The file ----
 *     header  = "gocurrent trace" (15 bytes) and one byte, the version (2)       16 bytes
 *     chunk*  = kind (1 byte), uvarint length L, then L bytes of payload
 * A reader skips a chunk of a kind it does not know (later versions may add kinds). Chunks:
 *
 *   CLOCK (1), always the first chunk:
 *       uvarint source (0: CLOCK_MONOTONIC, 1: the CPU's invariant time-stamp counter)
 *       uvarint tick0, uvarint ns0: a tick and the CLOCK_MONOTONIC time (ns) read together at start
 *       uvarint pid
 *   BATCH (2): a run of events recorded by one thread, in the order it recorded them:
 *       uvarint buffer   the recording buffer's number (dense from 0; a buffer outlives threads:
 *                        after a thread ends, a new thread may record into its buffer)
 *       uvarint tid      the kernel id of the thread that recorded this batch
 *       uvarint seq      the buffer's batch number in this trace, from 0, without gaps
 *       uvarint events   how many events follow (a reader checks it: nothing torn)
 *       uvarint base     the tick the first event's delta counts from
 *       event*           to the end of the payload
 *   END (3), always the last chunk; a trace without one was cut short (the program died):
 *       uvarint tick1, uvarint ns1: read together at stop, as tick0 and ns0
 *       uvarint batches  how many BATCH chunks the trace holds
 *       uvarint dropped  events lost (only when writing failed: the trace then ends here, if at all)
 *
 * ---- Time ----
 * An event's tick is the previous event's tick in its batch (the batch's base for the first)
 * plus its delta. Ticks count at a constant rate; the time in CLOCK_MONOTONIC nanoseconds is
 *     ns(t) = ns0 + (t - tick0) * (ns1 - ns0) / (tick1 - tick0)
 * (go_nanotime() reads the same clock). A streaming reader measures durations in ticks and
 * converts at END. Ticks are ordered across threads; within a buffer they never decrease; and
 * the events of one goroutine (all but STATE) are stamped in strictly increasing ticks,
 * whichever thread records them (its waker's unblock after its block, its start after that).
 * So merging the batches of all buffers by tick, keeping each batch's own order among equal
 * ticks, gives every goroutine's events in the order they happened; events of different
 * goroutines with equal ticks have no order. Batches reach the file when a buffer fills or at stop, so a reader
 * merges through a window: a batch's events may be older than ones already read.
 *
 * ---- Events ----
 * Every event is: type (1 byte), uvarint delta (ticks), then its arguments. A reader must know
 * every type (no length is given). Each batch starts with empty tables and an empty register:
 *   - strings: slots 1..127, each bound by a STRING event to the bytes given, until rebound.
 *     Slot 0 always means "none" (an empty string).
 *   - sites: slots 1..127, each bound by a SITE event to (function, file, line), resolved when
 *     the SITE event is read (rebinding a string slot later does not change a site). Slot 0: none.
 *   - the register: the goroutine doing what the next events describe (0: no goroutine: the
 *     runtime's own thread, a timer, a thread the runtime does not know). Set by SETG; "G"
 *     below. The register starts at 0.
 *   - the last object: starts at 0; BLOCK and STATE give objects as differences from it.
 * Goroutine ids are those of the program (go_id()); never reused. Task ids are never 0
 * (0 is "no task": the background).
 *
 *   1  STRING   slot, bytes                       bind string slot (bytes cut at 200)
 *   2  SITE     slot, func string, file string, uvarint line      bind site slot
 *   3  SETG     gid                               the register is now gid
 *   4  CREATE   gid, func string, site            G created goroutine gid (RUNNABLE), to run
 *                                                 func, at site (its go statement; 0 for a
 *                                                 thread the runtime adopted)
 *   5  START    -                                 G runs (from RUNNABLE)
 *   6  BLOCK    reason, site, svarint object      G waits (from RUNNING) for reason, at site,
 *                                                 on object (the last object plus this; an
 *                                                 address, 0 for none): WAITING
 *   7  UNBLOCK  gid                               G made waiting goroutine gid RUNNABLE (its
 *                                                 waker; G = 0: a timer or a foreign thread)
 *   8  END      -                                 G's life ended (from RUNNING)
 *   9  SYSCALL  site                              G entered a blocking system call (SYSCALL):
 *                                                 Go's GoSysCall and GoSysBlock in one
 *  10  SYSEXIT  -                                 G returned from it (RUNNING): Go's GoSysExit
 *  11  STATE    gid, state, func string, site, [reason, site, svarint object if WAITING]
 *               gid was alive when tracing started, in state (below), running func, created at
 *               site. Recorded by the starting thread just after tracing started, so an event
 *               of gid may precede it: a reader treats the first event about a goroutine as its
 *               introduction (a goroutine first seen in UNBLOCK was waiting; in START, runnable;
 *               in BLOCK, END or SYSCALL, running), and takes from a later STATE only its func
 *               and site. If a STATE comes first, a transition whose from-state disagrees with
 *               it is legal (the goroutine moved while tracing started) and wins.
 *  12  TASK     uvarint id, uvarint parent, bytes name   G began task id (parent 0: none)
 *  13  TASKEND  uvarint id                        G ended task id
 *  14  REGION   uvarint task, bytes name          G entered a region of task (0: none)
 *  15  REGIONEND uvarint task, bytes name         G left its innermost region (the same name)
 *  16  LOG      uvarint task, bytes category, bytes message
 *  17  COUNTERS running, runnable, waiting, syscall, threads, heap bytes in use (all uvarint):
 *               goroutines by state, the process's threads, and malloc's in-use bytes
 *  18  TIMER    kind, svarint object, uvarint late (version 2): a timer fired (G = 0), late ns
 *               after it was due. Kinds: 1 a sleep's (object: the timer, the object of the
 *               sleeper's BLOCK), 2 a channel timer's (go_after, a ticker; object: its
 *               channel), 3 a context's deadline (object: its Done channel), 0 other. The
 *               UNBLOCKs that immediately follow it in its buffer's run of events (the same
 *               buffer, nothing between) are its wake-ups: the sleeper, the receiver of the
 *               tick, the goroutines waiting on the Done channel. Go's trace shows the same
 *               wake-ups as unblocks by whatever ran the timer.
 * Arguments named gid, slot, string, site, reason and state are uvarints. Names and categories
 * are cut at 200 bytes, messages at 1000.
 *
 * States (STATE): 1 runnable, 2 running, 3 syscall, 4 waiting. Reasons (BLOCK, STATE):
 *   1 chan send, 2 chan receive, 3 chan send (nil chan), 4 chan receive (nil chan), 5 select,
 *   6 select (no cases), 7 sleep, 8 Mutex.Lock (or Once.Do), 9 RWMutex.RLock, 10 RWMutex.Lock,
 *   11 WaitGroup.Wait, 12 network (Go's "IO wait": unblocked by the poller, G = 0), 0 other.
 * Regions nest per goroutine; a REGIONEND closes the innermost REGION of the same goroutine.
 *
 * ---- Stop ----
 * Stopping ends recording on every thread before it writes any buffer out (trace_buf.c says
 * how), then writes every buffer's last batch, then END. Nothing recorded is lost or cut: every
 * BATCH holds whole events, as many as it says.
 */
#ifndef GOCURRENT_TRACE_FORMAT_H
#define GOCURRENT_TRACE_FORMAT_H

#define GO__TRACE_MAGIC "gocurrent trace"
enum { GO__TRACE_MAGIC_LEN = 15, GO__TRACE_VERSION = 2, GO__TRACE_OLDEST_VERSION = 1 };

typedef enum go__trace_chunk { GO__TRACE_CLOCK = 1, GO__TRACE_BATCH = 2, GO__TRACE_END = 3 } go__trace_chunk;

typedef enum go__trace_ev {
    GO__EV_STRING = 1,
    GO__EV_SITE,
    GO__EV_SETG,
    GO__EV_CREATE,
    GO__EV_START,
    GO__EV_BLOCK,
    GO__EV_UNBLOCK,
    GO__EV_END,
    GO__EV_SYSCALL,
    GO__EV_SYSEXIT,
    GO__EV_STATE,
    GO__EV_TASK,
    GO__EV_TASKEND,
    GO__EV_REGION,
    GO__EV_REGIONEND,
    GO__EV_LOG,
    GO__EV_COUNTERS,
    GO__EV_TIMER,
} go__trace_ev;

typedef enum go__trace_state {
    GO__TRACE_RUNNABLE = 1,
    GO__TRACE_RUNNING,
    GO__TRACE_SYSCALL,
    GO__TRACE_WAITING,
} go__trace_state;

/* Table slots per batch, and the cuts. */
enum {
    GO__TRACE_SLOTS = 128,
    GO__TRACE_MAX_NAME = 200,
    GO__TRACE_MAX_MESSAGE = 1000,
};

#endif
