/* The webhooks of the store: their rows and subscriptions, read and
 * written through the statement layer (db.h), with the observer told of
 * each change (store_observe). */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "err.h"
#include "sbuf.h"

static char *list_to_json(char *const *list, size_t n)
{
	json_t *a = json_array();
	char *s;
	size_t i;

	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(list[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	if (!a)
		return NULL;
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

int store_json_list(const char *text, char ***list, size_t *n)
{
	json_t *a = json_loads(text ? text : "[]", 0, NULL), *e;
	size_t i;

	*list = NULL;
	*n = 0;
	if (!json_is_array(a)) {
		json_decref(a);
		return -1;
	}
	if (json_array_size(a) > 0) {
		*list = calloc(json_array_size(a), sizeof **list);
		if (!*list)
			goto fail;
		json_array_foreach(a, i, e) {
			(*list)[i] = strdup(json_is_string(e) ? json_string_value(e) : "");
			if (!(*list)[i])
				goto fail;
			(*n)++;
		}
	}
	json_decref(a);
	return 0;
fail:
	json_decref(a);
	return -1;
}

int store_json_delays(const char *text, long long *delays, size_t max, size_t *n)
{
	json_t *a, *e;
	size_t i;

	*n = 0;
	if (!text)
		return 0;
	a = json_loads(text, 0, NULL);
	if (!json_is_array(a) || json_array_size(a) > max) {
		json_decref(a);
		return -1;
	}
	json_array_foreach(a, i, e) {
		if (!json_is_integer(e)) {
			json_decref(a);
			*n = 0;
			return -1;
		}
		delays[i] = json_integer_value(e);
	}
	*n = json_array_size(a);
	json_decref(a);
	return 0;
}

char *store_delays_json(const long long *delays, size_t n)
{
	struct sbuf text;
	size_t i;

	sbuf_init(&text);
	sbuf_append(&text, "[");
	for (i = 0; i < n; i++)
		sbuf_appendf(&text, "%s%lld", i ? "," : "", delays[i]);
	sbuf_append(&text, "]");
	return sbuf_take(&text);
}

#define WEBHOOK_COLUMNS \
	"id, name, url, events, format, payload, secret, headers, enabled, verify_tls, " \
	"timeout, version, created_at, updated_at, disabled_reason, rate_n, rate_ms, retry_schedule, coalesce_ms, " \
	"secret_previous, secret_previous_until, refs"

static int row_to_webhook(struct db_stmt *stmt, struct webhook *wh, char *err)
{
	const char *fmt = db_column_text(stmt, 4);

	webhook_init(wh);
	wh->id = db_column_int64(stmt, 0);
	wh->name = db_column_dup(stmt, 1);
	wh->url = db_column_dup(stmt, 2);
	wh->payload = db_column_dup(stmt, 5);
	wh->secret = db_column_dup(stmt, 6);
	wh->enabled = db_column_int(stmt, 8);
	wh->verify_tls = db_column_int(stmt, 9);
	wh->timeout = db_column_int(stmt, 10);
	wh->version = db_column_int64(stmt, 11);
	wh->created_at = db_column_int64(stmt, 12);
	wh->updated_at = db_column_int64(stmt, 13);
	wh->disabled_reason = db_column_dup(stmt, 14);
	if (fmt)
		format_parse(fmt, &wh->format, NULL);
	wh->rate_n = db_column_int(stmt, 15);
	wh->rate_ms = db_column_int64(stmt, 16);
	wh->coalesce_ms = db_column_int64(stmt, 18);
	/* A previous secret past its end is gone: read as none, so that it
	 * is never shown nor used (rotate_secret clears the row). */
	if (db_column_int64(stmt, 20) > store_now_ms()) {
		wh->secret_previous = db_column_dup(stmt, 19);
		wh->secret_previous_until = db_column_int64(stmt, 20);
	}
	wh->refs = db_column_dup(stmt, 21);
	if (!wh->name || !wh->url || !wh->payload ||
	    store_json_delays(db_column_text(stmt, 17), wh->retry_ms, RETRY_OWN_STEPS,
			      &wh->nretry) < 0 ||
	    store_json_list(db_column_text(stmt, 3), &wh->events, &wh->nevents) < 0 ||
	    store_json_list(db_column_text(stmt, 7), &wh->headers, &wh->nheaders) < 0) {
		webhook_clear(wh);
		err_setk(err, ERR_IO, "cannot read webhook %lld from the store (out of memory or damaged row)",
			 (long long)db_column_int64(stmt, 0));
		return -1;
	}
	return 0;
}

static int get_one(struct store *st, const char *sql, const char *pg, const char *name, long long id,
		   struct webhook *out, char *err)
{
	struct db_stmt *stmt = store_sql_dialect(st, sql, pg, err);
	int rc;

	webhook_init(out);
	if (!stmt)
		return -1;
	if (name)
		db_bind_text(stmt, 1, name);
	else
		db_bind_int64(stmt, 1, id);
	rc = db_step(stmt);
	if (rc == DB_ROW) {
		rc = row_to_webhook(stmt, out, err);
	} else if (rc == DB_DONE) {
		if (name)
			err_setk(err, ERR_NOT_FOUND, "no webhook named \"%s\" (see 'hookman list')", name);
		else
			err_setk(err, ERR_NOT_FOUND, "the webhook no longer exists (deleted elsewhere)");
		rc = -1;
	} else {
		store_sql_error(st, "cannot read the webhook", err);
		rc = -1;
	}
	db_reset(stmt);
	return rc;
}

int store_webhook_get(struct store *st, const char *name, struct webhook *out, char *err)
{
	/* The column folds case on SQLite (NOCASE); its folded twin is the
	 * unique one on PostgreSQL. */
	return get_one(st, "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE name = ?",
		       "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE name_key = name_fold(?)", name, 0, out, err);
}

int store_webhook_get_id(struct store *st, long long id, struct webhook *out, char *err)
{
	return get_one(st, "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE id = ?",
		       "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE id = ?", NULL, id, out, err);
}

int store_webhook_list(struct store *st, struct webhook **out, size_t *n, char *err)
{
	/* In the order of SQLite's NOCASE: bytes, ASCII letters folded. */
	struct db_stmt *stmt = store_sql_dialect(st, "SELECT " WEBHOOK_COLUMNS " FROM webhooks ORDER BY name",
		"SELECT " WEBHOOK_COLUMNS " FROM webhooks ORDER BY name_key COLLATE \"C\"", err);
	struct webhook *list = NULL, *grown;
	size_t count = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!stmt)
		return -1;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(list, cap * sizeof *list);
			if (!grown) {
				err_oom(err, "webhook list");
				goto fail;
			}
			list = grown;
		}
		if (row_to_webhook(stmt, &list[count], err) < 0)
			goto fail;
		count++;
	}
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot list webhooks", err);
		goto fail;
	}
	db_reset(stmt);
	*out = list;
	*n = count;
	return 0;
