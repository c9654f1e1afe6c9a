/* Solution of the exercise shared-reads: an RWMutex, read-locked by the lookups.
 *
 * Three lookups read a table under table_mu. Once inside, each one waits until all three are
 * inside together, as three lookups would overlap that each wait for a slow disk. With a
 * go_mutex only one lookup can be inside: the other two wait for it, it waits for them, and the
 * runtime ends the program with "fatal error: all goroutines are asleep - deadlock!".
 *
 * Make table_mu a go_rwmutex (start it from GO_RWMUTEX_INIT): lookups take it with
 * go_rwmutex_rlock and go_rwmutex_runlock, update() with go_rwmutex_lock and go_rwmutex_unlock.
 *
 * Test it (chapter 04's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R shared-reads
 */
#include <stdatomic.h>
#include <stdio.h>

#include "gocurrent/chan.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

enum { lookups = 3 };

static go_rwmutex table_mu = GO_RWMUTEX_INIT; /* guards table */
static const char *table[lookups] = {"zero", "one", "two"};

static atomic_int inside;   /* lookups inside the lock so far */
static go_chan *all_inside; /* closed by the last lookup to get inside */
static go_wait_group done = GO_WAIT_GROUP_INIT;
static const char *found[lookups]; /* each lookup writes its own slot */

static void lookup(void *arg)
{
    int key = *(const int *)arg;
    go_rwmutex_rlock(&table_mu); /* readers share the lock */
    found[key] = table[key];
    if (atomic_fetch_add(&inside, 1) + 1 == lookups)
        go_close(all_inside);
    go_recv_drop(all_inside); /* the slow part: waits until every lookup is inside */
    go_rwmutex_runlock(&table_mu);
    go_wg_done(&done);
}

static void update(int key, const char *value)
{
    go_rwmutex_lock(&table_mu); /* a writer is alone */
    table[key] = value;
    go_rwmutex_unlock(&table_mu);
}

int main(void)
{
    static const int keys[lookups] = {0, 1, 2};
    all_inside = go_chan_make(0, 0);
    go_wg_add(&done, lookups);
    for (int i = 0; i < lookups; i++)
        go(lookup, (void *)&keys[i]);
    go_wg_wait(&done);
    printf("%d lookups were inside at once: %s %s %s\n", lookups, found[0], found[1], found[2]);
    update(1, "uno");
    printf("after update(1, \"uno\"): %s\n", table[1]);
    go_chan_release(all_inside);
    return 0;
}
