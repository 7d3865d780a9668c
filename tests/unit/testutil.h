/* Shared helpers for the Check suites: temp directories, the catalog from
 * the source tree, and stores on the backend the run asks for.
 *
 * HOOKMAN_TEST_DB picks the backend of every store a suite opens with
 * tu_store_open: unset or "sqlite", a store directory under $TMPDIR;
 * "postgresql", a schema of its own on the server the libpq environment
 * names (PGHOST, PGPORT, PGDATABASE, PGUSER, as tests/pg/lib.sh exports
 * them). A case that only SQLite can have (file modes, damaged files,
 * migrations of old SQLite schemas, query plans) is registered only when
 * tu_backend_is_sqlite(). */
#ifndef HOOKMAN_TESTUTIL_H
#define HOOKMAN_TESTUTIL_H

#include <check.h>

#include "catalog.h"
#include "store.h"

/* A fresh private directory under $TMPDIR; removed by tu_rmtree. The
 * returned string is static storage, valid until the next call. */
const char *tu_tmpdir(void);
void tu_rmtree(const char *dir);

/* The catalog of the source tree's data/ (HOOKMAN_DATADIR). Aborts the
 * test when it cannot be loaded. */
struct catalog *tu_catalog(void);

/* Whether HOOKMAN_TEST_DB names SQLite (or nothing). A value that names
 * neither backend ends the program with a sentence on stderr. */
int tu_backend_is_sqlite(void);

/* A fresh, empty store on the run's backend (close it with
 * tu_store_close); NULL with err when the directory, the schema or the
 * store cannot be made, nothing then left behind. */
struct store *tu_store_open(char *err);

/* Close st and remove what tu_store_open made for it: the directory, or
 * the schema with everything in it (the test fails when the server
 * refuses). NULL does nothing. */
void tu_store_close(struct store *st);

/* One more connection to the store st (from tu_store_open), as a second
 * process would open it; close it with store_close before st. NULL with
 * err. */
struct store *tu_store_again(struct store *st, char *err);

/* Close st (from tu_store_open) and open its store again, as the next
 * process would (an older schema left behind it is then migrated); the
 * new store is tu_store_close's to close. The test fails with the
 * store's sentence when it cannot be opened. */
struct store *tu_store_reopen(struct store *st);

/* Fixture SQL, valid on both engines, one statement (the test fails on
 * a second one, which would be ignored), run through the store's
 * statements (store_sql_once); the test fails with the store's sentence
 * when it does. tu_exec_text binds text (NULL: NULL) to its one "?". */
void tu_exec(struct store *st, const char *sql);
void tu_exec_text(struct store *st, const char *sql, const char *text);

/* The integer, or a copy of the text (caller frees; NULL for NULL), in
 * the first column of the query's first row; the test fails without a
 * row. */
long long tu_count(struct store *st, const char *sql);
char *tu_text(struct store *st, const char *sql);

/* Run one suite and return the process exit status. */
int tu_run(Suite *s);

#endif
