#include "follow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "duration.h"
#include "err.h"
#include "retry.h"
#include "timefmt.h"
#include "utf8.h"
#include "webhook.h"

static const char *const state_names[] = { "", "delivered", "failed", "dead" };

const char *follow_state_name(enum follow_state s)
{
	return state_names[s];
}

int follow_state_parse(const char *text, enum follow_state *out, char *err)
{
	enum follow_state s;

	for (s = FOLLOW_DELIVERED; s <= FOLLOW_DEAD; s++)
		if (strcmp(text, state_names[s]) == 0) {
			*out = s;
			return 0;
		}
	err_setk(err, ERR_INVALID,
		 "unknown state \"%s\" for attempts; choose delivered, failed (did not succeed) or dead "
		 "(the last attempt of a delivery that gave up)", text);
	return -1;
}

int follow_filter_check(struct store *st, struct follow_filter *f, char *err)
{
	struct webhook wh;
	size_t i;

	f->ids = NULL;
	if (f->nwebhooks == 0)
		return 0;
	f->ids = calloc(f->nwebhooks, sizeof *f->ids);
	if (!f->ids) {
		err_oom(err, "webhook filter");
		return -1;
	}
	for (i = 0; i < f->nwebhooks; i++) {
		if (store_webhook_get(st, f->webhooks[i], &wh, err) < 0) {
			follow_filter_clear(f);
			return -1;
		}
		f->ids[i] = wh.id;
		webhook_clear(&wh);
	}
	return 0;
}

void follow_filter_clear(struct follow_filter *f)
{
	free(f->ids);
	f->ids = NULL;
}

/* An attempt followed by none of its delivery's: the one whose outcome
 * the delivery's state and next_attempt_at tell. */
#define IS_LAST "NOT EXISTS (SELECT 1 FROM attempts x WHERE x.delivery_id = a.delivery_id AND x.id > a.id)"
#define STATE_SQL \
	"CASE WHEN a.status BETWEEN 200 AND 299 THEN 1 " \
	"WHEN d.state = 'dead' AND " IS_LAST " THEN 3 ELSE 2 END"

/* The attempt's number in its round: a redelivery starts the schedule
 * again and clears first_attempt_at, which the round's first outcome
 * sets; the current round's attempts count from it, earlier ones from
 * the delivery's first. */
#define ATTEMPT_N \
	"(SELECT count(*) FROM attempts x WHERE x.delivery_id = a.delivery_id AND x.id <= a.id " \
	"AND (d.first_attempt_at IS NULL OR a.started_at < d.first_attempt_at OR x.started_at >= d.first_attempt_at))"

/* The query for f, newest or oldest first. Built per call: the filter's
 * list of webhooks has any length, and a follower reads a few times a
 * second at most. ?1 < id <= ?2, at most ?3 rows. */
static int build_sql(const struct follow_filter *f, int newest_first, struct sbuf *sql)
{
	size_t i;

	sbuf_append(sql, "SELECT a.id, a.started_at, a.duration_ms, a.status, a.error, w.name, e.type, d.uid, "
		    "d.is_test, " ATTEMPT_N ", "
		    "json_array_length(w.retry_schedule), "
		    "CASE WHEN d.state = 'failed' AND " IS_LAST " THEN d.next_attempt_at END, " STATE_SQL " "
		    "FROM attempts a JOIN deliveries d ON d.id = a.delivery_id "
		    "JOIN webhooks w ON w.id = d.webhook_id JOIN events e ON e.id = d.event_id "
		    "WHERE a.id > ?1 AND a.id <= ?2");
	if (f->nwebhooks) {
		sbuf_append(sql, " AND d.webhook_id IN (");
		for (i = 0; i < f->nwebhooks; i++)
			sbuf_appendf(sql, "%s%lld", i ? ", " : "", f->ids[i]);
		sbuf_append(sql, ")");
	}
	if (f->state == FOLLOW_DELIVERED)
		sbuf_append(sql, " AND a.status BETWEEN 200 AND 299");
	else if (f->state == FOLLOW_FAILED)
		sbuf_append(sql, " AND (a.status IS NULL OR a.status NOT BETWEEN 200 AND 299)");
	else if (f->state == FOLLOW_DEAD)
		sbuf_append(sql, " AND (" STATE_SQL ") = 3");
	sbuf_append(sql, newest_first ? " ORDER BY a.id DESC LIMIT ?3" : " ORDER BY a.id LIMIT ?3");
	return sql->failed ? -1 : 0;
}

static char *dup_col(struct db_stmt *s, int i, int *oom)
{
	const char *t = db_column_text(s, i);
	char *copy;

	if (!t)
		return NULL;
	copy = strdup(t);
	if (!copy)
		*oom = 1;
	return copy;
}