fail:
	db_reset(stmt);
	store_webhook_list_free(list, count);
	return -1;
}

void store_webhook_list_free(struct webhook *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		webhook_clear(&list[i]);
	free(list);
}

static int bind_webhook(struct db_stmt *stmt, const struct webhook *wh, long long now, char *err)
{
	char *events = list_to_json(wh->events, wh->nevents);
	char *headers = list_to_json(wh->headers, wh->nheaders);

	if (!events || !headers) {
		free(events);
		free(headers);
		err_oom(err, "webhook");
		return -1;
	}
	db_bind_text(stmt, 1, wh->name);
	db_bind_text(stmt, 2, wh->url);
	db_bind_text_own(stmt, 3, events);
	db_bind_text(stmt, 4, format_name(wh->format));
	db_bind_text(stmt, 5, wh->payload);
	if (wh->secret)
		db_bind_text(stmt, 6, wh->secret);
	else
		db_bind_null(stmt, 6);
	db_bind_text_own(stmt, 7, headers);
	db_bind_int64(stmt, 8, wh->enabled ? 1 : 0);
	db_bind_int64(stmt, 9, wh->verify_tls ? 1 : 0);
	db_bind_int64(stmt, 10, wh->timeout);
	db_bind_int64(stmt, 11, now);
	if (wh->enabled || !wh->disabled_reason)
		db_bind_null(stmt, 12);
	else
		db_bind_text(stmt, 12, wh->disabled_reason);
	if (wh->rate_n) {
		db_bind_int64(stmt, 15, wh->rate_n);
		db_bind_int64(stmt, 16, wh->rate_ms);
	} else {
		db_bind_null(stmt, 15);
		db_bind_null(stmt, 16);
	}
	if (wh->nretry) {
		char *delays = store_delays_json(wh->retry_ms, wh->nretry);

		if (!delays) {
			err_oom(err, "webhook");
			return -1;
		}
		db_bind_text_own(stmt, 17, delays);
	} else {
		db_bind_null(stmt, 17);
	}
	if (wh->coalesce_ms)
		db_bind_int64(stmt, 18, wh->coalesce_ms);
	else
		db_bind_null(stmt, 18);
	if (wh->secret_previous) {
		db_bind_text(stmt, 19, wh->secret_previous);
		db_bind_int64(stmt, 20, wh->secret_previous_until);
	} else {
		db_bind_null(stmt, 19);
		db_bind_null(stmt, 20);
	}
	if (wh->refs)
		db_bind_text(stmt, 21, wh->refs);
	else
		db_bind_null(stmt, 21);
	return 0;
}

