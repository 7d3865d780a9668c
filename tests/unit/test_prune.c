#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <string.h>

#include "db.h"
#include "prune.h"
#include "sbuf.h"
#include "schema.h"
#include "store.h"
#include "testutil.h"

static struct store *st;

static void add_webhook(void)
{
	tu_exec(st, "INSERT INTO webhooks(name, url, events, format, payload, created_at, updated_at) "
		"VALUES ('w', 'http://127.0.0.1:9/', '[]', 'default', '{}', 0, 0)");
}

static void setup(void)
{
	char err[ERR_MAX];

	st = tu_store_open(err);
	ck_assert_msg(st != NULL, "%s", err);
	add_webhook();
}

static void teardown(void)
{
	tu_store_close(st);
}

/* A uid of its own for each row: the SQL is the same on both engines,
 * which share no random function. */
static long long uids;

/* An event created at `at`; its row id. */
static long long event_at(long long at)
{
	struct sbuf sql;

	sbuf_init(&sql);
	sbuf_appendf(&sql, "INSERT INTO events(uid, type, title, severity, time, data, created_at) "
		     "VALUES ('evt_%lld', 'admin.login', 't', 'low', 'now', '{}', %lld)", ++uids, at);
	tu_exec(st, sbuf_text(&sql));
	sbuf_release(&sql);
	return store_last_id(st);
}

/* A delivery of event in `state`, last changed at `at`, with a body of
 * body_size bytes and two attempts; its row id. */
static long long delivery(long long event, const char *state, long long at, int is_test, int body_size)
{
	struct sbuf sql;
	long long id;
	int i;

	sbuf_init(&sql);
	sbuf_appendf(&sql, "INSERT INTO deliveries(uid, event_id, webhook_id, state, is_test, next_attempt_at, "
		     "created_at, updated_at) VALUES ('msg_%lld', %lld, 1, '%s', %d, 0, %lld, %lld)",
		     ++uids, event, state, is_test, at, at);
	tu_exec(st, sbuf_text(&sql));
	sbuf_release(&sql);
	id = store_last_id(st);
	sbuf_appendf(&sql, "INSERT INTO bodies VALUES (%lld, '", id);
	for (i = 0; i < body_size; i++)
		sbuf_appendn(&sql, "0123456789abcdef" + (i + id) % 16, 1);
	sbuf_append(&sql, "')");
	tu_exec(st, sbuf_text(&sql));
	sbuf_release(&sql);
	sbuf_appendf(&sql, "INSERT INTO attempts(delivery_id, started_at, duration_ms, status) VALUES (%lld, %lld, 5, 500), "
		     "(%lld, %lld, 5, 200)", id, at, id, at);
	tu_exec(st, sbuf_text(&sql));
	sbuf_release(&sql);
	return id;
}

static long long count(const char *sql)
{
	return tu_count(st, sql);
}

