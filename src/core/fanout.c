#include "fanout.h"

#include <stdlib.h>
#include <string.h>

#include "coalesce.h"
#include "randid.h"
#include "template.h"

char *fanout_render(const char *payload, enum format f, const struct event *ev, char *err)
{
	return format_render(payload, f, ev, err);
}

static long long insert_event(struct store *st, const struct event *ev, long long now, char *err)
{
	/* RETURNING: on PostgreSQL the id would otherwise cost a round trip
	 * of its own (store_last_id), for every event fired. */
	struct db_stmt *stmt = store_sql(st,
		"INSERT INTO events(uid, type, title, severity, time, data, created_at) VALUES (?,?,?,?,?,?,?) "
		"RETURNING id", err);
	long long id = -1;

	if (!stmt)
		return -1;
	db_bind_text(stmt, 1, ev->uid);
	db_bind_text(stmt, 2, ev->type);
	db_bind_text(stmt, 3, ev->title);
	db_bind_text(stmt, 4, ev->severity);
	db_bind_text(stmt, 5, ev->time);
	db_bind_text(stmt, 6, ev->data_text);
	db_bind_int64(stmt, 7, now);
	if (db_step(stmt) == DB_ROW)
		id = db_column_int64(stmt, 0);
	else
		store_sql_error(st, "cannot record the event", err);
	db_reset(stmt);
	return id;
}

/* $Title and $Event differ only by format (each format escapes both for
 * its destination), so each format is rendered once. */
struct formatted {
	char *title[3], *text[3];
};

static int formatted_get(struct formatted *fm, enum format f, const struct event *ev, char *err)
{
	if (!fm->title[f] && !(fm->title[f] = format_title(ev, f, err)))
		return -1;
	if (!fm->text[f] && !(fm->text[f] = format_event(ev, f, err)))
		return -1;
	return 0;
}

int fanout_fire_in_tx(struct store *st, const struct event *ev, struct fanout_result *res, char *err)
{
	struct db_stmt *subs = NULL, *ins = NULL, *bod = NULL;
	struct formatted fm = { { NULL, NULL, NULL }, { NULL, NULL, NULL } };
	long long now = store_now_ms();
	char uid[RANDID_MAX];
	int rc = -1, step, i;
	size_t count = 0, ndropped = 0, ncoalesced = 0;

	res->event_id = insert_event(st, ev, now, err);
	if (res->event_id < 0)
		return -1;
	/* A webhook or event type held with drop (holds.h) gets its delivery
	 * recorded as dropped, body and all, so that it can be sent later. */
	subs = store_sql(st,
		"SELECT w.id, w.format, w.payload, EXISTS (SELECT 1 FROM holds h WHERE h.drop_new <> 0 "
		"AND (h.until_at IS NULL OR h.until_at > ?2) AND (h.webhook_id = w.id OR h.event_type = ?1)), "
		"w.coalesce_ms "
		"FROM subscriptions s JOIN webhooks w ON w.id = s.webhook_id "
		"WHERE s.event_type = ?1 AND w.enabled <> 0 ORDER BY w.id", err);
	ins = subs ? store_sql(st,
		"INSERT INTO deliveries(uid, event_id, webhook_id, next_attempt_at, created_at, updated_at, "
		"state, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", err) : NULL;
	bod = ins ? store_sql(st, "INSERT INTO bodies(delivery_id, body) VALUES (last_insert_rowid(), ?)", err) : NULL;
	if (!bod)
		goto done;
	db_bind_text(subs, 1, ev->type);
	db_bind_int64(subs, 2, now);
	while ((step = db_step(subs)) == DB_ROW) {
		int dropped = db_column_int(subs, 3);
		const char *payload = db_column_text(subs, 2);
		const char *fname = db_column_text(subs, 1);
		enum format f = FORMAT_DEFAULT;
		char *body;

		format_parse(fname ? fname : "default", &f, NULL);
		if (!dropped && db_column_int64(subs, 4) > 0) {
			struct coalesce_target t = { db_column_int64(subs, 0), payload, f,
						     db_column_int64(subs, 4) };
			int joined;

			if (coalesce_fire(st, ev, res->event_id, &t, now, &joined, err) < 0)
				goto done;
			if (joined)
				ncoalesced++;
			else
				count++;
			continue;
		}
		if (formatted_get(&fm, f, ev, err) < 0)
			goto done;
		body = template_render(payload, strlen(payload), fm.title[f], fm.text[f], err);
		if (!body) {
			err_prefix(err, "webhook %lld has a bad payload", (long long)db_column_int64(subs, 0));
			goto done;
		}
		if (randid_make(uid, "msg", err) < 0) {
			free(body);
			goto done;
		}
		db_reset(ins);
		db_reset(bod);
		db_bind_text_copy(ins, 1, uid);
		db_bind_int64(ins, 2, res->event_id);
		db_bind_int64(ins, 3, db_column_int64(subs, 0));
		db_bind_int64(ins, 4, now);
		db_bind_int64(ins, 5, now);
		db_bind_int64(ins, 6, now);
		db_bind_text(ins, 7, dropped ? "dropped" : "pending");
		db_bind_text(ins, 8, dropped ? FANOUT_DROPPED_WHY : NULL);
		db_bind_text_own(bod, 1, body);
		if (db_step(ins) != DB_DONE || db_step(bod) != DB_DONE) {
			store_sql_error(st, "cannot queue a delivery", err);
			goto done;
		}
		if (dropped)
			ndropped++;
		else
			count++;
	}
	if (step != DB_DONE) {
		store_sql_error(st, "cannot find the subscribed webhooks", err);
		goto done;
	}
	res->deliveries = count;
	res->dropped = ndropped;
	res->coalesced = ncoalesced;
	rc = 0;
done:
	db_reset(subs);
	db_reset(ins);
	db_reset(bod);
	for (i = 0; i < 3; i++) {
		free(fm.title[i]);
		free(fm.text[i]);
	}
	return rc;
}