static int write_subscriptions(struct store *st, const struct webhook *wh, char *err)
{
	struct db_stmt *del = store_sql(st, "DELETE FROM subscriptions WHERE webhook_id = ?", err);
	struct db_stmt *ins = del ? store_sql(st, "INSERT INTO subscriptions(event_type, webhook_id) VALUES (?, ?) ON CONFLICT DO NOTHING", err) : NULL;
	size_t i;
	int rc = -1;

	if (!ins)
		goto done;
	db_bind_int64(del, 1, wh->id);
	if (db_step(del) != DB_DONE)
		goto sqlfail;
	for (i = 0; i < wh->nevents; i++) {
		db_reset(ins);
		db_bind_text(ins, 1, wh->events[i]);
		db_bind_int64(ins, 2, wh->id);
		if (db_step(ins) != DB_DONE)
			goto sqlfail;
	}
	rc = 0;
	goto done;
sqlfail:
	store_sql_error(st, "cannot save the webhook's events", err);
done:
	db_reset(del);
	db_reset(ins);
	return rc;
}

static int name_taken(struct store *st, const char *what, const char *name, char *err)
{
	if (store_last_unique(st)) {
		err_setk(err, ERR_EXISTS,
			 "a webhook named \"%s\" already exists (names are unique, ignoring case); choose another name",
			 name);
		store_set_fault(st, STORE_FAULT_EXISTS);
		return 1;
	}
	store_sql_error(st, what, err);
	return 0;
}

int store_webhook_insert(struct store *st, struct webhook *wh, char *err)
{
	struct db_stmt *stmt = NULL;
	long long now = store_now_ms();
	int own = !store_in_txn(st);

	if (own && store_begin(st, err) < 0)
		return -1;
	stmt = store_sql(st,
		"INSERT INTO webhooks(name, url, events, format, payload, secret, headers, enabled, "
		"verify_tls, timeout, created_at, updated_at, disabled_reason, version, rate_n, rate_ms, "
		"retry_schedule, coalesce_ms, secret_previous, secret_previous_until, refs) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, 1, ?15, ?16, ?17, ?18, ?19, ?20, ?21)", err);
	if (!stmt || bind_webhook(stmt, wh, now, err) < 0)
		goto fail;
	if (db_step(stmt) != DB_DONE) {
		name_taken(st, "cannot add the webhook", wh->name, err);
		goto fail;
	}
	db_reset(stmt);
	stmt = NULL;
	wh->id = store_last_id(st);
	if (write_subscriptions(st, wh, err) < 0 || store_webhook_changed(st, NULL, wh, err) < 0)
		goto fail;
	if (own && store_commit(st, err) < 0)
		return -1;
	wh->version = 1;
	wh->created_at = wh->updated_at = now;
	return 0;
fail:
	db_reset(stmt);
	if (own)
		store_rollback(st);
	return -1;
}