START_TEST(removes_old_finished_keeps_the_rest)
{
	struct prune_counts c = { 0 };
	char err[ERR_MAX];
	long long done_event = event_at(100), busy_event = event_at(100), recent_event = event_at(2000);

	event_at(100);    /* never had a delivery: old, removed */
	event_at(2000);   /* none either, but recent: kept */
	delivery(done_event, "delivered", 500, 0, 100);
	delivery(done_event, "dead", 999, 0, 100);
	delivery(done_event, "delivered", 500, 1, 100);   /* a test send */
	delivery(busy_event, "pending", 0, 0, 100);
	delivery(busy_event, "inflight", 0, 0, 100);
	delivery(busy_event, "failed", 0, 0, 100);
	delivery(busy_event, "delivered", 1000, 0, 100);  /* at the cutoff: not older */
	delivery(recent_event, "delivered", 1500, 0, 100);

	ck_assert_msg(prune_run(st, 1000, PRUNE_BATCH, &c, err) == 0, "%s", err);
	ck_assert_int_eq(c.deliveries, 3);
	ck_assert_int_eq(c.tests, 1);
	ck_assert_int_eq(c.attempts, 6);
	ck_assert_int_eq(c.events, 2);
	ck_assert_int_eq(count("SELECT count(*) FROM deliveries"), 5);
	ck_assert_int_eq(count("SELECT count(*) FROM deliveries WHERE state IN ('pending', 'inflight', 'failed')"), 3);
	ck_assert_int_eq(count("SELECT count(*) FROM deliveries WHERE updated_at < 1000 AND state IN ('delivered', 'dead')"), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM bodies"), 5);
	ck_assert_int_eq(count("SELECT count(*) FROM attempts"), 10);
	ck_assert_int_eq(count("SELECT count(*) FROM bodies WHERE delivery_id NOT IN (SELECT id FROM deliveries)"), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM events"), 3);
	ck_assert_int_eq(count("SELECT count(*) FROM events WHERE created_at < 1000"), 1);   /* busy_event */

	/* A second run finds nothing. */
	memset(&c, 0, sizeof c);
	ck_assert_msg(prune_run(st, 1000, PRUNE_BATCH, &c, err) == 0, "%s", err);
	ck_assert_int_eq(c.deliveries + c.attempts + c.events, 0);
}
END_TEST

START_TEST(works_in_batches)
{
	struct prune_counts c = { 0 };
	char err[ERR_MAX];
	long long prev = 0, removed[8];
	int i, done = 0, steps = 0;

	for (i = 0; i < 25; i++)
		delivery(event_at(10), "delivered", 10 + i, 0, 10);
	for (i = 0; i < 12; i++)
		event_at(10);
	while (!done) {
		ck_assert_int_lt(steps, 8);
		ck_assert_msg(prune_step(st, 1000, 10, &c, &done, err) == 0, "%s", err);
		removed[steps++] = c.deliveries + c.events - prev;
		prev = c.deliveries + c.events;
	}
	/* 10, 10 and 5 deliveries, then their 25 events and the 12 others,
	 * 10 at a time, the last step finding fewer than 10. */
	ck_assert_int_eq(steps, 7);
	ck_assert_int_eq(removed[0], 10);
	ck_assert_int_eq(removed[1], 10);
	ck_assert_int_eq(removed[2], 5);
	ck_assert_int_eq(removed[3], 10);
	ck_assert_int_eq(removed[6], 7);
	ck_assert_int_eq(c.deliveries, 25);
	ck_assert_int_eq(c.attempts, 50);
	ck_assert_int_eq(c.events, 37);
	ck_assert_int_eq(count("SELECT count(*) FROM events"), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM attempts"), 0);
}
END_TEST

START_TEST(oldest_first)
{
	struct prune_counts c = { 0 };
	char err[ERR_MAX];
	int done;

	delivery(event_at(0), "delivered", 900, 0, 10);
	delivery(event_at(0), "dead", 100, 0, 10);
	delivery(event_at(0), "delivered", 500, 0, 10);
	ck_assert_msg(prune_step(st, 1000, 2, &c, &done, err) == 0, "%s", err);
	ck_assert_int_eq(done, 0);
	ck_assert_int_eq(c.deliveries, 2);
	ck_assert_int_eq(count("SELECT updated_at FROM deliveries"), 900);
}
END_TEST

START_TEST(the_file_shrinks)
{
	struct prune_counts c = { 0 };
	struct store_size before, after;
	char err[ERR_MAX];
	int i;

	ck_assert_msg(store_begin(st, err) == 0, "%s", err);
	for (i = 0; i < 2000; i++)
		delivery(event_at(0), "delivered", 0, 0, 4000);
	ck_assert_msg(store_commit(st, err) == 0, "%s", err);
	ck_assert_msg(store_size(st, &before, err) == 0, "%s", err);
	ck_assert_int_eq(before.incremental, 1);
	ck_assert_int_gt(before.bytes, 8000000);
	ck_assert_msg(prune_run(st, 1, PRUNE_BATCH, &c, err) == 0, "%s", err);
	ck_assert_int_eq(c.deliveries, 2000);
	ck_assert_msg(store_size(st, &after, err) == 0, "%s", err);
	ck_assert_int_eq(after.free_bytes, 0);
	ck_assert_int_lt(after.bytes, 1000000);
}
END_TEST

/* A store made before incremental auto-vacuum: pruning leaves free
 * pages; --vacuum gives them back and converts it. */
START_TEST(vacuum_converts_an_older_store)
{
	char err[ERR_MAX], sql[128];
	struct prune_counts c = { 0 };
	struct store_size sz;
	struct store *fixture = st;
	char odir[600], db[700];
	sqlite3 *h;
	int v, i;

	snprintf(odir, sizeof odir, "%s", tu_tmpdir());
	snprintf(db, sizeof db, "%s/" STORE_DB_NAME, odir);
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
	for (v = 1; v <= SCHEMA_VERSION; v++)
		ck_assert_int_eq(sqlite3_exec(h, schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d;", SCHEMA_VERSION,
		 SCHEMA_APPLICATION_ID);
	ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	/* The helpers write to st: the old store, until it is closed. */
	st = store_open(odir, err);
	ck_assert_msg(st != NULL, "%s", err);
	add_webhook();
	ck_assert_msg(store_begin(st, err) == 0, "%s", err);
	for (i = 0; i < 500; i++)
		delivery(event_at(0), "dead", 0, 0, 4000);
	ck_assert_msg(store_commit(st, err) == 0, "%s", err);
	ck_assert_msg(prune_run(st, 1, PRUNE_BATCH, &c, err) == 0, "%s", err);
	ck_assert_int_eq(c.deliveries, 500);
	ck_assert_msg(store_size(st, &sz, err) == 0, "%s", err);
	ck_assert_int_eq(sz.incremental, 0);
	ck_assert_int_gt(sz.free_bytes, 1000000);
	ck_assert_msg(store_vacuum(st, err) == 0, "%s", err);
	ck_assert_msg(store_size(st, &sz, err) == 0, "%s", err);
	ck_assert_int_eq(sz.incremental, 1);
	ck_assert_int_eq(sz.free_bytes, 0);
	ck_assert_int_lt(sz.bytes, 1000000);
	store_close(st);
	st = fixture;
	tu_rmtree(odir);
}
END_TEST

/* The delivery listings walk an index and stop at the limit, whatever
 * the filters (history_list): no plan reads the whole table. */
START_TEST(listing_plans_use_indexes)
{
	static const char *const wheres[] = { "d.state = 'dead'", "d.webhook_id = 1",
					      "d.webhook_id = 1 AND d.state = 'dead'" };
	char sql[512], err[ERR_MAX];
	size_t i;

	for (i = 0; i < 3; i++) {
		struct db_stmt *s;
		int scans = 0, sorts = 0;

		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN SELECT d.id FROM deliveries d "
			 "JOIN webhooks w ON w.id = d.webhook_id JOIN events e ON e.id = d.event_id WHERE %s "
			 "ORDER BY d.id DESC LIMIT 50", wheres[i]);
		s = store_sql_once(st, sql, err);
		ck_assert_msg(s != NULL, "%s", err);
		while (db_step(s) == DB_ROW) {
			const char *detail = db_column_text(s, 3);

			scans += strncmp(detail, "SCAN", 4) == 0;
			sorts += strstr(detail, "TEMP B-TREE") != NULL;
		}
		store_sql_free(s);
		ck_assert_msg(scans == 0 && sorts == 0, "%s: a scan or a sort", wheres[i]);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("prune");
	TCase *tc = tcase_create("prune");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, removes_old_finished_keeps_the_rest);
	tcase_add_test(tc, works_in_batches);
	tcase_add_test(tc, oldest_first);
	/* SQLite's incremental vacuum, its older files, its query plans. */
	if (tu_backend_is_sqlite()) {
		tcase_add_test(tc, the_file_shrinks);
		tcase_add_test(tc, vacuum_converts_an_older_store);
		tcase_add_test(tc, listing_plans_use_indexes);
	}
	suite_add_tcase(s, tc);
	return tu_run(s);
}
