#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sbuf.h"
#include "schema.h"
#include "storedir.h"

/* Prepared statements are kept for the life of the connection: parsing
 * the SQL again for each of 10,000 imported webhooks cost more than the
 * writes themselves. Keyed by the SQL text, which is always a literal. */
#define STMT_CACHE 64

struct store {
	sqlite3 *db;
	char *path;
	enum store_fault fault;    /* of the last store_sql_error */
	int busy_wait_ms;          /* how long a write waits for a lock (store_set_busy_wait) */
	int upgraded_from;         /* the schema version this open migrated from, 0 if none */
	const struct store_observer *observer; /* store_observe */
	void *observer_ctx;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
};

long long store_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What to do with a damaged store, for every message that finds one. */
#define RECOVER_ADVICE "stop every hookman, keep a copy of the file, then recover it with " \
	"'sqlite3 %s .recover | sqlite3 NEW.db' and move NEW.db in its place"

void store_sql_error(struct store *st, const char *what, char *err)
{
	int code = sqlite3_extended_errcode(st->db) & 0xff;
	enum err_kind kind;

	switch (code) {
	case SQLITE_BUSY: case SQLITE_LOCKED:
		st->fault = STORE_FAULT_BUSY;
		kind = ERR_BUSY;
		break;
	case SQLITE_FULL:
		st->fault = STORE_FAULT_FULL;
		kind = ERR_IO;
		break;
	case SQLITE_CONSTRAINT: case SQLITE_CORRUPT: case SQLITE_TOOBIG: case SQLITE_MISMATCH: case SQLITE_RANGE:
		st->fault = STORE_FAULT_ROW;
		/* A damaged page is the row's alone for the sender, but it is
		 * no input anyone could fix. */
		kind = code == SQLITE_CORRUPT ? ERR_IO : ERR_INVALID;
		break;
	default:
		/* I/O, memory, a read-only file, a schema changed under us: not
		 * the row's doing. */
		st->fault = STORE_FAULT_STORE;
		kind = code == SQLITE_NOMEM ? ERR_NOMEM : ERR_IO;
	}
	if (code == SQLITE_CORRUPT)
		err_setk(err, kind, "%s: the store %s is damaged (%s): " RECOVER_ADVICE, what, st->path,
			 sqlite3_errmsg(st->db), st->path);
	else if (code == SQLITE_FULL)
		err_setk(err, kind, "%s: the disk holding %s is full; nothing was written, free some space and retry",
			 what, st->path);
	else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		err_setk(err, kind, "%s: the store is busy (another hookman is writing for more than %d s); retry",
			 what, STORE_BUSY_MS / 1000);
	else if (code == SQLITE_READONLY)
		err_setk(err, kind, "%s: the store %s is read-only", what, st->path);
	else
		err_setk(err, kind, "%s: %s", what, sqlite3_errmsg(st->db));
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql, char *err)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_sql_error(st, "cannot prepare a store query", err);
		return NULL;
	}
	return stmt;
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql, char *err)
{
	size_t i;

	for (i = 0; i < STMT_CACHE && st->cache[i].sql; i++)
		if (st->cache[i].sql == sql || strcmp(st->cache[i].sql, sql) == 0) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	if (i == STMT_CACHE) {
		err_set(err, "internal error: more than %d distinct store queries", STMT_CACHE);
		return NULL;
	}
	st->cache[i].stmt = store_prepare(st, sql, err);
	if (st->cache[i].stmt)
		st->cache[i].sql = sql;
	return st->cache[i].stmt;
}

/* On SQLite a struct db_stmt is the sqlite3_stmt itself (db.c). */
struct db_stmt *store_sql(struct store *st, const char *sql, char *err)
{
	return (struct db_stmt *)store_stmt(st, sql, err);
}

struct db_stmt *store_sql_once(struct store *st, const char *sql, char *err)
{
	return (struct db_stmt *)store_prepare(st, sql, err);
}

void store_sql_free(struct db_stmt *s)
{
	sqlite3_finalize((sqlite3_stmt *)s);
}

int store_in_txn(struct store *st)
{
	return !sqlite3_get_autocommit(st->db);
}

long long store_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

