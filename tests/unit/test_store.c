#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include <unistd.h>

#include "rotate.h"
#include "schema.h"
#include "storedir.h"
#include "store.h"
#include "testutil.h"

static const char *dir;
static char db[600];
static struct catalog *cat;
static struct store *st;

/* The open and storedir cases: a store directory, SQLite's. */
static void setup(void)
{
	dir = tu_tmpdir();
	snprintf(db, sizeof db, "%s/" STORE_DB_NAME, dir);
	cat = tu_catalog();
}

static void teardown(void)
{
	tu_rmtree(dir);
	catalog_free(cat);
}

/* The webhook cases: a store on the run's backend. */
static void store_setup(void)
{
	char err[ERR_MAX];

	cat = tu_catalog();
	st = tu_store_open(err);
	ck_assert_msg(st != NULL, "%s", err);
}

static void store_teardown(void)
{
	tu_store_close(st);
	catalog_free(cat);
}

static void make_webhook(struct webhook *wh, const char *name)
{
	webhook_init(wh);
	wh->name = strdup(name);
	wh->url = strdup("http://127.0.0.1:9/hook");
	wh->payload = strdup("{\"title\": \"$Title\", \"message\": \"$Event\"}");
	ck_assert_int_eq(webhook_set_events(wh, "admin.login,detection.created", cat, NULL), 0);
	ck_assert_int_eq(webhook_check(wh, cat, NULL), 0);
}

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fclose(f);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	ck_assert_ptr_nonnull(f);
	*n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

