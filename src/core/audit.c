#include "audit.h"

#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "event.h"
#include "fanout.h"
#include "randid.h"
#include "sbuf.h"
#include "schema.h"
#include "utf8.h"
#include "whdiff.h"

static struct catalog *catalog(struct audit *a, char *err)
{
	if (!a->cat)
		a->cat = catalog_load(a->datadir, err);
	return a->cat;
}

/* A phrase made of what operators and the system gave (a file name, a
 * reason) as printable UTF-8: a byte that is not UTF-8, a control
 * character and a bidirectional control (which would reorder the title a
 * chat shows) become '?', so that it can be an event's title and JSON.
 * Caller frees; NULL when memory ran out. */
static char *clean_text(const char *s)
{
	size_t len = strlen(s), at = 0, bad;
	struct sbuf out;

	sbuf_init(&out);
	while (at < len) {
		/* Up to the next invalid byte, one code point at a time. */
		size_t end = utf8_check(s + at, len - at, &bad) < 0 ? at + bad : len;

		while (at < end) {
			unsigned cp;
			size_t n = utf8_decode(s + at, end - at, &cp);

			if (utf8_is_control(cp) || utf8_is_bidi_control(cp))
				sbuf_append(&out, "?");
			else
				sbuf_appendn(&out, s + at, n);
			at += n;
		}
		if (at < len) {
			sbuf_append(&out, "?");
			at++;
		}
	}
	if (out.failed) {
		sbuf_release(&out);
		return NULL;
	}
	return sbuf_take(&out);
}

/* The first max code points of text (valid UTF-8), with "…" when cut. */
static void cut_text(struct sbuf *out, const char *text, size_t max)
{
	size_t at = 0, len = strlen(text), n;
	unsigned cp;

	for (n = 0; at < len && n < max; n++)
		at += utf8_decode(text + at, len - at, &cp);
	if (at < len && n > 0) {
		at = 0;
		for (n = 0; n + 1 < max; n++)
			at += utf8_decode(text + at, len - at, &cp);
		sbuf_appendn(out, text, at);
		sbuf_append(out, "\xe2\x80\xa6");
	} else {
		sbuf_appendn(out, text, at);
	}
}

/* "AUDIT EVENT: UPDATE: updated webhook "Slack": url (alice via tui)",
 * within a title's length: what a Slack or Teams message shows. When it
 * is too long the phrase is cut, never who did it. */
static char *event_title(const char *catalog_title, const json_t *data)
{
	const char *object = json_string_value(json_object_get(data, "object"));
	struct sbuf t, who;
	long head, tail;
	char *title = NULL;

	sbuf_init(&t);
	sbuf_init(&who);
	sbuf_appendf(&t, "%s: ", catalog_title);
	sbuf_appendf(&who, " (%s via %s)", json_string_value(json_object_get(data, "actor")),
		     json_string_value(json_object_get(data, "via")));
	if (!t.failed && !who.failed) {
		head = utf8_check(sbuf_text(&t), strlen(sbuf_text(&t)), NULL);
		tail = utf8_check(sbuf_text(&who), strlen(sbuf_text(&who)), NULL);
		cut_text(&t, object ? object : "", EVENT_TITLE_MAX - (size_t)head - (size_t)tail);
		sbuf_append(&t, sbuf_text(&who));
		title = t.failed ? NULL : sbuf_take(&t);
	}
	sbuf_release(&t);
	sbuf_release(&who);
	return title;
}

/* Fire the audit row's event (data: its data, a reference taken) and
 * link the row to it. Inside the caller's transaction. */