long long store_last_id(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

static int exec(struct store *st, const char *sql, const char *what, char *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		store_sql_error(st, what, err);
		return -1;
	}
	return 0;
}

int store_begin(struct store *st, char *err)
{
	/* A write's failure is told by its own report, never an older. */
	st->fault = STORE_FAULT_NONE;
	return exec(st, "BEGIN IMMEDIATE", "cannot start a write", err);
}

int store_commit(struct store *st, char *err)
{
	if (exec(st, "COMMIT", "cannot commit", err) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int store_sync_each_commit(struct store *st, int on, char *err)
{
	return exec(st, on ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
		    "cannot configure the store", err);
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_sender_mode(struct store *st, char *err)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA quick_check(5)", err);
	struct sbuf found;
	int rc, ok = 1;

	if (!s)
		return -1;
	sbuf_init(&found);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s, 0), *line, *nl;

		if (text && strcmp(text, "ok") == 0)
			continue;
		ok = 0;
		/* One line of findings: a row may hold several, and a
		 * "*** in database main ***" heading says nothing here. */
		for (line = text ? text : "?"; *line; line = nl + (*nl != '\0')) {
			nl = line + strcspn(line, "\n");
			if (nl > line && strncmp(line, "***", 3) != 0)
				sbuf_appendf(&found, "%s%.*s", found.len ? "; " : "", (int)(nl - line), line);
		}
	}
	if (rc != SQLITE_DONE) {
		ok = 0;
		sbuf_appendf(&found, "%s%s", found.len ? "; " : "", sqlite3_errmsg(st->db));
	}
	sqlite3_finalize(s);
	/* The check read every page into the cache (up to its 2 MiB): the
	 * daemon would keep them, idle, for nothing. */
	sqlite3_db_release_memory(st->db);
	if (!ok)
		err_setk(err, ERR_IO, "the store %s is damaged (SQLite's quick_check: %s): " RECOVER_ADVICE,
			 st->path, found.len ? sbuf_text(&found) : "no detail", st->path);
	sbuf_release(&found);
	if (!ok)
		return -1;
	/* The claim's id lists and sorts build temporary b-trees; in a file
	 * each costs an open, an unlink and a close (hundreds a second). */
	return exec(st, "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY", "cannot configure the store", err);
}

#define BUSY_POLL_US 200      /* between tries, for the first BUSY_POLL_TRIES */
#define BUSY_POLL_TRIES 100
#define BUSY_SLOW_US 2000     /* then: a lock held 20 ms is a long one */

/* SQLite's own busy wait sleeps 1, 2, then 5 ms and more between tries,
 * and misses a lock that another writer frees for a moment between two of
 * its transactions (fire --stdin and hookmand take turns that way): try
 * every 200 µs for 20 ms, then every 2 ms up to the limit. */
static int busy_poll(void *arg, int tries)
{
	const struct store *st = arg;
	long long waited_us = tries < BUSY_POLL_TRIES ? (long long)tries * BUSY_POLL_US :
		(long long)BUSY_POLL_TRIES * BUSY_POLL_US + (long long)(tries - BUSY_POLL_TRIES) * BUSY_SLOW_US;
	struct timespec pause = { 0, (tries < BUSY_POLL_TRIES ? BUSY_POLL_US : BUSY_SLOW_US) * 1000L };

	if (waited_us >= (long long)st->busy_wait_ms * 1000)
		return 0;
	nanosleep(&pause, NULL);
	return 1;
}

void store_set_busy_wait(struct store *st, int ms)
{
	st->busy_wait_ms = ms;
	sqlite3_busy_handler(st->db, busy_poll, st);
}

int store_savepoint(struct store *st, char *err)
{
	/* A failure in this row is told by its own report, never an older. */
	st->fault = STORE_FAULT_NONE;
	return exec(st, "SAVEPOINT one_row", "cannot start a savepoint", err);
}

int store_release(struct store *st, char *err)
{
	return exec(st, "RELEASE one_row", "cannot release a savepoint", err);
}

void store_undo(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK TO one_row; RELEASE one_row", NULL, NULL, NULL);
}

long long store_data_version(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, "PRAGMA data_version", NULL);
	long long v = -1;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	if (s)
		sqlite3_reset(s);
	return v;
}

