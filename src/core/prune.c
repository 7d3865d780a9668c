#include "prune.h"

#include <stdio.h>

/* The batch of finished deliveries, oldest first, as the partial index
 * deliveries_finished holds them: the same rows for each of the
 * statements below, which run in one transaction. The state test reads
 * as the index's own WHERE, which lets SQLite use it; INDEXED BY because
 * without statistics it prefers deliveries_state, and would then sort
 * every delivered row to find the oldest. */
#define FINISHED_BATCH_IN(deliveries) \
	"SELECT id FROM " deliveries " " \
	"WHERE state IN ('delivered', 'dead', 'dropped') AND updated_at < ?1 " \
	"ORDER BY updated_at, id LIMIT ?2"
#define FINISHED_BATCH FINISHED_BATCH_IN("deliveries INDEXED BY deliveries_finished")
/* PostgreSQL keeps statistics, and has no INDEXED BY. */
#define FINISHED_BATCH_PG FINISHED_BATCH_IN("deliveries")

/* Run a cached statement that changes rows with the cutoff and limit;
 * its change count in *n. */
static int run_delete(struct store *st, const char *sql, const char *pg, long long before_ms, int limit,
		      long long *n, const char *what, char *err)
{
	struct db_stmt *s = store_sql_dialect(st, sql, pg, err);

	if (s) {
		db_bind_int64(s, 1, before_ms);
		db_bind_int64(s, 2, limit);
	}
	if (store_run(st, s, what, err) < 0)
		return -1;
	*n = store_changes(st);   /* one batch: an int is plenty (changes64 needs 3.37) */
	return 0;
}

/* How many test sends the batch holds, for the report. */
static int count_tests(struct store *st, long long before_ms, int limit, long long *n, char *err)
{
	struct db_stmt *s = store_sql_dialect(st,
		"SELECT count(*) FROM deliveries WHERE is_test AND id IN (" FINISHED_BATCH ")",
		"SELECT count(*) FROM deliveries WHERE is_test <> 0 AND id IN (" FINISHED_BATCH_PG ")", err);

	if (s) {
		db_bind_int64(s, 1, before_ms);
		db_bind_int64(s, 2, limit);
	}
	return store_run_int(st, s, n, "cannot count the test sends to prune", err);
}

/* Attempts and bodies first, explicitly: the cascade would remove them
 * too, but would not say how many attempts went. */
static int prune_deliveries(struct store *st, long long before_ms, int limit, struct prune_counts *batch,
			    char *err)
{
	long long bodies;

	if (count_tests(st, before_ms, limit, &batch->tests, err) < 0 ||
	    run_delete(st, "DELETE FROM attempts WHERE delivery_id IN (" FINISHED_BATCH ")",
		       "DELETE FROM attempts WHERE delivery_id IN (" FINISHED_BATCH_PG ")", before_ms, limit,
		       &batch->attempts, "cannot prune attempts", err) < 0 ||
	    run_delete(st, "DELETE FROM bodies WHERE delivery_id IN (" FINISHED_BATCH ")",
		       "DELETE FROM bodies WHERE delivery_id IN (" FINISHED_BATCH_PG ")", before_ms, limit,
		       &bodies, "cannot prune delivery bodies", err) < 0)
		return -1;
	return run_delete(st, "DELETE FROM deliveries WHERE id IN (" FINISHED_BATCH ")",
			  "DELETE FROM deliveries WHERE id IN (" FINISHED_BATCH_PG ")", before_ms, limit,
			  &batch->deliveries, "cannot prune deliveries", err);
}

#define DELETE_EVENTS "DELETE FROM events WHERE id IN (SELECT e.id FROM events e WHERE e.created_at < ?1 " \
	"AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) LIMIT ?2)"

static int prune_events(struct store *st, long long before_ms, int limit, struct prune_counts *batch, char *err)
{
	return run_delete(st, DELETE_EVENTS, DELETE_EVENTS, before_ms, limit, &batch->events, "cannot prune events", err);
}

int prune_step(struct store *st, long long before_ms, int limit, struct prune_counts *c, int *done,
	       char *err)
{
	struct prune_counts batch = { 0 };
	long long left;

	*done = 0;
	if (store_begin(st, err) < 0)
		return -1;
	if (prune_deliveries(st, before_ms, limit, &batch, err) < 0)
		goto fail;
	/* Events once their deliveries are gone, so that the last batch of
	 * deliveries frees the events it held in the next step. */
	if (batch.deliveries == 0 && prune_events(st, before_ms, limit, &batch, err) < 0)
		goto fail;
	/* The pages this batch emptied, and as many of older ones: the file
	 * shrinks as it goes, never in one long write at the end. */
	if (store_shrink(st, limit, &left, err) < 0)
		goto fail;
	if (store_commit(st, err) < 0)
		return -1;
	*done = batch.deliveries == 0 && batch.events < limit && left == 0;
	c->deliveries += batch.deliveries;
	c->tests += batch.tests;
	c->attempts += batch.attempts;
	c->events += batch.events;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int prune_run(struct store *st, long long before_ms, int limit, struct prune_counts *c, char *err)
{
	int done = 0;

	while (!done)
		if (prune_step(st, before_ms, limit, c, &done, err) < 0)
			return -1;
	return 0;
}
