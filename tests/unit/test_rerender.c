/* Re-rendering: the line diff, a stored event loaded as it was fired, and
 * a delivery given its webhook's current body in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "history.h"
#include "rerender.h"
#include "testutil.h"
#include "textdiff.h"

static struct catalog *cat;
static struct store *st;

static void setup(void)
{
	char err[ERR_MAX];

	cat = tu_catalog();
	st = tu_store_open(err);
	ck_assert_msg(st != NULL, "%s", err);
}

static void teardown(void)
{
	tu_store_close(st);
	catalog_free(cat);
}

/* The diff of a and b with context ctx, and its counts. */
static char *diff(const char *a, const char *b, int ctx, struct textdiff_stats *stats)
{
	struct sbuf out;

	sbuf_init(&out);
	ck_assert_int_eq(textdiff_unified(a, b, "a", "b", ctx, &out, stats), 0);
	return sbuf_take(&out);
}

START_TEST(textdiff_equal_texts_give_nothing)
{
	struct textdiff_stats stats;
	char *d = diff("x\ny\n", "x\ny", 3, &stats);

	ck_assert_str_eq(d, "");
	ck_assert_uint_eq(stats.removed + stats.added, 0);
	free(d);
	d = diff("", "", 3, &stats);
	ck_assert_str_eq(d, "");
	free(d);
}
END_TEST

START_TEST(textdiff_one_changed_line_with_context)
{
	struct textdiff_stats stats;
	char *d = diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", 2, &stats);

	ck_assert_str_eq(d, "--- a\n+++ b\n@@ -3,5 +3,5 @@\n 3\n 4\n-5\n+five\n 6\n 7\n");
	ck_assert_uint_eq(stats.removed, 1);
	ck_assert_uint_eq(stats.added, 1);
	free(d);
}
END_TEST

START_TEST(textdiff_hunks_split_and_join)
{
	struct textdiff_stats stats;
	char *d;

	/* Changes 2 kept lines apart share a hunk at context 1... */
	d = diff("a\nb\nc\nd\ne\n", "A\nb\nc\nD\ne\n", 1, &stats);
	ck_assert_str_eq(d, "--- a\n+++ b\n@@ -1,5 +1,5 @@\n-a\n+A\n b\n c\n-d\n+D\n e\n");
	free(d);
	/* ... 3 apart they do not. */
	d = diff("a\nb\nc\nd\ne\nf\n", "A\nb\nc\nd\nE\nf\n", 1, &stats);
	ck_assert_str_eq(d, "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n@@ -4,3 +4,3 @@\n d\n-e\n+E\n f\n");
	free(d);
	/* Lines only added or only removed: an empty range names the line
	 * before it, as diff -u does. */
	d = diff("a\nb\n", "a\nnew\nb\n", 0, &stats);
	ck_assert_str_eq(d, "--- a\n+++ b\n@@ -1,0 +2,1 @@\n+new\n");
	ck_assert_uint_eq(stats.added, 1);
	ck_assert_uint_eq(stats.removed, 0);
	free(d);
	d = diff("a\nold\nb\n", "a\nb\n", 0, &stats);
	ck_assert_str_eq(d, "--- a\n+++ b\n@@ -2,1 +1,0 @@\n-old\n");
	free(d);
	/* A common subsequence in the middle is kept, not replaced. */
	d = diff("x\n1\n2\n3\ny\n", "z\n1\n2\n3\nw\n", 0, &stats);
	ck_assert_str_eq(d, "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n+z\n@@ -5,1 +5,1 @@\n-y\n+w\n");
	free(d);
}
END_TEST

START_TEST(textdiff_json_is_per_field)
{
	struct textdiff_stats stats;
	struct sbuf out;

	sbuf_init(&out);
	ck_assert_int_eq(textdiff_json("{\"a\": 1, \"b\": \"x\", \"c\": true}", "{\"a\":1,\"b\":\"y\",\"c\":true}",
				       "old", "new", 3, &out, &stats), 0);
	ck_assert_str_eq(sbuf_text(&out), "--- old\n+++ new\n@@ -1,5 +1,5 @@\n {\n   \"a\": 1,\n-  \"b\": \"x\",\n"
			 "+  \"b\": \"y\",\n   \"c\": true\n }\n");
	sbuf_release(&out);
	/* Equal as JSON but not as text: the texts are shown. */
	ck_assert_int_eq(textdiff_json("{\"n\": 1.50}", "{\"n\": 1.5}", "old", "new", 3, &out, &stats), 0);
	ck_assert_str_eq(sbuf_text(&out), "--- old\n+++ new\n@@ -1,1 +1,1 @@\n-{\"n\": 1.50}\n+{\"n\": 1.5}\n");
	sbuf_release(&out);
	ck_assert_int_eq(textdiff_json("{\"n\": 1}", "{\"n\": 1}", "old", "new", 3, &out, &stats), 0);
	ck_assert_str_eq(sbuf_text(&out), "");
	sbuf_release(&out);
}
END_TEST

