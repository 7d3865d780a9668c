#include "history.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *col_json(struct db_stmt *s, int i)
{
	const char *t;
	json_t *j;

	if (db_column_null(s, i))
		return json_null();
	if (db_column_is_integer(s, i))
		return json_integer(db_column_int64(s, i));
	t = db_column_text(s, i);
	j = json_stringn(t, db_column_bytes(s, i));
	/* A receiver's body need not be UTF-8; show it, do not fail. */
	return j ? j : json_string("(not UTF-8 text)");
}

/* Why a delivery waiting to be sent is not: its webhook is disabled (and
 * why, when the sender or an operator said), or a hold is on its webhook
 * or its event type (holds.h); then what lifts it ("held_by": disabled or
 * hold). NULL when it is not held. ?9 is now in ms, bound by the caller
 * (the same text then serves engines whose clocks are called apart). */
#define WAITING "d.state IN ('pending', 'failed') AND d.is_test = 0"
#define HOLD_ON(target) \
	"EXISTS (SELECT 1 FROM holds h WHERE " target " AND (h.until_at IS NULL OR " \
	"h.until_at > ?9))"
#define HELD_COLUMN \
	"CASE WHEN " WAITING " THEN CASE WHEN w.enabled = 0 " \
	"THEN 'webhook disabled' || coalesce(': ' || w.disabled_reason, '') " \
	"WHEN " HOLD_ON("h.webhook_id = d.webhook_id") " THEN 'a hold on the webhook' " \
	"WHEN " HOLD_ON("h.event_type = e.type") " THEN 'a hold on event type ' || e.type " \
	"END END, CASE WHEN " WAITING " THEN CASE WHEN w.enabled = 0 THEN 'disabled' " \
	"WHEN " HOLD_ON("(h.webhook_id = d.webhook_id OR h.event_type = e.type)") " THEN 'hold' END END"

static int check_state(const char *state, char *err)
{
	static const char *const ok[] = { "pending", "inflight", "failed", "dead", "delivered", "dropped", NULL };
	size_t i;

	for (i = 0; ok[i]; i++)
		if (strcmp(state, ok[i]) == 0)
			return 0;
	err_setk(err, ERR_INVALID, "unknown state \"%s\" (choose pending, inflight, failed, dead, delivered or dropped)", state);
	return -1;
}

/* The listing's query for the filters given. One statement per
 * combination, not "(?1 = 0 OR d.webhook_id = ?1)": SQLite plans a
 * statement once, and a filter that may be absent can use no index, so
 * every filtered listing read the whole table newest first (seconds at a
 * million deliveries when the state is rare). Each of these walks one
 * index backwards and stops at the limit: the rowid, deliveries_webhook,
 * deliveries_state, deliveries_webhook_state (schema.c, v5). The
 * parameters keep their numbers in all four; an unused one binds to
 * nothing. */
#define LIST_SQL(where) \
	"SELECT d.id, d.uid, w.name, e.uid, e.type, d.state, d.attempts, d.last_status, d.last_error, " \
	"d.created_at, d.updated_at, d.next_attempt_at, d.is_test, " HELD_COLUMN " " \
	"FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN events e ON e.id = d.event_id " \
	where " ORDER BY d.id DESC LIMIT ?3"

static const char *list_sql(int by_webhook, int by_state)
{
	static const char all[] = LIST_SQL("");
	static const char webhook[] = LIST_SQL("WHERE d.webhook_id = ?1");
	static const char state[] = LIST_SQL("WHERE d.state = ?2");
	static const char both[] = LIST_SQL("WHERE d.webhook_id = ?1 AND d.state = ?2");

	if (by_webhook)
		return by_state ? both : webhook;
	return by_state ? state : all;
}

