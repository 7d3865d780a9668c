/* The PostgreSQL side of the statement layer. The translation of SQLite's
 * placeholders needs no server; the rest runs when tests/pg/test_pgsql.sh
 * has started a throwaway one (HOOKMAN_TEST_PG=1, PGHOST and the rest
 * set by tests/pg/lib.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "err.h"
#include "pgsql.h"
#include "schema.h"
#include "store.h"
#include "testutil.h"

static const char *translated(const char *sql, int *map, int *n)
{
	static char out[512];
	struct sbuf text;
	char err[ERR_MAX];

	sbuf_init(&text);
	ck_assert_msg(pgsql_translate(sql, &text, map, n, err) == 0, "%s", err);
	snprintf(out, sizeof out, "%s", sbuf_text(&text));
	sbuf_release(&text);
	return out;
}

START_TEST(placeholders_are_renumbered)
{
	int map[PGSQL_PARAMS_MAX + 1], n;
	struct sbuf text;
	char err[ERR_MAX];

	/* Reused numbers keep their $k; the numbers present are counted in
	 * the order they appear, so a gap leaves no untyped parameter. */
	ck_assert_str_eq(translated("VALUES (?1, ?2, ?11, ?11, ?12, ?15)", map, &n),
			 "VALUES ($1, $2, $3, $3, $4, $5)");
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(map[11], 3);
	ck_assert_int_eq(map[13], 0);
	ck_assert_str_eq(translated("WHERE b = ?3 AND a = ?1", map, &n), "WHERE b = $1 AND a = $2");
	ck_assert_int_eq(map[1], 2);
	/* A bare ? is one more than the highest before it, as in SQLite. */
	ck_assert_str_eq(translated("INSERT INTO t VALUES (?, ?, ?5, ?)", map, &n),
			 "INSERT INTO t VALUES ($1, $2, $3, $4)");
	ck_assert_int_eq(map[6], 4);
	/* Quotes and comments are text, not placeholders. */
	ck_assert_str_eq(translated("SELECT '?1', \"a?\", 'it''s ?' -- ?9\n, ?1 /* ?2 */", map, &n),
			 "SELECT '?1', \"a?\", 'it''s ?' -- ?9\n, $1 /* ?2 */");
	ck_assert_int_eq(n, 1);
	sbuf_init(&text);
	ck_assert_int_eq(pgsql_translate("SELECT 'open", &text, map, &n, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_int_eq(pgsql_translate("SELECT ?600", &text, map, &n, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "?600 is out of range"));
	ck_assert_uint_eq(text.len, 0);
	sbuf_release(&text);
}
END_TEST

static PGconn *conn;

static void connect_server(void)
{
	PGresult *res;

	conn = PQconnectdb("");
	ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
	res = PQexec(conn, "SET client_min_messages = warning; DROP TABLE IF EXISTS t; CREATE TABLE t (id bigint PRIMARY KEY, "
			   "name text UNIQUE, n bigint, flag boolean, body bytea)");
	ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(res));
	PQclear(res);
}

static void disconnect_server(void)
{
	PQfinish(conn);
}

