/* Retention: what the store no longer needs to keep. A delivery that is
 * finished (delivered, dead or dropped, test sends included) and last changed
 * before a cutoff goes with its attempts and body; then an event older
 * than the cutoff that no delivery refers to any more. Pending, in-flight
 * and failed deliveries are never touched, whatever their age: they are
 * still to be sent. Work is done in small transactions (a batch of rows
 * each), so that hookmand's claims and outcomes wait at most one batch.
 * Times are the store's (unix ms) and are always given by the caller, so
 * that nothing here reads the clock. Errors as store.h says, with
 * ERR_BUSY when another process held the store for longer than the
 * connection's busy wait. */
#ifndef HOOKMAN_PRUNE_H
#define HOOKMAN_PRUNE_H

#include "store.h"

#define PRUNE_KEEP_DEFAULT_MS (30LL * 24 * 60 * 60 * 1000)   /* 30 days */
#define PRUNE_BATCH 1000                                     /* rows per transaction */

/* What was removed, added to by every call. */
struct prune_counts {
	long long deliveries;   /* of which tests below */
	long long tests;
	long long attempts;
	long long events;
};

/* One transaction: up to `limit` finished deliveries that last changed
 * before before_ms, with their attempts and bodies; when none is left,
 * up to `limit` events created before before_ms that no delivery refers
 * to; then up to `limit` free pages given back to the file system, on a
 * store whose auto_vacuum is incremental (elsewhere the pages stay free
 * and later writes reuse them). Adds to *c. *done becomes 1 when nothing
 * older is left to remove nor free pages to give back (0: call again).
 * 0, or -1 with err (nothing of this batch removed). */
int prune_step(struct store *st, long long before_ms, int limit, struct prune_counts *c, int *done,
	       char *err);

/* prune_step until done. On failure *c still says what the committed
 * batches removed. */
int prune_run(struct store *st, long long before_ms, int limit, struct prune_counts *c, char *err);

#endif