int history_list(struct store *st, const char *webhook, const char *state, long limit,
		 json_t **out, char *err)
{
	static const char *const names[] = { "id", "uid", "webhook", "event", "type", "state", "attempts",
					     "last_status", "last_error", "created_at", "updated_at",
					     "next_attempt_at", "test" };
	struct db_stmt *s;
	struct webhook wh;
	long long wid = 0;
	int rc, i;

	*out = NULL;
	if (state && check_state(state, err) < 0)
		return -1;
	if (webhook) {
		if (store_webhook_get(st, webhook, &wh, err) < 0)
			return -1;
		wid = wh.id;
		webhook_clear(&wh);
	}
	s = store_sql(st, list_sql(wid != 0, state != NULL), err);
	if (!s)
		return -1;
	db_bind_int64(s, 1, wid);
	if (state)
		db_bind_text(s, 2, state);
	db_bind_int64(s, 3, limit > 0 ? limit : LLONG_MAX);
	db_bind_int64(s, 9, store_now_ms());
	*out = json_array();
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *row = json_object();

		for (i = 0; i < 13; i++)
			json_object_set_new(row, names[i], col_json(s, i));
		json_object_set_new(row, "test", json_boolean(db_column_int(s, 12)));
		if (!db_column_null(s, 13)) {
			json_object_set_new(row, "held", col_json(s, 13));
			json_object_set_new(row, "held_by", col_json(s, 14));
		}
		json_array_append_new(*out, row);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		json_decref(*out);
		*out = NULL;
		store_sql_error(st, "cannot list deliveries", err);
		return -1;
	}
	return 0;
}

/* Per webhook, its deliveries_webhook range walked newest first to the
 * first that is no test: a few rows each. max(id) ... GROUP BY webhook_id
 * read every delivery (2 s at a million, on each reload of the list). */
int history_latest(struct store *st, json_t **out, char *err)
{
	struct db_stmt *s = store_sql(st,
		"SELECT d.webhook_id, d.state, d.last_status, d.attempts, d.updated_at FROM deliveries d "
		"WHERE d.id IN (SELECT (SELECT x.id FROM deliveries x WHERE x.webhook_id = w.id AND x.is_test = 0 "
		"ORDER BY x.id DESC LIMIT 1) FROM webhooks w)", err);
	char key[32];
	int rc = DB_DONE;

	*out = NULL;
	if (!s)
		return -1;
	*out = json_object();
	while (*out && (rc = db_step(s)) == DB_ROW) {
		snprintf(key, sizeof key, "%lld", (long long)db_column_int64(s, 0));
		json_object_set_new(*out, key, json_pack("{s:s, s:i, s:i, s:I}", "state",
							 db_column_text(s, 1),
							 "status", db_column_int(s, 2), "attempts",
							 db_column_int(s, 3), "at",
							 (json_int_t)db_column_int64(s, 4)));
	}
	db_reset(s);
	if (!*out) {
		err_oom(err, "the latest deliveries");
		return -1;
	}
	if (rc != DB_DONE) {
		json_decref(*out);
		*out = NULL;
		store_sql_error(st, "cannot read the latest deliveries", err);
		return -1;
	}
	return 0;
}

int history_lookup(struct store *st, const char *sql, const char *what, const char *id, long long *row,
		   char *err)
{
	struct db_stmt *s = store_sql(st, sql, err);
	char *end;
	long long n = strtoll(id, &end, 10);
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, id);
	db_bind_int64(s, 2, *end == '\0' && end != id ? n : -1);
	rc = db_step(s);
	if (rc == DB_ROW)
		*row = db_column_int64(s, 0);
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		store_sql_error(st, what, err);
		return -1;
	}
	return rc == DB_ROW;
}

int history_resolve(struct store *st, const char *id, long long *row, char *err)
{
	int rc = history_lookup(st, "SELECT id FROM deliveries WHERE uid = ?1 OR id = ?2", "cannot find the delivery",
				id, row, err);

	if (rc == 0)
		err_setk(err, ERR_NOT_FOUND, "no delivery \"%s\" (give its number or its msg_ id, see 'hookman deliveries')", id);
	return rc > 0 ? 0 : -1;
}