START_TEST(creates_private_store)
{
	char err[ERR_MAX], nested[700];
	struct stat sb;

	snprintf(nested, sizeof nested, "%s/a/b/hookman", dir);
	st = store_open(nested, err);
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(stat(nested, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(store_path(st), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	store_close(st);
}
END_TEST

START_TEST(loose_modes_are_tightened)
{
	char err[ERR_MAX];
	struct stat sb;

	st = store_open(dir, err);
	store_close(st);
	chmod(dir, 0755);
	chmod(db, 0644);
	st = store_open(dir, err);
	ck_assert_msg(st != NULL, "%s", err);
	stat(dir, &sb);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	stat(db, &sb);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	store_close(st);
}
END_TEST

START_TEST(foreign_owner_and_symlink_refused)
{
	char err[ERR_MAX], link[700], other[700];

	snprintf(link, sizeof link, "%s/link", dir);
	snprintf(other, sizeof other, "%s/other", dir);
	ck_assert_int_eq(mkdir(other, 0700), 0);
	ck_assert_int_eq(symlink(other, link), 0);
	ck_assert_ptr_null(store_open(link, err));
	ck_assert_ptr_nonnull(strstr(err, "is a symbolic link"));
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(other, 4242, 4242), 0);
		ck_assert_ptr_null(store_open(other, err));
		ck_assert_ptr_nonnull(strstr(err, "is owned by uid 4242, not by you"));
	}
}
END_TEST

START_TEST(corrupted_file_refused_untouched)
{
	char err[ERR_MAX], junk[4096], *after;
	size_t i, n;

	for (i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 7 + 3);
	write_file(db, junk, sizeof junk);
	ck_assert_ptr_null(store_open(dir, err));
	ck_assert_msg(strstr(err, "is not a hookman store") != NULL, "%s", err);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	after = slurp(db, &n);
	ck_assert_uint_eq(n, sizeof junk);
	ck_assert_int_eq(memcmp(after, junk, n), 0);
	free(after);
}
END_TEST

START_TEST(foreign_sqlite_refused)
{
	char err[ERR_MAX];
	sqlite3 *h;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "CREATE TABLE other(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	chmod(db, 0600);
	ck_assert_ptr_null(store_open(dir, err));
	ck_assert_ptr_nonnull(strstr(err, "a SQLite database but not a hookman store"));
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
}
END_TEST

START_TEST(newer_schema_refused_untouched)
{
	char err[ERR_MAX], *before, *after;
	size_t n1, n2;
	sqlite3 *h;
	char want[128];

	st = store_open(dir, err);
	store_close(st);
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	before = slurp(db, &n1);
	ck_assert_ptr_null(store_open(dir, err));
	snprintf(want, sizeof want, "schema version 99, newer than this hookman understands (%d)", SCHEMA_VERSION);
	ck_assert_ptr_nonnull(strstr(err, want));
	after = slurp(db, &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert_int_eq(memcmp(before, after, n1), 0);
	free(before);
	free(after);
}
END_TEST

START_TEST(migrates_from_version_1)
{
	char err[ERR_MAX], sql[256];
	struct webhook wh;
	sqlite3 *h;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, schema_migration(1), NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version=1; PRAGMA application_id=%d;", SCHEMA_APPLICATION_ID);
	ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h,
		"INSERT INTO webhooks(name,url,events,format,payload,created_at,updated_at) VALUES "
		"('old','http://127.0.0.1:9/x','[\"admin.login\"]','default','{\"t\":\"$Title $Event\"}',1,1);"
		"INSERT INTO events(uid,type,title,severity,time,data,created_at) VALUES ('evt_1','admin.login','t','low','t','{}',1);"
		"INSERT INTO deliveries(uid,event_id,webhook_id,state,next_attempt_at,created_at,updated_at) "
		"VALUES ('msg_1',1,1,'failed',5,1,1);"
		"INSERT INTO bodies VALUES (1, '{}');"
		"INSERT INTO attempts(delivery_id,started_at,duration_ms,status) VALUES (1,1,1,500);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	chmod(db, 0600);

	st = store_open(dir, err);
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(store_webhook_get(st, "old", &wh, err), 0);
	ck_assert_str_eq(wh.events[0], "admin.login");
	ck_assert_ptr_null(wh.disabled_reason);   /* a v2 column, now present */
	webhook_clear(&wh);
	/* v3 rebuilt webhooks and deliveries, v6 attempts too: the rows,
	 * their links and the cascades survive, and ids are never reused
	 * from now on (nor in v8's audit record). */
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM deliveries d JOIN bodies b ON b.delivery_id = d.id "
				  "JOIN attempts a ON a.delivery_id = d.id WHERE d.uid = 'msg_1' AND d.state = 'failed' "
				  "AND d.first_attempt_at IS NULL"), 1);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%AUTOINCREMENT%'"), 4);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	ck_assert_int_eq(store_webhook_delete(st, "old", NULL, err), 0);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM deliveries"), 0);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM attempts"), 0);
	make_webhook(&wh, "new");
	ck_assert_int_eq(store_webhook_insert(st, &wh, err), 0);
	ck_assert_int_eq(wh.id, 2);
	webhook_clear(&wh);
	store_close(st);
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	{
		sqlite3_stmt *s;

		sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &s, NULL);
		ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(s, 0), SCHEMA_VERSION);
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
}
END_TEST

/* Version 4 adds the index the activity pictures read the attempts of a
 * time window through (see activity.h); a version 3 store gets it on
 * open. */
START_TEST(migrates_from_version_3)
{
	char err[ERR_MAX], sql[256];
	sqlite3 *h;
	int v;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	for (v = 1; v <= 3; v++)
		ck_assert_int_eq(sqlite3_exec(h, schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version=3; PRAGMA application_id=%d;", SCHEMA_APPLICATION_ID);
	ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	chmod(db, 0600);

	st = store_open(dir, err);
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
				  "AND name = 'attempts_started' AND tbl_name = 'attempts'"), 1);
	ck_assert_int_eq(tu_count(st, "SELECT user_version FROM pragma_user_version"), SCHEMA_VERSION);
	store_close(st);
}
END_TEST

/* Version 5 adds the indexes retention and the listings need; the rows
 * stay, and an older file keeps its auto_vacuum (only a VACUUM, 'hookman
 * prune --vacuum', changes it), while a new store is incremental. */
