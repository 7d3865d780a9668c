/* Statements on PostgreSQL (libpq) written as the store writes them for
 * SQLite: "?" and "?N" placeholders, numbered from 1, bound and read as
 * the statement layer (db.h) binds and reads them: the PostgreSQL side
 * of that layer (issue 15), which db.c calls for a statement of a
 * postgresql:// store. */
#ifndef HOOKMAN_PGSQL_H
#define HOOKMAN_PGSQL_H

#include <libpq-fe.h>
#include <stddef.h>

#include "sbuf.h"

#define PGSQL_PARAMS_MAX 512   /* the highest ?N a statement may use */

/* SQLite's placeholders as PostgreSQL's: each ?N present becomes $k, k
 * counting the distinct numbers in the order they first appear (a
 * number reused keeps its $k; a number absent gets none, so that
 * PostgreSQL never has to guess the type of a parameter no text uses),
 * and a bare "?" is one more than the highest number before it, as in
 * SQLite. Text in quotes ('…', "…") and comments are copied as they
 * are. map[N] receives k (0 for an absent N, map has PGSQL_PARAMS_MAX + 1
 * slots) and *n the number of $k. 0, or -1 with err (ERR_INVALID: a
 * number out of range, a quote left open) and out unchanged. */
int pgsql_translate(const char *sql, struct sbuf *out, int *map, int *n, char *err);

struct pgsql_stmt;

/* A statement of sql (SQLite's placeholders) on conn, under a name of
 * its own; the server prepares it at its first run, with the types of
 * that run's bindings (a refusal is then that step's DB_ERROR). The
 * caller frees it with pgsql_free, before closing conn. NULL with err
 * (a placeholder out of range, a quote left open: ERR_INVALID; or
 * ERR_NOMEM). */
struct pgsql_stmt *pgsql_prepare(PGconn *conn, const char *sql, char *err);
void pgsql_free(struct pgsql_stmt *s);

/* The connection was made anew (PQreset): the server no longer knows the
 * statement, which is prepared again at its next run. */
void pgsql_forget(struct pgsql_stmt *s);

/* Bindings, by SQLite's number: a number the text does not use is
 * ignored, as SQLite ignores it; one left unbound is NULL. Values are
 * copied. Blobs go in binary, the rest as text the server converts. */
void pgsql_bind_int64(struct pgsql_stmt *s, int i, long long v);
void pgsql_bind_text(struct pgsql_stmt *s, int i, const char *text);   /* NULL: NULL */
void pgsql_bind_blob(struct pgsql_stmt *s, int i, const void *p, size_t n); /* NULL: NULL */
void pgsql_bind_null_number(struct pgsql_stmt *s, int i);   /* NULL, a bigint's */
void pgsql_clear_bindings(struct pgsql_stmt *s);

/* Run (the first call after a reset) or move to the next row: DB_ROW,
 * DB_DONE or DB_ERROR (db.h), the error then in pgsql_error and
 * pgsql_sqlstate. */
int pgsql_step(struct pgsql_stmt *s);

/* Back to the start, the bindings kept; the result is released. */
void pgsql_reset(struct pgsql_stmt *s);

/* Columns of the current row, from 0. A boolean reads as 1 or 0, a
 * bytea as its bytes (also through pgsql_column_text, NUL-terminated),
 * NULL as 0 or a NULL text. Texts live until the next step or reset. */
int pgsql_column_null(struct pgsql_stmt *s, int i);
long long pgsql_column_int64(struct pgsql_stmt *s, int i);
const char *pgsql_column_text(struct pgsql_stmt *s, int i);
size_t pgsql_column_bytes(struct pgsql_stmt *s, int i);
int pgsql_column_is_integer(struct pgsql_stmt *s, int i);  /* smallint, integer or bigint, not NULL */

/* Rows the last run of an INSERT, UPDATE or DELETE changed. */
long long pgsql_changes(const struct pgsql_stmt *s);

/* The last failure: the server's message (one line) and its SQLSTATE
 * ("23505": a unique index), "" when none. */
const char *pgsql_error(const struct pgsql_stmt *s);
const char *pgsql_sqlstate(const struct pgsql_stmt *s);

#endif