static void read_row(struct db_stmt *s, long long default_max, struct follow_attempt *a, int *oom)
{
	memset(a, 0, sizeof *a);
	a->id = db_column_int64(s, 0);
	a->started_at = db_column_int64(s, 1);
	a->duration_ms = db_column_int64(s, 2);
	a->has_status = !db_column_null(s, 3);
	a->status = (long)db_column_int64(s, 3);
	a->error = dup_col(s, 4, oom);
	a->webhook = dup_col(s, 5, oom);
	a->event_type = dup_col(s, 6, oom);
	a->delivery_uid = dup_col(s, 7, oom);
	a->test = db_column_int(s, 8) != 0;
	a->attempt = db_column_int64(s, 9);
	/* Tests are sent once; a webhook's own schedule has its own length. */
	if (a->test)
		a->attempts_max = 1;
	else if (!db_column_null(s, 10))
		a->attempts_max = db_column_int64(s, 10) + 1;
	else
		a->attempts_max = default_max;
	a->next_attempt_at = db_column_int64(s, 11);
	a->state = (enum follow_state)db_column_int(s, 12);
	/* The last of a dead delivery was its last by definition, whatever
	 * schedule hookmand ran with (its --schedule is not in the store). */
	if (a->state == FOLLOW_DEAD || a->attempt > a->attempts_max)
		a->attempts_max = a->attempt;
	if (!a->webhook || !a->event_type || !a->delivery_uid)
		*oom = 1;
}

/* Run the query for ids in (after, upto], at most limit rows. */
static int query(struct store *st, const struct follow_filter *f, long long after, long long upto, long limit,
		 int newest_first, struct follow_attempt **out, size_t *count, char *err)
{
	struct retry_schedule rs;
	struct sbuf sql;
	struct db_stmt *s;
	size_t cap = 0;
	int rc = DB_DONE, oom = 0;

	*out = NULL;
	*count = 0;
	retry_default(&rs);
	sbuf_init(&sql);
	if (build_sql(f, newest_first, &sql) < 0) {
		sbuf_release(&sql);
		err_oom(err, "attempt query");
		return -1;
	}
	s = store_sql_once(st, sbuf_text(&sql), err);
	sbuf_release(&sql);
	if (!s)
		return -1;
	db_bind_int64(s, 1, after);
	db_bind_int64(s, 2, upto);
	db_bind_int64(s, 3, limit);
	while (!oom && (rc = db_step(s)) == DB_ROW) {
		if (*count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct follow_attempt *grown = realloc(*out, ncap * sizeof *grown);

			if (!grown) {
				oom = 1;
				break;
			}
			*out = grown;
			cap = ncap;
		}
		read_row(s, (long long)rs.steps + 1, &(*out)[(*count)++], &oom);
	}
	if (oom || rc != DB_DONE) {
		if (oom)
			err_oom(err, "attempts");
		else
			store_sql_error(st, "cannot read attempts", err);
		store_sql_free(s);
		follow_free(*out, *count);
		*out = NULL;
		*count = 0;
		return -1;
	}
	store_sql_free(s);
	return 0;
}

int follow_last(struct store *st, const struct follow_filter *f, long n, long long *last,
		struct follow_attempt **out, size_t *count, char *err)
{
	struct db_stmt *s = store_sql(st, "SELECT coalesce(max(id), 0) FROM attempts", err);
	size_t i;
	int rc;

	*out = NULL;
	*count = 0;
	if (!s)
		return -1;
	rc = db_step(s);
	*last = rc == DB_ROW ? db_column_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW) {
		store_sql_error(st, "cannot read attempts", err);
		return -1;
	}
	if (n <= 0)
		return 0;
	if (query(st, f, 0, *last, n, 1, out, count, err) < 0)
		return -1;
	for (i = 0; i < *count / 2; i++) {
		struct follow_attempt t = (*out)[i];

		(*out)[i] = (*out)[*count - 1 - i];
		(*out)[*count - 1 - i] = t;
	}
	return 0;
}

int follow_after(struct store *st, const struct follow_filter *f, long long after, long limit,
		 long long *last, struct follow_attempt **out, size_t *count, char *err)
{
	/* The range comes from every attempt, not only those passing f: a
	 * filter that matches nothing still moves the follower on. */
	struct db_stmt *s = store_sql(st, "SELECT coalesce(max(id), ?1) FROM "
				     "(SELECT id FROM attempts WHERE id > ?1 ORDER BY id LIMIT ?2) AS next", err);
	int rc;

	*out = NULL;
	*count = 0;
	*last = after;
	if (!s)
		return -1;
	db_bind_int64(s, 1, after);
	db_bind_int64(s, 2, limit);
	rc = db_step(s);
	if (rc == DB_ROW)
		*last = db_column_int64(s, 0);
	db_reset(s);
	if (rc != DB_ROW) {
		store_sql_error(st, "cannot read attempts", err);
		return -1;
	}
	if (*last == after)
		return 0;
	return query(st, f, after, *last, limit, 0, out, count, err);
}

