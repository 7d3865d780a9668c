#include "pgsql.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "err.h"

/* Type oids of the server's catalog (pg_type.h, stable across versions). */
#define BOOLOID 16
#define BYTEAOID 17
#define INT8OID 20
#define INT2OID 21
#define INT4OID 23
#define TEXTOID 25

struct pgsql_stmt {
	PGconn *conn;
	char name[32];
	char *text;                     /* translated, until the first run prepares it */
	int prepared;
	Oid *types;                     /* per $k: of the first run's binding, 0 to let the server infer */
	int map[PGSQL_PARAMS_MAX + 1];  /* SQLite's number -> $k, 0 when absent */
	int n;                          /* $1..$n */
	char **values;                  /* owned, NULL for NULL */
	int *lengths, *formats;
	PGresult *res;
	int ran, row, rows;
	long long changes;
	unsigned char **unescaped;      /* bytea columns of the current row, per column */
	size_t *unescaped_len;
	int ncols;
	char error[ERR_MAX];
	char sqlstate[6];
};

/* Copy a quoted part ('…', "…": the quote doubled inside) or a comment
 * starting at sql[i] to out; returns where it ends, or 0 when it is left
 * open. */
static size_t copy_quoted(const char *sql, size_t i, struct sbuf *out)
{
	size_t start = i;
	char q = sql[i];

	if (q == '-') {
		while (sql[i] && sql[i] != '\n')
			i++;
	} else if (q == '/') {
		const char *end = strstr(sql + i + 2, "*/");

		if (!end)
			return 0;
		i = (size_t)(end - sql) + 2;
	} else {
		for (i++; sql[i] && sql[i] != q; i++)
			;
		if (!sql[i])
			return 0;
		i++;
	}
	sbuf_appendn(out, sql + start, i - start);
	return i;
}

int pgsql_translate(const char *sql, struct sbuf *out, int *map, int *n, char *err)
{
	struct sbuf text;
	size_t i = 0;
	int highest = 0, count = 0;

	memset(map, 0, (PGSQL_PARAMS_MAX + 1) * sizeof *map);
	sbuf_init(&text);
	while (sql[i]) {
		char c = sql[i];
		long num;

		if (c == '\'' || c == '"' || (c == '-' && sql[i + 1] == '-') || (c == '/' && sql[i + 1] == '*')) {
			size_t end = copy_quoted(sql, i, &text);

			if (!end) {
				err_setk(err, ERR_INVALID, "a quote or comment opened at offset %zu is never closed", i);
				goto fail;
			}
			i = end;
			continue;
		}
		if (c != '?') {
			sbuf_appendn(&text, &c, 1);
			i++;
			continue;
		}
		i++;
		if (isdigit((unsigned char)sql[i])) {
			char *end;

			num = strtol(sql + i, &end, 10);
			i = (size_t)(end - sql);
		} else {
			num = highest + 1;
		}
		if (num < 1 || num > PGSQL_PARAMS_MAX) {
			err_setk(err, ERR_INVALID, "parameter ?%ld is out of range (1 to %d)", num, PGSQL_PARAMS_MAX);
			goto fail;
		}
		if (num > highest)
			highest = (int)num;
		if (!map[num])
			map[num] = ++count;
		sbuf_appendf(&text, "$%d", map[num]);
	}
	if (text.failed) {
		err_setk(err, ERR_NOMEM, "out of memory translating a statement");
		goto fail;
	}
	sbuf_append(out, sbuf_text(&text));
	sbuf_release(&text);
	*n = count;
	return 0;
fail:
	sbuf_release(&text);
	memset(map, 0, (PGSQL_PARAMS_MAX + 1) * sizeof *map);
	return -1;
}

/* The server's message as one line: its primary message, else what
 * libpq says (a lost connection), its lines joined. */
static void keep_error(struct pgsql_stmt *s, const PGresult *res)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = primary ? primary : res ? PQresultErrorMessage(res) : PQerrorMessage(s->conn);
	size_t len, i;

	snprintf(s->error, sizeof s->error, "%s", msg && *msg ? msg : "the server did not answer");
	len = strlen(s->error);
	while (len > 0 && (s->error[len - 1] == '\n' || s->error[len - 1] == ' '))
		s->error[--len] = '\0';
	for (i = 0; i < len; i++)
		if (s->error[i] == '\n' || s->error[i] == '\r' || s->error[i] == '\t')
			s->error[i] = ' ';
	snprintf(s->sqlstate, sizeof s->sqlstate, "%s", state ? state : "");
}

struct pgsql_stmt *pgsql_prepare(PGconn *conn, const char *sql, char *err)
{
	static unsigned long next;
	struct pgsql_stmt *s = calloc(1, sizeof *s);
	struct sbuf text;