static int fire_row(struct audit *a, long long row, const char *action, json_t *data, char *err)
{
	const struct catalog *cat = catalog(a, err);
	const struct catalog_event *ce;
	struct fanout_result res;
	struct event ev;
	struct db_stmt *s;
	char type[64], *title;
	int rc;

	if (!cat) {
		json_decref(data);
		return -1;
	}
	snprintf(type, sizeof type, "audit.%s", action);
	ce = catalog_find(cat, type);
	title = ce ? event_title(ce->title, data) : NULL;
	if (!ce || !title) {
		if (ce)
			err_setk(err, ERR_NOMEM, "out of memory while recording the audit event");
		else
			err_setk(err, ERR_INVALID, "the catalog in %s has no event %s for the audit record; reinstall hookman's data",
				 a->datadir, type);
		json_decref(data);
		return -1;
	}
	rc = event_init(&ev, cat, type, title, data, err);
	free(title);
	if (rc < 0)
		return -1;
	rc = fanout_fire_in_tx(a->st, &ev, &res, err);
	event_clear(&ev);
	if (rc < 0)
		return -1;
	s = store_sql(a->st, "UPDATE audit SET event_id = ?1 WHERE id = ?2", err);
	if (!s)
		return -1;
	db_bind_int64(s, 1, res.event_id);
	db_bind_int64(s, 2, row);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(a->st, "cannot link the audit record to its event", err);
		return -1;
	}
	a->queued += res.deliveries;
	return 0;
}

/* The event data of an entry: the keys of the catalog's audit sample
 * (actor, action, object, source_ip, audit_id), then who in full,
 * through what, when, the webhook and what changed. changes is taken
 * (may be NULL). */
static json_t *entry_data(const struct audit *a, const char *uid, long long at, const char *action,
			  const char *webhook, const char *object, json_t *changes)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "actor", a->who.user, "action", action,
			      "object", object, "audit_id", uid);
	char when[32];
	time_t secs = (time_t)(at / 1000);
	struct tm tm;

	if (!o || !gmtime_r(&secs, &tm) || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm))
		goto fail;
	if ((*a->who.ssh_client && json_object_set_new(o, "source_ip", json_string(a->who.ssh_client)) < 0) ||
	    json_object_set_new(o, "who", actor_to_json(&a->who)) < 0 ||
	    json_object_set_new(o, "via", json_string(a->who.via)) < 0 ||
	    json_object_set_new(o, "at", json_string(when)) < 0 ||
	    (webhook && json_object_set_new(o, "webhook", json_string(webhook)) < 0))
		goto fail;
	if (changes && json_object_set_new(o, "changes", changes) < 0) {
		changes = NULL;
		goto fail;
	}
	return o;
fail:
	json_decref(changes);
	json_decref(o);
	return NULL;
}

/* Write one entry and, when fire, fire its event: inside the caller's
 * transaction. changes is taken. */
static int record_in_tx(struct audit *a, const char *action, const char *webhook, long long webhook_id,
			const char *object, json_t *changes, int fire, char *err)
{
	char uid[RANDID_MAX], *text, *clean;
	long long at = store_now_ms(), row;
	struct db_stmt *s;
	json_t *data = NULL;
	int rc;

	if (randid_make(uid, "aud", err) < 0) {
		json_decref(changes);
		return -1;
	}
	clean = clean_text(object);
	if (clean)
		data = entry_data(a, uid, at, action, webhook, clean, changes);
	else
		json_decref(changes);
	free(clean);
	text = data ? json_dumps(data, JSON_COMPACT) : NULL;
	if (!text) {
		json_decref(data);
		err_setk(err, ERR_NOMEM, "out of memory while recording the audit event");
		return -1;
	}
	s = store_sql(a->st, "INSERT INTO audit(uid, at, action, webhook, via, data, webhook_id) "
		       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		       err);
	if (!s) {
		free(text);
		json_decref(data);
		return -1;
	}
	db_bind_text_copy(s, 1, uid);
	db_bind_int64(s, 2, at);
	db_bind_text_copy(s, 3, action);
	db_bind_text_copy(s, 4, webhook);
	db_bind_text_copy(s, 5, a->who.via);
	db_bind_text_own(s, 6, text);
	if (webhook_id)
		db_bind_int64(s, 7, webhook_id);
	else
		db_bind_null(s, 7);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(a->st, "cannot write the audit record", err);
		json_decref(data);
		return -1;
	}
	row = store_last_id(a->st);
	if (!fire) {
		json_decref(data);
		return 0;
	}
	return fire_row(a, row, action, data, err);
}

