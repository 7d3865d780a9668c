/* The statements of the store's database, whatever the engine: the core
 * modules bind, step and read through these, never through an engine's
 * own calls, so that a store can live in SQLite or in PostgreSQL behind
 * one set of modules (issue 15). A statement comes from store_sql()
 * (store.h), which prepares it once per connection and hands it back
 * reset, with its bindings cleared.
 *
 * A statement runs on the engine of the store that prepared it (db.c
 * dispatches; pgsql.h on PostgreSQL). Parameters are SQLite's ("?",
 * "?N", numbered from 1, translated for PostgreSQL), columns from 0; a
 * number a text does not use may be bound and is ignored. */
#ifndef HOOKMAN_DB_H
#define HOOKMAN_DB_H

#include <stddef.h>

struct db_stmt;

/* db_step's answers. After DB_ERROR the reason is the store's
 * (store_sql_error). */
enum { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };

/* Bindings. Text is read when the statement runs, so it must live until
 * the statement is reset (the next store_sql of it, or db_reset);
 * db_bind_text_copy copies it, db_bind_text_own takes it and frees it.
 * A NULL text binds NULL. */
void db_bind_int64(struct db_stmt *s, int i, long long v);
void db_bind_text(struct db_stmt *s, int i, const char *text);
void db_bind_text_copy(struct db_stmt *s, int i, const char *text);
void db_bind_text_own(struct db_stmt *s, int i, char *text);
void db_bind_null(struct db_stmt *s, int i);

/* Bytes (a receiver's answer, not always text), read when the statement
 * runs, as db_bind_text's; NULL binds NULL. */
void db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n);

/* Run the statement, or move to its next row: DB_ROW (columns readable),
 * DB_DONE, or DB_ERROR. */
int db_step(struct db_stmt *s);

/* Back to the start, bindings kept; releases what the statement holds
 * (a read snapshot) until it runs again. NULL: nothing to do. */
void db_reset(struct db_stmt *s);

/* Columns of the current row. A NULL reads as 0 or a NULL text. */
int db_column_null(struct db_stmt *s, int i);
long long db_column_int64(struct db_stmt *s, int i);
int db_column_int(struct db_stmt *s, int i);
const char *db_column_text(struct db_stmt *s, int i);   /* valid until the next step or reset */
int db_column_is_integer(struct db_stmt *s, int i);    /* holds a whole number (not NULL, not text) */
size_t db_column_bytes(struct db_stmt *s, int i);      /* the text's length, NUL bytes included */

/* A copy of a text column the caller frees; NULL when it is NULL or
 * memory ran out. */
char *db_column_dup(struct db_stmt *s, int i);

#endif