enum store_fault store_last_fault(const struct store *st)
{
	return st->fault;
}

const char *store_path(const struct store *st) { return st->path; }
sqlite3 *store_db(struct store *st) { return st->db; }

static void report_read_error(struct store *st, int rc, char *err)
{
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		err_setk(err, ERR_INVALID,
			 "%s is not a hookman store (%s); refusing to touch it: move it away or use another --store",
			 st->path, sqlite3_errmsg(st->db));
	else
		store_sql_error(st, "cannot read the store", err);
}

/* Schema version, application id and table count, read in one statement
 * so that a store being created by another process is seen either before
 * or after, never half-way. */
static int read_identity(struct store *st, int *version, int *appid, int *tables, char *err)
{
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(st->db,
		"SELECT (SELECT user_version FROM pragma_user_version), "
		"(SELECT application_id FROM pragma_application_id), "
		"(SELECT count(*) FROM sqlite_schema)", -1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		report_read_error(st, sqlite3_errcode(st->db) & 0xff, err);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		report_read_error(st, sqlite3_errcode(st->db) & 0xff, err);
		sqlite3_finalize(stmt);
		return -1;
	}
	*version = sqlite3_column_int(stmt, 0);
	*appid = sqlite3_column_int(stmt, 1);
	*tables = sqlite3_column_int(stmt, 2);
	sqlite3_finalize(stmt);
	return 0;
}

/* WAL is persistent, so only a new store switches. The switch needs a
 * moment alone with the file and SQLite does not wait for it through the
 * busy handler, so concurrent first opens retry here. */
static int enable_wal(struct store *st, char *err)
{
	long long deadline = store_now_ms() + STORE_BUSY_MS;
	int rc;

	for (;;) {
		rc = sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if ((rc & 0xff) != SQLITE_BUSY || store_now_ms() > deadline)
			break;
		sqlite3_sleep(10);
	}
	store_sql_error(st, "cannot switch the store to WAL", err);
	return -1;
}

/* Refuse anything that is not ours or is newer than us before writing a
 * single byte; then bring an older schema up to date in one transaction. */
static int migrate(struct store *st, char *err)
{
	int version, appid, tables, v;
	char sql[128];

	if (read_identity(st, &version, &appid, &tables, err) < 0)
		return -1;
	if (appid != SCHEMA_APPLICATION_ID && (tables > 0 || version > 0)) {
		err_setk(err, ERR_INVALID, "%s is a SQLite database but not a hookman store; refusing to touch it",
			 st->path);
		return -1;
	}
	if (version > SCHEMA_VERSION) {
		err_set(err, "%s has schema version %d, newer than this hookman understands (%d); upgrade hookman, the store was left untouched",
			st->path, version, SCHEMA_VERSION);
		return -1;
	}
	if (version == SCHEMA_VERSION)
		return 0;
	/* Only before the first byte is written (the WAL switch writes the
	 * header) does this take: a new store gives freed pages back to the
	 * file system (prune.h); on an older store it changes nothing. */
	if (tables == 0 && exec(st, "PRAGMA auto_vacuum=INCREMENTAL", "cannot configure a new store", err) < 0)
		return -1;
	if (enable_wal(st, err) < 0 || store_begin(st, err) < 0)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (read_identity(st, &version, &appid, &tables, err) < 0)
		goto fail;
	if (version > 0 && version < SCHEMA_VERSION)
		st->upgraded_from = version;
	for (v = version + 1; v <= SCHEMA_VERSION; v++) {
		snprintf(sql, sizeof sql, "migrating the store to schema version %d", v);
		if (exec(st, schema_migration(v), sql, err) < 0)
			goto fail;
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d",
		 SCHEMA_VERSION, SCHEMA_APPLICATION_ID);
	if (exec(st, sql, "cannot record the schema version", err) < 0)
		goto fail;
	return store_commit(st, err);
fail:
	st->upgraded_from = 0;
	store_rollback(st);
	return -1;
}

struct store *store_open(const char *dir, char *err)
{
	struct store *st = calloc(1, sizeof *st);
	size_t n = strlen(dir) + sizeof STORE_DB_NAME + 8;
	char side[4096];
	int rc;