	if (!s) {
		err_setk(err, ERR_NOMEM, "out of memory preparing a statement");
		return NULL;
	}
	s->conn = conn;
	s->row = -1;
	sbuf_init(&text);
	if (pgsql_translate(sql, &text, s->map, &s->n, err) < 0 || text.failed) {
		if (text.failed)
			err_setk(err, ERR_NOMEM, "out of memory preparing a statement");
		sbuf_release(&text);
		free(s);
		return NULL;
	}
	s->values = calloc((size_t)s->n + 1, sizeof *s->values);
	s->lengths = calloc((size_t)s->n + 1, sizeof *s->lengths);
	s->formats = calloc((size_t)s->n + 1, sizeof *s->formats);
	s->types = calloc((size_t)s->n + 1, sizeof *s->types);
	s->text = sbuf_take(&text);
	sbuf_release(&text);
	if (!s->values || !s->lengths || !s->formats || !s->types || !s->text) {
		pgsql_free(s);
		err_setk(err, ERR_NOMEM, "out of memory preparing a statement");
		return NULL;
	}
	snprintf(s->name, sizeof s->name, "hm_%lu", ++next);
	return s;
}

static void quietly(PGconn *conn, const char *sql)
{
	PQclear(PQexec(conn, sql));
}

/* Prepare on the server with the types of the first run's bindings: a
 * number is a bigint, bytes a bytea, text and NULL what the server makes
 * of them. Left to guess a number's type, the server refuses a parameter
 * used twice ("?1" for an id and in "?1 * 10": integer versus bigint). */
static int prepare_now(struct pgsql_stmt *s)
{
	/* Inside a transaction a refused prepare would abort it, where
	 * SQLite's leaves it as it was: the try gets a savepoint of its own. */
	int in_txn = PQtransactionStatus(s->conn) == PQTRANS_INTRANS;
	PGresult *res;
	const char *state;
	int k, ok;

	if (in_txn)
		quietly(s->conn, "SAVEPOINT hm_prepare");
	res = PQprepare(s->conn, s->name, s->text, s->n, s->types);
	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	/* A NULL bound where nothing else tells its type ("?3 IS NULL OR
	 * …" with ?3 NULL on the first run; the server says 42P08 or
	 * 42P18): the statements compare such parameters with texts. */
	if (state && (strcmp(state, "42P18") == 0 || strcmp(state, "42P08") == 0)) {
		PQclear(res);
		if (in_txn)
			quietly(s->conn, "ROLLBACK TO SAVEPOINT hm_prepare");
		for (k = 0; k < s->n; k++)
			if (!s->types[k])
				s->types[k] = TEXTOID;
		res = PQprepare(s->conn, s->name, s->text, s->n, s->types);
	}
	ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		keep_error(s, res);
	PQclear(res);
	if (in_txn)
		quietly(s->conn, ok ? "RELEASE SAVEPOINT hm_prepare" :
			"ROLLBACK TO SAVEPOINT hm_prepare; RELEASE SAVEPOINT hm_prepare");
	if (!ok)
		return -1;
	s->prepared = 1;
	return 0;
}

static void drop_row(struct pgsql_stmt *s)
{
	int i;

	for (i = 0; s->unescaped && i < s->ncols; i++) {
		free(s->unescaped[i]);
		s->unescaped[i] = NULL;
	}
}

void pgsql_reset(struct pgsql_stmt *s)
{
	drop_row(s);
	free(s->unescaped);
	free(s->unescaped_len);
	s->unescaped = NULL;
	s->unescaped_len = NULL;
	s->ncols = 0;
	PQclear(s->res);
	s->res = NULL;
	s->ran = 0;
	s->row = -1;
	s->rows = 0;
}

void pgsql_clear_bindings(struct pgsql_stmt *s)
{
	int k;

	for (k = 0; k < s->n; k++) {
		free(s->values[k]);
		s->values[k] = NULL;
		s->lengths[k] = 0;
		s->formats[k] = 0;
	}
}

void pgsql_forget(struct pgsql_stmt *s)
{
	pgsql_reset(s);
	s->prepared = 0;
}

void pgsql_free(struct pgsql_stmt *s)
{
	if (!s)
		return;
	pgsql_reset(s);
	if (s->values)
		pgsql_clear_bindings(s);
	if (s->prepared) {
		char sql[64];

		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		PQclear(PQexec(s->conn, sql));
	}
	free(s->text);
	free(s->types);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s);
}

/* Put a value at SQLite's number i: the slot of its $k, when the text
 * uses it. v is taken (NULL: the value NULL); type is its oid (0: the
 * server's to infer), for the first run's prepare. */
static void put(struct pgsql_stmt *s, int i, char *v, int len, int binary, Oid type)
{
	int k = i >= 1 && i <= PGSQL_PARAMS_MAX ? s->map[i] : 0;

	if (!k) {
		free(v);
		return;
	}
	free(s->values[k - 1]);
	s->values[k - 1] = v;
	s->lengths[k - 1] = len;
	s->formats[k - 1] = binary;
	/* A NULL of bytes or of a number still has its type (the other
	 * NULLs come with none). */
	if (!s->prepared && (v || type))
		s->types[k - 1] = type;
}