START_TEST(migrates_from_version_4)
{
	char err[ERR_MAX], sql[256];
	sqlite3 *h;
	int v;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
	for (v = 1; v <= 4; v++)
		ck_assert_int_eq(sqlite3_exec(h, schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version=4; PRAGMA application_id=%d;", SCHEMA_APPLICATION_ID);
	ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h,
		"INSERT INTO webhooks(name, url, events, format, payload, created_at, updated_at) "
		"VALUES ('w', 'http://127.0.0.1:9/', '[]', 'default', '{}', 0, 0);"
		"INSERT INTO events(uid, type, title, severity, time, data, created_at) "
		"VALUES ('evt_1', 'admin.login', 't', 'low', 'now', '{}', 0);"
		"INSERT INTO deliveries(uid, event_id, webhook_id, state, next_attempt_at, created_at, updated_at) "
		"VALUES ('msg_1', 1, 1, 'delivered', 0, 0, 0);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	chmod(db, 0600);

	st = store_open(dir, err);
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(tu_count(st, "SELECT user_version FROM pragma_user_version"), SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
				  "('deliveries_finished', 'deliveries_event', 'deliveries_state', "
				  "'deliveries_webhook_state', 'events_created')"), 5);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM deliveries WHERE uid = 'msg_1'"), 1);
	ck_assert_int_eq(tu_count(st, "SELECT auto_vacuum FROM pragma_auto_vacuum"), 0);
	store_close(st);
}
END_TEST

/* v6 rebuilds deliveries for the 'dropped' state: every row, the id
 * sequence (ids are never reused) and every index survive it. */
START_TEST(migrates_from_version_5)
{
	char err[ERR_MAX], sql[256];
	sqlite3 *h;
	int v;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
	for (v = 1; v <= 5; v++)
		ck_assert_int_eq(sqlite3_exec(h, schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version=5; PRAGMA application_id=%d;", SCHEMA_APPLICATION_ID);
	ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h,
		"INSERT INTO webhooks(name, url, events, format, payload, created_at, updated_at) "
		"VALUES ('w', 'http://127.0.0.1:9/', '[]', 'default', '{}', 0, 0);"
		"INSERT INTO events(uid, type, title, severity, time, data, created_at) "
		"VALUES ('evt_1', 'admin.login', 't', 'low', 'now', '{}', 0);"
		"INSERT INTO deliveries(id, uid, event_id, webhook_id, state, next_attempt_at, created_at, updated_at, "
		"first_attempt_at, waits) VALUES (7, 'msg_7', 1, 1, 'failed', 5, 0, 0, 3, 2);"
		"DELETE FROM deliveries WHERE id = 7;"
		"INSERT INTO deliveries(id, uid, event_id, webhook_id, state, next_attempt_at, created_at, updated_at, "
		"first_attempt_at, waits) VALUES (5, 'msg_5', 1, 1, 'failed', 5, 0, 0, 3, 2);"
		"INSERT INTO attempts(delivery_id, started_at, duration_ms, status) VALUES (5, 0, 1, 500);",
		NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(h);
	chmod(db, 0600);

	st = store_open(dir, err);
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(tu_count(st, "SELECT user_version FROM pragma_user_version"), SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM deliveries WHERE uid = 'msg_5' AND "
				  "state = 'failed' AND first_attempt_at = 3 AND waits = 2"), 1);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
				  "tbl_name = 'deliveries' AND name NOT LIKE 'sqlite_autoindex%'"), 8);
	/* The next delivery takes 8, not 6: 7 was used and deleted. */
	tu_exec(st, "INSERT INTO deliveries(uid, event_id, webhook_id, state, next_attempt_at, created_at, updated_at) "
		"VALUES ('msg_n', 1, 1, 'dropped', 0, 0, 0)");
	ck_assert_int_eq(tu_count(st, "SELECT id FROM deliveries WHERE uid = 'msg_n'"), 8);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM holds"), 0);
	/* Attempts keep their rows and ids, and a deleted newest id is not
	 * given again. */
	tu_exec(st, "INSERT INTO attempts(delivery_id, started_at, duration_ms, status) VALUES (5, 1, 1, 500)");
	tu_exec(st, "INSERT INTO attempts(delivery_id, started_at, duration_ms, status) VALUES (5, 2, 1, 500)");
	tu_exec(st, "DELETE FROM attempts WHERE id = (SELECT max(id) FROM attempts)");
	tu_exec(st, "INSERT INTO attempts(delivery_id, started_at, duration_ms, status) VALUES (5, 3, 1, 200)");
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM attempts WHERE id = 1 AND started_at = 0"), 1);
	ck_assert_int_eq(tu_count(st, "SELECT max(id) FROM attempts"), 4);
	store_close(st);
}
END_TEST