/* [{"field": …, "from": …, "to": …}] of what changed, masked. */
static json_t *changes_json(const struct whdiff *d)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list && i < d->n; i++)
		if (json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "field", d->item[i].field,
							  "from", d->item[i].from, "to", d->item[i].to)) < 0) {
			json_decref(list);
			return NULL;
		}
	return list;
}

/* What an update did, in a phrase: renamed, enabled or disabled, or
 * which fields it changed. */
static void update_object(struct sbuf *t, const struct webhook *before, const struct webhook *after,
			  const struct whdiff *d)
{
	char fields[512];

	if (strcmp(before->name, after->name) != 0) {
		sbuf_appendf(t, "renamed webhook \"%s\" to \"%s\"", before->name, after->name);
		/* What else the same save changed is said too: a rename must
		 * not hide a new URL from a message that shows the title only. */
		if (d->n > 1) {
			whdiff_fields(d, fields, sizeof fields);
			sbuf_appendf(t, " and changed %s", strchr(fields, ',') ? strchr(fields, ',') + 2 : fields);
		}
	} else if (d->n == 1 && strcmp(d->item[0].field, "enabled") == 0) {
		sbuf_appendf(t, "%s webhook \"%s\"", after->enabled ? "enabled" : "disabled", after->name);
		/* The sender says why it disabled one (a 410, failing too long). */
		if (!after->enabled && after->disabled_reason)
			sbuf_appendf(t, ": %s", after->disabled_reason);
	}
	else {
		whdiff_fields(d, fields, sizeof fields);
		sbuf_appendf(t, "updated webhook \"%s\": %s", after->name, fields);
	}
}

static int observe(void *ctx, const struct webhook *before, const struct webhook *after, char *err)
{
	struct audit *a = ctx;
	const char *action, *name;
	struct whdiff d = { 0 };
	json_t *changes = NULL;
	struct sbuf object;
	int rc;

	sbuf_init(&object);
	if (!before) {
		action = "create";
		name = after->name;
		sbuf_appendf(&object, "created webhook \"%s\"", name);
	} else if (!after) {
		action = "delete";
		name = before->name;
		sbuf_appendf(&object, "deleted webhook \"%s\"", name);
	} else if (!before->name) {
		/* Gone before the update, which then refuses itself. */
		return 0;
	} else {
		action = "update";
		name = after->name;
		if (whdiff_compute(before, after, WHDIFF_PREVIOUS_SECRET, &d) < 0 || (d.n && !(changes = changes_json(&d)))) {
			whdiff_free(&d);
			sbuf_release(&object);
			err_setk(err, ERR_NOMEM, "out of memory while recording the audit event");
			return -1;
		}
		if (d.n == 0) {
			/* A save that changes nothing is not a change. */
			sbuf_release(&object);
			return 0;
		}
		update_object(&object, before, after, &d);
		whdiff_free(&d);
	}
	if (object.failed) {
		json_decref(changes);
		sbuf_release(&object);
		err_setk(err, ERR_NOMEM, "out of memory while recording the audit event");
		return -1;
	}
	rc = record_in_tx(a, action, name, after ? after->id : before->id, sbuf_text(&object), changes, 1, err);
	sbuf_release(&object);
	return rc;
}

static int noted(void *ctx, const char *action, const char *webhook, long long webhook_id, const char *phrase,
		 char *err)
{
	return record_in_tx(ctx, action, webhook, webhook_id, phrase, NULL, 1, err);
}

static const struct store_observer observer = { observe, noted };

/* An entry recorded without its event, read to be fired. */
struct unfired {
	long long id;
	char *action, *data;
};

static void unfired_free(struct unfired *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(list[i].action);
		free(list[i].data);
	}
	free(list);
}

/* Fire every entry recorded without its event, in one transaction. The
 * rows are read first: firing one takes it out of the index the query
 * walks. */
