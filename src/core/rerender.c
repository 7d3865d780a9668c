#include "rerender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coalesce.h"
#include "err.h"
#include "format.h"
#include "history.h"
#include "webhook.h"

int rerender_is_event_id(const char *id)
{
	if (strncmp(id, "evt_", 4) == 0)
		return 1;
	return *id && strspn(id, "0123456789") == strlen(id);
}

int rerender_event_resolve(struct store *st, const char *id, long long *row, char *err)
{
	int rc = history_lookup(st, "SELECT id FROM events WHERE uid = ?1 OR id = ?2", "cannot find the event", id,
				row, err);

	if (rc == 0)
		err_setk(err, ERR_NOT_FOUND, "no event \"%s\" (give its evt_ id or its number; "
			 "'hookman delivery ID' shows a delivery's event)", id);
	return rc > 0 ? 0 : -1;
}

/* Copy a text column into a fixed field of size bytes (cut to fit). */
static void copy_column(char *dst, size_t size, struct db_stmt *s, int i)
{
	const char *t = db_column_text(s, i);

	dst[0] = '\0';
	if (t)
		strncat(dst, t, size - 1);
}

int rerender_event_load(struct store *st, long long row, struct event *ev, char *err)
{
	struct db_stmt *s = store_sql(st, "SELECT uid, type, title, severity, time, data FROM events WHERE id = ?", err);
	int rc;

	memset(ev, 0, sizeof *ev);
	if (!s)
		return -1;
	db_bind_int64(s, 1, row);
	rc = db_step(s);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			err_setk(err, ERR_NOT_FOUND, "no event number %lld", row);
		else
			store_sql_error(st, "cannot read the event", err);
		db_reset(s);
		return -1;
	}
	copy_column(ev->uid, sizeof ev->uid, s, 0);
	copy_column(ev->time, sizeof ev->time, s, 4);
	ev->type = db_column_dup(s, 1);
	ev->title = db_column_dup(s, 2);
	ev->severity = db_column_dup(s, 3);
	ev->data_text = db_column_dup(s, 5);
	db_reset(s);
	if (!ev->type || !ev->title || !ev->severity || !ev->data_text) {
		event_clear(ev);
		err_oom(err, "the stored event");
		return -1;
	}
	ev->data = json_loads(ev->data_text, 0, NULL);
	if (!json_is_object(ev->data)) {
		err_setk(err, ERR_INVALID, "event %s: its stored data is not a JSON object", ev->uid);
		event_clear(ev);
		return -1;
	}
	return 0;
}

void rerender_body_clear(struct rerender_body *b)
{
	free(b->webhook);
	free(b->stored);
	free(b->now);
	memset(b, 0, sizeof *b);
}

/* ev as a coalesced delivery shows it (coalesce.h): its title counted and
 * the group in $Event, rendered with wh's payload and format. */
static char *render_group(const struct webhook *wh, const struct event *ev, const char *group, char *err)
{
	json_t *g = json_loads(group, 0, NULL);
	struct event shown = *ev;
	char *title, *body;

	title = coalesce_title(ev->title, json_integer_value(json_object_get(g, "count")));
	json_decref(g);
	if (!title)
		return err_oom(err, "the coalesced title");
	shown.title = title;
	shown.coalesced = group;
	body = format_render(wh->payload, wh->format, &shown, err);
	free(title);
	return body;
}

/* The event at event_row rendered with wh's payload and format into
 * out->now (as the coalesced group `group` when not NULL), out->event and
 * out->webhook set. */
static int render_now(struct store *st, const struct catalog *cat, const struct webhook *wh,
		      long long event_row, const char *group, struct rerender_body *out, char *err)
{
	struct event ev;
	char why[ERR_MAX];

	if (rerender_event_load(st, event_row, &ev, err) < 0)
		return -1;
	memcpy(out->event, ev.uid, sizeof out->event);
	out->webhook = strdup(wh->name);
	if (!out->webhook) {
		event_clear(&ev);
		err_oom(err, "the webhook's name");
		return -1;
	}
	if (format_fits(wh->format, cat, ev.type, why) < 0) {
		err_setk(err, ERR_INVALID, "webhook \"%s\" would never send event %s now: %s", wh->name, ev.uid, why);
		event_clear(&ev);
		return -1;
	}
	out->now = group ? render_group(wh, &ev, group, err) : format_render(wh->payload, wh->format, &ev, err);
	if (!out->now)
		err_prefix(err, "webhook \"%s\"'s payload does not render event %s (fix it with 'hookman edit "
			   "NAME --payload FILE')", wh->name, ev.uid);
	event_clear(&ev);
	return out->now ? 0 : -1;
}

