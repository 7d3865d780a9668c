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
	sqlite3_stmt *stmt = store_stmt(st,
		"INSERT INTO events(uid, type, title, severity, time, data, created_at) VALUES (?,?,?,?,?,?,?)",
		err);
	long long id = -1;

	if (!stmt)
		return -1;
	sqlite3_bind_text(stmt, 1, ev->uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, ev->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, ev->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, ev->severity, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, ev->time, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, ev->data_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 7, now);
	if (sqlite3_step(stmt) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(store_db(st));
	else
		store_sql_error(st, "cannot record the event", err);
	sqlite3_reset(stmt);
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
	sqlite3_stmt *subs = NULL, *ins = NULL, *bod = NULL;
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
	subs = store_stmt(st,
		"SELECT w.id, w.format, w.payload, EXISTS (SELECT 1 FROM holds h WHERE h.drop_new "
		"AND (h.until_at IS NULL OR h.until_at > ?2) AND (h.webhook_id = w.id OR h.event_type = ?1)), "
		"w.coalesce_ms "
		"FROM subscriptions s JOIN webhooks w ON w.id = s.webhook_id "
		"WHERE s.event_type = ?1 AND w.enabled ORDER BY w.id", err);
	ins = subs ? store_stmt(st,
		"INSERT INTO deliveries(uid, event_id, webhook_id, next_attempt_at, created_at, updated_at, "
		"state, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", err) : NULL;
	bod = ins ? store_stmt(st, "INSERT INTO bodies(delivery_id, body) VALUES (last_insert_rowid(), ?)", err) : NULL;
	if (!bod)
		goto done;
	sqlite3_bind_text(subs, 1, ev->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(subs, 2, now);
	while ((step = sqlite3_step(subs)) == SQLITE_ROW) {
		int dropped = sqlite3_column_int(subs, 3);
		const char *payload = (const char *)sqlite3_column_text(subs, 2);
		const char *fname = (const char *)sqlite3_column_text(subs, 1);
		enum format f = FORMAT_DEFAULT;
		char *body;

		format_parse(fname ? fname : "default", &f, NULL);
		if (!dropped && sqlite3_column_int64(subs, 4) > 0) {
			struct coalesce_target t = { sqlite3_column_int64(subs, 0), payload, f,
						     sqlite3_column_int64(subs, 4) };
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
			err_prefix(err, "webhook %lld has a bad payload", (long long)sqlite3_column_int64(subs, 0));
			goto done;
		}
		if (randid_make(uid, "msg", err) < 0) {
			free(body);
			goto done;
		}
		sqlite3_reset(ins);
		sqlite3_reset(bod);
		sqlite3_bind_text(ins, 1, uid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 2, res->event_id);
		sqlite3_bind_int64(ins, 3, sqlite3_column_int64(subs, 0));
		sqlite3_bind_int64(ins, 4, now);
		sqlite3_bind_int64(ins, 5, now);
		sqlite3_bind_int64(ins, 6, now);
		sqlite3_bind_text(ins, 7, dropped ? "dropped" : "pending", -1, SQLITE_STATIC);
		if (dropped)
			sqlite3_bind_text(ins, 8, FANOUT_DROPPED_WHY, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, 8);
		sqlite3_bind_text(bod, 1, body, -1, free);
		if (sqlite3_step(ins) != SQLITE_DONE || sqlite3_step(bod) != SQLITE_DONE) {
			store_sql_error(st, "cannot queue a delivery", err);
			goto done;
		}
		if (dropped)
			ndropped++;
		else
			count++;
	}
	if (step != SQLITE_DONE) {
		store_sql_error(st, "cannot find the subscribed webhooks", err);
		goto done;
	}
	res->deliveries = count;
	res->dropped = ndropped;
	res->coalesced = ncoalesced;
	rc = 0;
done:
	sqlite3_reset(subs);
	sqlite3_reset(ins);
	sqlite3_reset(bod);
	for (i = 0; i < 3; i++) {
		free(fm.title[i]);
		free(fm.text[i]);
	}
	return rc;
}

int fanout_subscribers(struct store *st, const char *type, long long *n, char *err)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM subscriptions s JOIN webhooks w ON w.id = s.webhook_id "
				     "WHERE s.event_type = ? AND w.enabled", err);
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
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
	sqlite3_stmt *ins, *bod;
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
	ins = event_id < 0 ? NULL : store_stmt(st,
		"INSERT INTO deliveries(uid, event_id, webhook_id, state, is_test, next_attempt_at, "
		"created_at, updated_at) VALUES (?, ?, ?, 'inflight', 1, ?, ?, ?)", err);
	bod = ins ? store_stmt(st, "INSERT INTO bodies(delivery_id, body) VALUES (last_insert_rowid(), ?)", err) : NULL;
	if (!bod) {
		free(body);
		store_rollback(st);
		return -1;
	}
	sqlite3_bind_text(ins, 1, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 2, event_id);
	sqlite3_bind_int64(ins, 3, wh->id);
	sqlite3_bind_int64(ins, 4, now);
	sqlite3_bind_int64(ins, 5, now);
	sqlite3_bind_int64(ins, 6, now);
	sqlite3_bind_text(bod, 1, body, -1, free);
	body = NULL;
	if (sqlite3_step(ins) != SQLITE_DONE || (*delivery = sqlite3_last_insert_rowid(store_db(st)),
						  sqlite3_step(bod) != SQLITE_DONE)) {
		sqlite3_reset(ins);
		sqlite3_reset(bod);
		store_sql_error(st, "cannot record the test", err);
		store_rollback(st);
		return -1;
	}
	sqlite3_reset(ins);
	sqlite3_reset(bod);
	return store_commit(st, err);
}
