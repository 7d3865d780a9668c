#include "prune.h"

#include <stdio.h>

/* The batch of finished deliveries, oldest first, as the partial index
 * deliveries_finished holds them: the same rows for each of the
 * statements below, which run in one transaction. The state test reads
 * as the index's own WHERE, which lets SQLite use it; INDEXED BY because
 * without statistics it prefers deliveries_state, and would then sort
 * every delivered row to find the oldest. */
#define FINISHED_BATCH \
	"SELECT id FROM deliveries INDEXED BY deliveries_finished " \
	"WHERE state IN ('delivered', 'dead', 'dropped') AND updated_at < ?1 " \
	"ORDER BY updated_at, id LIMIT ?2"

/* Run a cached statement that changes rows with the cutoff and limit;
 * its change count in *n. */
static int run_delete(struct store *st, const char *sql, long long before_ms, int limit, long long *n,
		      const char *what, char *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, before_ms);
	sqlite3_bind_int(s, 2, limit);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_sql_error(st, what, err);
		return -1;
	}
	*n = sqlite3_changes(store_db(st));   /* one batch: an int is plenty (changes64 needs 3.37) */
	return 0;
}

/* How many test sends the batch holds, for the report. */
static int count_tests(struct store *st, long long before_ms, int limit, long long *n, char *err)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT count(*) FROM deliveries WHERE is_test AND id IN (" FINISHED_BATCH ")", err);
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, before_ms);
	sqlite3_bind_int(s, 2, limit);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		store_sql_error(st, "cannot count the test sends to prune", err);
		return -1;
	}
	return 0;
}

/* Attempts and bodies first, explicitly: the cascade would remove them
 * too, but would not say how many attempts went. */
static int prune_deliveries(struct store *st, long long before_ms, int limit, struct prune_counts *batch,
			    char *err)
{
	long long bodies;

	if (count_tests(st, before_ms, limit, &batch->tests, err) < 0 ||
	    run_delete(st, "DELETE FROM attempts WHERE delivery_id IN (" FINISHED_BATCH ")", before_ms, limit,
		       &batch->attempts, "cannot prune attempts", err) < 0 ||
	    run_delete(st, "DELETE FROM bodies WHERE delivery_id IN (" FINISHED_BATCH ")", before_ms, limit,
		       &bodies, "cannot prune delivery bodies", err) < 0)
		return -1;
	return run_delete(st, "DELETE FROM deliveries WHERE id IN (" FINISHED_BATCH ")", before_ms, limit,
			  &batch->deliveries, "cannot prune deliveries", err);
}

static int prune_events(struct store *st, long long before_ms, int limit, struct prune_counts *batch, char *err)
{
	return run_delete(st,
		"DELETE FROM events WHERE id IN (SELECT e.id FROM events e WHERE e.created_at < ?1 "
		"AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) LIMIT ?2)",
		before_ms, limit, &batch->events, "cannot prune events", err);
}

/* Free pages in the file: given back by the incremental vacuum on a
 * store that has it, reused by later writes on one that does not. */
static int free_pages(struct store *st, long long *n, char *err)
{
	sqlite3_stmt *s = store_stmt(st, "PRAGMA freelist_count", err);
	int rc;

	if (!s)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		store_sql_error(st, "cannot read the store's free space", err);
		return -1;
	}
	return 0;
}

/* Give up to `pages` free pages back to the file system, in the open
 * transaction. *left: how many free pages remain that it could still
 * give back (0 on a store without incremental auto-vacuum, where it does
 * nothing). A pragma takes no bound parameter; sqlite3_exec steps it to
 * the end, one page a step. */
static int shrink(struct store *st, int pages, long long *left, char *err)
{
	long long before, after;
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA incremental_vacuum(%d)", pages);
	if (free_pages(st, &before, err) < 0)
		return -1;
	if (before > 0 && sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) != SQLITE_OK) {
		store_sql_error(st, "cannot give free space back to the file system", err);
		return -1;
	}
	if (free_pages(st, &after, err) < 0)
		return -1;
	*left = after < before ? after : 0;
	return 0;
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
	if (shrink(st, limit, &left, err) < 0)
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

int prune_vacuum(struct store *st, char *err)
{
	if (sqlite3_exec(store_db(st), "PRAGMA auto_vacuum=INCREMENTAL; VACUUM", NULL, NULL, NULL) != SQLITE_OK) {
		store_sql_error(st, "cannot compact the store (VACUUM)", err);
		return -1;
	}
	return 0;
}

int prune_size(struct store *st, struct prune_size *sz, char *err)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT p.page_count * z.page_size, f.freelist_count * z.page_size, v.auto_vacuum "
		"FROM pragma_page_count p, pragma_page_size z, pragma_freelist_count f, pragma_auto_vacuum v", err);
	int rc;

	if (!s)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		sz->bytes = sqlite3_column_int64(s, 0);
		sz->free_bytes = sqlite3_column_int64(s, 1);
		sz->incremental = sqlite3_column_int(s, 2) == 2;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		store_sql_error(st, "cannot read the store's size", err);
		return -1;
	}
	return 0;
}
