#include "coalesce.h"

#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "randid.h"
#include "sbuf.h"

#define WINDOW_UNITS (DURATION_S | DURATION_M | DURATION_H)

int coalesce_check(long long ms, char *err)
{
	if (ms == 0 || (ms >= 1000 && ms <= COALESCE_MAX_MS))
		return 0;
	err_setk(err, ERR_INVALID, "coalesce window of %lld ms is out of range; choose 1s to 24h, or none", ms);
	return -1;
}

#define EXAMPLES "e.g. 30s, 5m, 1h or none"

int coalesce_parse(const char *text, long long *ms, char *err)
{
	static const struct duration_rule rule = { WINDOW_UNITS, 0, COALESCE_MAX_MS };
	char why[ERR_MAX];

	if (strcmp(text, "none") == 0 || strcmp(text, "off") == 0) {
		*ms = 0;
		return 0;
	}
	if (duration_parse(text, strlen(text), &rule, "it", ms, why) < 0) {
		why[ERR_MAX - 2] = '\0';
		err_setk(err, ERR_INVALID, "coalesce window \"%s\": %s; " EXAMPLES, text, why);
		return -1;
	}
	if (*ms < 1000) {
		err_setk(err, ERR_INVALID, "coalesce window \"%s\" is shorter than 1s; " EXAMPLES, text);
		return -1;
	}
	return 0;
}

void coalesce_format(struct sbuf *out, long long ms)
{
	if (ms == 0)
		sbuf_append(out, "none");
	else
		duration_format(out, ms, WINDOW_UNITS);
}

char *coalesce_title(const char *title, long long n)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_append(&b, title);
	if (n > 1)
		sbuf_appendf(&b, " (×%lld)", n);
	return sbuf_take(&b);
}

/* The group's record with ev added: a new JSON text the caller frees, and
 * the count in *n. `was` is the group so far (NULL: ev opens it). Past
 * COALESCE_IDS_MAX ids only the count grows ("ids_omitted"): a storm of
 * 100,000 must stay one message a receiver takes, and each event's join
 * must cost the same, not more with every event before it. */
static char *grow(const char *was, const struct event *ev, long long *n, char *err)
{
	json_t *g = was ? json_loads(was, 0, NULL) : NULL, *ids;
	char *text = NULL;

	if (was && !json_is_object(g)) {
		json_decref(g);
		err_setk(err, ERR_INVALID, "a coalesced delivery's record is damaged (not a JSON object)");
		return NULL;
	}
	if (!g)
		g = json_pack("{s:I, s:s, s:s, s:[]}", "count", (json_int_t)0, "first", ev->time, "last", ev->time,
			      "ids");
	ids = json_object_get(g, "ids");
	*n = json_integer_value(json_object_get(g, "count")) + 1;
	if (g && json_is_array(ids) && json_object_set_new(g, "count", json_integer(*n)) == 0 &&
	    json_object_set_new(g, "last", json_string(ev->time)) == 0 &&
	    (json_array_size(ids) < COALESCE_IDS_MAX ?
	     json_array_append_new(ids, json_string(ev->uid)) :
	     json_object_set_new(g, "ids_omitted", json_integer(*n - COALESCE_IDS_MAX))) == 0)
		text = json_dumps(g, JSON_COMPACT);
	json_decref(g);
	return text ? text : err_oom(err, "coalesce");
}

/* The body for the group: ev's, its title counted, the group in $Event. */
static char *render(const struct coalesce_target *t, const struct event *ev, const char *group, long long n,
		    char *err)
{
	struct event shown = *ev;
	char *title = coalesce_title(ev->title, n), *body;

	if (!title)
		return err_oom(err, "coalesce");
	shown.title = title;
	shown.coalesced = group;
	body = format_render(t->payload, t->format, &shown, err);
	if (!body)
		err_prefix(err, "webhook %lld has a bad payload", t->webhook_id);
	free(title);
	return body;
}

/* The key of a group: type and title, which no title can forge (a title
 * has no control characters). */
static char *group_key(const struct event *ev)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_appendf(&b, "%s\n%s", ev->type, ev->title);
	return sbuf_take(&b);
}