int history_get(struct store *st, const char *id, json_t **out, char *err)
{
	static const char *const dnames[] = { "id", "uid", "webhook", "event", "type", "title", "state",
					      "attempts", "last_status", "last_error", "created_at",
					      "updated_at", "next_attempt_at", "body", "test" };
	static const char *const anames[] = { "started_at", "duration_ms", "status", "error",
					      "request_headers", "response_headers", "response_body",
					      "response_size" };
	struct db_stmt *s;
	long long row;
	json_t *attempts;
	int rc, i;

	*out = NULL;
	if (history_resolve(st, id, &row, err) < 0)
		return -1;
	s = store_sql(st,
		"SELECT d.id, d.uid, w.name, e.uid, e.type, e.title, d.state, d.attempts, d.last_status, "
		"d.last_error, d.created_at, d.updated_at, d.next_attempt_at, b.body, d.is_test, " HELD_COLUMN " "
		"FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN events e ON e.id = d.event_id "
		"JOIN bodies b ON b.delivery_id = d.id WHERE d.id = ?1", err);
	if (!s)
		return -1;
	db_bind_int64(s, 1, row);
	db_bind_int64(s, 9, store_now_ms());
	if (db_step(s) != DB_ROW) {
		db_reset(s);
		store_sql_error(st, "cannot read the delivery", err);
		return -1;
	}
	*out = json_object();
	for (i = 0; i < 15; i++)
		json_object_set_new(*out, dnames[i], col_json(s, i));
	json_object_set_new(*out, "test", json_boolean(db_column_int(s, 14)));
	if (!db_column_null(s, 15)) {
		json_object_set_new(*out, "held", col_json(s, 15));
		json_object_set_new(*out, "held_by", col_json(s, 16));
	}
	db_reset(s);
	/* The receiver's bytes as text: SQLite casts its blob, PostgreSQL's
	 * bytea reads as its bytes (pgsql.h). */
	s = store_sql_dialect(st,
		"SELECT started_at, duration_ms, status, error, request_headers, response_headers, "
		"CAST(response_body AS TEXT), response_size FROM attempts WHERE delivery_id = ? ORDER BY id",
		"SELECT started_at, duration_ms, status, error, request_headers, response_headers, "
		"response_body, response_size FROM attempts WHERE delivery_id = ? ORDER BY id", err);
	if (!s) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	db_bind_int64(s, 1, row);
	attempts = json_array();
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *a = json_object();

		for (i = 0; i < 8; i++)
			json_object_set_new(a, anames[i], col_json(s, i));
		json_array_append_new(attempts, a);
	}
	db_reset(s);
	json_object_set_new(*out, "attempt_log", attempts);
	if (rc != DB_DONE) {
		json_decref(*out);
		*out = NULL;
		store_sql_error(st, "cannot read the attempts", err);
		return -1;
	}
	return 0;
}

int history_requeue_in_tx(struct store *st, long long row, const char *id, char *err)
{
	struct db_stmt *s = store_sql(st,
		"UPDATE deliveries SET state = 'pending', next_attempt_at = ?2, step = 0, first_attempt_at = NULL, waits = 0, updated_at = ?2 "
		"WHERE id = ?1 AND state IN ('delivered', 'failed', 'dead', 'dropped') AND is_test = 0", err);
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, row);
	db_bind_int64(s, 2, store_now_ms());
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot queue the delivery again", err);
		return -1;
	}
	if (store_changes(st) == 0) {
		err_setk(err, ERR_INVALID, "delivery %s is a test or is already queued (pending or in flight); nothing to do", id);
		return -1;
	}
	return 0;
}

int history_redeliver(struct store *st, const char *id, char *err)
{
	long long row;

	if (store_begin(st, err) < 0)
		return -1;
	if (history_resolve(st, id, &row, err) < 0 || history_requeue_in_tx(st, row, id, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

int history_redeliver_bulk(struct store *st, const char *webhook, const char *state,
			   long long since_ms, long long *n, char *err)
{
	struct db_stmt *s;
	struct webhook wh;
	int rc;

	if (strcmp(state, "dead") != 0 && strcmp(state, "failed") != 0 && strcmp(state, "dropped") != 0) {
		err_setk(err, ERR_INVALID, "bulk redelivery takes --state dead, failed or dropped, not \"%s\"", state);
		return -1;
	}
	if (store_begin(st, err) < 0)
		return -1;
	if (store_webhook_get(st, webhook, &wh, err) < 0) {
		webhook_clear(&wh);
		goto fail;
	}
	s = store_sql(st,
		"UPDATE deliveries SET state = 'pending', next_attempt_at = ?3, step = 0, first_attempt_at = NULL, waits = 0, updated_at = ?3 "
		"WHERE webhook_id = ?1 AND state = ?2 AND created_at >= ?4 AND is_test = 0", err);
	if (!s) {
		webhook_clear(&wh);
		goto fail;
	}
	db_bind_int64(s, 1, wh.id);
	db_bind_text(s, 2, state);
	db_bind_int64(s, 3, store_now_ms());
	db_bind_int64(s, 4, since_ms);
	webhook_clear(&wh);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot queue the deliveries again", err);
		goto fail;
	}
	*n = store_changes(st);
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}
