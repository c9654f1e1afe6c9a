/* trace_buf.c - per-thread buffers, writing them out, and stopping: the tracer's algorithm.
 *
 * Buffers. Each thread records into a buffer of its own (go__trace_mine), so recording takes
 * no lock and shares no cache line: the hot path (trace_internal.h) marks the buffer busy,
 * looks at go__trace_on, appends the event and clears busy. A thread gets its buffer at its
 * first event while tracing, from the free list or freshly allocated, and puts it on the list
 * of all buffers (under list_lock, once). When the thread ends, a pthread key's destructor
 * writes out what the buffer holds and puts it on the free list for the next new thread.
 * Buffers are never freed: a program has about as many as it ever had threads at once.
 *
 * Writing out. A buffer's contents are one batch (trace_format.h). When the buffer is nearly
 * full, its owner writes the batch to the file itself, under file_lock, and starts the next one
 * empty (with empty string and site tables: every batch can be read alone). So no event is
 * dropped when the buffer fills; the owner pays for the write(2), a few microseconds per
 * thousands of events, possibly while holding the lock of the channel it is blocking on.
 *
 * Stopping. Stop must write out every buffer, including those of threads that are running
 * and recording at that very moment, without a lock on the hot path. Like a read-copy-update
 * writer, it first makes sure no recording is under way and none can begin:
 *   1. it clears go__trace_on;
 *   2. membarrier(2) runs a full memory barrier on every thread of the process that is running:
 *      from then on, a thread that begins an event sees go__trace_on cleared (and records
 *      nothing), or had already set its buffer's busy before the barrier, so stop sees busy;
 *   3. it waits for every buffer's busy to clear: those events are finished;
 *   4. it writes out every buffer (nothing can touch them now) and resets them for the next
 *      trace.
 * The hot path thus needs no fence of its own: a store, a compiler barrier and a load, where
 * a lock or fence would cost 8-20 ns per event; stop pays the membarrier's few microseconds.
 *
 * Invariants:
 *   - a buffer's contents are written only by its owner between begin (busy set, tracing on)
 *     and end (busy cleared); and by the thread stopping, only after step 3 above; and by
 *     a dying owner's destructor, itself inside begin and end.
 *   - the file is written only under file_lock, a whole chunk at a time: batches of different
 *     threads never interleave, and none is cut.
 *   - start and stop are serialised (trace.c); buffers are empty and reset between traces.
 * ThreadSanitizer sees the release of busy in end and the acquire in step 3, and the acquire
 * of go__trace_on at begin and its release at start, which is all the synchronisation there is.
 */
#define _GNU_SOURCE /* syscall(2) */
#include "trace_internal.h"

#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "os.h"

atomic_bool go__trace_on;
_Thread_local go__trace_buf *go__trace_mine;

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static go__trace_buf *all_bufs, *free_bufs;
static unsigned nbufs;
static pthread_key_t release_key;

/* The file, under file_lock; or, for the flight recorder, the ring of batches kept in memory
 * instead (out_fd -1). */
static pthread_mutex_t file_lock = PTHREAD_MUTEX_INITIALIZER;
static int out_fd = -1;
static uint64_t batches, dropped;
static int write_error;
static struct {
    bool on;
    size_t max_bytes, bytes;
    go__trace_kept *oldest, *newest;
} ring;

void go__trace_reset_batch(go__trace_buf *b)
{
    b->len = 0;
    b->nevents = 0;
    b->base = b->last;
    b->g = 0;
    b->object = 0;
    memset(b->strings, 0, sizeof b->strings);
    memset(b->sites, 0, sizeof b->sites);
}

int go__trace_write_all(int fd, struct iovec *iov, int count)
{
    while (count > 0) {
        ssize_t n = writev(fd, iov, count);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        while (count > 0 && (size_t)n >= iov->iov_len) {
            n -= (ssize_t)iov->iov_len;
            iov++, count--;
        }
        if (count > 0) {
            iov->iov_base = (char *)iov->iov_base + n;
            iov->iov_len -= (size_t)n;
        }
    }
    return 0;
}