static int fire_pending(struct audit *a, char *err)
{
	struct unfired *list = NULL;
	size_t n = 0, i;
	struct db_stmt *s;
	int rc;

	/* Looked at before taking the write lock: every command opens the
	 * store this way, and one that only reads must not wait for a
	 * writer (an upgrade left to fire is rare). */
	s = store_sql(a->st, "SELECT EXISTS (SELECT 1 FROM audit WHERE event_id IS NULL)", err);
	if (!s)
		return -1;
	rc = db_step(s);
	n = rc == DB_ROW ? (size_t)db_column_int(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW) {
		store_sql_error(a->st, "cannot read the audit record", err);
		return -1;
	}
	if (n == 0)
		return 0;
	n = 0;
	if (store_begin(a->st, err) < 0)
		return -1;
	s = store_sql_once(a->st, "SELECT id, action, data FROM audit WHERE event_id IS NULL ORDER BY id", err);
	if (!s)
		goto fail;
	while ((rc = db_step(s)) == DB_ROW) {
		struct unfired *grown = realloc(list, (n + 1) * sizeof *list);

		if (!grown) {
			err_setk(err, ERR_NOMEM, "out of memory while reading the audit record");
			goto fail;
		}
		list = grown;
		memset(&list[n], 0, sizeof list[n]);
		list[n].id = db_column_int64(s, 0);
		list[n].action = db_column_dup(s, 1);
		list[n].data = db_column_dup(s, 2);
		n++;
	}
	if (rc != DB_DONE) {
		store_sql_error(a->st, "cannot read the audit record", err);
		goto fail;
	}
	store_sql_free(s);
	s = NULL;
	for (i = 0; i < n; i++) {
		json_t *data = list[i].data ? json_loads(list[i].data, 0, NULL) : NULL;

		if (!data || !list[i].action) {
			json_decref(data);
			err_setk(err, ERR_IO, "audit record %lld does not read (its data is not JSON); "
				 "the store may be damaged", list[i].id);
			goto fail;
		}
		if (fire_row(a, list[i].id, list[i].action, data, err) < 0)
			goto fail;
	}
	unfired_free(list, n);
	return store_commit(a->st, err);
fail:
	store_sql_free(s);
	unfired_free(list, n);
	store_rollback(a->st);
	return -1;
}

/* The upgrade this open made, recorded before anything can fail on the
 * catalog: its event is fired with the other waiting ones. */
static int record_upgrade(struct audit *a, int from, char *err)
{
	struct sbuf object;
	int rc = -1;

	sbuf_init(&object);
	sbuf_appendf(&object, "upgraded the store from schema version %d to %d (hookman %s)", from,
		     SCHEMA_VERSION, PACKAGE_VERSION);
	if (object.failed)
		err_setk(err, ERR_NOMEM, "out of memory while recording the audit event");
	else if (store_begin(a->st, err) == 0) {
		rc = record_in_tx(a, "upgrade", NULL, 0, sbuf_text(&object), NULL, 0, err);
		rc = rc < 0 ? (store_rollback(a->st), -1) : store_commit(a->st, err);
	}
	sbuf_release(&object);
	return rc;
}

int audit_attach(struct audit *a, struct store *st, const char *datadir, const char *via, char *err)
{
	int from = store_upgraded_from(st);

	memset(a, 0, sizeof *a);
	a->st = st;
	a->datadir = datadir;
	actor_detect(&a->who, via);
	store_observe(st, &observer, a);
	if (from) {
		if (record_upgrade(a, from, err) < 0)
			return -1;
		store_forget_upgrade(st);
	}
	return fire_pending(a, err);
}

void audit_detach(struct audit *a)
{
	if (a->st)
		store_observe(a->st, NULL, NULL);
	catalog_free(a->cat);
	a->cat = NULL;
	a->st = NULL;
}

