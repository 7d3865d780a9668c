/* Shared helpers for the Check suites: temp directories and the catalog
 * from the source tree. */
#ifndef HOOKMAN_TESTUTIL_H
#define HOOKMAN_TESTUTIL_H

#include <check.h>
#include <sqlite3.h>

#include "catalog.h"

/* A fresh private directory under $TMPDIR; removed by tu_rmtree. The
 * returned string is static storage, valid until the next call. */
const char *tu_tmpdir(void);
void tu_rmtree(const char *dir);

/* The catalog of the source tree's data/ (HOOKMAN_DATADIR). Aborts the
 * test when it cannot be loaded. */
struct catalog *tu_catalog(void);

/* The integer the query's first row holds (the test fails without one). */
long long tu_count(sqlite3 *db, const char *sql);

/* Run one suite and return the process exit status. */
int tu_run(Suite *s);

#endif
