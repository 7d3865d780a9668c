/* Inside the store: the connection, shared by store.c (both engines and
 * SQLite's own) and store_pg.c (PostgreSQL's own). Not for the modules. */
#ifndef HOOKMAN_STORE_ENGINE_H
#define HOOKMAN_STORE_ENGINE_H

#include <libpq-fe.h>
#include <sqlite3.h>

#include "db_engine.h"
#include "store.h"

/* Prepared statements are kept for the life of the connection: parsing
 * the SQL again for each of 10,000 imported webhooks cost more than the
 * writes themselves. Keyed by the SQL text, which is always a literal. */
#define STMT_CACHE 96

struct store {
	sqlite3 *db;               /* a SQLite store, or */
	PGconn *pg;                /* a PostgreSQL one */
	char *path;                /* the database file, or the URI masked */
	struct db_report report;   /* PostgreSQL's last statement (db_engine.h) */
	enum store_fault fault;    /* of the last store_sql_error */
	int busy_wait_ms;          /* how long a write waits for a lock (store_set_busy_wait) */
	int upgraded_from;         /* the schema version this open migrated from, 0 if none */
	int listening;             /* PostgreSQL: LISTEN ran (store_data_version) */
	int sync_off;              /* PostgreSQL: store_sync_each_commit(0) holds */
	long long revived_at;      /* PostgreSQL: the last try to connect again */
	long long revive_wait;     /* PostgreSQL: and how long until the next (ms) */
	char claimant[48];         /* the sender whose claims these are (store_set_claimant) */
	long long notified;        /* PostgreSQL: others' commits heard of */
	long long work_notified;   /* PostgreSQL: of which front ends' (store_work_version) */
	int in_turn;               /* PostgreSQL: the open transaction is a sender's turn */
	int in_txn;                /* PostgreSQL: a transaction began and has not ended */
	const struct store_observer *observer; /* store_observe */
	void *observer_ctx;
	struct {
		const char *sql;
		struct db_stmt *stmt;
	} cache[STMT_CACHE];
};

/* PostgreSQL's side of store.c's functions (store_pg.c): the same
 * contracts as the store.h functions they serve. */
int pgstore_open(struct store *st, const char *uri, char *err);
void pgstore_error(struct store *st, const char *what, char *err);
int pgstore_exec(struct store *st, const char *sql, const char *what, char *err);
int pgstore_begin(struct store *st, char *err);
long long pgstore_data_version(struct store *st);
long long pgstore_work_version(struct store *st);
int pgstore_wait_fd(struct store *st);
void pgstore_revive(struct store *st);
long long pgstore_last_id(struct store *st);
int pgstore_size(struct store *st, struct store_size *sz, char *err);
void pgstore_set_busy_wait(struct store *st, int ms);

#endif
