#include "storecopy.h"

#include <string.h>

#include "db.h"
#include "sbuf.h"

/* Every column both engines' schemas share (schema.h), the key first;
 * PostgreSQL's own (name_key, generated; a sender's claim) are left out.
 * Blobs are the receiver's bytes, copied as bytes. */
static const struct {
	const char *name, *columns, *order;
	int has_id;
	const char *blob;   /* a column of bytes, or NULL */
} tables[STORECOPY_TABLES] = {
	{ "webhooks", "id, name, url, events, format, payload, secret, headers, enabled, verify_tls, timeout, "
	  "version, created_at, updated_at, failing_since, disabled_reason, rate_n, rate_ms, retry_schedule, "
	  "coalesce_ms, secret_previous, secret_previous_until, refs", "id", 1, NULL },
	{ "subscriptions", "event_type, webhook_id", "webhook_id, event_type", 0, NULL },
	{ "events", "id, uid, type, title, severity, time, data, created_at", "id", 1, NULL },
	{ "holds", "id, webhook_id, event_type, until_at, drop_new, created_at", "id", 1, NULL },
	{ "deliveries", "id, uid, event_id, webhook_id, state, is_test, attempts, next_attempt_at, last_status, "
	  "last_error, created_at, updated_at, step, first_attempt_at, waits, coalesce_key, coalesced", "id", 1,
	  NULL },
	{ "bodies", "delivery_id, body", "delivery_id", 0, NULL },
	{ "attempts", "id, delivery_id, started_at, duration_ms, status, error, request_headers, response_headers, "
	  "response_body, response_size", "id", 1, "response_body" },
	{ "audit", "id, uid, at, action, webhook, webhook_id, via, data, event_id", "id", 1, NULL },
};

const char *storecopy_table_name(int i)
{
	return i >= 0 && i < STORECOPY_TABLES ? tables[i].name : NULL;
}

/* The statements of one table: the read of src, the insert into dst. */
static int build(int t, struct sbuf *sel, struct sbuf *ins, int *ncols, int *blob)
{
	const char *c = tables[t].columns, *comma;
	int i = 0;

	*blob = -1;
	sbuf_appendf(sel, "SELECT %s FROM %s ORDER BY %s", tables[t].columns, tables[t].name, tables[t].order);
	sbuf_appendf(ins, "INSERT INTO %s(%s) VALUES (", tables[t].name, tables[t].columns);
	for (;;) {
		size_t len;

		comma = strchr(c, ',');
		len = comma ? (size_t)(comma - c) : strlen(c);
		if (tables[t].blob && len == strlen(tables[t].blob) && strncmp(c, tables[t].blob, len) == 0)
			*blob = i;
		sbuf_appendf(ins, "%s?%d", i ? ", " : "", i + 1);
		i++;
		if (!comma)
			break;
		c = comma + 2;
	}
	sbuf_append(ins, ")");
	*ncols = i;
	return sel->failed || ins->failed ? -1 : 0;
}

/* Bind column i of the src row to parameter i + 1 of the insert, as
 * what it is: NULL, a whole number, bytes, or text. */
static void carry(struct db_stmt *from, struct db_stmt *to, int i, int is_blob)
{
	if (db_column_null(from, i))
		db_bind_null(to, i + 1);
	else if (db_column_is_integer(from, i))
		db_bind_int64(to, i + 1, db_column_int64(from, i));
	else if (is_blob)
		db_bind_blob(to, i + 1, db_column_text(from, i), db_column_bytes(from, i));
	else
		db_bind_text(to, i + 1, db_column_text(from, i));
}

static int copy_table(struct store *src, struct store *dst, int t, long long *rows, char *err)
{
	struct sbuf sel, ins;
	struct db_stmt *from = NULL, *to = NULL;
	int ncols, blob, i, rc = -1, step;

	sbuf_init(&sel);
	sbuf_init(&ins);
	if (build(t, &sel, &ins, &ncols, &blob) < 0) {
		err_oom(err, "the copy");
		goto out;
	}
	from = store_sql_once(src, sbuf_text(&sel), err);
	to = from ? store_sql_once(dst, sbuf_text(&ins), err) : NULL;
	if (!to)
		goto out;
	*rows = 0;
	while ((step = db_step(from)) == DB_ROW) {
		for (i = 0; i < ncols; i++)
			carry(from, to, i, i == blob);
		if (db_step(to) != DB_DONE) {
			struct sbuf what;

			sbuf_init(&what);
			sbuf_appendf(&what, "cannot copy row %lld of %s (%s %lld)", *rows + 1, tables[t].name,
				     tables[t].order, db_column_int64(from, 0));
			store_sql_error(dst, what.failed ? "cannot copy a row" : sbuf_text(&what), err);
			sbuf_release(&what);
			goto out;
		}
		db_reset(to);
		(*rows)++;
	}
	if (step != DB_DONE) {
		store_sql_error(src, "cannot read the store to copy", err);
		goto out;
	}
	rc = 0;
out:
	store_sql_free(from);
	store_sql_free(to);
	sbuf_release(&sel);
	sbuf_release(&ins);
	return rc;
}

/* Whether dst holds anything a copy would merge with. */
static int empty(struct store *dst, char *err)
{
	struct db_stmt *s = store_sql(dst, "SELECT (SELECT count(*) FROM webhooks), (SELECT count(*) FROM events), "
				      "(SELECT count(*) FROM audit)", err);
	long long w = 0, e = 0, a = 0;
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	if (rc == DB_ROW) {
		w = db_column_int64(s, 0);
		e = db_column_int64(s, 1);
		a = db_column_int64(s, 2);
	}
	db_reset(s);
	if (rc != DB_ROW) {
		store_sql_error(dst, "cannot read the destination", err);
		return -1;
	}
	if (w || e || a) {
		err_setk(err, ERR_EXISTS, "the destination %s is not empty (%lld webhooks, %lld events, %lld audit "
			 "entries): a copy never merges; copy into a new store", store_path(dst), w, e, a);
		return -1;
	}
	return 0;
}

/* What was in flight at the source is nobody's here: sent again, as a
 * sender that stopped sends it again; a test send's client is gone. */
static int release_inflight(struct store *dst, char *err)
{
	struct db_stmt *s = store_sql(dst, "UPDATE deliveries SET state = CASE WHEN is_test = 0 THEN 'pending' "
				      "ELSE 'dead' END WHERE state = 'inflight'", err);
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(dst, "cannot copy the deliveries in flight", err);
		return -1;
	}
	return 0;
}

int storecopy_run(struct store *src, struct store *dst, struct storecopy_counts *n, char *err)
{
	long long high;
	int t;

	memset(n, 0, sizeof *n);
	if (store_begin_read(src, err) < 0)
		return -1;
	if (store_begin(dst, err) < 0) {
		store_end_read(src);
		return -1;
	}
	if (empty(dst, err) < 0)
		goto fail;
	for (t = 0; t < STORECOPY_TABLES; t++) {
		if (copy_table(src, dst, t, &n->rows[t], err) < 0)
			goto fail;
		if (tables[t].has_id && (store_id_high(src, tables[t].name, &high, err) < 0 ||
					 store_id_raise(dst, tables[t].name, high, err) < 0))
			goto fail;
	}
	if (release_inflight(dst, err) < 0)
		goto fail;
	store_end_read(src);
	return store_commit(dst, err);
fail:
	store_rollback(dst);
	store_end_read(src);
	memset(n, 0, sizeof *n);
	return -1;
}
