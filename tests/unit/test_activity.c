#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "fanout.h"
#include "queue.h"
#include "sbuf.h"
#include "testutil.h"

#define HOUR ACTIVITY_HOUR_MS
#define MIN (60 * 1000LL)

static struct catalog *cat;
static struct store *st;
static struct queue_policy pol;
static long long now;

static void setup(void)
{
	char err[ERR_MAX];

	cat = tu_catalog();
	st = tu_store_open(err);
	ck_assert_msg(st != NULL, "%s", err);
	queue_policy_default(&pol);
	pol.schedule.jitter_pct = 0;
	pol.disable_after_ms = 0;   /* old failures must not disable a webhook here */
	now = store_now_ms();
}

static void teardown(void)
{
	tu_store_close(st);
	catalog_free(cat);
}

/* A webhook subscribed to one event type of its own, so that firing that
 * type makes a delivery for it alone. */
static long long add(const char *name, const char *type)
{
	struct webhook wh;
	char err[ERR_MAX];
	long long id;

	webhook_init(&wh);
	wh.name = strdup(name);
	wh.url = strdup("http://127.0.0.1:9/x");
	wh.payload = strdup("{\"t\": \"$Title\", \"m\": \"$Event\"}");
	ck_assert_int_eq(webhook_set_events(&wh, type, cat, err), 0);
	ck_assert_msg(store_webhook_insert(st, &wh, err) == 0, "%s", err);
	id = wh.id;
	webhook_clear(&wh);
	return id;
}

static void fire(const char *type)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];

	ck_assert_int_eq(event_init(&ev, cat, type, NULL, NULL, err), 0);
	ck_assert_msg(fanout_fire(st, &ev, &res, err) == 0, "%s", err);
	ck_assert_uint_eq(res.deliveries, 1);
	event_clear(&ev);
}

static void only(void *ctx, long long webhook_id, struct queue_room *r)
{
	r->room = webhook_id == *(long long *)ctx ? 1 : 0;
	r->reserve = 0;
}

static void record(struct job *j, long long at, int status, long long duration)
{
	struct outcome o = { at, duration, status, status ? NULL : "connection refused", NULL, NULL, NULL, 0, 0, -1, 0 };
	struct job *jp = j;
	struct queue_result r;
	char err[ERR_MAX];

	ck_assert_msg(queue_finish(st, &pol, &jp, &o, 1, &r, err) == 0, "%s", err);
	ck_assert_int_eq(r.fate, QUEUE_RECORDED);
}

/* One attempt of a new delivery to webhook id (subscribed to type),
 * started at `at`, answered with status (0: no answer), as the sender
 * records it: fire, claim, finish. */
static void attempt(long long id, const char *type, long long at, int status, long long duration)
{
	struct queue_claim c;
	char err[ERR_MAX];

	fire(type);
	memset(&c, 0, sizeof c);
	c.now = store_now_ms() + 100000000;
	c.max = 1;
	c.room = only;
	c.ctx = &id;
	ck_assert_msg(queue_claim(st, &c, err) == 0, "%s", err);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_int_eq(c.jobs[0].webhook_id, id);
	record(&c.jobs[0], at, status, duration);
	queue_claim_clear(&c);
}

/* A test send to the webhook named name, answered: never counted. */
static void test_send(const char *name, long long at, int status, long long duration)
{
	struct webhook wh;
	struct event ev;
	struct job j;
	char err[ERR_MAX];
	long long delivery;

	ck_assert_int_eq(store_webhook_get(st, name, &wh, err), 0);
	ck_assert_int_eq(event_init(&ev, cat, wh.events[0], NULL, NULL, err), 0);
	ck_assert_msg(fanout_test(st, &wh, &ev, &delivery, err) == 0, "%s", err);
	ck_assert_msg(queue_load(st, delivery, &j, err) == 0, "%s", err);
	record(&j, at, status, duration);
	queue_job_free(&j);
	event_clear(&ev);
	webhook_clear(&wh);
}

