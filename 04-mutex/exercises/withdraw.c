/* Exercise withdraw: unlock on every way out.
 *
 * withdraw() takes the account's mutex, and on a refusal returns early, leaving the mutex
 * locked: the next withdraw() waits for ever, and the runtime ends the program with
 * "fatal error: all goroutines are asleep - deadlock!". Make withdraw() unlock on every path:
 * with one exit that unlocks (goto out), or with the cleanup attribute as the chapter's
 * defer-unlock demo does. main must then print three lines and exit with status 0.
 *
 * Test it (chapter 04's README, "Exercises"):
 *     cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise -R withdraw
 */
#include <inttypes.h>
#include <stdio.h>

#include "gocurrent/builtin.h"
#include "gocurrent/sync.h"

static go_mutex account_mu = GO_MUTEX_INIT;
static go_int balance = 100;

/* Takes amount out of the balance and stores what is left in *left. Returns NULL, or why it
 * refused. */
static const char *withdraw(go_int amount, go_int *left)
{
    go_mutex_lock(&account_mu);
    if (amount > balance)
        return "insufficient funds"; /* the bug: account_mu stays locked */
    balance -= amount;
    *left = balance;
    go_mutex_unlock(&account_mu);
    return NULL;
}

int main(void)
{
    static const go_int amounts[] = {30, 100, 20};
    for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
        go_int left = 0;
        const char *err = withdraw(amounts[i], &left);
        if (err != NULL)
            printf("withdraw %" PRId64 ": refused: %s\n", amounts[i], err);
        else
            printf("withdraw %" PRId64 ": ok, %" PRId64 " left\n", amounts[i], left);
    }
    return 0;
}