START_TEST(statements_bind_step_and_read)
{
	static const unsigned char body[] = { 'a', 0, 0xff, '\n', 'z' };
	struct pgsql_stmt *ins, *sel;
	char err[ERR_MAX];
	int i;

	/* SQLite's text as the store writes it: numbered, reused, gapped. */
	ins = pgsql_prepare(conn, "INSERT INTO t(id, name, n, flag, body) VALUES (?1, ?3, ?1 * 10, ?4 = 1, ?6)", err);
	ck_assert_msg(ins != NULL, "%s", err);
	for (i = 1; i <= 3; i++) {
		char name[32];

		snprintf(name, sizeof name, "n\xc3\xa9 '%d' \"q\"", i);
		pgsql_clear_bindings(ins);
		pgsql_bind_int64(ins, 1, i);
		pgsql_bind_text(ins, 2, "ignored: ?2 is not in the text");
		pgsql_bind_text(ins, 3, i == 3 ? NULL : name);
		pgsql_bind_int64(ins, 4, i % 2);
		if (i == 2)
			pgsql_bind_blob(ins, 6, body, sizeof body);
		ck_assert_msg(pgsql_step(ins) == DB_DONE, "%s", pgsql_error(ins));
		ck_assert_int_eq(pgsql_changes(ins), 1);
		pgsql_reset(ins);
	}
	sel = pgsql_prepare(conn, "SELECT id, name, n, flag, body FROM t WHERE id >= ?1 ORDER BY id", err);
	ck_assert_msg(sel != NULL, "%s", err);
	pgsql_bind_int64(sel, 1, 1);
	ck_assert_int_eq(pgsql_step(sel), DB_ROW);
	ck_assert_int_eq(pgsql_column_int64(sel, 0), 1);
	ck_assert_str_eq(pgsql_column_text(sel, 1), "n\xc3\xa9 '1' \"q\"");
	ck_assert_int_eq(pgsql_column_int64(sel, 2), 10);
	ck_assert_int_eq(pgsql_column_int64(sel, 3), 1);     /* a boolean reads 1 or 0 */
	ck_assert(pgsql_column_null(sel, 4));
	ck_assert_ptr_null(pgsql_column_text(sel, 4));
	ck_assert_int_eq(pgsql_step(sel), DB_ROW);
	ck_assert_int_eq(pgsql_column_int64(sel, 3), 0);
	ck_assert_uint_eq(pgsql_column_bytes(sel, 4), sizeof body);   /* bytes, NULs and all */
	ck_assert(memcmp(pgsql_column_text(sel, 4), body, sizeof body) == 0);
	ck_assert_int_eq(pgsql_step(sel), DB_ROW);
	ck_assert(pgsql_column_null(sel, 1));
	ck_assert_int_eq(pgsql_step(sel), DB_DONE);
	/* Reset keeps the bindings: run again. */
	pgsql_reset(sel);
	ck_assert_int_eq(pgsql_step(sel), DB_ROW);
	ck_assert_int_eq(pgsql_column_int64(sel, 0), 1);
	pgsql_reset(sel);
	/* A unique index refused: the server's SQLSTATE says which fault. */
	pgsql_clear_bindings(ins);
	pgsql_bind_int64(ins, 1, 4);
	pgsql_bind_text(ins, 3, "n\xc3\xa9 '1' \"q\"");
	ck_assert_int_eq(pgsql_step(ins), DB_ERROR);
	ck_assert_str_eq(pgsql_sqlstate(ins), "23505");
	ck_assert_ptr_nonnull(strstr(pgsql_error(ins), "duplicate key"));
	ck_assert_ptr_null(strchr(pgsql_error(ins), '\n'));
	pgsql_reset(ins);
	/* An UPDATE says how many rows it changed. */
	pgsql_free(sel);
	sel = pgsql_prepare(conn, "UPDATE t SET n = n + ?1 WHERE id <= ?2", err);
	ck_assert_msg(sel != NULL, "%s", err);
	pgsql_bind_int64(sel, 1, 5);
	pgsql_bind_int64(sel, 2, 2);
	ck_assert_int_eq(pgsql_step(sel), DB_DONE);
	ck_assert_int_eq(pgsql_changes(sel), 2);
	pgsql_free(sel);
	pgsql_free(ins);
	/* A statement the server refuses to prepare says why, at its run. */
	sel = pgsql_prepare(conn, "SELECT nope FROM t WHERE id = ?1", err);
	ck_assert_msg(sel != NULL, "%s", err);
	pgsql_bind_int64(sel, 1, 1);
	ck_assert_int_eq(pgsql_step(sel), DB_ERROR);
	ck_assert_str_eq(pgsql_sqlstate(sel), "42703");
	ck_assert_ptr_nonnull(strstr(pgsql_error(sel), "column \"nope\" does not exist"));
	pgsql_free(sel);
}
END_TEST

/* Bytes bound as NULL first still go to a bytea: the batch of attempts
 * (queue.c) lists its rows in VALUES, whose column takes the type of
 * the first run's binding; a receiver answering 204 leaves it NULL. */