START_TEST(hourly_counts_each_hour_back_from_now)
{
	long long a = add("a", "admin.login"), b = add("b", "alarm.high_severity");
	struct activity_bucket h[ACTIVITY_HOURS];
	char err[ERR_MAX];
	int k;

	attempt(a, "admin.login", now, 200, 10);                  /* the newest hour ends at now */
	attempt(a, "admin.login", now - 10 * 1000, 500, 10);
	attempt(a, "admin.login", now - HOUR + 1, 204, 10);       /* still the newest hour */
	attempt(a, "admin.login", now - HOUR, 201, 10);           /* the hour before */
	attempt(a, "admin.login", now - 23 * HOUR - 59 * MIN, 200, 10);
	attempt(a, "admin.login", now - 24 * HOUR, 200, 10);      /* a day ago: out */
	attempt(a, "admin.login", now + 5000, 200, 10);           /* after now: out */
	attempt(b, "alarm.high_severity", now - 30 * MIN, 0, 10); /* no answer: failed */
	attempt(b, "alarm.high_severity", now - 2 * HOUR - 1, 302, 10);
	test_send("a", now - 1000, 200, 10);

	ck_assert_msg(activity_hourly(st, 0, now, h, err) == 0, "%s", err);
	ck_assert_int_eq(h[23].ok, 2);
	ck_assert_int_eq(h[23].failed, 2);
	ck_assert_int_eq(h[22].ok, 1);
	ck_assert_int_eq(h[22].failed, 0);
	ck_assert_int_eq(h[21].ok, 0);
	ck_assert_int_eq(h[21].failed, 1);
	ck_assert_int_eq(h[0].ok, 1);
	for (k = 1; k < 21; k++)
		ck_assert(h[k].ok == 0 && h[k].failed == 0);
	ck_assert_int_eq(h[23].start_ms, now - HOUR);
	ck_assert_int_eq(h[0].start_ms, now - 24 * HOUR);

	ck_assert_msg(activity_hourly(st, a, now, h, err) == 0, "%s", err);
	ck_assert_int_eq(h[23].ok, 2);
	ck_assert_int_eq(h[23].failed, 1);
	ck_assert_int_eq(h[21].failed, 0);
	ck_assert_msg(activity_hourly(st, b, now, h, err) == 0, "%s", err);
	ck_assert_int_eq(h[23].ok, 0);
	ck_assert_int_eq(h[23].failed, 1);
	ck_assert_msg(activity_hourly(st, 999, now, h, err) == 0, "%s", err);
	ck_assert_int_eq(h[23].ok + h[23].failed, 0);
}
END_TEST