/* The delivery at row: its uid and body, its event rendered for its
 * webhook now. */
static int load_delivery(struct store *st, const struct catalog *cat, long long row, struct rerender_body *out,
			 char *err)
{
	struct db_stmt *s = store_sql(st,
		"SELECT d.uid, d.event_id, d.webhook_id, b.body, d.coalesced FROM deliveries d "
		"JOIN bodies b ON b.delivery_id = d.id WHERE d.id = ?", err);
	long long event_row, webhook_id;
	struct webhook wh;
	char *group;
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -1;
	db_bind_int64(s, 1, row);
	rc = db_step(s);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			err_setk(err, ERR_NOT_FOUND, "no delivery number %lld", row);
		else
			store_sql_error(st, "cannot read the delivery", err);
		db_reset(s);
		return -1;
	}
	out->delivery = row;
	copy_column(out->uid, sizeof out->uid, s, 0);
	event_row = db_column_int64(s, 1);
	webhook_id = db_column_int64(s, 2);
	out->stored = db_column_dup(s, 3);
	group = db_column_dup(s, 4);
	db_reset(s);
	if (!out->stored) {
		free(group);
		err_oom(err, "the stored body");
		return -1;
	}
	if (store_webhook_get_id(st, webhook_id, &wh, err) < 0) {
		free(group);
		webhook_clear(&wh);
		rerender_body_clear(out);
		return -1;
	}
	rc = render_now(st, cat, &wh, event_row, group, out, err);
	free(group);
	webhook_clear(&wh);
	if (rc < 0)
		rerender_body_clear(out);
	return rc;
}

int rerender_for_webhook(struct store *st, const struct catalog *cat, const char *webhook,
			 long long event_row, struct rerender_body *out, char *err)
{
	struct db_stmt *s;
	struct webhook wh;
	char *group = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if (store_webhook_get(st, webhook, &wh, err) < 0) {
		webhook_clear(&wh);
		return -1;
	}
	/* Its delivery first: a coalesced one is rendered as its group, with
	 * the group's latest event, whichever of its events was asked for. */
	s = store_sql(st,
		"SELECT d.id, d.uid, b.body, d.coalesced, d.event_id FROM deliveries d "
		"JOIN bodies b ON b.delivery_id = d.id JOIN events e ON e.id = ?1 "
		"WHERE d.webhook_id = ?2 AND d.is_test = 0 AND (d.event_id = ?1 OR (d.coalesced IS NOT NULL AND "
		"EXISTS (SELECT 1 FROM json_each(d.coalesced, '$.ids') WHERE value = e.uid))) "
		"ORDER BY d.id DESC LIMIT 1", err);
	if (s) {
		db_bind_int64(s, 1, event_row);
		db_bind_int64(s, 2, wh.id);
		rc = db_step(s);
		if (rc == DB_ROW) {
			out->delivery = db_column_int64(s, 0);
			copy_column(out->uid, sizeof out->uid, s, 1);
			out->stored = db_column_dup(s, 2);
			group = db_column_dup(s, 3);
			event_row = db_column_int64(s, 4);
		}
		db_reset(s);
		if (rc == DB_ROW && !out->stored)
			err_oom(err, "the stored body");
		else if (rc != DB_ROW && rc != DB_DONE)
			store_sql_error(st, "cannot find the webhook's delivery of the event", err);
		rc = (rc == DB_ROW && out->stored) || rc == DB_DONE ? 0 : -1;
	} else {
		rc = -1;
	}
	if (rc == 0)
		rc = render_now(st, cat, &wh, event_row, group, out, err);
	free(group);
	webhook_clear(&wh);
	if (rc < 0)
		rerender_body_clear(out);
	return rc;
}

