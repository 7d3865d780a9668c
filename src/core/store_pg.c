/* The store on PostgreSQL (issue 15): connecting, the schema, the
 * transactions and the reports that are PostgreSQL's own; the rest of
 * the store is store.c's, shared with SQLite. */
#include "store_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "sbuf.h"
#include "schema.h"

/* The advisory locks of a store, one pair of keys per schema (several
 * stores may share a database): the schema's creation, and the
 * store-wide write lock that stands for SQLite's BEGIN IMMEDIATE. */
#define LOCK_CREATE "pg_advisory_xact_lock(1752133484, hashtext(current_schema()))"
#define LOCK_WRITE "pg_advisory_xact_lock(1752133483, hashtext(current_schema()))"

/* The channels commits notify (store_data_version): a front end's on
 * one, which also wakes the senders (it may bring them work), a sender's
 * turn on the other, which interfaces follow and senders need not. */
#define CHANNEL_WORK "hookman_work"
#define CHANNEL "hookman"

/* The server's notices (a table that exists already, …) are not the
 * user's business: hookman says what happened itself. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* libpq's message as one line. */
static void one_line(char *out, size_t size, const char *msg)
{
	size_t len, i;

	snprintf(out, size, "%s", msg && *msg ? msg : "the server did not answer");
	len = strlen(out);
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
	for (i = 0; i < len; i++)
		if (out[i] == '\n' || out[i] == '\r' || out[i] == '\t')
			out[i] = ' ';
}

/* Keep a result's failure as a statement's would be kept. */
static void keep(struct store *st, const PGresult *res)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	one_line(st->report.error, sizeof st->report.error, primary ? primary : PQerrorMessage(st->pg));
	snprintf(st->report.sqlstate, sizeof st->report.sqlstate, "%s", state ? state : "");
}

void pgstore_error(struct store *st, const char *what, char *err)
{
	const char *code = st->report.sqlstate;
	const char *msg = st->report.error;

	if (PQstatus(st->pg) != CONNECTION_OK || strncmp(code, "08", 2) == 0 || strncmp(code, "57P", 3) == 0) {
		st->fault = STORE_FAULT_STORE;
		err_setk(err, ERR_IO, "%s: the database server of %s cannot be reached (%s); check that it runs, "
			 "then retry", what, st->path, msg);
	} else if (strcmp(code, "55P03") == 0 || strcmp(code, "40001") == 0 || strcmp(code, "40P01") == 0) {
		st->fault = STORE_FAULT_BUSY;
		err_setk(err, ERR_BUSY, "%s: the store is busy (another hookman is writing for more than %d s); retry",
			 what, STORE_BUSY_MS / 1000);
	} else if (strcmp(code, "53100") == 0) {
		st->fault = STORE_FAULT_FULL;
		err_setk(err, ERR_IO, "%s: the disk of the database server of %s is full; nothing was written, "
			 "free some space and retry", what, st->path);
	} else if (strncmp(code, "23", 2) == 0 || strncmp(code, "22", 2) == 0) {
		st->fault = STORE_FAULT_ROW;
		err_setk(err, ERR_INVALID, "%s: %s", what, msg);
	} else if (strcmp(code, "XX001") == 0 || strcmp(code, "XX002") == 0) {
		st->fault = STORE_FAULT_ROW;
		err_setk(err, ERR_IO, "%s: the database of %s is damaged (%s); restore it from a backup or a replica",
			 what, st->path, msg);
	} else if (strcmp(code, "25006") == 0) {
		st->fault = STORE_FAULT_STORE;
		err_setk(err, ERR_IO, "%s: the store %s is read-only (a standby?): point --store at the primary",
			 what, st->path);
	} else {
		st->fault = STORE_FAULT_STORE;
		err_setk(err, strcmp(code, "53200") == 0 ? ERR_NOMEM : ERR_IO, "%s: %s", what, msg);
	}
}

/* Run one or more statements with no parameters; keep the last result's
 * failure. *res (may be NULL) receives the last result, to read rows. */
static int run(struct store *st, const char *sql, PGresult **res)
{
	PGresult *r = PQexec(st->pg, sql);
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		keep(st, r);
		PQclear(r);
		return -1;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return 0;
}

int pgstore_exec(struct store *st, const char *sql, const char *what, char *err)
{
	if (run(st, sql, NULL) < 0) {
		pgstore_error(st, what, err);
		return -1;
	}
	return 0;
}

