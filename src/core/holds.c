#include "holds.h"

#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "timefmt.h"
#include "webhook.h"

/* A hold is in force until its time (none: until released). */
#define IN_FORCE "(until_at IS NULL OR until_at > ?1)"

/* The webhook's row id, or for an event type 0. */
static int target_webhook_id(struct store *st, const struct hold_target *t, long long *id, char *err)
{
	struct webhook wh;
	int rc;

	*id = 0;
	if (!t->webhook)
		return 0;
	rc = store_webhook_get(st, t->webhook, &wh, err);
	if (rc == 0)
		*id = wh.id;
	webhook_clear(&wh);
	return rc;
}

static void bind_target(struct db_stmt *s, int at, const struct hold_target *t, long long webhook_id)
{
	if (t->webhook)
		db_bind_int64(s, at, webhook_id);
	else
		db_bind_text(s, at, t->event_type);
}

/* How many of the target's deliveries are in `states` (an SQL list), and
 * for dropped ones since `since` (0: any time). Tests are never held. */
static int count_target(struct store *st, const struct hold_target *t, long long webhook_id, int dropped,
			long long since, long long *n, char *err)
{
	struct db_stmt *s = store_sql(st, t->webhook ?
		(dropped ? "SELECT count(*) FROM deliveries WHERE webhook_id = ?1 AND state = 'dropped' "
			   "AND updated_at >= ?2 AND is_test = 0" :
			   "SELECT count(*) FROM deliveries WHERE webhook_id = ?1 AND state IN ('pending', 'failed') "
			   "AND is_test = 0") :
		(dropped ? "SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id "
			   "WHERE e.type = ?1 AND d.state = 'dropped' AND d.updated_at >= ?2 AND d.is_test = 0" :
			   "SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id "
			   "WHERE e.type = ?1 AND d.state IN ('pending', 'failed') AND d.is_test = 0"), err);
	int rc;

	if (!s)
		return -1;
	bind_target(s, 1, t, webhook_id);
	if (dropped)
		db_bind_int64(s, 2, since);
	rc = db_step(s);
	*n = rc == DB_ROW ? db_column_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW) {
		store_sql_error(st, "cannot count the held deliveries", err);
		return -1;
	}
	return 0;
}

/* Holds whose time is up are of no use to anyone: removed on the way. */
static int remove_ended(struct store *st, long long now, char *err)
{
	struct db_stmt *s = store_sql(st, "DELETE FROM holds WHERE until_at IS NOT NULL AND until_at <= ?1", err);

	if (s)
		db_bind_int64(s, 1, now);
	return store_run(st, s, "cannot remove the holds that ended", err);
}

/* A hold set (until_ms: its end, 0 until released) or ended (until_ms
 * -1) is in the audit record (store_note): a hold on audit.delete would
 * otherwise silence the record's own events without a trace. */
static int note_hold(struct store *st, const struct hold_target *t, long long wid, long long until_ms, int drop,
		     char *err)
{
	struct sbuf phrase;
	char until[32];
	int rc;

	sbuf_init(&phrase);
	sbuf_append(&phrase, until_ms < 0 ? "released the hold on " : "held ");
	if (t->webhook)
		sbuf_appendf(&phrase, "webhook \"%s\"", t->webhook);
	else
		sbuf_appendf(&phrase, "event type %s", t->event_type);
	if (until_ms > 0) {
		timefmt_utc(until_ms, TIMEFMT_FULL, until, sizeof until);
		sbuf_appendf(&phrase, " until %s UTC", until);
	} else if (until_ms == 0) {
		sbuf_append(&phrase, " until released");
	}
	if (drop)
		sbuf_append(&phrase, ", dropping new deliveries");
	if (phrase.failed) {
		sbuf_release(&phrase);
		err_setk(err, ERR_NOMEM, "out of memory noting the hold");
		return -1;
	}
	rc = store_note(st, "update", t->webhook, t->webhook ? wid : 0, sbuf_text(&phrase), err);
	sbuf_release(&phrase);
	return rc;
}