int store_webhook_update(struct store *st, struct webhook *wh, char *err)
{
	struct db_stmt *stmt = NULL;
	long long now = store_now_ms();
	int own = !store_in_txn(st);
	struct webhook before;

	webhook_init(&before);
	if (own && store_begin(st, err) < 0)
		return -1;
	/* The observer is told what changed. A row that is gone here is
	 * reported by the update below; one that cannot be read otherwise
	 * fails the save, as the observer could not say what changed. */
	if (store_observed(st) && store_webhook_get_id(st, wh->id, &before, err) < 0) {
		if (err_kind(err) != ERR_NOT_FOUND)
			goto fail;
		webhook_init(&before);
	}
	stmt = store_sql(st,
		"UPDATE webhooks SET name = ?1, url = ?2, events = ?3, format = ?4, payload = ?5, "
		"secret = ?6, headers = ?7, enabled = ?8, verify_tls = ?9, timeout = ?10, "
		"updated_at = ?11, disabled_reason = ?12, version = version + 1, "
		"rate_n = ?15, rate_ms = ?16, retry_schedule = ?17, coalesce_ms = ?18, "
		"secret_previous = ?19, secret_previous_until = ?20, refs = ?21, "
		"failing_since = CASE WHEN ?8 <> 0 THEN NULL ELSE failing_since END "
		"WHERE id = ?13 AND version = ?14", err);
	if (!stmt || bind_webhook(stmt, wh, now, err) < 0)
		goto fail;
	db_bind_int64(stmt, 13, wh->id);
	db_bind_int64(stmt, 14, wh->version);
	if (db_step(stmt) != DB_DONE) {
		name_taken(st, "cannot save the webhook", wh->name, err);
		goto fail;
	}
	if (store_changes(st) == 0) {
		struct webhook cur;
		char gone[ERR_MAX];

		if (store_webhook_get_id(st, wh->id, &cur, gone) < 0) {
			err_setk(err, ERR_NOT_FOUND,
				 "webhook \"%s\" was deleted elsewhere since you loaded it; nothing was saved", wh->name);
			store_set_fault(st, STORE_FAULT_GONE);
		} else {
			err_setk(err, ERR_CONFLICT, "webhook \"%s\" changed elsewhere since you loaded it (version %lld, now %lld); nothing was saved: reload and edit again",
				 cur.name, wh->version, cur.version);
			store_set_fault(st, STORE_FAULT_CONFLICT);
		}
		webhook_clear(&cur);
		goto fail;
	}
	db_reset(stmt);
	stmt = NULL;
	if (write_subscriptions(st, wh, err) < 0 || store_webhook_changed(st, &before, wh, err) < 0)
		goto fail;
	webhook_clear(&before);
	if (own && store_commit(st, err) < 0)
		return -1;
	wh->version++;
	wh->updated_at = now;
	return 0;
fail:
	webhook_clear(&before);
	db_reset(stmt);
	if (own)
		store_rollback(st);
	return -1;
}

int store_webhook_pending(struct store *st, long long webhook_id, struct store_backlog *b, char *err)
{
	struct db_stmt *stmt = store_sql(st,
		"SELECT count(*) FILTER (WHERE state <> 'inflight'), count(*) FILTER (WHERE state = 'inflight') "
		"FROM deliveries WHERE webhook_id = ? AND state IN ('pending','inflight','failed')", err);

	if (!stmt)
		return -1;
	db_bind_int64(stmt, 1, webhook_id);
	if (db_step(stmt) != DB_ROW) {
		store_sql_error(st, "cannot count pending deliveries", err);
		db_reset(stmt);
		return -1;
	}
	b->waiting = db_column_int64(stmt, 0);
	b->inflight = db_column_int64(stmt, 1);
	db_reset(stmt);
	return 0;
}

char *store_backlog_text(const struct store_backlog *b)
{
	struct sbuf t;

	sbuf_init(&t);
	sbuf_appendf(&t, "%lld waiting deliver%s cancelled", b->waiting, b->waiting == 1 ? "y" : "ies");
	if (b->inflight)
		sbuf_appendf(&t, "; %lld request%s in flight and may still arrive", b->inflight,
			     b->inflight == 1 ? " was" : "s were");
	return sbuf_take(&t);
}

int store_webhook_delete(struct store *st, const char *name, struct store_backlog *b, char *err)
{
	struct db_stmt *stmt = NULL;
	struct store_backlog n = { 0, 0 };
	struct webhook wh;
	int own = !store_in_txn(st);

	webhook_init(&wh);
	if (own && store_begin(st, err) < 0)
		return -1;
	if (store_webhook_get(st, name, &wh, err) < 0)
		goto fail;
	if (store_webhook_pending(st, wh.id, &n, err) < 0 || store_webhook_changed(st, &wh, NULL, err) < 0)
		goto fail;
	stmt = store_sql(st, "DELETE FROM webhooks WHERE id = ?", err);
	if (!stmt)
		goto fail;
	db_bind_int64(stmt, 1, wh.id);
	if (db_step(stmt) != DB_DONE) {
		store_sql_error(st, "cannot delete the webhook", err);
		goto fail;
	}
	db_reset(stmt);
	stmt = NULL;
	if (own && store_commit(st, err) < 0)
		goto out;
	webhook_clear(&wh);
	if (b)
		*b = n;
	return 0;
fail:
	if (own)
		store_rollback(st);
out:
	db_reset(stmt);
	webhook_clear(&wh);
	return -1;
}