	if (!st)
		return err_oom(err, "store");
	st->path = malloc(n);
	if (!st->path) {
		free(st);
		return err_oom(err, "store");
	}
	snprintf(st->path, n, "%s/%s", dir, STORE_DB_NAME);
	if (storedir_prepare(dir, err) < 0 || storedir_prepare_file(st->path, 1, err) < 0)
		goto fail;
	snprintf(side, sizeof side, "%s-wal", st->path);
	if (storedir_prepare_file(side, 0, err) < 0)
		goto fail;
	snprintf(side, sizeof side, "%s-shm", st->path);
	if (storedir_prepare_file(side, 0, err) < 0)
		goto fail;
	/* No bulk page-cache allocation per cache: SQLite's default (20 pages,
	 * ~86 KiB, malloc'd and written) is paid again by every temporary
	 * b-tree a statement builds (an IN list, a sort), which the sender
	 * builds a few times per turn; with malloc trimming the heap that
	 * was a page fault per 4 KiB and a third of hookmand's time. Pages
	 * come one at a time instead. Process-wide, so set before SQLite
	 * starts; a later call is refused by SQLite and changes nothing. */
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	rc = sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		err_setk(err, ERR_IO, "cannot open store %s: %s", st->path,
			 st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	store_set_busy_wait(st, STORE_BUSY_MS);
	sqlite3_extended_result_codes(st->db, 1);
	if (migrate(st, err) < 0)
		goto fail;
	/* FULL: a commit the CLI reported is on disk even if power fails. */
	if (exec(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL", "cannot configure the store", err) < 0)
		goto fail;
	return st;
fail:
	store_close(st);
	return NULL;
}

void store_close(struct store *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < STMT_CACHE && st->cache[i].sql; i++)
		sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

static char *list_to_json(char *const *list, size_t n)
{
	json_t *a = json_array();
	char *s;
	size_t i;

	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(list[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	if (!a)
		return NULL;
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

int store_json_list(const char *text, char ***list, size_t *n)
{
	json_t *a = json_loads(text ? text : "[]", 0, NULL), *e;
	size_t i;

	*list = NULL;
	*n = 0;
	if (!json_is_array(a)) {
		json_decref(a);
		return -1;
	}
	if (json_array_size(a) > 0) {
		*list = calloc(json_array_size(a), sizeof **list);
		if (!*list)
			goto fail;
		json_array_foreach(a, i, e) {
			(*list)[i] = strdup(json_is_string(e) ? json_string_value(e) : "");
			if (!(*list)[i])
				goto fail;
			(*n)++;
		}
	}
	json_decref(a);
	return 0;
fail:
	json_decref(a);
	return -1;
}

int store_json_delays(const char *text, long long *delays, size_t max, size_t *n)
{
	json_t *a, *e;
	size_t i;

	*n = 0;
	if (!text)
		return 0;
	a = json_loads(text, 0, NULL);
	if (!json_is_array(a) || json_array_size(a) > max) {
		json_decref(a);
		return -1;
	}
	json_array_foreach(a, i, e) {
		if (!json_is_integer(e)) {
			json_decref(a);
			*n = 0;
			return -1;
		}
		delays[i] = json_integer_value(e);
	}
	*n = json_array_size(a);
	json_decref(a);
	return 0;
}

char *store_delays_json(const long long *delays, size_t n)
{
	struct sbuf text;
	size_t i;

	sbuf_init(&text);
	sbuf_append(&text, "[");
	for (i = 0; i < n; i++)
		sbuf_appendf(&text, "%s%lld", i ? "," : "", delays[i]);
	sbuf_append(&text, "]");
	return sbuf_take(&text);
}

#define WEBHOOK_COLUMNS \
	"id, name, url, events, format, payload, secret, headers, enabled, verify_tls, " \
	"timeout, version, created_at, updated_at, disabled_reason, rate_n, rate_ms, retry_schedule, coalesce_ms, " \
	"secret_previous, secret_previous_until, refs"

char *store_column_dup(sqlite3_stmt *stmt, int i)
{
	const unsigned char *s = sqlite3_column_text(stmt, i);

	return s ? strdup((const char *)s) : NULL;
}

static int row_to_webhook(sqlite3_stmt *stmt, struct webhook *wh, char *err)
{
	const char *fmt = (const char *)sqlite3_column_text(stmt, 4);

	webhook_init(wh);
	wh->id = sqlite3_column_int64(stmt, 0);
	wh->name = store_column_dup(stmt, 1);
	wh->url = store_column_dup(stmt, 2);
	wh->payload = store_column_dup(stmt, 5);
	wh->secret = store_column_dup(stmt, 6);
	wh->enabled = sqlite3_column_int(stmt, 8);
	wh->verify_tls = sqlite3_column_int(stmt, 9);
	wh->timeout = sqlite3_column_int(stmt, 10);
	wh->version = sqlite3_column_int64(stmt, 11);
	wh->created_at = sqlite3_column_int64(stmt, 12);
	wh->updated_at = sqlite3_column_int64(stmt, 13);
	wh->disabled_reason = store_column_dup(stmt, 14);
	if (fmt)
		format_parse(fmt, &wh->format, NULL);
	wh->rate_n = sqlite3_column_int(stmt, 15);
	wh->rate_ms = sqlite3_column_int64(stmt, 16);
	wh->coalesce_ms = sqlite3_column_int64(stmt, 18);
	/* A previous secret past its end is gone: read as none, so that it
	 * is never shown nor used (rotate_secret clears the row). */
	if (sqlite3_column_int64(stmt, 20) > store_now_ms()) {
		wh->secret_previous = store_column_dup(stmt, 19);
		wh->secret_previous_until = sqlite3_column_int64(stmt, 20);
	}
	wh->refs = store_column_dup(stmt, 21);
	if (!wh->name || !wh->url || !wh->payload ||
	    store_json_delays((const char *)sqlite3_column_text(stmt, 17), wh->retry_ms, RETRY_OWN_STEPS,
			      &wh->nretry) < 0 ||
	    store_json_list((const char *)sqlite3_column_text(stmt, 3), &wh->events, &wh->nevents) < 0 ||
	    store_json_list((const char *)sqlite3_column_text(stmt, 7), &wh->headers, &wh->nheaders) < 0) {
		webhook_clear(wh);
		err_setk(err, ERR_IO, "cannot read webhook %lld from the store (out of memory or damaged row)",
			 (long long)sqlite3_column_int64(stmt, 0));
		return -1;
	}
	return 0;
}

static int get_one(struct store *st, const char *sql, const char *name, long long id,
		   struct webhook *out, char *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	int rc;

	webhook_init(out);
	if (!stmt)
		return -1;
	if (name)
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		rc = row_to_webhook(stmt, out, err);
	} else if (rc == SQLITE_DONE) {
		if (name)
			err_setk(err, ERR_NOT_FOUND, "no webhook named \"%s\" (see 'hookman list')", name);
		else
			err_setk(err, ERR_NOT_FOUND, "the webhook no longer exists (deleted elsewhere)");
		rc = -1;
	} else {
		store_sql_error(st, "cannot read the webhook", err);
		rc = -1;
	}
	sqlite3_reset(stmt);
	return rc;
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

/* A pragma takes no bound parameter; sqlite3_exec steps it to the end,
 * one page a step. */
int store_shrink(struct store *st, int pages, long long *left, char *err)
{
	long long before, after;
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA incremental_vacuum(%d)", pages);
	if (free_pages(st, &before, err) < 0)
		return -1;
	if (before > 0 && exec(st, sql, "cannot give free space back to the file system", err) < 0)
		return -1;
	if (free_pages(st, &after, err) < 0)
		return -1;
	*left = after < before ? after : 0;
	return 0;
}

int store_vacuum(struct store *st, char *err)
{
	return exec(st, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM", "cannot compact the store (VACUUM)", err);
}

int store_size(struct store *st, struct store_size *sz, char *err)
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

int store_begin_read(struct store *st, char *err)
{
	return exec(st, "BEGIN", "cannot read the store", err);
}

void store_end_read(struct store *st)
{
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

void store_observe(struct store *st, const struct store_observer *o, void *ctx)
{
	st->observer = o;
	st->observer_ctx = ctx;
}

int store_webhook_changed(struct store *st, const struct webhook *before, const struct webhook *after,
			  char *err)
{
	return st->observer ? st->observer->changed(st->observer_ctx, before, after, err) : 0;
}

int store_note(struct store *st, const char *action, const char *webhook, long long webhook_id,
	       const char *phrase, char *err)
{
	return st->observer ? st->observer->noted(st->observer_ctx, action, webhook, webhook_id, phrase, err) : 0;
}

int store_upgraded_from(const struct store *st)
{
	return st->upgraded_from;
}

void store_forget_upgrade(struct store *st)
{
	st->upgraded_from = 0;
}

int store_webhook_get(struct store *st, const char *name, struct webhook *out, char *err)
{
	return get_one(st, "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE name = ?", name, 0, out, err);
}

int store_webhook_get_id(struct store *st, long long id, struct webhook *out, char *err)
{
	return get_one(st, "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE id = ?", NULL, id, out, err);
}

int store_webhook_list(struct store *st, struct webhook **out, size_t *n, char *err)
{
	sqlite3_stmt *stmt = store_stmt(st, "SELECT " WEBHOOK_COLUMNS " FROM webhooks ORDER BY name", err);
	struct webhook *list = NULL, *grown;
	size_t count = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(list, cap * sizeof *list);
			if (!grown) {
				err_oom(err, "webhook list");
				goto fail;
			}
			list = grown;
		}
		if (row_to_webhook(stmt, &list[count], err) < 0)
			goto fail;
		count++;
	}
	if (rc != SQLITE_DONE) {
		store_sql_error(st, "cannot list webhooks", err);
		goto fail;
	}
	sqlite3_reset(stmt);
	*out = list;
	*n = count;
	return 0;
fail:
	sqlite3_reset(stmt);
	store_webhook_list_free(list, count);
	return -1;
}

void store_webhook_list_free(struct webhook *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		webhook_clear(&list[i]);
	free(list);
}

static int bind_webhook(sqlite3_stmt *stmt, const struct webhook *wh, long long now, char *err)
{
	char *events = list_to_json(wh->events, wh->nevents);
	char *headers = list_to_json(wh->headers, wh->nheaders);

	if (!events || !headers) {
		free(events);
		free(headers);
		err_oom(err, "webhook");
		return -1;
	}
	sqlite3_bind_text(stmt, 1, wh->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, wh->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, events, -1, free);
	sqlite3_bind_text(stmt, 4, format_name(wh->format), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, wh->payload, -1, SQLITE_STATIC);
	if (wh->secret)
		sqlite3_bind_text(stmt, 6, wh->secret, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 6);
	sqlite3_bind_text(stmt, 7, headers, -1, free);
	sqlite3_bind_int(stmt, 8, wh->enabled ? 1 : 0);
	sqlite3_bind_int(stmt, 9, wh->verify_tls ? 1 : 0);
	sqlite3_bind_int(stmt, 10, wh->timeout);
	sqlite3_bind_int64(stmt, 11, now);
	if (wh->enabled || !wh->disabled_reason)
		sqlite3_bind_null(stmt, 12);
	else
		sqlite3_bind_text(stmt, 12, wh->disabled_reason, -1, SQLITE_STATIC);
	if (wh->rate_n) {
		sqlite3_bind_int(stmt, 15, wh->rate_n);
		sqlite3_bind_int64(stmt, 16, wh->rate_ms);
	} else {
		sqlite3_bind_null(stmt, 15);
		sqlite3_bind_null(stmt, 16);
	}
	if (wh->nretry) {
		char *delays = store_delays_json(wh->retry_ms, wh->nretry);

		if (!delays) {
			err_oom(err, "webhook");
			return -1;
		}
		sqlite3_bind_text(stmt, 17, delays, -1, free);
	} else {
		sqlite3_bind_null(stmt, 17);
	}
	if (wh->coalesce_ms)
		sqlite3_bind_int64(stmt, 18, wh->coalesce_ms);
	else
		sqlite3_bind_null(stmt, 18);
	if (wh->secret_previous) {
		sqlite3_bind_text(stmt, 19, wh->secret_previous, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 20, wh->secret_previous_until);
	} else {
		sqlite3_bind_null(stmt, 19);
		sqlite3_bind_null(stmt, 20);
	}
	if (wh->refs)
		sqlite3_bind_text(stmt, 21, wh->refs, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 21);
	return 0;
}

static int write_subscriptions(struct store *st, const struct webhook *wh, char *err)
{
	sqlite3_stmt *del = store_stmt(st, "DELETE FROM subscriptions WHERE webhook_id = ?", err);
	sqlite3_stmt *ins = del ? store_stmt(st, "INSERT OR IGNORE INTO subscriptions(event_type, webhook_id) VALUES (?, ?)", err) : NULL;
	size_t i;
	int rc = -1;

	if (!ins)
		goto done;
	sqlite3_bind_int64(del, 1, wh->id);
	if (sqlite3_step(del) != SQLITE_DONE)
		goto sqlfail;
	for (i = 0; i < wh->nevents; i++) {
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, wh->events[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, wh->id);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto sqlfail;
	}
	rc = 0;
	goto done;
sqlfail:
	store_sql_error(st, "cannot save the webhook's events", err);
done:
	sqlite3_reset(del);
	sqlite3_reset(ins);
	return rc;
}

static int name_taken(struct store *st, const char *what, const char *name, char *err)
{
	if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE) {
		err_setk(err, ERR_EXISTS,
			 "a webhook named \"%s\" already exists (names are unique, ignoring case); choose another name",
			 name);
		st->fault = STORE_FAULT_EXISTS;
		return 1;
	}
	store_sql_error(st, what, err);
	return 0;
}

int store_webhook_insert(struct store *st, struct webhook *wh, char *err)
{
	sqlite3_stmt *stmt = NULL;
	long long now = store_now_ms();
	int own = sqlite3_get_autocommit(st->db);

	if (own && store_begin(st, err) < 0)
		return -1;
	stmt = store_stmt(st,
		"INSERT INTO webhooks(name, url, events, format, payload, secret, headers, enabled, "
		"verify_tls, timeout, created_at, updated_at, disabled_reason, version, rate_n, rate_ms, "
		"retry_schedule, coalesce_ms, secret_previous, secret_previous_until, refs) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, 1, ?15, ?16, ?17, ?18, ?19, ?20, ?21)", err);
	if (!stmt || bind_webhook(stmt, wh, now, err) < 0)
		goto fail;
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		name_taken(st, "cannot add the webhook", wh->name, err);
		goto fail;
	}
	sqlite3_reset(stmt);
	stmt = NULL;
	wh->id = sqlite3_last_insert_rowid(st->db);
	if (write_subscriptions(st, wh, err) < 0 || store_webhook_changed(st, NULL, wh, err) < 0)
		goto fail;
	if (own && store_commit(st, err) < 0)
		return -1;
	wh->version = 1;
	wh->created_at = wh->updated_at = now;
	return 0;
fail:
	sqlite3_reset(stmt);
	if (own)
		store_rollback(st);
	return -1;
}

int store_webhook_update(struct store *st, struct webhook *wh, char *err)
{
	sqlite3_stmt *stmt = NULL;
	long long now = store_now_ms();
	int own = sqlite3_get_autocommit(st->db);
	struct webhook before;

	webhook_init(&before);
	if (own && store_begin(st, err) < 0)
		return -1;
	/* The observer is told what changed. A row that is gone here is
	 * reported by the update below; one that cannot be read otherwise
	 * fails the save, as the observer could not say what changed. */
	if (st->observer && store_webhook_get_id(st, wh->id, &before, err) < 0) {
		if (err_kind(err) != ERR_NOT_FOUND)
			goto fail;
		webhook_init(&before);
	}
	stmt = store_stmt(st,
		"UPDATE webhooks SET name = ?1, url = ?2, events = ?3, format = ?4, payload = ?5, "
		"secret = ?6, headers = ?7, enabled = ?8, verify_tls = ?9, timeout = ?10, "
		"updated_at = ?11, disabled_reason = ?12, version = version + 1, "
		"rate_n = ?15, rate_ms = ?16, retry_schedule = ?17, coalesce_ms = ?18, "
		"secret_previous = ?19, secret_previous_until = ?20, refs = ?21, "
		"failing_since = CASE WHEN ?8 THEN NULL ELSE failing_since END "
		"WHERE id = ?13 AND version = ?14", err);
	if (!stmt || bind_webhook(stmt, wh, now, err) < 0)
		goto fail;
	sqlite3_bind_int64(stmt, 13, wh->id);
	sqlite3_bind_int64(stmt, 14, wh->version);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		name_taken(st, "cannot save the webhook", wh->name, err);
		goto fail;
	}
	if (sqlite3_changes(st->db) == 0) {
		struct webhook cur;
		char gone[ERR_MAX];

		if (store_webhook_get_id(st, wh->id, &cur, gone) < 0) {
			err_setk(err, ERR_NOT_FOUND,
				 "webhook \"%s\" was deleted elsewhere since you loaded it; nothing was saved", wh->name);
			st->fault = STORE_FAULT_GONE;
		} else {
			err_setk(err, ERR_CONFLICT, "webhook \"%s\" changed elsewhere since you loaded it (version %lld, now %lld); nothing was saved: reload and edit again",
				 cur.name, wh->version, cur.version);
			st->fault = STORE_FAULT_CONFLICT;
		}
		webhook_clear(&cur);
		goto fail;
	}
	sqlite3_reset(stmt);
	stmt = NULL;
	if (write_subscriptions(st, wh, err) < 0 || store_webhook_changed(st, &before, wh, err) < 0)
		goto fail;
	webhook_clear(&before);
	if (own && store_commit(st, err) < 0)
		return -1;
	wh->version++;
	wh->updated_at = now;
	return 0;
fail:
	webhook_clear(&before);
	sqlite3_reset(stmt);
	if (own)
		store_rollback(st);
	return -1;
}

int store_webhook_pending(struct store *st, long long webhook_id, struct store_backlog *b, char *err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT count(*) FILTER (WHERE state <> 'inflight'), count(*) FILTER (WHERE state = 'inflight') "
		"FROM deliveries WHERE webhook_id = ? AND state IN ('pending','inflight','failed')", err);

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, webhook_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_sql_error(st, "cannot count pending deliveries", err);
		sqlite3_reset(stmt);
		return -1;
	}
	b->waiting = sqlite3_column_int64(stmt, 0);
	b->inflight = sqlite3_column_int64(stmt, 1);
	sqlite3_reset(stmt);
	return 0;
}

char *store_backlog_text(const struct store_backlog *b)
{
	struct sbuf t;

	sbuf_init(&t);
	sbuf_appendf(&t, "%lld waiting deliver%s cancelled", b->waiting, b->waiting == 1 ? "y" : "ies");
	if (b->inflight)
		sbuf_appendf(&t, "; %lld request%s in flight and may still arrive", b->inflight,
			     b->inflight == 1 ? " was" : "s were");
	return sbuf_take(&t);
}

int store_webhook_delete(struct store *st, const char *name, struct store_backlog *b, char *err)
{
	sqlite3_stmt *stmt = NULL;
	struct store_backlog n = { 0, 0 };
	struct webhook wh;
	int own = sqlite3_get_autocommit(st->db);

	webhook_init(&wh);
	if (own && store_begin(st, err) < 0)
		return -1;
	if (store_webhook_get(st, name, &wh, err) < 0)
		goto fail;
	if (store_webhook_pending(st, wh.id, &n, err) < 0 || store_webhook_changed(st, &wh, NULL, err) < 0)
		goto fail;
	stmt = store_stmt(st, "DELETE FROM webhooks WHERE id = ?", err);
	if (!stmt)
		goto fail;
	sqlite3_bind_int64(stmt, 1, wh.id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		store_sql_error(st, "cannot delete the webhook", err);
		goto fail;
	}
	sqlite3_reset(stmt);
	stmt = NULL;
	if (own && store_commit(st, err) < 0)
		goto out;
	webhook_clear(&wh);
	if (b)
		*b = n;
	return 0;
fail:
	if (own)
		store_rollback(st);
out:
	sqlite3_reset(stmt);
	webhook_clear(&wh);
	return -1;
}