size_t go__trace_put_uvarint(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

int go__trace_write_chunk_to(int fd, go__trace_chunk kind, const unsigned char *head, size_t head_len,
                             const unsigned char *body, size_t body_len)
{
    unsigned char prefix[11];
    prefix[0] = (unsigned char)kind;
    size_t prefix_len = 1 + go__trace_put_uvarint(prefix + 1, head_len + body_len);
    struct iovec iov[3] = {{prefix, prefix_len}, {(void *)head, head_len}, {(void *)body, body_len}};
    return go__trace_write_all(fd, iov, 3);
}

/* Writes a chunk to the trace's file, with file_lock held. Returns whether it was written;
 * after the first failure nothing more is. */
static bool write_chunk_locked(go__trace_chunk kind, const unsigned char *head, size_t head_len,
                               const unsigned char *body, size_t body_len)
{
    if (write_error != 0)
        return false;
    write_error = go__trace_write_chunk_to(out_fd, kind, head, head_len, body, body_len);
    return write_error == 0;
}

void go__trace_write_chunk(go__trace_chunk kind, const unsigned char *payload, size_t len)
{
    pthread_mutex_lock(&file_lock);
    write_chunk_locked(kind, payload, len, NULL, 0);
    pthread_mutex_unlock(&file_lock);
}

/* Keeps b's batch in the ring, letting the oldest batches go while the ring holds more than
 * its bytes (but never the one just kept). With file_lock held. */
static void keep_locked(go__trace_buf *b)
{
    go__trace_kept *k = malloc(sizeof *k + b->len);
    if (k == NULL) {
        dropped += b->nevents;
        return;
    }
    *k = (go__trace_kept){b->id, b->tid, b->seq, b->nevents, b->base, b->len, NULL};
    memcpy(k->data, b->data, b->len);
    if (ring.newest != NULL)
        ring.newest->next = k;
    else
        ring.oldest = k;
    ring.newest = k;
    ring.bytes += b->len;
    while (ring.bytes > ring.max_bytes && ring.oldest != k) {
        go__trace_kept *gone = ring.oldest;
        ring.oldest = gone->next;
        ring.bytes -= gone->len;
        free(gone);
    }
    batches++;
}

void go__trace_flush(go__trace_buf *b)
{
    if (ring.on) {
        pthread_mutex_lock(&file_lock);
        keep_locked(b);
        pthread_mutex_unlock(&file_lock);
        b->seq++;
        go__trace_reset_batch(b);
        return;
    }
    unsigned char head[5 * 10];
    size_t n = go__trace_put_uvarint(head, b->id);
    n += go__trace_put_uvarint(head + n, (uint64_t)b->tid);
    n += go__trace_put_uvarint(head + n, b->seq);
    n += go__trace_put_uvarint(head + n, b->nevents);
    n += go__trace_put_uvarint(head + n, b->base);
    pthread_mutex_lock(&file_lock);
    if (write_chunk_locked(GO__TRACE_BATCH, head, n, b->data, b->len))
        batches++;
    else
        dropped += b->nevents;
    pthread_mutex_unlock(&file_lock);
    b->seq++;
    go__trace_reset_batch(b);
}

/* The pthread key's destructor: b's thread is ending. Its events go out now, and the buffer
 * to the next new thread. (If the thread records again, a later destructor round gives its
 * new buffer back too.) */
static void release(void *arg)
{
    go__trace_buf *b = arg;
    if (go__trace_begin() != NULL) {
        if (b->len > 0)
            go__trace_flush(b);
        go__trace_end(b);
    }
    go__trace_mine = NULL;
    pthread_mutex_lock(&list_lock);
    b->free_next = free_bufs;
    free_bufs = b;
    pthread_mutex_unlock(&list_lock);
}

static void make_release_key(void)
{
    if (pthread_key_create(&release_key, release) != 0)
        go_fatal("runtime: cannot create the tracer's thread key");
}

go__trace_buf *go__trace_begin_slow(void)
{
    /* No buffer for a thread that records nothing. */
    if (!atomic_load_explicit(&go__trace_on, memory_order_acquire))
        return NULL;
    static pthread_once_t key_once = PTHREAD_ONCE_INIT;
    pthread_once(&key_once, make_release_key);
    pthread_mutex_lock(&list_lock);
    go__trace_buf *b = free_bufs;
    if (b != NULL) {
        free_bufs = b->free_next;
    } else if ((b = calloc(1, sizeof *b)) != NULL) {
        b->id = nbufs++;
        b->all_next = all_bufs;
        all_bufs = b;
    }
    if (b != NULL)
        b->tid = go__gettid(); /* under the lock: a stop that finds the buffer sees it */
    pthread_mutex_unlock(&list_lock);
    if (b == NULL) {
        /* No memory for a buffer: this event is lost, and the trace says so. */
        pthread_mutex_lock(&file_lock);
        dropped++;
        pthread_mutex_unlock(&file_lock);
        return NULL;
    }
    go__trace_mine = b;
    pthread_setspecific(release_key, b);
    return go__trace_begin();
}

/* ---- Tables ---- */

static unsigned slot_of(uintptr_t key, unsigned avoid)
{
    unsigned slot = (unsigned)((key * 0x9E3779B97F4A7C15u) >> 57) % (GO__TRACE_SLOTS - 1) + 1;
    return slot != avoid ? slot : slot % (GO__TRACE_SLOTS - 1) + 1;
}

unsigned go__trace_string(go__trace_buf *b, uint64_t t, const char *s, unsigned avoid)
{
    if (s == NULL)
        return 0;
    unsigned slot = slot_of((uintptr_t)s, avoid);
    if (b->strings[slot] != s) {
        b->strings[slot] = s;
        go__trace_event(b, GO__EV_STRING, t);
        go__trace_uvarint(b, slot);
        go__trace_bytes(b, s, GO__TRACE_MAX_NAME);
    }
    return slot;
}

unsigned go__trace_site(go__trace_buf *b, uint64_t t, go_site where, unsigned avoid)
{
    if (where.func == NULL)
        return 0;
    uintptr_t key = (uintptr_t)where.func ^ (uintptr_t)where.file * 31 ^ (uintptr_t)where.line;
    unsigned slot = slot_of(key, avoid);
    go__trace_site_key *cached = &b->sites[slot];
    if (cached->func != where.func || cached->file != where.file || cached->line != where.line) {
        unsigned func = go__trace_string(b, t, where.func, 0);
        unsigned file = go__trace_string(b, t, where.file, func);
        *cached = (go__trace_site_key){where.func, where.file, where.line};
        go__trace_event(b, GO__EV_SITE, t);
        go__trace_uvarint(b, slot);
        go__trace_uvarint(b, func);
        go__trace_uvarint(b, file);
        go__trace_uvarint(b, (uint64_t)where.line);
    }
    return slot;
}

void go__trace_setg(go__trace_buf *b, uint64_t t, int64_t gid)
{
    if (b->g != gid) {
        go__trace_event(b, GO__EV_SETG, t);
        go__trace_uvarint(b, (uint64_t)gid);
        b->g = gid;
    }
}

/* ---- Sessions ---- */

int go__trace_session_open_flight(size_t max_bytes)
{
    int err = go__trace_session_open(-1);
    if (err == 0) {
        pthread_mutex_lock(&file_lock);
        ring.on = true;
        ring.max_bytes = max_bytes;
        pthread_mutex_unlock(&file_lock);
    }
    return err;
}

go__trace_kept *go__trace_flight_take(void)
{
    pthread_mutex_lock(&file_lock);
    go__trace_kept *kept = ring.oldest;
    ring.oldest = ring.newest = NULL;
    ring.bytes = 0;
    batches = 0;
    pthread_mutex_unlock(&file_lock);
    return kept;
}

void go__trace_flight_close(void)
{
    go__trace_kept *k = go__trace_flight_take();
    while (k != NULL) {
        go__trace_kept *next = k->next;
        free(k);
        k = next;
    }
    pthread_mutex_lock(&file_lock);
    ring.on = false;
    pthread_mutex_unlock(&file_lock);
}

bool go__trace_flight_on(void)
{
    pthread_mutex_lock(&file_lock);
    bool on = ring.on;
    pthread_mutex_unlock(&file_lock);
    return on;
}

unsigned go__trace_buffers(void)
{
    pthread_mutex_lock(&list_lock);
    unsigned n = nbufs;
    pthread_mutex_unlock(&list_lock);
    return n;
}

int go__trace_session_open(int fd)
{
    /* Step 2 of stopping needs the expedited membarrier, which a process registers once. */
    static int registered = -1;
    if (registered < 0)
        registered = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
    if (!registered)
        return ENOSYS;
    pthread_mutex_lock(&file_lock);
    out_fd = fd;
    batches = dropped = 0;
    write_error = 0;
    if (fd < 0) { /* the flight recorder's: no file (yet) */
        pthread_mutex_unlock(&file_lock);
        return 0;
    }
    unsigned char header[16];
    memcpy(header, GO__TRACE_MAGIC, GO__TRACE_MAGIC_LEN);
    header[GO__TRACE_MAGIC_LEN] = GO__TRACE_VERSION;
    struct iovec iov = {header, sizeof header};
    write_error = go__trace_write_all(out_fd, &iov, 1);
    int err = write_error;
    pthread_mutex_unlock(&file_lock);
    return err;
}

void go__trace_session_drain(void)
{
    atomic_store(&go__trace_on, false);
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
        go_fatal("runtime: membarrier failed while stopping the trace");
    pthread_mutex_lock(&list_lock);
    for (go__trace_buf *b = all_bufs; b != NULL; b = b->all_next)
        while (atomic_load_explicit(&b->busy, memory_order_acquire))
            sched_yield();
    for (go__trace_buf *b = all_bufs; b != NULL; b = b->all_next) {
        if (b->len > 0)
            go__trace_flush(b);
        b->seq = 0;
        b->last = 0;
        go__trace_reset_batch(b);
    }
    pthread_mutex_unlock(&list_lock);
}

void go__trace_session_totals(uint64_t *nbatches, uint64_t *ndropped, int *error)
{
    pthread_mutex_lock(&file_lock);
    *nbatches = batches;
    *ndropped = dropped;
    *error = write_error;
    pthread_mutex_unlock(&file_lock);
}