START_TEST(a_null_blob_is_bytes)
{
	static const unsigned char body[] = { 'o', 'k', 0 };
	struct pgsql_stmt *ins;
	char err[ERR_MAX];

	ins = pgsql_prepare(conn, "WITH v(id, body) AS (VALUES (?1, ?2)) INSERT INTO t(id, body) "
			    "SELECT id, body FROM v", err);
	ck_assert_msg(ins != NULL, "%s", err);
	pgsql_bind_int64(ins, 1, 100);
	pgsql_bind_blob(ins, 2, NULL, 0);
	ck_assert_msg(pgsql_step(ins) == DB_DONE, "%s", pgsql_error(ins));
	pgsql_reset(ins);
	pgsql_clear_bindings(ins);
	pgsql_bind_int64(ins, 1, 101);
	pgsql_bind_blob(ins, 2, body, sizeof body);
	ck_assert_msg(pgsql_step(ins) == DB_DONE, "%s", pgsql_error(ins));
	pgsql_free(ins);
}
END_TEST

/* "table.column" of every table hookman keeps, one per line, sorted. */
static void sqlite_columns(struct sbuf *out)
{
	const char *dir = tu_tmpdir();
	char err[ERR_MAX];
	struct store *st = store_open(dir, err);
	sqlite3_stmt *s;

	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(sqlite3_prepare_v2(store_db(st), "SELECT m.name || '.' || p.name FROM sqlite_master m, "
					    "pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' "
					    "ORDER BY 1", -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		sbuf_appendf(out, "%s\n", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	store_close(st);
	tu_rmtree(dir);
}

static PGresult *exec_ok(const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s",
		      sql, PQresultErrorMessage(res));
	return res;
}

START_TEST(the_postgresql_schema_is_sqlites)
{
	struct sbuf lite, pg;
	PGresult *res;
	int i;

	PQclear(exec_ok("SET client_min_messages = warning; DROP SCHEMA IF EXISTS hm_schema CASCADE; "
			"CREATE SCHEMA hm_schema; SET search_path = hm_schema"));
	PQclear(exec_ok(schema_postgresql()));
	/* The same tables with the same columns as a new SQLite store, but
	 * for what only a queue shared by several senders needs. */
	sbuf_init(&lite);
	sbuf_init(&pg);
	sqlite_columns(&lite);
	res = exec_ok("SELECT c FROM (SELECT (table_name || '.' || column_name)::text AS c FROM information_schema.columns "
		      "WHERE table_schema = 'hm_schema' AND table_name NOT IN ('hookman_meta', 'senders') "
		      "AND column_name NOT IN ('name_key', 'claimed_by', 'lease_until')) x "
		      "ORDER BY c COLLATE \"C\"");
	for (i = 0; i < PQntuples(res); i++)
		sbuf_appendf(&pg, "%s\n", PQgetvalue(res, i, 0));
	PQclear(res);
	ck_assert_str_eq(sbuf_text(&pg), sbuf_text(&lite));
	sbuf_release(&lite);
	sbuf_release(&pg);
	res = exec_ok("SELECT value FROM hookman_meta WHERE key = 'schema_version'");
	ck_assert_int_eq(atoi(PQgetvalue(res, 0, 0)), SCHEMA_VERSION);
	PQclear(res);
	/* Names collide as SQLite's NOCASE makes them collide: ASCII letters
	 * fold, others do not. */
	PQclear(exec_ok("INSERT INTO webhooks(name, url, events, format, payload, created_at, updated_at) VALUES "
			"('Ops', 'u', '[]', 'default', '{}', 1, 1), ('D\xc3\xa9tections', 'u', '[]', 'default', '{}', 1, 1), "
			"('D\xc3\x89TECTIONS', 'u', '[]', 'default', '{}', 1, 1)"));
	res = PQexec(conn, "INSERT INTO webhooks(name, url, events, format, payload, created_at, updated_at) "
			   "VALUES ('oPS', 'u', '[]', 'default', '{}', 1, 1)");
	ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "23505");
	PQclear(res);
	PQclear(exec_ok("DROP SCHEMA hm_schema CASCADE; SET search_path = \"$user\", public"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pgsql");
	TCase *tc = tcase_create("translate");

	tcase_add_test(tc, placeholders_are_renumbered);
	suite_add_tcase(s, tc);
	if (getenv("HOOKMAN_TEST_PG")) {
		tc = tcase_create("server");
		tcase_add_checked_fixture(tc, connect_server, disconnect_server);
		tcase_add_test(tc, statements_bind_step_and_read);
		tcase_add_test(tc, a_null_blob_is_bytes);
		tcase_add_test(tc, the_postgresql_schema_is_sqlites);
		suite_add_tcase(s, tc);
	}
	return tu_run(s);
}