/* One value of a one-row query, copied into out; "" for NULL. */
static int value(struct store *st, const char *sql, char *out, size_t size)
{
	PGresult *r = NULL;

	if (run(st, sql, &r) < 0)
		return -1;
	snprintf(out, size, "%s", PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return 0;
}

int pgstore_begin(struct store *st, char *err)
{
	if (run(st, "BEGIN; SELECT " LOCK_WRITE, NULL) < 0) {
		if (PQtransactionStatus(st->pg) != PQTRANS_IDLE)
			PQclear(PQexec(st->pg, "ROLLBACK"));
		pgstore_error(st, "cannot start a write", err);
		return -1;
	}
	st->in_txn = 1;
	return 0;
}

/* What the connection's schema holds: the store's version (0: no
 * hookman_meta), whether it is a hookman store, and how many tables. */
static int read_identity(struct store *st, int *version, int *ours, long long *tables, char *err)
{
	char text[64];

	if (value(st, "SELECT current_schema() IS NOT NULL", text, sizeof text) < 0)
		goto fail;
	if (strcmp(text, "t") != 0) {
		err_setk(err, ERR_INVALID, "%s names no schema to keep the store in (its search_path has none that "
			 "exists): create the schema, or fix options=-csearch_path in the URI", st->path);
		return -1;
	}
	if (value(st, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", text, sizeof text) < 0)
		goto fail;
	*tables = atoll(text);
	*version = 0;
	*ours = 0;
	if (value(st, "SELECT to_regclass('hookman_meta') IS NOT NULL", text, sizeof text) < 0)
		goto fail;
	if (strcmp(text, "t") != 0)
		return 0;
	if (value(st, "SELECT value FROM hookman_meta WHERE key = 'application'", text, sizeof text) < 0)
		goto fail;
	*ours = strcmp(text, "hookman") == 0;
	if (value(st, "SELECT value FROM hookman_meta WHERE key = 'schema_version'", text, sizeof text) < 0)
		goto fail;
	*version = atoi(text);
	return 0;
fail:
	pgstore_error(st, "cannot read the store", err);
	return -1;
}

/* Refuse what is not ours or is newer; create the schema in a new one,
 * under a lock, so that two hosts starting at once make it once. */
static int prepare_schema(struct store *st, char *err)
{
	long long tables;
	int version, ours;

	if (read_identity(st, &version, &ours, &tables, err) < 0)
		return -1;
	if (!ours && tables > 0) {
		err_setk(err, ERR_INVALID, "%s holds tables that are not a hookman store; refusing to touch them: "
			 "use another database or schema", st->path);
		return -1;
	}
	if (version > SCHEMA_VERSION) {
		err_set(err, "%s has schema version %d, newer than this hookman understands (%d); upgrade hookman, "
			"the store was left untouched", st->path, version, SCHEMA_VERSION);
		return -1;
	}
	if (ours && version == SCHEMA_VERSION)
		return 0;
	if (ours) {
		err_setk(err, ERR_INVALID, "%s has schema version %d, which no hookman made on PostgreSQL; "
			 "refusing to touch it", st->path, version);
		return -1;
	}
	if (pgstore_exec(st, "BEGIN; SELECT " LOCK_CREATE, "cannot create the store", err) < 0)
		goto fail;
	/* Another host may have created it while we waited for the lock. */
	if (read_identity(st, &version, &ours, &tables, err) < 0)
		goto fail;
	if (!ours && pgstore_exec(st, schema_postgresql(), "cannot create the store", err) < 0)
		goto fail;
	return pgstore_exec(st, "COMMIT", "cannot create the store", err);
fail:
	if (PQtransactionStatus(st->pg) != PQTRANS_IDLE)
		PQclear(PQexec(st->pg, "ROLLBACK"));
	return -1;
}

/* What a session starts with, again after a reconnection. */
static int configure(struct store *st, char *err)
{
	char sql[160];

	snprintf(sql, sizeof sql, "SET client_encoding = 'UTF8'; SET client_min_messages = warning; "
		 "SET lock_timeout = %d; SET synchronous_commit = %s", st->busy_wait_ms, st->sync_off ? "off" : "on");
	return pgstore_exec(st, sql, "cannot configure the store", err);
}

/* Connections to the server are lost when it restarts or fails over:
 * make a new one when the old one is gone, trying after 1 s, then 2, 4,
 * up to 30 s between tries while the server stays away (each try blocks
 * for as long as connecting takes); the failure that showed it was
 * reported already, and the caller's next write finds the store again.
 * Statements prepare again; LISTEN again. */
#define REVIVE_FIRST_MS 1000
#define REVIVE_MAX_MS 30000
void pgstore_revive(struct store *st)
{
	char err[ERR_MAX];
	long long now = store_now_ms();
	size_t i;

	if (PQstatus(st->pg) == CONNECTION_OK) {
		st->revive_wait = 0;
		return;
	}
	/* A transaction lost with its connection is lost: its remaining
	 * statements must fail, not go on in another session. */
	if (st->in_txn)
		return;
	if (st->revive_wait && now - st->revived_at < st->revive_wait)
		return;
	st->revived_at = now;
	st->revive_wait = !st->revive_wait ? REVIVE_FIRST_MS :
		st->revive_wait * 2 > REVIVE_MAX_MS ? REVIVE_MAX_MS : st->revive_wait * 2;
	PQreset(st->pg);
	if (PQstatus(st->pg) != CONNECTION_OK)
		return;
	st->revive_wait = 0;
	for (i = 0; i < STMT_CACHE && st->cache[i].sql; i++)
		db_forget(st->cache[i].stmt);
	st->listening = 0;
	configure(st, err);
	/* What others committed while we were away was never heard: say
	 * that something changed. */
	st->notified++;
	st->work_notified++;
}

/* Connect, with what the URI leaves unsaid set so that a server that
 * vanished (its host gone, no reset sent) is given up on in seconds, not
 * after the system's TCP timeouts: hookmand's requests, socket and beats
 * wait for every statement. The URI's own settings come after, and win. */
static PGconn *connect_to(const char *uri)
{
	static const char *const keys[] = {
		"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
		"tcp_user_timeout", "dbname", NULL
	};
	const char *values[] = { "10", "1", "10", "5", "3", "30000", uri, NULL };

	return PQconnectdbParams(keys, values, 1);
}

int pgstore_open(struct store *st, const char *uri, char *err)
{
	struct sbuf masked;

	sbuf_init(&masked);
	if (mask_store_uri(&masked, uri) < 0 || !(st->path = sbuf_take(&masked))) {
		sbuf_release(&masked);
		err_oom(err, "store");
		return -1;
	}
	sbuf_release(&masked);
	st->pg = connect_to(uri);
	if (!st->pg) {
		err_oom(err, "store");
		return -1;
	}
	if (PQstatus(st->pg) != CONNECTION_OK) {
		char why[ERR_MAX];

		one_line(why, sizeof why, PQerrorMessage(st->pg));
		err_setk(err, ERR_IO, "cannot open store %s: %s", st->path, why);
		return -1;
	}
	PQsetNoticeProcessor(st->pg, quiet, NULL);
	st->busy_wait_ms = STORE_BUSY_MS;
	if (configure(st, err) < 0)
		return -1;
	return prepare_schema(st, err);
}

void pgstore_set_busy_wait(struct store *st, int ms)
{
	char sql[64];

	st->busy_wait_ms = ms;
	snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms);
	run(st, sql, NULL);
}

long long pgstore_data_version(struct store *st)
{
	PGnotify *n;

	pgstore_revive(st);
	if (!st->listening) {
		if (run(st, "LISTEN " CHANNEL "; LISTEN " CHANNEL_WORK, NULL) < 0)
			return -1;
		st->listening = 1;
	}
	if (!PQconsumeInput(st->pg))
		return -1;
	while ((n = PQnotifies(st->pg)) != NULL) {
		if (n->be_pid != PQbackendPID(st->pg)) {
			st->notified++;
			if (strcmp(n->relname, CHANNEL_WORK) == 0)
				st->work_notified++;
		}
		PQfreemem(n);
	}
	return st->notified;
}

long long pgstore_work_version(struct store *st)
{
	return pgstore_data_version(st) < 0 ? -1 : st->work_notified;
}

int pgstore_wait_fd(struct store *st)
{
	if (pgstore_data_version(st) < 0)
		return -1;
	return PQsocket(st->pg);
}

long long pgstore_last_id(struct store *st)
{
	char text[32];

	return value(st, "SELECT lastval()", text, sizeof text) < 0 ? 0 : atoll(text);
}

int pgstore_size(struct store *st, struct store_size *sz, char *err)
{
	char text[32];

	if (value(st, "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
		  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
		  "AND c.relkind = 'r'", text, sizeof text) < 0) {
		pgstore_error(st, "cannot read the store's size", err);
		return -1;
	}
	sz->bytes = atoll(text);
	sz->free_bytes = 0;
	sz->incremental = 0;
	return 0;
}
