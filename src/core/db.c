/* The statement layer (db.h): each call goes to the engine the statement
 * was prepared on, SQLite or PostgreSQL (pgsql.h). */
#include "db_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db_stmt {
	sqlite3_stmt *lite;        /* one of the two */
	struct pgsql_stmt *pg;
	struct db_report *report;  /* the PostgreSQL statement's store */
};

struct db_stmt *db_stmt_sqlite(sqlite3_stmt *s)
{
	struct db_stmt *d = calloc(1, sizeof *d);

	if (!d) {
		sqlite3_finalize(s);
		return NULL;
	}
	d->lite = s;
	return d;
}

struct db_stmt *db_stmt_pgsql(struct pgsql_stmt *s, struct db_report *r)
{
	struct db_stmt *d = calloc(1, sizeof *d);

	if (!d) {
		pgsql_free(s);
		return NULL;
	}
	d->pg = s;
	d->report = r;
	return d;
}

void db_stmt_free(struct db_stmt *s)
{
	if (!s)
		return;
	if (s->lite)
		sqlite3_finalize(s->lite);
	else
		pgsql_free(s->pg);
	free(s);
}

void db_clear(struct db_stmt *s)
{
	if (s->lite) {
		sqlite3_reset(s->lite);
		sqlite3_clear_bindings(s->lite);
	} else {
		pgsql_reset(s->pg);
		pgsql_clear_bindings(s->pg);
	}
}

void db_forget(struct db_stmt *s)
{
	if (s->pg)
		pgsql_forget(s->pg);
}

void db_bind_int64(struct db_stmt *s, int i, long long v)
{
	if (s->lite)
		sqlite3_bind_int64(s->lite, i, v);
	else
		pgsql_bind_int64(s->pg, i, v);
}

void db_bind_text(struct db_stmt *s, int i, const char *text)
{
	if (!s->lite)
		pgsql_bind_text(s->pg, i, text);
	else if (text)
		sqlite3_bind_text(s->lite, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s->lite, i);
}

void db_bind_text_copy(struct db_stmt *s, int i, const char *text)
{
	if (!s->lite)
		pgsql_bind_text(s->pg, i, text);
	else if (text)
		sqlite3_bind_text(s->lite, i, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s->lite, i);
}

void db_bind_text_own(struct db_stmt *s, int i, char *text)
{
	if (!s->lite) {
		pgsql_bind_text(s->pg, i, text);
		free(text);
	} else if (text) {
		sqlite3_bind_text(s->lite, i, text, -1, free);
	} else {
		sqlite3_bind_null(s->lite, i);
	}
}

void db_bind_null(struct db_stmt *s, int i)
{
	if (s->lite)
		sqlite3_bind_null(s->lite, i);
	else
		pgsql_bind_text(s->pg, i, NULL);
}

void db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	if (!s->lite)
		pgsql_bind_blob(s->pg, i, p, n);
	else if (p)
		sqlite3_bind_blob64(s->lite, i, p, n, SQLITE_STATIC);
	else
		sqlite3_bind_null(s->lite, i);
}

int db_step(struct db_stmt *s)
{
	int rc;

	if (s->lite) {
		rc = sqlite3_step(s->lite);
		return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE : DB_ERROR;
	}
	rc = pgsql_step(s->pg);
	if (rc == DB_ERROR) {
		snprintf(s->report->error, sizeof s->report->error, "%s", pgsql_error(s->pg));
		snprintf(s->report->sqlstate, sizeof s->report->sqlstate, "%s", pgsql_sqlstate(s->pg));
	} else {
		s->report->changes = pgsql_changes(s->pg);
	}
	return rc;
}

void db_reset(struct db_stmt *s)
{
	if (!s)
		return;
	if (s->lite)
		sqlite3_reset(s->lite);
	else
		pgsql_reset(s->pg);
}

int db_column_null(struct db_stmt *s, int i)
{
	return s->lite ? sqlite3_column_type(s->lite, i) == SQLITE_NULL : pgsql_column_null(s->pg, i);
}

long long db_column_int64(struct db_stmt *s, int i)
{
	return s->lite ? sqlite3_column_int64(s->lite, i) : pgsql_column_int64(s->pg, i);
}

int db_column_int(struct db_stmt *s, int i)
{
	return s->lite ? sqlite3_column_int(s->lite, i) : (int)pgsql_column_int64(s->pg, i);
}

const char *db_column_text(struct db_stmt *s, int i)
{
	return s->lite ? (const char *)sqlite3_column_text(s->lite, i) : pgsql_column_text(s->pg, i);
}

int db_column_is_integer(struct db_stmt *s, int i)
{
	return s->lite ? sqlite3_column_type(s->lite, i) == SQLITE_INTEGER : pgsql_column_is_integer(s->pg, i);
}

size_t db_column_bytes(struct db_stmt *s, int i)
{
	return s->lite ? (size_t)sqlite3_column_bytes(s->lite, i) : pgsql_column_bytes(s->pg, i);
}

char *db_column_dup(struct db_stmt *s, int i)
{
	const char *t = db_column_text(s, i);

	return t ? strdup(t) : NULL;
}
