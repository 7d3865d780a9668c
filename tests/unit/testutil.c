#include "testutil.h"

#include <ftw.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "datadir.h"
#include "db.h"
#include "err.h"
#include "sbuf.h"

const char *tu_tmpdir(void)
{
	static char path[512];
	const char *base = getenv("TMPDIR");

	snprintf(path, sizeof path, "%s/hookman-test-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(path));
	return path;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tu_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

struct catalog *tu_catalog(void)
{
	char err[ERR_MAX];
	struct catalog *cat = catalog_load(datadir_resolve(NULL), err);

	ck_assert_msg(cat != NULL, "catalog: %s", err);
	return cat;
}

int tu_backend_is_sqlite(void)
{
	const char *name = getenv("HOOKMAN_TEST_DB");

	if (!name || !*name || strcmp(name, "sqlite") == 0)
		return 1;
	if (strcmp(name, "postgresql") == 0)
		return 0;
	/* Read before any test runs (to register the cases), where no test
	 * could fail: a typo must not run the suites on SQLite unnoticed. */
	fprintf(stderr, "HOOKMAN_TEST_DB=%s names no backend: set it to sqlite or postgresql, or unset it\n", name);
	exit(EXIT_FAILURE);
}

/* The stores tu_store_open made, to open them again and remove them. */
struct opened {
	struct store *st;
	char *where;               /* the directory or the URI */
	char *schema;              /* PostgreSQL: the schema to drop; NULL on SQLite */
	struct opened *next;
};
static struct opened *opened;

static struct opened *find(const struct store *st)
{
	struct opened *o;

	for (o = opened; o && o->st != st; o = o->next)
		;
	ck_assert_msg(o != NULL, "a store that tu_store_open did not open");
	return o;
}

/* The length of libpq's message without the line ends it closes with. */
static int trimmed(const char *msg)
{
	size_t n = strlen(msg);

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	return (int)n;
}

/* Run sql on the test server through a connection of its own (the
 * store's own may be closed, or in the schema being dropped). 0, or -1
 * with the server's reason in err. *answer (may be NULL) receives the
 * first value of the first row ('\0' when none), answer_size bytes. */
static int maintain(const char *sql, char *answer, size_t answer_size, char *err)
{
	PGconn *conn = PQconnectdb("");
	PGresult *res;
	const char *why;
	int rc = 0;

	if (PQstatus(conn) != CONNECTION_OK) {
		why = PQerrorMessage(conn);
		err_setk(err, ERR_IO, "cannot reach the test server that PGHOST and PGPORT name: %.*s", trimmed(why), why);
		PQfinish(conn);
		return -1;
	}
	/* DROP SCHEMA … CASCADE lists what it drops as NOTICEs: not news. */
	PQclear(PQexec(conn, "SET client_min_messages = warning"));
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		why = PQresultErrorMessage(res);
		err_setk(err, ERR_IO, "%s: %.*s", sql, trimmed(why), why);
		rc = -1;
	} else if (answer) {
		snprintf(answer, answer_size, "%s", PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
	}
	PQclear(res);
	PQfinish(conn);
	return rc;
}

/* A fresh schema on the test server and the URI of a store in it. */
static int new_schema(struct opened *o, char *err)
{
	static int made;
	const char *host = getenv("PGHOST"), *port = getenv("PGPORT"), *db = getenv("PGDATABASE");
	struct sbuf sql, uri;
	int rc;

	if (!host || !*host || !port || !*port || !db || !*db) {
		err_setk(err, ERR_INVALID, "HOOKMAN_TEST_DB=postgresql needs PGHOST, PGPORT and PGDATABASE naming the "
			 "test server (tests/pg/lib.sh's pg_start exports them; see tests/pg/test_units_pg.sh)");
		return -1;
	}
	/* The pid keeps apart the schemas of the tests Check forks and of
	 * suites run at once; the count, those of one test. */
	sbuf_init(&sql);
	sbuf_appendf(&sql, "t_%ld_%d", (long)getpid(), ++made);
	o->schema = sbuf_take(&sql);
	ck_assert_ptr_nonnull(o->schema);
	sbuf_appendf(&sql, "CREATE SCHEMA %s", o->schema);
	rc = maintain(sbuf_text(&sql), NULL, 0, err);
	sbuf_release(&sql);
	if (rc < 0)
		return -1;
	sbuf_init(&uri);
	sbuf_appendf(&uri, "postgresql:///%s?host=%s&port=%s&options=-csearch_path%%3D%s", db, host, port, o->schema);
	o->where = sbuf_take(&uri);
	ck_assert_ptr_nonnull(o->where);
	return 0;
}

/* Remove what o stands for: the schema and all in it, or the directory. */
static int discard(struct opened *o, char *err)
{
	struct sbuf sql;
	int rc = 0;

	if (o->schema) {
		sbuf_init(&sql);
		sbuf_appendf(&sql, "DROP SCHEMA %s CASCADE", o->schema);
		rc = maintain(sbuf_text(&sql), NULL, 0, err);
		sbuf_release(&sql);
	} else if (o->where) {
		tu_rmtree(o->where);
	}
	free(o->where);
	free(o->schema);
	free(o);
	return rc;
}

/* Whether the store o opened is in its schema on the server: a
 * hookman that took the URI for something else (a directory named
 * "postgresql:") would pass every test on SQLite. */
static int on_server(const struct opened *o, char *err)
{
	char answer[8];
	struct sbuf sql;
	int rc;

	sbuf_init(&sql);
	sbuf_appendf(&sql, "SELECT to_regclass('%s.webhooks') IS NOT NULL", o->schema);
	rc = maintain(sbuf_text(&sql), answer, sizeof answer, err);
	sbuf_release(&sql);
	if (rc == 0 && strcmp(answer, "t") != 0) {
		err_setk(err, ERR_INVALID, "store_open(\"%s\") made no store in schema %s on the test server: "
			 "this hookman does not open PostgreSQL stores", o->where, o->schema);
		rc = -1;
	}
	return rc;
}

struct store *tu_store_open(char *err)
{
	struct opened *o = calloc(1, sizeof *o);
	char ignored[ERR_MAX];

	ck_assert_ptr_nonnull(o);
	if (tu_backend_is_sqlite()) {
		o->where = strdup(tu_tmpdir());
		ck_assert_ptr_nonnull(o->where);
	} else if (new_schema(o, err) < 0) {
		discard(o, ignored);
		return NULL;
	}
	o->st = store_open(o->where, err);
	if (!o->st || (o->schema && on_server(o, err) < 0)) {
		if (o->st)
			store_close(o->st);
		discard(o, ignored);
		return NULL;
	}
	o->next = opened;
	opened = o;
	return o->st;
}

void tu_store_close(struct store *st)
{
	struct opened *o, **link;
	char err[ERR_MAX];

	if (!st)
		return;
	o = find(st);
	for (link = &opened; *link != o; link = &(*link)->next)
		;
	*link = o->next;
	store_close(st);
	ck_assert_msg(discard(o, err) == 0, "%s", err);
}

struct store *tu_store_again(struct store *st, char *err)
{
	return store_open(find(st)->where, err);
}

struct store *tu_store_reopen(struct store *st)
{
	struct opened *o = find(st);
	char err[ERR_MAX];

	store_close(st);
	o->st = store_open(o->where, err);
	ck_assert_msg(o->st != NULL, "%s", err);
	return o->st;
}

/* The test fails when sql holds a second statement: store_sql_once
 * prepares the first alone, and PostgreSQL refuses several in one. (A
 * semicolon before END closes the last statement of a SQLite trigger's
 * body, inside the one CREATE TRIGGER.) */
static void one_statement(const char *sql)
{
	char quote = 0;
	const char *p;

	for (p = sql; *p; p++) {
		if (quote) {
			quote = *p == quote ? 0 : quote;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == ';') {
			p += strspn(p + 1, " \t\n");
			ck_assert_msg(p[1] == '\0' || strncasecmp(p + 1, "END", 3) == 0,
				      "fixture SQL with more than one statement (run each with its own tu_exec): %s", sql);
		}
	}
}

/* sql prepared on st; the test fails with the store's sentence when it
 * cannot be. */
static struct db_stmt *prepare(struct store *st, const char *sql)
{
	char err[ERR_MAX];
	struct db_stmt *s;

	one_statement(sql);
	s = store_sql_once(st, sql, err);
	ck_assert_msg(s != NULL, "%s\n  in: %s", err, sql);
	return s;
}

/* Step s to its first row (DB_ROW) or its end (DB_DONE); the test fails
 * with the store's sentence on an error. */
static int step(struct store *st, struct db_stmt *s, const char *sql)
{
	char err[ERR_MAX];
	int rc = db_step(s);

	if (rc == DB_ERROR) {
		store_sql_error(st, "fixture SQL failed", err);
		ck_abort_msg("%s\n  in: %s", err, sql);
	}
	return rc;
}

void tu_exec_text(struct store *st, const char *sql, const char *text)
{
	struct db_stmt *s = prepare(st, sql);

	db_bind_text(s, 1, text);
	while (step(st, s, sql) == DB_ROW)
		;
	store_sql_free(s);
}

void tu_exec(struct store *st, const char *sql)
{
	struct db_stmt *s = prepare(st, sql);

	while (step(st, s, sql) == DB_ROW)
		;
	store_sql_free(s);
}

long long tu_count(struct store *st, const char *sql)
{
	struct db_stmt *s = prepare(st, sql);
	long long n;

	ck_assert_msg(step(st, s, sql) == DB_ROW, "no row from %s", sql);
	n = db_column_int64(s, 0);
	store_sql_free(s);
	return n;
}

char *tu_text(struct store *st, const char *sql)
{
	struct db_stmt *s = prepare(st, sql);
	char *text;

	ck_assert_msg(step(st, s, sql) == DB_ROW, "no row from %s", sql);
	text = db_column_dup(s, 0);
	ck_assert_msg(text != NULL || db_column_null(s, 0), "out of memory reading %s", sql);
	store_sql_free(s);
	return text;
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