static int join(struct store *st, const struct event *ev, long long event_id, const struct coalesce_target *t,
		long long id, const char *was, long long now, char *err)
{
	struct db_stmt *s;
	long long n;
	char *group = grow(was, ev, &n, err), *body = group ? render(t, ev, group, n, err) : NULL;
	int rc = -1;

	if (!body)
		goto out;
	s = store_sql(st, "UPDATE bodies SET body = ?2 WHERE delivery_id = ?1", err);
	if (!s)
		goto out;
	db_bind_int64(s, 1, id);
	db_bind_text(s, 2, body);
	rc = db_step(s) == DB_DONE ? 0 : -1;
	db_reset(s);
	if (rc == 0) {
		s = store_sql(st, "UPDATE deliveries SET coalesced = ?2, event_id = ?3, updated_at = ?4 WHERE id = ?1",
			       err);
		if (!s)
			goto out;
		db_bind_int64(s, 1, id);
		db_bind_text(s, 2, group);
		db_bind_int64(s, 3, event_id);
		db_bind_int64(s, 4, now);
		rc = db_step(s) == DB_DONE ? 0 : -1;
		db_reset(s);
	}
	if (rc < 0)
		store_sql_error(st, "cannot add the event to its coalesced delivery", err);
out:
	free(group);
	free(body);
	return rc;
}

static int open_group(struct store *st, const struct event *ev, long long event_id,
		      const struct coalesce_target *t, const char *key, long long now, char *err)
{
	struct db_stmt *ins, *bod;
	char uid[RANDID_MAX], *group, *body;
	long long n;
	int rc = -1;

	if (randid_make(uid, "msg", err) < 0 || !(group = grow(NULL, ev, &n, err)))
		return -1;
	body = render(t, ev, group, n, err);
	ins = body ? store_sql(st,
		"INSERT INTO deliveries(uid, event_id, webhook_id, next_attempt_at, created_at, updated_at, "
		"coalesce_key, coalesced) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)", err) : NULL;
	bod = ins ? store_sql(st, "INSERT INTO bodies(delivery_id, body) VALUES (last_insert_rowid(), ?)", err) : NULL;
	if (bod) {
		db_bind_text(ins, 1, uid);
		db_bind_int64(ins, 2, event_id);
		db_bind_int64(ins, 3, t->webhook_id);
		db_bind_int64(ins, 4, now + t->window_ms);
		db_bind_int64(ins, 5, now);
		db_bind_text(ins, 6, key);
		db_bind_text(ins, 7, group);
		db_bind_text(bod, 1, body);
		rc = db_step(ins) == DB_DONE && db_step(bod) == DB_DONE ? 0 : -1;
		if (rc < 0)
			store_sql_error(st, "cannot queue a coalesced delivery", err);
		db_reset(ins);
		db_reset(bod);
	}
	free(group);
	free(body);
	return rc;
}

int coalesce_fire(struct store *st, const struct event *ev, long long event_id, const struct coalesce_target *t,
		  long long now, int *joined, char *err)
{
	/* The open group: pending, never tried, its window not over (a
	 * sender that was down leaves an ended one behind: a new event then
	 * opens a new window rather than riding on a late one). */
#define OPEN_GROUP "SELECT id, coalesced FROM deliveries WHERE webhook_id = ?1 AND coalesce_key = ?2 " \
		"AND coalesce_key IS NOT NULL AND state = 'pending' AND attempts = 0 AND next_attempt_at > ?3 " \
		"ORDER BY id DESC LIMIT 1"
	/* On a shared store a sender claims without the store-wide lock:
	 * the group's row is locked until the fire commits (a sender passes
	 * it over), or, claimed first, is no longer pending once read. */
	struct db_stmt *s = store_sql_dialect(st, OPEN_GROUP, OPEN_GROUP " FOR UPDATE", err);
#undef OPEN_GROUP
	char *key = group_key(ev), *was = NULL;
	long long id = 0;
	int rc;

	*joined = 0;
	if (!s || !key) {
		free(key);
		return s ? (err_oom(err, "coalesce"), -1) : -1;
	}
	db_bind_int64(s, 1, t->webhook_id);
	db_bind_text(s, 2, key);
	db_bind_int64(s, 3, now);
	rc = db_step(s);
	if (rc == DB_ROW) {
		id = db_column_int64(s, 0);
		was = db_column_dup(s, 1);
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		free(key);
		store_sql_error(st, "cannot find the open coalesced delivery", err);
		return -1;
	}
	if (rc == DB_ROW) {
		rc = join(st, ev, event_id, t, id, was, now, err);
		*joined = rc == 0;
	} else {
		rc = open_group(st, ev, event_id, t, key, now, err);
	}
	free(was);
	free(key);
	return rc;
}