void pgsql_bind_int64(struct pgsql_stmt *s, int i, long long v)
{
	char num[24];

	snprintf(num, sizeof num, "%lld", v);
	put(s, i, strdup(num), 0, 0, INT8OID);
}

void pgsql_bind_null_number(struct pgsql_stmt *s, int i)
{
	put(s, i, NULL, 0, 0, INT8OID);
}

void pgsql_bind_text(struct pgsql_stmt *s, int i, const char *text)
{
	put(s, i, text ? strdup(text) : NULL, 0, 0, 0);
}

void pgsql_bind_blob(struct pgsql_stmt *s, int i, const void *p, size_t n)
{
	char *copy = p ? malloc(n ? n : 1) : NULL;

	if (copy)
		memcpy(copy, p, n);
	put(s, i, copy, (int)n, 1, BYTEAOID);
}

int pgsql_step(struct pgsql_stmt *s)
{
	ExecStatusType status;

	drop_row(s);
	if (!s->ran) {
		s->ran = 1;
		if (!s->prepared && prepare_now(s) < 0)
			return DB_ERROR;
		s->res = PQexecPrepared(s->conn, s->name, s->n, (const char *const *)s->values, s->lengths,
					s->formats, 0);
		status = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
		if (status == PGRES_COMMAND_OK) {
			s->changes = atoll(PQcmdTuples(s->res));
			return DB_DONE;
		}
		if (status != PGRES_TUPLES_OK) {
			keep_error(s, s->res);
			return DB_ERROR;
		}
		s->rows = PQntuples(s->res);
		s->ncols = PQnfields(s->res);
		s->changes = atoll(PQcmdTuples(s->res));
		s->unescaped = calloc((size_t)s->ncols + 1, sizeof *s->unescaped);
		s->unescaped_len = calloc((size_t)s->ncols + 1, sizeof *s->unescaped_len);
		if (!s->unescaped || !s->unescaped_len) {
			snprintf(s->error, sizeof s->error, "out of memory reading a result");
			s->sqlstate[0] = '\0';
			return DB_ERROR;
		}
	}
	if (++s->row >= s->rows)
		return DB_DONE;
	return DB_ROW;
}

int pgsql_column_null(struct pgsql_stmt *s, int i)
{
	return !s->res || s->row < 0 || s->row >= s->rows || i >= s->ncols || PQgetisnull(s->res, s->row, i);
}

/* A bytea column's bytes, unescaped once per row, with a NUL byte after
 * them so that they also read as a text. */
static const unsigned char *bytes_of(struct pgsql_stmt *s, int i, size_t *len)
{
	if (!s->unescaped[i]) {
		size_t n = 0;
		unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i), &n);

		s->unescaped[i] = raw ? malloc(n + 1) : NULL;
		if (s->unescaped[i]) {
			memcpy(s->unescaped[i], raw, n);
			s->unescaped[i][n] = '\0';
			s->unescaped_len[i] = n;
		}
		PQfreemem(raw);
	}
	*len = s->unescaped[i] ? s->unescaped_len[i] : 0;
	return s->unescaped[i];
}

long long pgsql_column_int64(struct pgsql_stmt *s, int i)
{
	const char *v;

	if (pgsql_column_null(s, i))
		return 0;
	v = PQgetvalue(s->res, s->row, i);
	if (PQftype(s->res, i) == BOOLOID)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

const char *pgsql_column_text(struct pgsql_stmt *s, int i)
{
	size_t len;

	if (pgsql_column_null(s, i))
		return NULL;
	if (PQftype(s->res, i) != BYTEAOID)
		return PQgetvalue(s->res, s->row, i);
	return (const char *)bytes_of(s, i, &len);
}

size_t pgsql_column_bytes(struct pgsql_stmt *s, int i)
{
	size_t len;

	if (pgsql_column_null(s, i))
		return 0;
	if (PQftype(s->res, i) != BYTEAOID)
		return (size_t)PQgetlength(s->res, s->row, i);
	bytes_of(s, i, &len);
	return len;
}

int pgsql_column_is_integer(struct pgsql_stmt *s, int i)
{
	Oid t;

	if (pgsql_column_null(s, i))
		return 0;
	t = PQftype(s->res, i);
	return t == INT8OID || t == INT4OID || t == INT2OID;
}

long long pgsql_changes(const struct pgsql_stmt *s)
{
	return s->changes;
}

const char *pgsql_error(const struct pgsql_stmt *s)
{
	return s->error;
}

const char *pgsql_sqlstate(const struct pgsql_stmt *s)
{
	return s->sqlstate;
}