void follow_free(struct follow_attempt *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		free(list[i].error);
		free(list[i].webhook);
		free(list[i].event_type);
		free(list[i].delivery_uid);
	}
	free(list);
}

/* s padded with spaces to width columns. */
static void pad(struct sbuf *out, const char *s, size_t width)
{
	size_t w = utf8_width(s);

	sbuf_append(out, s);
	while (w++ < width)
		sbuf_append(out, " ");
}

/* A receiver's or libcurl's words on one line, safe for a terminal. */
static void append_received(struct sbuf *out, const char *text)
{
	char *safe = utf8_check(text, strlen(text), NULL) >= 0 ? utf8_escape_controls(text) : NULL;
	const char *p;

	if (!safe) {
		sbuf_append(out, "(not UTF-8 text)");
		return;
	}
	for (p = safe; *p; p++) {
		if (*p == '\n')
			sbuf_append(out, "\\n");
		else if (*p == '\t')
			sbuf_append(out, " ");
		else
			sbuf_appendn(out, p, 1);
	}
	free(safe);
}

/* The sender's words for a bare non-2xx answer: "HTTP 500". */
static int says_status_only(const struct follow_attempt *a)
{
	char bare[32];

	snprintf(bare, sizeof bare, "HTTP %ld", a->status);
	return strcmp(a->error, bare) == 0;
}

int follow_format(struct sbuf *out, const struct follow_attempt *a, const struct follow_layout *lay,
		  long long now)
{
	char when[32];

	timefmt_utc(a->started_at, TIMEFMT_FULL, when, sizeof when);
	sbuf_appendf(out, "%s  ", when);
	pad(out, a->webhook, lay->webhook);
	sbuf_append(out, "  ");
	pad(out, a->event_type, lay->event);
	sbuf_append(out, "  ");
	if (a->has_status)
		sbuf_appendf(out, "%ld", a->status);
	/* "500 HTTP 500" would say it twice. */
	if (a->error && !(a->has_status && says_status_only(a))) {
		sbuf_append(out, a->has_status ? " " : "error: ");
		append_received(out, a->error);
	} else if (!a->has_status) {
		sbuf_append(out, "error: no response");
	}
	sbuf_appendf(out, "  %lld ms  attempt %lld/%lld", a->duration_ms, a->attempt, a->attempts_max);
	if (a->next_attempt_at) {
		sbuf_append(out, "  next try in ");
		duration_span(out, a->next_attempt_at > now ? a->next_attempt_at - now : 0);
	} else if (a->state == FOLLOW_DEAD) {
		sbuf_append(out, "  dead");
	}
	if (a->test)
		sbuf_append(out, "  (test)");
	sbuf_append(out, "\n");
	return out->failed ? -1 : 0;
}

/* "2026-11-30T04:31:02.123Z". */
static json_t *iso_time(long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char text[40];

	if (!gmtime_r(&t, &tm) || strftime(text, 24, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return json_null();
	return json_sprintf("%s.%03lldZ", text, ms % 1000);
}

/* Text as a JSON string; a receiver's bytes need not be UTF-8. */
static json_t *text_json(const char *text)
{
	json_t *j = json_string(text);

	return j ? j : json_string("(not UTF-8 text)");
}

json_t *follow_json(const struct follow_attempt *a)
{
	json_t *o = json_object();
	int bad;

	if (!o)
		return NULL;
	bad = json_object_set_new(o, "id", json_integer(a->id)) < 0 ||
	      json_object_set_new(o, "time", iso_time(a->started_at)) < 0 ||
	      json_object_set_new(o, "webhook", json_string(a->webhook)) < 0 ||
	      json_object_set_new(o, "event", json_string(a->event_type)) < 0 ||
	      json_object_set_new(o, "delivery", json_string(a->delivery_uid)) < 0 ||
	      json_object_set_new(o, "status", a->has_status ? json_integer(a->status) : json_null()) < 0 ||
	      json_object_set_new(o, "error", a->error ? text_json(a->error) : json_null()) < 0 ||
	      json_object_set_new(o, "duration_ms", json_integer(a->duration_ms)) < 0 ||
	      json_object_set_new(o, "attempt", json_integer(a->attempt)) < 0 ||
	      json_object_set_new(o, "attempts_max", json_integer(a->attempts_max)) < 0 ||
	      json_object_set_new(o, "next_attempt_at", a->next_attempt_at ? iso_time(a->next_attempt_at)
									   : json_null()) < 0 ||
	      json_object_set_new(o, "state", json_string(follow_state_name(a->state))) < 0 ||
	      json_object_set_new(o, "test", json_boolean(a->test)) < 0;
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