START_TEST(migrates_from_version_6)
{
	char err[ERR_MAX], sql[256];
	struct webhook wh;
	sqlite3 *h;
	int v;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
	for (v = 1; v <= 6; v++)
		ck_assert_int_eq(sqlite3_exec(h, schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version=6; PRAGMA application_id=%d;", SCHEMA_APPLICATION_ID);
	ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h,
		"INSERT INTO webhooks(name, url, events, format, payload, secret, created_at, updated_at) "
		"VALUES ('w', 'http://127.0.0.1:9/', '[]', 'default', '{}', "
		"'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 0, 0);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	chmod(db, 0600);

	st = store_open(dir, err);
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(tu_count(st, "SELECT user_version FROM pragma_user_version"), SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM webhooks WHERE name = 'w' AND "
				  "secret_previous IS NULL AND secret_previous_until IS NULL"), 1);
	ck_assert_int_eq(store_webhook_get(st, "w", &wh, err), 0);
	ck_assert_str_eq(wh.secret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	ck_assert_ptr_null(wh.secret_previous);
	webhook_clear(&wh);
	store_close(st);
}
END_TEST

START_TEST(rotation_keeps_the_old_secret_for_the_grace)
{
	char err[ERR_MAX];
	struct webhook a, got;
	struct rotation r;
	long long now = store_now_ms(), grace;
	char first[SECRET_MAX];

	make_webhook(&a, "r");
	ck_assert_int_eq(store_webhook_insert(st, &a, err), 0);
	/* No secret yet: it gets one, nothing is kept. */
	ck_assert_msg(rotate_secret(st, "r", ROTATE_GRACE_DEFAULT_MS, now, &r, err) == 0, "%s", err);
	ck_assert_int_eq(r.had_secret, 0);
	ck_assert_int_eq(r.previous_until, 0);
	ck_assert_int_eq(secret_check(r.secret, err), 0);
	snprintf(first, sizeof first, "%s", r.secret);

	ck_assert_msg(rotate_secret(st, "r", 3600000, now, &r, err) == 0, "%s", err);
	ck_assert_int_eq(r.had_secret, 1);
	ck_assert_int_eq(r.dropped_previous, 0);
	ck_assert_int_eq(r.previous_until, now + 3600000);
	ck_assert_int_eq(store_webhook_get(st, "r", &got, err), 0);
	ck_assert_str_eq(got.secret, r.secret);
	ck_assert_str_eq(got.secret_previous, first);
	ck_assert_int_eq(got.secret_previous_until, now + 3600000);
	webhook_clear(&got);

	/* Past its end the previous one reads as none. */
	tu_exec(st, "UPDATE webhooks SET secret_previous_until = 1");
	ck_assert_int_eq(store_webhook_get(st, "r", &got, err), 0);
	ck_assert_ptr_null(got.secret_previous);
	ck_assert_int_eq(got.secret_previous_until, 0);
	webhook_clear(&got);

	/* A grace of 0 keeps nothing. */
	ck_assert_msg(rotate_secret(st, "r", 0, now, &r, err) == 0, "%s", err);
	ck_assert_int_eq(r.previous_until, 0);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM webhooks WHERE name = 'r' AND "
				  "secret_previous IS NULL"), 1);

	ck_assert_int_eq(rotate_secret(st, "nope", 0, now, &r, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	ck_assert_int_eq(rotate_parse_grace("24h", &grace, err), 0);
	ck_assert_int_eq(grace, ROTATE_GRACE_DEFAULT_MS);
	ck_assert_int_eq(rotate_parse_grace("31d", &grace, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_str_eq(err, "--grace 31d: the grace is longer than 30 days; the largest accepted is 30d");
	webhook_clear(&a);
}
END_TEST

START_TEST(new_store_shrinks_incrementally)
{
	char err[ERR_MAX];

	st = store_open(dir, err);
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(tu_count(st, "SELECT auto_vacuum FROM pragma_auto_vacuum"), 2);
	store_close(st);
}
END_TEST

START_TEST(webhook_crud)
{
	char err[ERR_MAX];
	struct webhook a, b, got, *list;
	size_t n;

	make_webhook(&a, "beta");
	make_webhook(&b, "Alpha é");
	ck_assert_int_eq(store_webhook_insert(st, &a, err), 0);
	ck_assert_int_eq(a.version, 1);
	ck_assert_int_gt(a.id, 0);
	ck_assert_int_eq(store_webhook_insert(st, &b, err), 0);
	webhook_clear(&b);
	make_webhook(&b, "BETA");
	ck_assert_int_eq(store_webhook_insert(st, &b, err), -1);
	ck_assert_str_eq(err, "a webhook named \"BETA\" already exists (names are unique, ignoring case); choose another name");
	ck_assert_int_eq(err_kind(err), ERR_EXISTS);
	ck_assert_int_eq(store_webhook_list(st, &list, &n, err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(list[0].name, "Alpha é");
	ck_assert_str_eq(list[1].name, "beta");
	store_webhook_list_free(list, n);

	ck_assert_int_eq(store_webhook_get(st, "beta", &got, err), 0);
	free(got.url);
	got.url = strdup("https://example.com/new");
	got.secret = strdup("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	ck_assert_int_eq(webhook_add_header(&got, "X-A: 1", err), 0);
	ck_assert_int_eq(store_webhook_update(st, &got, err), 0);
	ck_assert_int_eq(got.version, 2);
	webhook_clear(&got);
	ck_assert_int_eq(store_webhook_get(st, "beta", &got, err), 0);
	ck_assert_str_eq(got.url, "https://example.com/new");
	ck_assert_str_eq(got.secret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	ck_assert_str_eq(got.headers[0], "X-A: 1");
	ck_assert_int_eq(got.version, 2);
	webhook_clear(&got);

	ck_assert_int_eq(store_webhook_get(st, "missing", &got, err), -1);
	ck_assert_str_eq(err, "no webhook named \"missing\" (see 'hookman list')");
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	webhook_clear(&got);
	ck_assert_int_eq(store_webhook_get_id(st, a.id + 1000, &got, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	webhook_clear(&got);
	ck_assert_int_eq(store_webhook_delete(st, "missing", NULL, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	webhook_clear(&a);
	webhook_clear(&b);
}
END_TEST

START_TEST(stale_save_is_refused)
{
	char err[ERR_MAX];
	struct store *st2 = tu_store_again(st, err);
	struct webhook a, mine, theirs;

	ck_assert_msg(st2 != NULL, "%s", err);

	make_webhook(&a, "shared");
	ck_assert_int_eq(store_webhook_insert(st, &a, err), 0);
	ck_assert_int_eq(store_webhook_get(st, "shared", &mine, err), 0);
	ck_assert_int_eq(store_webhook_get(st2, "shared", &theirs, err), 0);
	theirs.timeout = 30;
	ck_assert_int_eq(store_webhook_update(st2, &theirs, err), 0);
	mine.timeout = 5;
	ck_assert_int_eq(store_webhook_update(st, &mine, err), -1);
	ck_assert_str_eq(err, "webhook \"shared\" changed elsewhere since you loaded it (version 1, now 2); nothing was saved: reload and edit again");
	ck_assert_int_eq(store_last_fault(st), STORE_FAULT_CONFLICT);
	ck_assert_int_eq(err_kind(err), ERR_CONFLICT);
	webhook_clear(&a);
	/* The kind the interface branches on, never the sentence. */
	make_webhook(&a, "SHARED");
	ck_assert_int_eq(store_webhook_insert(st, &a, err), -1);
	ck_assert_int_eq(store_last_fault(st), STORE_FAULT_EXISTS);
	ck_assert_int_eq(err_kind(err), ERR_EXISTS);
	webhook_clear(&a);
	ck_assert_int_eq(store_webhook_get(st, "shared", &a, err), 0);
	ck_assert_int_eq(a.timeout, 30);
	webhook_clear(&a);
	/* Deleted under us. */
	ck_assert_int_eq(store_webhook_delete(st2, "shared", NULL, err), 0);
	ck_assert_int_eq(store_webhook_update(st, &theirs, err), -1);
	ck_assert_str_eq(err, "webhook \"shared\" was deleted elsewhere since you loaded it; nothing was saved");
	ck_assert_int_eq(store_last_fault(st), STORE_FAULT_GONE);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	webhook_clear(&mine);
	webhook_clear(&theirs);
	store_close(st2);
}
END_TEST

START_TEST(second_writer_waits)
{
	enum { HOLD_MS = 300 };   /* how long the child holds the write lock */
	char err[ERR_MAX];
	struct webhook a;
	long long started, waited;
	int ready[2], status;
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe(ready), 0);
	pid = fork();
	if (pid == 0) {
		struct store *other = tu_store_again(st, err);
		struct webhook w;

		make_webhook(&w, "from-child");
		if (!other || store_begin(other, err) < 0 || store_webhook_insert(other, &w, err) < 0)
			_exit(1);
		int rc;

		ck_assert_int_eq(write(ready[1], "x", 1), 1);
		usleep(HOLD_MS * 1000);   /* hold the write lock while the parent tries */
		rc = store_commit(other, err) < 0 ? 2 : 0;
		/* Tidy, so memory checkers see no leak in this copy of the test.
		 * The parent's store stays open: closing it here would end the
		 * parent's PostgreSQL session, whose socket this copy shares. */
		webhook_clear(&w);
		store_close(other);
		catalog_free(cat);
		_exit(rc);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	make_webhook(&a, "from-parent");
	started = store_now_ms();
	ck_assert_msg(store_webhook_insert(st, &a, err) == 0, "%s", err);
	waited = store_now_ms() - started;
	/* The insert must have waited for the child's lock: one that returns
	 * at once passes the test on nothing (the child not holding the lock,
	 * a writer that does not take it). Half the hold at least: the clock
	 * starts a little after the child's sleep does, more under valgrind.
	 * Reproduction of what this catches: commit in the child before
	 * writing to the pipe, and the old test still passed. */
	ck_assert_msg(waited >= HOLD_MS / 2, "the second writer took %lld ms; it should have waited about %d ms for the lock",
		      waited, HOLD_MS);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	webhook_clear(&a);
	ck_assert_int_eq(store_webhook_get(st, "from-child", &a, err), 0);
	webhook_clear(&a);
	close(ready[0]);
	close(ready[1]);
}
END_TEST

/* A writer that may not wait (the sender's few ms) while another holds
 * the lock fails as busy: the kind says retrying may work. */
START_TEST(a_held_lock_is_busy)
{
	char err[ERR_MAX];
	struct store *other = tu_store_again(st, err);
	struct webhook a;

	ck_assert_msg(other != NULL, "%s", err);
	ck_assert_int_eq(store_begin(other, err), 0);
	store_set_busy_wait(st, 5);
	make_webhook(&a, "waits");
	ck_assert_int_eq(store_webhook_insert(st, &a, err), -1);
	ck_assert_msg(strstr(err, "the store is busy") != NULL, "%s", err);
	ck_assert_int_eq(err_kind(err), ERR_BUSY);
	ck_assert_int_eq(store_last_fault(st), STORE_FAULT_BUSY);
	store_rollback(other);
	ck_assert_msg(store_webhook_insert(st, &a, err) == 0, "%s", err);
	webhook_clear(&a);
	store_close(other);
}
END_TEST

/* The environment storedir_resolve reads, saved and put back so that the
 * tests also run in one process (CK_FORK=no, under valgrind). */
static char *saved_env[3], saved_cwd[4096];
static const char *const env_names[3] = { "HOOKMAN_STORE", "XDG_DATA_HOME", "HOME" };

static void env_save(void)
{
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(env_names[i]);

		saved_env[i] = v ? strdup(v) : NULL;
		unsetenv(env_names[i]);
	}
	ck_assert_ptr_nonnull(getcwd(saved_cwd, sizeof saved_cwd));
}

static void env_restore(void)
{
	for (int i = 0; i < 3; i++) {
		if (saved_env[i])
			setenv(env_names[i], saved_env[i], 1);
		else
			unsetenv(env_names[i]);
		free(saved_env[i]);
		saved_env[i] = NULL;
	}
	ck_assert_int_eq(chdir(saved_cwd), 0);
}

/* Reproduction: mkdir realp; ln -s realp plink; hookman --store plink/st
 * add … failed with "unable to open database file" (SQLite's NOFOLLOW
 * refuses a link anywhere in the path), and so did a HOME on a link. Only
 * the last component is ours to refuse: storedir_resolve resolves the
 * parent, so everything that uses the directory gets the real path. */
START_TEST(symlinked_parent_is_resolved)
{
	char err[ERR_MAX], real[4096], path[4200], want[4200], out[4096];
	struct stat sb;

	env_save();
	ck_assert_ptr_nonnull(realpath(dir, real));
	snprintf(path, sizeof path, "%s/realp", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/plink", dir);
	ck_assert_int_eq(symlink("realp", path), 0);

	snprintf(path, sizeof path, "%s/plink/st", dir);
	snprintf(want, sizeof want, "%s/realp/st", real);
	ck_assert_int_eq(storedir_resolve(path, out, sizeof out, err), 0);
	ck_assert_str_eq(out, want);
	st = store_open(out, err);
	ck_assert_msg(st != NULL, "%s", err);
	store_close(st);
	snprintf(path, sizeof path, "%s/realp/st/" STORE_DB_NAME, dir);
	ck_assert_int_eq(lstat(path, &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));

	/* Relative, with a trailing slash, and through $HOOKMAN_STORE. */
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(storedir_resolve("plink/st/", out, sizeof out, err), 0);
	ck_assert_str_eq(out, want);
	setenv("HOOKMAN_STORE", "./plink//st", 1);
	ck_assert_int_eq(storedir_resolve(NULL, out, sizeof out, err), 0);
	ck_assert_str_eq(out, want);
	unsetenv("HOOKMAN_STORE");

	/* Missing directories below the link: resolved as far as they exist. */
	snprintf(path, sizeof path, "%s/plink/new/deeper/st", dir);
	snprintf(want, sizeof want, "%s/realp/new/deeper/st", real);
	ck_assert_int_eq(storedir_resolve(path, out, sizeof out, err), 0);
	ck_assert_str_eq(out, want);
	st = store_open(out, err);
	ck_assert_msg(st != NULL, "%s", err);
	store_close(st);

	/* HOME on a link, the default store not created yet. */
	snprintf(path, sizeof path, "%s/plink", dir);
	setenv("HOME", path, 1);
	snprintf(want, sizeof want, "%s/realp/.local/share/hookman", real);
	ck_assert_int_eq(storedir_resolve(NULL, out, sizeof out, err), 0);
	ck_assert_str_eq(out, want);
	st = store_open(out, err);
	ck_assert_msg(st != NULL, "%s", err);
	store_close(st);
	env_restore();
}
END_TEST

/* The last component is not resolved: a store directory that is itself a
 * link is refused as before, with the same message. */
START_TEST(symlinked_store_still_refused)
{
	char err[ERR_MAX], real[4096], path[4200], want[4200], out[4096];

	env_save();
	ck_assert_ptr_nonnull(realpath(dir, real));
	snprintf(path, sizeof path, "%s/st", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/stlink", dir);
	ck_assert_int_eq(symlink("st", path), 0);
	snprintf(want, sizeof want, "%s/stlink", real);
	ck_assert_int_eq(storedir_resolve(path, out, sizeof out, err), 0);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(storedir_prepare(out, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	snprintf(want, sizeof want,
		 "store directory %s/stlink is a symbolic link; refusing it (point --store at the real directory)", real);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(store_open(out, err));
	ck_assert_str_eq(err, want);
	env_restore();
}
END_TEST

/* The XDG Base Directory spec: a relative $XDG_DATA_HOME is invalid and
 * must be ignored. It used to put the store below the current directory. */
START_TEST(relative_xdg_data_home_ignored)
{
	char err[ERR_MAX], real[4096], want[4200], out[4096];

	env_save();
	ck_assert_ptr_nonnull(realpath(dir, real));
	ck_assert_int_eq(chdir(dir), 0);
	setenv("HOME", dir, 1);
	setenv("XDG_DATA_HOME", "relative", 1);
	snprintf(want, sizeof want, "%s/.local/share/hookman", real);
	ck_assert_int_eq(storedir_resolve(NULL, out, sizeof out, err), 0);
	ck_assert_str_eq(out, want);
	setenv("XDG_DATA_HOME", "./data", 1);
	ck_assert_int_eq(storedir_resolve(NULL, out, sizeof out, err), 0);
	ck_assert_str_eq(out, want);
	setenv("XDG_DATA_HOME", dir, 1);
	snprintf(want, sizeof want, "%s/hookman", real);
	ck_assert_int_eq(storedir_resolve(NULL, out, sizeof out, err), 0);
	ck_assert_str_eq(out, want);
	/* Without HOME, a relative XDG_DATA_HOME is no way out either. */
	unsetenv("HOME");
	setenv("XDG_DATA_HOME", "relative", 1);
	ck_assert_int_eq(storedir_resolve(NULL, out, sizeof out, err), -1);
	ck_assert_str_eq(err, "no store directory: pass --store DIR or set HOOKMAN_STORE");
	env_restore();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc;

	/* The store directory and SQLite's own files: SQLite's alone. */
	if (tu_backend_is_sqlite()) {
		tc = tcase_create("open");
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, creates_private_store);
		tcase_add_test(tc, loose_modes_are_tightened);
		tcase_add_test(tc, foreign_owner_and_symlink_refused);
		tcase_add_test(tc, corrupted_file_refused_untouched);
		tcase_add_test(tc, foreign_sqlite_refused);
		tcase_add_test(tc, newer_schema_refused_untouched);
		tcase_add_test(tc, migrates_from_version_1);
		tcase_add_test(tc, migrates_from_version_3);
		tcase_add_test(tc, migrates_from_version_4);
		tcase_add_test(tc, migrates_from_version_5);
		tcase_add_test(tc, migrates_from_version_6);
		tcase_add_test(tc, new_store_shrinks_incrementally);
		suite_add_tcase(s, tc);
	}
	tc = tcase_create("webhooks");
	tcase_add_checked_fixture(tc, store_setup, store_teardown);
	tcase_add_test(tc, webhook_crud);
	tcase_add_test(tc, rotation_keeps_the_old_secret_for_the_grace);
	tcase_add_test(tc, stale_save_is_refused);
	tcase_add_test(tc, second_writer_waits);
	tcase_add_test(tc, a_held_lock_is_busy);
	suite_add_tcase(s, tc);
	if (tu_backend_is_sqlite()) {
		tc = tcase_create("storedir");
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, symlinked_parent_is_resolved);
		tcase_add_test(tc, symlinked_store_still_refused);
		tcase_add_test(tc, relative_xdg_data_home_ignored);
		suite_add_tcase(s, tc);
	}
	return tu_run(s);
}