int audit_record(struct audit *a, const char *action, const struct webhook *wh, char *err, const char *fmt, ...)
{
	struct sbuf object;
	va_list ap;
	int rc = -1;

	sbuf_init(&object);
	va_start(ap, fmt);
	sbuf_vappendf(&object, fmt, ap);
	va_end(ap);
	if (object.failed)
		err_setk(err, ERR_NOMEM, "out of memory while recording the audit event");
	else if (store_begin(a->st, err) == 0) {
		rc = record_in_tx(a, action, wh ? wh->name : NULL, wh ? wh->id : 0, sbuf_text(&object), NULL, 1, err);
		rc = rc < 0 ? (store_rollback(a->st), -1) : store_commit(a->st, err);
	}
	sbuf_release(&object);
	return rc;
}

int audit_check_fire(const char *type, char *err)
{
	static const char *const own[] = { "create", "update", "delete", "login", "logout", "download",
					   "upgrade" };
	size_t i;

	if (strncmp(type, "audit.", 6) != 0)
		return 0;
	for (i = 0; i < sizeof own / sizeof own[0]; i++)
		if (strcmp(type + 6, own[i]) == 0) {
			err_setk(err, ERR_INVALID, "%s is hookman's own record of its changes, fired when they happen; "
				 "fired by hand it would be a forgery a receiver cannot tell apart. To see what a "
				 "receiver gets, send a test: hookman test NAME --event %s", type, type);
			return -1;
		}
	return 0;
}

int audit_each(struct store *st, long long since_ms, const char *webhook, size_t limit, audit_entry_fn fn,
	       void *ctx, char *err)
{
	/* The latest N are found walking back from the newest; all of them
	 * walking forward, which needs no sort (300,000 entries listed in
	 * 1.5 s and 8 MB, not 10 s and 95 MB). */
	/* Names match as webhook names do, their ASCII letters folded. */
#define AUDIT_MATCH(webhook_is, name_is) "at >= ?1 AND (?3 IS NULL OR " webhook_is \
	" OR webhook_id = (SELECT id FROM webhooks WHERE " name_is ") " \
	"OR webhook_id IN (SELECT webhook_id FROM audit WHERE " webhook_is "))"
#define AUDIT_LATEST(match) "SELECT id, at, uid, action, webhook, via, data FROM " \
	"(SELECT * FROM audit WHERE " match " ORDER BY id DESC LIMIT ?2) AS latest ORDER BY id"
#define AUDIT_ALL(match) "SELECT id, at, uid, action, webhook, via, data FROM audit WHERE " match " ORDER BY id"
#define AUDIT_SQLITE AUDIT_MATCH("webhook = ?3 COLLATE NOCASE", "name = ?3")
#define AUDIT_PG AUDIT_MATCH("name_fold(webhook) = name_fold(?3)", "name_key = name_fold(?3)")
	struct db_stmt *s = limit ? store_sql_dialect(st, AUDIT_LATEST(AUDIT_SQLITE), AUDIT_LATEST(AUDIT_PG), err) :
		store_sql_dialect(st, AUDIT_ALL(AUDIT_SQLITE), AUDIT_ALL(AUDIT_PG), err);
#undef AUDIT_MATCH
#undef AUDIT_LATEST
#undef AUDIT_ALL
#undef AUDIT_SQLITE
#undef AUDIT_PG
	struct audit_entry e;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, since_ms);
	db_bind_int64(s, 2, limit ? (long long)limit : LLONG_MAX);
	db_bind_text(s, 3, webhook);
	while ((rc = db_step(s)) == DB_ROW) {
		e.id = db_column_int64(s, 0);
		e.at = db_column_int64(s, 1);
		e.uid = db_column_text(s, 2);
		e.action = db_column_text(s, 3);
		e.webhook = db_column_text(s, 4);
		e.via = db_column_text(s, 5);
		e.data = db_column_text(s, 6);
		if (!e.uid || !e.action || !e.via || !e.data) {
			db_reset(s);
			err_setk(err, ERR_NOMEM, "out of memory while reading the audit record");
			return -1;
		}
		if (fn(ctx, &e, err) < 0) {
			db_reset(s);
			return -1;
		}
	}
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot read the audit record", err);
		return -1;
	}
	return 0;
}