int fanout_subscribers(struct store *st, const char *type, long long *n, char *err)
{
	struct db_stmt *s = store_sql(st, "SELECT count(*) FROM subscriptions s JOIN webhooks w ON w.id = s.webhook_id "
				     "WHERE s.event_type = ? AND w.enabled <> 0", err);
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, type);
	rc = db_step(s);
	*n = rc == DB_ROW ? db_column_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW) {
		store_sql_error(st, "cannot count the subscribed webhooks", err);
		return -1;
	}
	return 0;
}

int fanout_fire(struct store *st, const struct event *ev, struct fanout_result *res, char *err)
{
	if (store_begin(st, err) < 0)
		return -1;
	if (fanout_fire_in_tx(st, ev, res, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

int fanout_test(struct store *st, const struct webhook *wh, const struct event *ev,
		long long *delivery, char *err)
{
	struct db_stmt *ins, *bod;
	long long now = store_now_ms(), event_id;
	char uid[RANDID_MAX], *body;

	body = fanout_render(wh->payload, wh->format, ev, err);
	if (!body)
		return -1;
	if (randid_make(uid, "msg", err) < 0 || store_begin(st, err) < 0) {
		free(body);
		return -1;
	}
	event_id = insert_event(st, ev, now, err);
	ins = event_id < 0 ? NULL : store_sql(st,
		"INSERT INTO deliveries(uid, event_id, webhook_id, state, is_test, next_attempt_at, "
		"created_at, updated_at) VALUES (?, ?, ?, 'inflight', 1, ?, ?, ?)", err);
	bod = ins ? store_sql(st, "INSERT INTO bodies(delivery_id, body) VALUES (last_insert_rowid(), ?)", err) : NULL;
	if (!bod) {
		free(body);
		store_rollback(st);
		return -1;
	}
	db_bind_text_copy(ins, 1, uid);
	db_bind_int64(ins, 2, event_id);
	db_bind_int64(ins, 3, wh->id);
	db_bind_int64(ins, 4, now);
	db_bind_int64(ins, 5, now);
	db_bind_int64(ins, 6, now);
	db_bind_text_own(bod, 1, body);
	body = NULL;
	if (db_step(ins) != DB_DONE || (*delivery = store_last_id(st),
						  db_step(bod) != DB_DONE)) {
		db_reset(ins);
		db_reset(bod);
		store_sql_error(st, "cannot record the test", err);
		store_rollback(st);
		return -1;
	}
	db_reset(ins);
	db_reset(bod);
	return store_commit(st, err);
}