static long long add(const char *name, const char *payload, const char *secret)
{
	struct webhook wh;
	char err[ERR_MAX];
	long long id;

	webhook_init(&wh);
	wh.name = strdup(name);
	wh.url = strdup("http://127.0.0.1:9/");
	wh.payload = strdup(payload);
	wh.secret = secret ? strdup(secret) : NULL;
	ck_assert_int_eq(webhook_set_events(&wh, "alarm.high_severity", cat, err), 0);
	ck_assert_msg(store_webhook_insert(st, &wh, err) == 0, "%s", err);
	id = wh.id;
	webhook_clear(&wh);
	return id;
}

static void set_payload(const char *payload)
{
	tu_exec_text(st, "UPDATE webhooks SET payload = ?", payload);
}

static char *stored_body(void)
{
	return tu_text(st, "SELECT body FROM bodies");
}

/* An event fired with data whose spacing jansson would not keep. */
static void fire(struct event *ev)
{
	struct fanout_result res;
	char err[ERR_MAX];

	ck_assert_int_eq(event_init(ev, cat, "alarm.high_severity", "Disk full", json_pack("{s:s, s:f}",
				    "host", "db1", "load", 1.5), err), 0);
	ck_assert_msg(fanout_fire(st, ev, &res, err) == 0, "%s", err);
	ck_assert_uint_eq(res.deliveries, 1);
}

