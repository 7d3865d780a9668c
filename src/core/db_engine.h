/* Inside the store: a statement of db.h made from either engine's own,
 * for store.c, which alone opens connections. Not for the modules, which
 * get their statements from store_sql. */
#ifndef HOOKMAN_DB_ENGINE_H
#define HOOKMAN_DB_ENGINE_H

#include <sqlite3.h>

#include "db.h"
#include "err.h"
#include "pgsql.h"

/* What the last PostgreSQL statement of a connection left for its store
 * to report (SQLite keeps the same on its connection): the failure, its
 * SQLSTATE, and the rows the last INSERT, UPDATE or DELETE changed. */
struct db_report {
	char error[ERR_MAX];
	char sqlstate[6];
	long long changes;
};

/* Wrap an engine's statement (taken: db_stmt_free finalizes it); NULL
 * when memory ran out, the statement then freed. r is where a PostgreSQL
 * statement reports; it must outlive the statement. */
struct db_stmt *db_stmt_sqlite(sqlite3_stmt *s);
struct db_stmt *db_stmt_pgsql(struct pgsql_stmt *s, struct db_report *r);
void db_stmt_free(struct db_stmt *s);

/* Back to the start with no bindings, as store_sql hands a statement out. */
void db_clear(struct db_stmt *s);

/* The connection under a PostgreSQL statement was made anew (pgsql_forget);
 * nothing on SQLite. */
void db_forget(struct db_stmt *s);

#endif
