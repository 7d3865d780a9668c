#include "store_engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sbuf.h"
#include "schema.h"
#include "storedir.h"

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
	int code;
	enum err_kind kind;

	if (st->pg) {
		pgstore_error(st, what, err);
		return;
	}
	code = sqlite3_extended_errcode(st->db) & 0xff;
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

/* Prepare a statement or fill err with the engine's message. On
 * PostgreSQL the server sees it at its first run (pgsql.h), so a text it
 * refuses fails that step instead. */
static struct db_stmt *store_prepare(struct store *st, const char *sql, char *err)
{
	sqlite3_stmt *stmt = NULL;
	struct db_stmt *s;

	if (st->pg) {
		struct pgsql_stmt *p = pgsql_prepare(st->pg, sql, err);

		if (!p)
			return NULL;
		s = db_stmt_pgsql(p, &st->report);
	} else {
		if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
			store_sql_error(st, "cannot prepare a store query", err);
			return NULL;
		}
		s = db_stmt_sqlite(stmt);
	}
	if (!s)
		err_oom(err, "a store query");
	return s;
}

struct db_stmt *store_sql(struct store *st, const char *sql, char *err)
{
	size_t i;

	if (st->pg)
		pgstore_revive(st);
	for (i = 0; i < STMT_CACHE && st->cache[i].sql; i++)
		if (st->cache[i].sql == sql || strcmp(st->cache[i].sql, sql) == 0) {
			db_clear(st->cache[i].stmt);
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

struct db_stmt *store_sql_dialect(struct store *st, const char *sqlite, const char *postgresql, char *err)
{
	return store_sql(st, st->pg ? postgresql : sqlite, err);
}

struct db_stmt *store_sql_once(struct store *st, const char *sql, char *err)
{
	return store_prepare(st, sql, err);
}

void store_sql_free(struct db_stmt *s)
{
	db_stmt_free(s);
}

int store_run(struct store *st, struct db_stmt *s, const char *what, char *err)
{
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(st, what, err);
		return -1;
	}
	return 0;
}

int store_run_int(struct store *st, struct db_stmt *s, long long *v, const char *what, char *err)
{
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	if (rc == DB_ROW)
		*v = db_column_int64(s, 0);
	db_reset(s);
	if (rc != DB_ROW) {
		store_sql_error(st, what, err);
		return -1;
	}
	return 0;
}

int store_is_postgresql(const struct store *st)
{
	return st->pg != NULL;
}

int store_last_unique(struct store *st)
{
	if (st->pg)
		return strcmp(st->report.sqlstate, "23505") == 0;
	return sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE;
}

void store_set_fault(struct store *st, enum store_fault f)
{
	st->fault = f;
}

int store_observed(const struct store *st)
{
	return st->observer != NULL;
}

int store_in_txn(struct store *st)
{
	if (st->pg)
		return PQtransactionStatus(st->pg) != PQTRANS_IDLE;
	return !sqlite3_get_autocommit(st->db);
}

long long store_changes(struct store *st)
{
	return st->pg ? st->report.changes : sqlite3_changes(st->db);
}

long long store_last_id(struct store *st)
{
	return st->pg ? pgstore_last_id(st) : sqlite3_last_insert_rowid(st->db);
}

static int exec(struct store *st, const char *sql, const char *what, char *err)
{
	if (st->pg)
		return pgstore_exec(st, sql, what, err);
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
	if (st->pg) {
		pgstore_revive(st);
		return pgstore_begin(st, err);
	}
	return exec(st, "BEGIN IMMEDIATE", "cannot start a write", err);
}

int store_begin_turn(struct store *st, char *err)
{
	st->fault = STORE_FAULT_NONE;
	if (!st->pg)
		return exec(st, "BEGIN IMMEDIATE", "cannot start a write", err);
	pgstore_revive(st);
	if (exec(st, "BEGIN", "cannot start a write", err) < 0)
		return -1;
	st->in_turn = 1;
	st->in_txn = 1;
	return 0;
}

void store_set_claimant(struct store *st, const char *id)
{
	snprintf(st->claimant, sizeof st->claimant, "%s", id);
}

const char *store_claimant(const struct store *st)
{
	return st->claimant;
}

int store_commit(struct store *st, char *err)
{
	/* On PostgreSQL the others hear of it (store_data_version); a
	 * sender's turn wakes no sender. */
	const char *sql = !st->pg ? "COMMIT" : st->in_turn ? "NOTIFY hookman; COMMIT" : "NOTIFY hookman_work; COMMIT";

	st->in_turn = 0;
	st->in_txn = 0;
	if (exec(st, sql, "cannot commit", err) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int store_sync_each_commit(struct store *st, int on, char *err)
{
	if (st->pg) {
		st->sync_off = !on;
		return exec(st, on ? "SET synchronous_commit = on" : "SET synchronous_commit = off",
			    "cannot configure the store", err);
	}
	return exec(st, on ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
		    "cannot configure the store", err);
}

void store_rollback(struct store *st)
{
	st->in_turn = 0;
	st->in_txn = 0;
	if (st->pg) {
		if (PQtransactionStatus(st->pg) != PQTRANS_IDLE)
			PQclear(PQexec(st->pg, "ROLLBACK"));
	} else if (!sqlite3_get_autocommit(st->db)) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
}

int store_sender_mode(struct store *st, char *err)
{
	struct db_stmt *s;
	struct sbuf found;
	int rc, ok = 1;

	/* PostgreSQL checks its pages itself, and a sender's commit must be
	 * as durable as anyone's: nothing to do. */
	if (st->pg)
		return 0;
	s = store_prepare(st, "PRAGMA quick_check(5)", err);
	if (!s)
		return -1;
	sbuf_init(&found);
	while ((rc = db_step(s)) == DB_ROW) {
		const char *text = db_column_text(s, 0), *line, *nl;

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
	if (rc != DB_DONE) {
		ok = 0;
		sbuf_appendf(&found, "%s%s", found.len ? "; " : "", sqlite3_errmsg(st->db));
	}
	db_stmt_free(s);
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
	if (st->pg) {
		pgstore_set_busy_wait(st, ms);
		return;
	}
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
	char err[ERR_MAX];

	exec(st, "ROLLBACK TO one_row; RELEASE one_row", "cannot undo a row", err);
}

long long store_work_version(struct store *st)
{
	return st->pg ? pgstore_work_version(st) : store_data_version(st);
}

int store_wait_fd(struct store *st)
{
	return st->pg ? pgstore_wait_fd(st) : -1;
}

long long store_data_version(struct store *st)
{
	struct db_stmt *s;
	long long v = -1;

	if (st->pg)
		return pgstore_data_version(st);
	s = store_sql(st, "PRAGMA data_version", NULL);
	if (s && db_step(s) == DB_ROW)
		v = db_column_int64(s, 0);
	if (s)
		db_reset(s);
	return v;
}

enum store_fault store_last_fault(const struct store *st)
{
	return st->fault;
}

const char *store_path(const struct store *st) { return st->path; }

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
	if (storedir_is_uri(dir)) {
		if (pgstore_open(st, dir, err) < 0) {
			store_close(st);
			return NULL;
		}
		return st;
	}
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
		db_stmt_free(st->cache[i].stmt);
	if (st->pg)
		PQfinish(st->pg);
	else
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

/* Free pages in the file: given back by the incremental vacuum on a
 * store that has it, reused by later writes on one that does not. */
static int free_pages(struct store *st, long long *n, char *err)
{
	return store_run_int(st, store_sql(st, "PRAGMA freelist_count", err), n,
			     "cannot read the store's free space", err);
}

/* A pragma takes no bound parameter; sqlite3_exec steps it to the end,
 * one page a step. */
int store_shrink(struct store *st, int pages, long long *left, char *err)
{
	long long before, after;
	char sql[64];

	/* PostgreSQL's autovacuum keeps the space for the rows to come. */
	if (st->pg) {
		*left = 0;
		return 0;
	}
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
	if (st->pg)
		return exec(st, "VACUUM (FULL, ANALYZE) webhooks, subscriptions, events, holds, deliveries, bodies, "
			    "attempts, audit, hookman_meta", "cannot compact the store (VACUUM)", err);
	return exec(st, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM", "cannot compact the store (VACUUM)", err);
}

int store_size(struct store *st, struct store_size *sz, char *err)
{
	struct db_stmt *s;
	int rc;

	if (st->pg)
		return pgstore_size(st, sz, err);
	s = store_sql(st,
		"SELECT p.page_count * z.page_size, f.freelist_count * z.page_size, v.auto_vacuum "
		"FROM pragma_page_count p, pragma_page_size z, pragma_freelist_count f, pragma_auto_vacuum v", err);
	if (!s)
		return -1;
	rc = db_step(s);
	if (rc == DB_ROW) {
		sz->bytes = db_column_int64(s, 0);
		sz->free_bytes = db_column_int64(s, 1);
		sz->incremental = db_column_int(s, 2) == 2;
	}
	db_reset(s);
	if (rc != DB_ROW) {
		store_sql_error(st, "cannot read the store's size", err);
		return -1;
	}
	return 0;
}

int store_begin_read(struct store *st, char *err)
{
	if (st->pg)
		pgstore_revive(st);
	if (exec(st, st->pg ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN",
		 "cannot read the store", err) < 0)
		return -1;
	st->in_txn = 1;
	return 0;
}

void store_end_read(struct store *st)
{
	char err[ERR_MAX];

	st->in_txn = 0;
	exec(st, "COMMIT", "cannot end a read", err);
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

int store_id_high(struct store *st, const char *table, long long *high, char *err)
{
	/* On SQLite the AUTOINCREMENT tables keep the high mark in
	 * sqlite_sequence; the others reuse ids above their max anyway. */
	struct db_stmt *s = store_sql_dialect(st,
		"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0), "
		"(SELECT coalesce(max(id), 0) FROM (SELECT max(id) AS id FROM webhooks WHERE ?1 = 'webhooks' "
		"UNION ALL SELECT max(id) FROM events WHERE ?1 = 'events' "
		"UNION ALL SELECT max(id) FROM holds WHERE ?1 = 'holds' "
		"UNION ALL SELECT max(id) FROM deliveries WHERE ?1 = 'deliveries' "
		"UNION ALL SELECT max(id) FROM attempts WHERE ?1 = 'attempts' "
		"UNION ALL SELECT max(id) FROM audit WHERE ?1 = 'audit') AS ids))",
		"SELECT coalesce((SELECT last_value FROM pg_sequences WHERE schemaname = current_schema() "
		"AND sequencename = split_part(pg_get_serial_sequence(?1, 'id'), '.', 2)), 0)", err);

	if (s)
		db_bind_text(s, 1, table);
	return store_run_int(st, s, high, "cannot read the store's highest ids", err);
}

int store_id_raise(struct store *st, const char *table, long long high, char *err)
{
	struct db_stmt *s;
	int rc;

	if (high <= 0)
		return 0;
	s = store_sql_dialect(st,
		"INSERT INTO sqlite_sequence(name, seq) SELECT ?1, ?2 WHERE ?1 IN ('webhooks', 'deliveries', "
		"'attempts', 'audit') AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
		"SELECT setval(pg_get_serial_sequence(?1, 'id'), greatest(?2, (SELECT coalesce(last_value, 1) "
		"FROM pg_sequences WHERE schemaname = current_schema() "
		"AND sequencename = split_part(pg_get_serial_sequence(?1, 'id'), '.', 2))))", err);
	if (!s)
		return -1;
	db_bind_text(s, 1, table);
	db_bind_int64(s, 2, high);
	while ((rc = db_step(s)) == DB_ROW)
		;
	db_reset(s);
	if (rc == DB_DONE && !st->pg) {
		s = store_sql(st, "UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1 AND seq < ?2", err);
		if (!s)
			return -1;
		db_bind_text(s, 1, table);
		db_bind_int64(s, 2, high);
		rc = db_step(s);
		db_reset(s);
	}
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot keep the store's highest ids", err);
		return -1;
	}
	return 0;
}