int holds_set(struct store *st, const struct hold_target *t, long long now, long long until_ms, int drop,
	      struct hold_set_result *r, char *err)
{
	struct db_stmt *s;
	long long wid;
	int rc;

	memset(r, 0, sizeof *r);
	if (store_begin(st, err) < 0)
		return -1;
	if (target_webhook_id(st, t, &wid, err) < 0 || remove_ended(st, now, err) < 0)
		goto fail;
	s = store_sql(st, t->webhook ? "SELECT until_at, drop_new FROM holds WHERE webhook_id = ?1" :
		       "SELECT until_at, drop_new FROM holds WHERE event_type = ?1", err);
	if (!s)
		goto fail;
	bind_target(s, 1, t, wid);
	rc = db_step(s);
	if (rc == DB_ROW) {
		r->replaced = 1;
		r->was_until = db_column_int64(s, 0);
		r->was_drop = db_column_int(s, 1);
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		store_sql_error(st, "cannot read the hold", err);
		goto fail;
	}
	s = store_sql(st, t->webhook ? "DELETE FROM holds WHERE webhook_id = ?1" :
		       "DELETE FROM holds WHERE event_type = ?1", err);
	if (s)
		bind_target(s, 1, t, wid);
	if (store_run(st, s, "cannot replace the hold", err) < 0)
		goto fail;
	s = store_sql(st, "INSERT INTO holds(webhook_id, event_type, until_at, drop_new, created_at) "
		       "VALUES (?1, ?2, ?3, ?4, ?5)", err);
	if (s) {
		if (t->webhook)
			db_bind_int64(s, 1, wid);
		else
			db_bind_text(s, 2, t->event_type);
		if (until_ms > 0)
			db_bind_int64(s, 3, until_ms);
		db_bind_int64(s, 4, drop != 0);
		db_bind_int64(s, 5, now);
	}
	if (store_run(st, s, "cannot record the hold", err) < 0 || count_target(st, t, wid, 0, 0, &r->queued, err) < 0 ||
	    note_hold(st, t, wid, until_ms, drop, err) < 0)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}

int holds_release(struct store *st, const struct hold_target *t, long long now, long long *queued,
		  long long *dropped, char *err)
{
	struct db_stmt *s;
	long long wid, since;
	int rc, drop;

	if (store_begin(st, err) < 0)
		return -1;
	if (target_webhook_id(st, t, &wid, err) < 0)
		goto fail;
	s = store_sql(st, t->webhook ? "SELECT created_at, drop_new FROM holds WHERE webhook_id = ?2 AND " IN_FORCE :
		       "SELECT created_at, drop_new FROM holds WHERE event_type = ?2 AND " IN_FORCE, err);
	if (!s)
		goto fail;
	db_bind_int64(s, 1, now);
	bind_target(s, 2, t, wid);
	rc = db_step(s);
	since = rc == DB_ROW ? db_column_int64(s, 0) : 0;
	drop = rc == DB_ROW && db_column_int(s, 1);
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		store_sql_error(st, "cannot read the hold", err);
		goto fail;
	}
	if (rc == DB_DONE) {
		if (t->webhook)
			err_setk(err, ERR_NOT_FOUND, "webhook \"%s\" is not held (see 'hookman hold')", t->webhook);
		else
			err_setk(err, ERR_NOT_FOUND, "event type %s is not held (see 'hookman hold')", t->event_type);
		goto fail;
	}
	s = store_sql(st, t->webhook ? "DELETE FROM holds WHERE webhook_id = ?1" :
		       "DELETE FROM holds WHERE event_type = ?1", err);
	if (s)
		bind_target(s, 1, t, wid);
	*dropped = 0;
	if (store_run(st, s, "cannot end the hold", err) < 0 || remove_ended(st, now, err) < 0 ||
	    count_target(st, t, wid, 0, 0, queued, err) < 0 ||
	    (drop && count_target(st, t, wid, 1, since, dropped, err) < 0) ||
	    note_hold(st, t, wid, -1, 0, err) < 0)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}

