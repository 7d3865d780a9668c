/* The statement layer on SQLite: a struct db_stmt is a sqlite3_stmt, so
 * each call is SQLite's own (see db.h). */
#include "db.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static sqlite3_stmt *raw(struct db_stmt *s)
{
	return (sqlite3_stmt *)s;
}

void db_bind_int64(struct db_stmt *s, int i, long long v)
{
	sqlite3_bind_int64(raw(s), i, v);
}

void db_bind_text(struct db_stmt *s, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(raw(s), i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(raw(s), i);
}

void db_bind_text_copy(struct db_stmt *s, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(raw(s), i, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(raw(s), i);
}

void db_bind_text_own(struct db_stmt *s, int i, char *text)
{
	if (text)
		sqlite3_bind_text(raw(s), i, text, -1, free);
	else
		sqlite3_bind_null(raw(s), i);
}

void db_bind_null(struct db_stmt *s, int i)
{
	sqlite3_bind_null(raw(s), i);
}

void db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	if (p)
		sqlite3_bind_blob64(raw(s), i, p, n, SQLITE_STATIC);
	else
		sqlite3_bind_null(raw(s), i);
}

int db_step(struct db_stmt *s)
{
	int rc = sqlite3_step(raw(s));

	return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE : DB_ERROR;
}

void db_reset(struct db_stmt *s)
{
	sqlite3_reset(raw(s));
}

int db_column_null(struct db_stmt *s, int i)
{
	return sqlite3_column_type(raw(s), i) == SQLITE_NULL;
}

long long db_column_int64(struct db_stmt *s, int i)
{
	return sqlite3_column_int64(raw(s), i);
}

int db_column_int(struct db_stmt *s, int i)
{
	return sqlite3_column_int(raw(s), i);
}

const char *db_column_text(struct db_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(raw(s), i);
}

int db_column_is_integer(struct db_stmt *s, int i)
{
	return sqlite3_column_type(raw(s), i) == SQLITE_INTEGER;
}

size_t db_column_bytes(struct db_stmt *s, int i)
{
	return (size_t)sqlite3_column_bytes(raw(s), i);
}

char *db_column_dup(struct db_stmt *s, int i)
{
	const char *t = db_column_text(s, i);

	return t ? strdup(t) : NULL;
}