START_TEST(event_load_gives_the_event_as_fired)
{
	struct event fired, ev;
	char err[ERR_MAX];
	long long row = 0;

	add("a", "{\"t\": \"$Title\", \"e\": \"$Event\"}", NULL);
	fire(&fired);
	ck_assert_int_eq(rerender_event_resolve(st, fired.uid, &row, err), 0);
	ck_assert_int_eq(row, 1);
	ck_assert_int_eq(rerender_event_resolve(st, "1", &row, err), 0);
	ck_assert_int_eq(rerender_event_resolve(st, "evt_nope", &row, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(err, "no event \"evt_nope\""));
	ck_assert_int_eq(rerender_event_load(st, row, &ev, err), 0);
	ck_assert_str_eq(ev.uid, fired.uid);
	ck_assert_str_eq(ev.time, fired.time);
	ck_assert_str_eq(ev.type, "alarm.high_severity");
	ck_assert_str_eq(ev.title, "Disk full");
	ck_assert_str_eq(ev.severity, fired.severity);
	ck_assert_str_eq(ev.data_text, fired.data_text);
	ck_assert_str_eq(json_string_value(json_object_get(ev.data, "host")), "db1");
	/* Rendered again with the same payload: the very same body. */
	{
		char *again = format_render("{\"t\": \"$Title\", \"e\": \"$Event\"}", FORMAT_DEFAULT, &ev, err), *body = stored_body();

		ck_assert_str_eq(again, body);
		free(again);
		free(body);
	}
	event_clear(&ev);
	event_clear(&fired);
	ck_assert(rerender_is_event_id("evt_x") && rerender_is_event_id("12"));
	ck_assert(!rerender_is_event_id("alarm.high_severity") && !rerender_is_event_id(""));
}
END_TEST

START_TEST(redeliver_with_the_current_payload)
{
	struct rerender_body b;
	struct event ev;
	char err[ERR_MAX], uid[RANDID_MAX], *body;
	long long n, changed;

	add("a", "{\"t\": \"$Title\", \"e\": \"$Event\"}", NULL);
	fire(&ev);
	/* Still pending: refused, nothing changes. */
	set_payload("{\"headline\": \"$Title\", \"e\": \"$Event\"}");
	ck_assert_int_eq(rerender_redeliver(st, cat, "1", NULL, &b, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "already queued"));
	body = stored_body();
	ck_assert_ptr_nonnull(strstr(body, "\"t\": \"Disk full\""));
	free(body);
	tu_exec(st, "UPDATE deliveries SET state = 'dead', attempts = 8");
	/* The preview: stored and now. */
	ck_assert_int_eq(rerender_for_delivery(st, cat, "1", &b, err), 0);
	ck_assert_ptr_nonnull(strstr(b.stored, "\"t\": \"Disk full\""));
	ck_assert_ptr_nonnull(strstr(b.now, "\"headline\": \"Disk full\""));
	ck_assert_str_eq(b.webhook, "a");
	ck_assert_str_eq(b.event, ev.uid);
	snprintf(uid, sizeof uid, "%s", b.uid);
	rerender_body_clear(&b);
	/* What was shown is no longer what would be sent: refused. */
	ck_assert_int_eq(rerender_redeliver(st, cat, uid, "{\"other\": 1}", &b, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_CONFLICT);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM deliveries WHERE state = 'dead'"), 1);
	/* Done: the new body, the same uid, pending again. */
	ck_assert_msg(rerender_redeliver(st, cat, uid, NULL, &b, err) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(b.now, "headline"));
	rerender_body_clear(&b);
	body = stored_body();
	ck_assert_ptr_nonnull(strstr(body, "\"headline\": \"Disk full\""));
	free(body);
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM deliveries WHERE state = 'pending' AND step = 0"), 1);
	ck_assert_int_eq(rerender_for_delivery(st, cat, uid, &b, err), 0);
	ck_assert_str_eq(b.uid, uid);
	rerender_body_clear(&b);
	/* Bulk: a format that would never send the event is refused, and
	 * nothing changes. */
	tu_exec(st, "UPDATE deliveries SET state = 'dead'");
	tu_exec(st, "UPDATE webhooks SET format = 'jira'");
	ck_assert_int_eq(rerender_redeliver_bulk(st, cat, "a", "dead", 0, &n, &changed, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "would never send event"));
	ck_assert_int_eq(tu_count(st, "SELECT count(*) FROM deliveries WHERE state = 'dead'"), 1);
	tu_exec(st, "UPDATE webhooks SET format = 'default'");
	set_payload("{\"title\": \"$Title\", \"event\": \"$Event\"}");
	ck_assert_msg(rerender_redeliver_bulk(st, cat, "a", "dead", 0, &n, &changed, err) == 0, "%s", err);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(changed, 1);
	body = stored_body();
	ck_assert_ptr_nonnull(strstr(body, "\"title\": \"Disk full\""));
	free(body);
	event_clear(&ev);
}
END_TEST

START_TEST(render_for_a_webhook_finds_its_delivery)
{
	struct rerender_body b;
	struct event ev;
	char err[ERR_MAX];

	add("a", "{\"t\": \"$Title\", \"e\": \"$Event\"}", NULL);
	fire(&ev);
	ck_assert_int_eq(rerender_for_webhook(st, cat, "a", 1, &b, err), 0);
	ck_assert_int_eq(b.delivery, 1);
	ck_assert_str_eq(b.stored, b.now);
	rerender_body_clear(&b);
	/* A webhook added after the event: a body, but no delivery. */
	add("b", "{\"x\": \"$Title $Event\"}", NULL);
	ck_assert_int_eq(rerender_for_webhook(st, cat, "b", 1, &b, err), 0);
	ck_assert_int_eq(b.delivery, 0);
	ck_assert_ptr_null(b.stored);
	ck_assert_ptr_nonnull(strstr(b.now, "Disk full"));
	rerender_body_clear(&b);
	ck_assert_int_eq(rerender_for_webhook(st, cat, "nope", 1, &b, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	event_clear(&ev);
}
END_TEST

/* A coalesced delivery is rendered again as its group: the count in the
 * title and the group in $Event stay. */
START_TEST(a_coalesced_delivery_stays_a_group)
{
	struct rerender_body b;
	struct event ev;
	char err[ERR_MAX], *body;
	int i;

	add("a", "{\"t\": \"$Title\", \"e\": \"$Event\"}", NULL);
	tu_exec(st, "UPDATE webhooks SET coalesce_ms = 60000");
	for (i = 0; i < 3; i++) {
		struct fanout_result res;

		ck_assert_int_eq(event_init(&ev, cat, "alarm.high_severity", "Disk full", NULL, err), 0);
		ck_assert_msg(fanout_fire(st, &ev, &res, err) == 0, "%s", err);
		event_clear(&ev);
	}
	tu_exec(st, "UPDATE deliveries SET state = 'dead'");
	set_payload("{\"headline\": \"$Title\", \"e\": \"$Event\"}");
	ck_assert_msg(rerender_redeliver(st, cat, "1", NULL, &b, err) == 0, "%s", err);
	rerender_body_clear(&b);
	body = stored_body();
	ck_assert_msg(strstr(body, "\"headline\": \"Disk full (×3)\""), "%s", body);
	ck_assert_msg(strstr(body, "\\\"coalesced\\\":{\\\"count\\\":3"), "%s", body);
	free(body);
	/* The group's first event finds the group's delivery too. */
	ck_assert_msg(rerender_for_webhook(st, cat, "a", 1, &b, err) == 0, "%s", err);
	ck_assert_int_eq(b.delivery, 1);
	ck_assert_str_eq(b.stored, b.now);
	rerender_body_clear(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rerender");
	TCase *diff_tc = tcase_create("textdiff"), *tc = tcase_create("rerender");

	tcase_add_test(diff_tc, textdiff_equal_texts_give_nothing);
	tcase_add_test(diff_tc, textdiff_one_changed_line_with_context);
	tcase_add_test(diff_tc, textdiff_hunks_split_and_join);
	tcase_add_test(diff_tc, textdiff_json_is_per_field);
	suite_add_tcase(s, diff_tc);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, event_load_gives_the_event_as_fired);
	tcase_add_test(tc, redeliver_with_the_current_payload);
	tcase_add_test(tc, render_for_a_webhook_finds_its_delivery);
	tcase_add_test(tc, a_coalesced_delivery_stays_a_group);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