START_TEST(latency_percentiles_of_answered_attempts)
{
	long long a = add("a", "admin.login"), b = add("b", "alarm.high_severity");
	struct activity_latency l;
	char err[ERR_MAX];
	int i;

	for (i = 1; i <= 10; i++)
		attempt(a, "admin.login", now - (20 - i) * MIN, i % 2 ? 200 : 503, i * 10);
	attempt(a, "admin.login", now - 30 * MIN, 0, 5000);      /* no answer: no latency */
	test_send("a", now, 200, 9999);
	attempt(b, "alarm.high_severity", now, 200, 1000);

	ck_assert_msg(activity_latency(st, a, 100, &l, err) == 0, "%s", err);
	ck_assert_int_eq(l.count, 10);
	ck_assert_int_eq(l.p50_ms, 50);
	ck_assert_int_eq(l.p95_ms, 100);
	/* The newest four: 70, 80, 90, 100. */
	ck_assert_msg(activity_latency(st, a, 4, &l, err) == 0, "%s", err);
	ck_assert_int_eq(l.count, 4);
	ck_assert_int_eq(l.p50_ms, 80);
	ck_assert_int_eq(l.p95_ms, 100);
	ck_assert_msg(activity_latency(st, 0, 100, &l, err) == 0, "%s", err);
	ck_assert_int_eq(l.count, 11);
	ck_assert_int_eq(l.p50_ms, 60);
	ck_assert_int_eq(l.p95_ms, 1000);
	ck_assert_msg(activity_latency(st, 0, 1, &l, err) == 0, "%s", err);
	ck_assert_int_eq(l.count, 1);
	ck_assert_int_eq(l.p50_ms, 1000);
	ck_assert_msg(activity_latency(st, 999, 10, &l, err) == 0, "%s", err);
	ck_assert_int_eq(l.count, 0);
	ck_assert_int_eq(l.p50_ms, 0);
	ck_assert_int_eq(activity_latency(st, a, 0, &l, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
}
END_TEST

START_TEST(webhooks_activity_in_one_list)
{
	long long a = add("a", "admin.login"), b = add("b", "alarm.high_severity"), c = add("c", "processing.failed");
	const struct activity_webhook *w;
	struct activity_webhook *list;
	char err[ERR_MAX];
	size_t n;
	int k;

	attempt(a, "admin.login", now - MIN, 200, 10);
	attempt(a, "admin.login", now - MIN, 500, 10);
	attempt(a, "admin.login", now - 3 * HOUR, 0, 10);        /* two-hour bucket 1 back */
	attempt(a, "admin.login", now - 25 * HOUR, 500, 10);     /* older than a day */
	attempt(b, "alarm.high_severity", now - 40 * HOUR, 500, 10);
	attempt(b, "alarm.high_severity", now - 30 * HOUR, 200, 10);
	test_send("c", now - MIN, 500, 10);

	ck_assert_msg(activity_webhooks(st, now, &list, &n, err) == 0, "%s", err);
	ck_assert_uint_eq(n, 3);
	ck_assert(list[0].webhook_id == a && list[1].webhook_id == b && list[2].webhook_id == c);

	w = activity_find(list, n, a);
	ck_assert_ptr_eq(w, &list[0]);
	ck_assert_int_eq(w->last_attempt_ms, now - MIN);
	ck_assert_int_eq(w->failed_24h, 2);
	ck_assert_int_eq(w->spark[11].ok, 1);
	ck_assert_int_eq(w->spark[11].failed, 1);
	ck_assert_int_eq(w->spark[10].ok, 0);
	ck_assert_int_eq(w->spark[10].failed, 1);
	ck_assert_int_eq(w->spark[11].start_ms, now - 2 * HOUR);
	ck_assert_int_eq(w->spark[0].start_ms, now - 24 * HOUR);
	for (k = 0; k < 10; k++)
		ck_assert(w->spark[k].ok == 0 && w->spark[k].failed == 0);

	/* Not tried for a day: the newest attempt of its newest tried
	 * delivery. */
	w = activity_find(list, n, b);
	ck_assert_int_eq(w->last_attempt_ms, now - 30 * HOUR);
	ck_assert_int_eq(w->failed_24h, 0);
	for (k = 0; k < ACTIVITY_SPARKS; k++)
		ck_assert(w->spark[k].ok == 0 && w->spark[k].failed == 0);

	/* Only a test send: never tried. */
	w = activity_find(list, n, c);
	ck_assert_int_eq(w->last_attempt_ms, 0);
	ck_assert_int_eq(w->failed_24h, 0);
	ck_assert_ptr_null(activity_find(list, n, 999));
	ck_assert_ptr_null(activity_find(list, 0, a));
	free(list);
}
END_TEST

/* The last SQLite connection opened in this process, caught as it opens
 * (sqlite3_auto_extension runs this for each): the store's, whose
 * prepared statements are the module's own SQL. The store does not hand
 * its connection out. */
static sqlite3 *last_connection;

static int catch_connection(sqlite3 *db, char **errmsg, const struct sqlite3_api_routines *api)
{
	(void)errmsg;
	(void)api;
	last_connection = db;
	return SQLITE_OK;
}

/* The plans of the statements prepared so far whose SQL holds needle,
 * as one text (caller frees). */
static char *plans(const char *needle)
{
	sqlite3 *db = last_connection;
	sqlite3_stmt *s = NULL, *q;
	struct sbuf out, sql;

	ck_assert_msg(db != NULL, "no SQLite connection was caught");
	sbuf_init(&out);
	sbuf_append(&out, "");
	while ((s = sqlite3_next_stmt(db, s))) {
		if (!strstr(sqlite3_sql(s), needle))
			continue;
		sbuf_init(&sql);
		sbuf_appendf(&sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(s));
		ck_assert_int_eq(sqlite3_prepare_v2(db, sbuf_text(&sql), -1, &q, NULL), SQLITE_OK);
		while (sqlite3_step(q) == SQLITE_ROW)
			sbuf_appendf(&out, "%s\n", (const char *)sqlite3_column_text(q, 3));
		sqlite3_finalize(q);
		sbuf_release(&sql);
	}
	return sbuf_take(&out);
}

/* The windows are read through the index on the attempts' start time
 * (never a scan of the attempts, whose rows carry the excerpts), and the
 * latency walks deliveries newest first without sorting. */
START_TEST(queries_use_indexes)
{
	struct activity_bucket h[ACTIVITY_HOURS];
	struct activity_webhook *list;
	struct activity_latency l;
	char err[ERR_MAX], *p;
	size_t n;

	add("a", "admin.login");
	ck_assert_int_eq(activity_hourly(st, 0, now, h, err), 0);
	ck_assert_int_eq(activity_webhooks(st, now, &list, &n, err), 0);
	free(list);
	ck_assert_int_eq(activity_latency(st, 1, 5, &l, err), 0);
	ck_assert_int_eq(activity_latency(st, 0, 5, &l, err), 0);
	p = plans("FROM attempts a JOIN deliveries d");
	ck_assert_msg(strstr(p, "COVERING INDEX attempts_started") && !strstr(p, "SCAN a"), "%s", p);
	free(p);
	p = plans("a.duration_ms");
	ck_assert_msg(strstr(p, "deliveries_webhook") && !strstr(p, "SCAN a") && !strstr(p, "TEMP B-TREE"),
		      "%s", p);
	free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("activity");
	TCase *tc = tcase_create("activity");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hourly_counts_each_hour_back_from_now);
	tcase_add_test(tc, latency_percentiles_of_answered_attempts);
	tcase_add_test(tc, webhooks_activity_in_one_list);
	/* SQLite's query plans. */
	if (tu_backend_is_sqlite()) {
		sqlite3_auto_extension((void (*)(void))catch_connection);
		tcase_add_test(tc, queries_use_indexes);
	}
	suite_add_tcase(s, tc);
	return tu_run(s);
}