int rerender_for_delivery(struct store *st, const struct catalog *cat, const char *id,
			  struct rerender_body *out, char *err)
{
	long long row;

	memset(out, 0, sizeof *out);
	if (history_resolve(st, id, &row, err) < 0)
		return -1;
	return load_delivery(st, cat, row, out, err);
}

/* Inside the caller's transaction: b->now in place of b->stored, when they
 * differ. */
static int replace_body(struct store *st, const struct rerender_body *b, char *err)
{
	struct db_stmt *s;
	int rc;

	if (strcmp(b->stored, b->now) == 0)
		return 0;
	s = store_sql(st, "UPDATE bodies SET body = ?2 WHERE delivery_id = ?1", err);
	if (!s)
		return -1;
	db_bind_int64(s, 1, b->delivery);
	db_bind_text(s, 2, b->now);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot store the new body", err);
		return -1;
	}
	return 0;
}

int rerender_redeliver(struct store *st, const struct catalog *cat, const char *id, const char *expect,
		       struct rerender_body *out, char *err)
{
	long long row;

	memset(out, 0, sizeof *out);
	if (store_begin(st, err) < 0)
		return -1;
	if (history_resolve(st, id, &row, err) < 0 || load_delivery(st, cat, row, out, err) < 0)
		goto fail;
	if (expect && strcmp(expect, out->now) != 0) {
		err_setk(err, ERR_CONFLICT, "webhook \"%s\" changed since its new body was shown; nothing was sent "
			 "(look again)", out->webhook);
		goto fail;
	}
	if (history_requeue_in_tx(st, row, id, err) < 0 || replace_body(st, out, err) < 0)
		goto fail;
	if (store_commit(st, err) == 0)
		return 0;
fail:
	store_rollback(st);
	rerender_body_clear(out);
	return -1;
}

/* The bulk selection's row ids, in *rows (caller frees). */
static int bulk_rows(struct store *st, long long webhook_id, const char *state, long long since_ms,
		     long long **rows, size_t *n, char *err)
{
	struct db_stmt *s = store_sql(st, "SELECT id FROM deliveries WHERE webhook_id = ?1 AND state = ?2 "
				     "AND created_at >= ?3 AND is_test = 0 ORDER BY id", err);
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (!s)
		return -1;
	db_bind_int64(s, 1, webhook_id);
	db_bind_text(s, 2, state);
	db_bind_int64(s, 3, since_ms);
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			long long *grown = realloc(*rows, (cap ? 2 * cap : 64) * sizeof *grown);

			if (!grown) {
				db_reset(s);
				err_oom(err, "the deliveries to render again");
				return -1;
			}
			*rows = grown;
			cap = cap ? 2 * cap : 64;
		}
		(*rows)[(*n)++] = db_column_int64(s, 0);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot list the deliveries to render again", err);
		return -1;
	}
	return 0;
}

int rerender_redeliver_bulk(struct store *st, const struct catalog *cat, const char *webhook,
			    const char *state, long long since_ms, long long *n, long long *changed,
			    char *err)
{
	struct rerender_body b;
	struct webhook wh;
	long long *rows = NULL;
	size_t count = 0, i;
	char id[32];
	int rc;

	*n = *changed = 0;
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
	rc = bulk_rows(st, wh.id, state, since_ms, &rows, &count, err);
	webhook_clear(&wh);
	if (rc < 0)
		goto fail;
	for (i = 0; i < count; i++) {
		snprintf(id, sizeof id, "%lld", rows[i]);
		if (load_delivery(st, cat, rows[i], &b, err) < 0)
			goto fail;
		if (history_requeue_in_tx(st, rows[i], id, err) < 0 || replace_body(st, &b, err) < 0) {
			rerender_body_clear(&b);
			goto fail;
		}
		*changed += strcmp(b.stored, b.now) != 0;
		rerender_body_clear(&b);
	}
	free(rows);
	*n = (long long)count;
	if (store_commit(st, err) == 0)
		return 0;
	*n = *changed = 0;
	return -1;
fail:
	free(rows);
	store_rollback(st);
	*n = *changed = 0;
	return -1;
}
