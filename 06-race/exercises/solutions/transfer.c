/* Solution of the exercise transfer: the lower-numbered account is always locked first.
 *
 * (The exercise: take two mutexes in one global order.)
 *
 * transfer() locks the account the money leaves first, then the one it goes to. alice pays bob
 * and then bob pays alice, one after the other, so this run cannot hang; but the second payment
 * takes the two mutexes in the opposite order to the first, and two payments made at the same
 * moment could each hold one mutex and wait for ever for the other. The -tsan build reports
 * that: "lock-order-inversion (potential deadlock)". Make transfer() always lock the account
 * with the lower number first, whichever way the money goes.
 *
 * Test it (chapter 06's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R transfer
 */
#include <inttypes.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/goroutine.h"
#include "gocurrent/sync.h"

typedef struct account {
    int number;
    go_mutex mu; /* guards balance */
    go_int balance;
} account;

static void transfer(account *from, account *to, go_int amount)
{
    account *first = from->number < to->number ? from : to;
    account *second = first == from ? to : from;
    go_mutex_lock(&first->mu);
    go_mutex_lock(&second->mu);
    from->balance -= amount;
    to->balance += amount;
    go_mutex_unlock(&second->mu);
    go_mutex_unlock(&first->mu);
}

typedef struct payment {
    account *from, *to;
    go_int amount;
    go_wait_group *done;
} payment;

static void pay(void *arg)
{
    payment *p = arg;
    transfer(p->from, p->to, p->amount);
    go_wg_done(p->done);
}

/* Runs one payment in a goroutine of its own and waits for it. */
static void pay_and_wait(account *from, account *to, go_int amount)
{
    go_wait_group done = GO_WAIT_GROUP_INIT;
    payment p = {from, to, amount, &done};
    go_wg_add(&done, 1);
    go(pay, &p);
    go_wg_wait(&done);
}

int main(void)
{
    account alice = {1, GO_MUTEX_INIT, 100}, bob = {2, GO_MUTEX_INIT, 100};
    pay_and_wait(&alice, &bob, 10);
    pay_and_wait(&bob, &alice, 5);
    printf("alice: %" PRId64 ", bob: %" PRId64 "\n", alice.balance, bob.balance);
    return 0;
}