int holds_list(struct store *st, long long now, json_t **out, char *err)
{
	struct db_stmt *s = store_sql(st,
		"SELECT w.name, h.event_type, h.until_at, h.drop_new, h.created_at, "
		"  CASE WHEN h.webhook_id IS NOT NULL THEN "
		"    (SELECT count(*) FROM deliveries d WHERE d.webhook_id = h.webhook_id "
		"     AND d.state IN ('pending', 'failed') AND d.is_test = 0) "
		"  ELSE (SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id "
		"     WHERE e.type = h.event_type AND d.state IN ('pending', 'failed') AND d.is_test = 0) END "
		"FROM holds h LEFT JOIN webhooks w ON w.id = h.webhook_id "
		"WHERE " IN_FORCE " ORDER BY h.created_at DESC, h.id DESC", err);
	json_t *list;
	int rc;

	*out = NULL;
	if (!s)
		return -1;
	list = json_array();
	db_bind_int64(s, 1, now);
	while (list && (rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();

		if (!o || json_array_append_new(list, o) < 0) {
			json_decref(list);
			list = NULL;
			break;
		}
		if (!db_column_null(s, 0))
			json_object_set_new(o, "webhook", json_string(db_column_text(s, 0)));
		else
			json_object_set_new(o, "event", json_string(db_column_text(s, 1)));
		json_object_set_new(o, "until", db_column_null(s, 2) ? json_null() :
				    json_integer(db_column_int64(s, 2)));
		json_object_set_new(o, "drop", json_boolean(db_column_int(s, 3)));
		json_object_set_new(o, "since", json_integer(db_column_int64(s, 4)));
		json_object_set_new(o, "queued", json_integer(db_column_int64(s, 5)));
	}
	db_reset(s);
	if (!list) {
		err_oom(err, "holds");
		return -1;
	}
	if (rc != DB_DONE) {
		json_decref(list);
		store_sql_error(st, "cannot list the holds", err);
		return -1;
	}
	*out = list;
	return 0;
}

static int id_order(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int holds_active_read(struct store *st, long long now, struct holds_active *a, char *err)
{
	struct db_stmt *s = store_sql(st, "SELECT webhook_id, event_type, until_at FROM holds WHERE " IN_FORCE, err);
	json_t *types = json_array();
	size_t cap = 0;
	int rc = DB_DONE;

	memset(a, 0, sizeof *a);
	a->ends_at = -1;
	if (!s || !types) {
		json_decref(types);
		return s ? (err_oom(err, "holds"), -1) : -1;
	}
	db_bind_int64(s, 1, now);
	while ((rc = db_step(s)) == DB_ROW) {
		if (!db_column_null(s, 2) &&
		    (a->ends_at < 0 || db_column_int64(s, 2) < a->ends_at))
			a->ends_at = db_column_int64(s, 2);
		if (db_column_null(s, 0)) {
			if (json_array_append_new(types, json_string(db_column_text(s, 1))) < 0)
				break;
			continue;
		}
		if (a->nwebhooks == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			long long *grown = realloc(a->webhooks, ncap * sizeof *grown);

			if (!grown)
				break;
			a->webhooks = grown;
			cap = ncap;
		}
		a->webhooks[a->nwebhooks++] = db_column_int64(s, 0);
	}
	db_reset(s);
	if (rc == DB_ROW || (rc == DB_DONE && !(a->event_types = json_dumps(types, JSON_COMPACT)))) {
		json_decref(types);
		holds_active_clear(a);
		err_oom(err, "holds");
		return -1;
	}
	json_decref(types);
	if (rc != DB_DONE) {
		holds_active_clear(a);
		store_sql_error(st, "cannot read the holds", err);
		return -1;
	}
	if (a->nwebhooks > 1)
		qsort(a->webhooks, a->nwebhooks, sizeof *a->webhooks, id_order);
	return 0;
}

void holds_active_clear(struct holds_active *a)
{
	free(a->webhooks);
	free(a->event_types);
	memset(a, 0, sizeof *a);
	a->ends_at = -1;
}

int holds_active_webhook(const struct holds_active *a, long long webhook_id)
{
	return a->nwebhooks > 0 &&
	       bsearch(&webhook_id, a->webhooks, a->nwebhooks, sizeof *a->webhooks, id_order) != NULL;
}
