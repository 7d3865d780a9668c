#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "randid.h"
#include "testutil.h"

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

static void add(const char *name, const char *events, enum format f, const char *payload, int enabled)
{
	struct webhook wh;
	char err[ERR_MAX];

	webhook_init(&wh);
	wh.name = strdup(name);
	wh.url = strdup("http://127.0.0.1:9/");
	wh.payload = strdup(payload);
	wh.format = f;
	wh.enabled = enabled;
	ck_assert_int_eq(webhook_set_events(&wh, events, cat, err), 0);
	ck_assert_msg(webhook_check(&wh, cat, err) == 0, "%s", err);
	ck_assert_msg(store_webhook_insert(st, &wh, err) == 0, "%s", err);
	webhook_clear(&wh);
}

static long long count(const char *sql)
{
	return tu_count(st, sql);
}

static char *body_of(const char *name)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT b.body FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN bodies b ON b.delivery_id = d.id "
		 "WHERE w.name = '%s'", name);
	return tu_text(st, sql);
}

START_TEST(fans_out_to_enabled_subscribers)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX], *body;
	json_t *j;

	add("slack", "alarm.high_severity", FORMAT_SLACK, "{\"text\": \"*$Title*\\nDetails: $Event\"}", 1);
	add("generic", "alarm.high_severity,admin.login", FORMAT_DEFAULT,
	    "{\"title\": \"$Title\", \"message\": \"$Event\"}", 1);
	add("off", "alarm.high_severity", FORMAT_DEFAULT, "{\"t\": \"$Title\", \"m\": \"$Event\"}", 0);
	add("other", "admin.login", FORMAT_DEFAULT, "{\"t\": \"$Title\", \"m\": \"$Event\"}", 1);
	/* What the interface's fire confirmation announces: enabled ones only. */
	{
		long long n = -1;

		ck_assert_int_eq(fanout_subscribers(st, "alarm.high_severity", &n, err), 0);
		ck_assert_int_eq(n, 2);
		ck_assert_int_eq(fanout_subscribers(st, "audit.reboot", &n, err), 0);
		ck_assert_int_eq(n, 0);
	}

	ck_assert_int_eq(event_init(&ev, cat, "alarm.high_severity", NULL, NULL, err), 0);
	ck_assert_msg(fanout_fire(st, &ev, &res, err) == 0, "%s", err);
	ck_assert_uint_eq(res.deliveries, 2);
	ck_assert_int_eq(count("SELECT count(*) FROM events"), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM deliveries WHERE state = 'pending' AND attempts = 0"), 2);
	ck_assert_int_eq(count("SELECT count(DISTINCT uid) FROM deliveries WHERE uid LIKE 'msg_%'"), 2);
	ck_assert_int_eq(count("SELECT count(*) FROM deliveries WHERE next_attempt_at > 0"), 2);

	body = body_of("slack");
	j = json_loads(body, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "text")),
			 "*HIGH SEVERITY ALARM DETECTED*\nDetails: HIGH SEVERITY ALARM DETECTED");
	json_decref(j);
	free(body);
	body = body_of("generic");
	j = json_loads(body, 0, NULL);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(j, "message")), ev.uid));
	json_decref(j);
	free(body);
	event_clear(&ev);
}
END_TEST

/* Issue "Trust in the front ends", item 6: fan-out escapes $Title for the
 * format as test and render do. Before: 'hookman fire admin.login --title
 * "Disk <!here>"' queued a Slack body with <!here> raw in the title. */
START_TEST(fanout_escapes_title_for_the_format)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX], *body, *want;

	add("slack", "admin.login", FORMAT_SLACK, "{\"text\": \"*$Title*\\nDetails: $Event\"}", 1);
	add("generic", "admin.login", FORMAT_DEFAULT, "{ \"n\": 1.10, \"t\": \"$Title\", \"m\": \"$Event\" }", 1);
	ck_assert_int_eq(event_init(&ev, cat, "admin.login", "Disk <!here> & <b>", NULL, err), 0);
	ck_assert_msg(fanout_fire(st, &ev, &res, err) == 0, "%s", err);
	body = body_of("slack");
	ck_assert_str_eq(body, "{\"text\": \"*Disk &lt;!here&gt; &amp; &lt;b&gt;*\\nDetails: Disk &lt;!here&gt; &amp; &lt;b&gt;\"}");
	free(body);
	/* The same body test and render show. */
	body = body_of("generic");
	want = fanout_render("{ \"n\": 1.10, \"t\": \"$Title\", \"m\": \"$Event\" }", FORMAT_DEFAULT, &ev, err);
	ck_assert_ptr_nonnull(strstr(body, "{ \"n\": 1.10, \"t\": \"Disk <!here> & <b>\", \"m\": \""));
	ck_assert_str_eq(body, want);
	free(want);
	free(body);
	event_clear(&ev);
}
END_TEST

START_TEST(no_subscribers_still_records_event)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];

	ck_assert_int_eq(event_init(&ev, cat, "audit.reboot", NULL, NULL, err), 0);
	ck_assert_int_eq(fanout_fire(st, &ev, &res, err), 0);
	ck_assert_uint_eq(res.deliveries, 0);
	ck_assert_int_eq(count("SELECT count(*) FROM events WHERE type = 'audit.reboot'"), 1);
	event_clear(&ev);
}
END_TEST

START_TEST(failure_writes_nothing)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];

	add("good", "admin.login", FORMAT_DEFAULT, "{\"t\": \"$Title\", \"m\": \"$Event\"}", 1);
	add("bad", "admin.login", FORMAT_DEFAULT, "{\"t\": \"$Title\", \"m\": \"$Event\"}", 1);
	/* A row damaged behind hookman's back must not half-fire the event. */
	tu_exec(st, "UPDATE webhooks SET payload = '{' WHERE name = 'bad'");
	ck_assert_int_eq(event_init(&ev, cat, "admin.login", NULL, NULL, err), 0);
	ck_assert_int_eq(fanout_fire(st, &ev, &res, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad payload"));
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_int_eq(count("SELECT count(*) FROM events"), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM deliveries"), 0);
	event_clear(&ev);
}
END_TEST

START_TEST(delete_cancels_pending)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];
	struct store_backlog pending = { -1, -1 };

	add("gone", "admin.login", FORMAT_DEFAULT, "{\"t\": \"$Title\", \"m\": \"$Event\"}", 1);
	add("kept", "admin.login", FORMAT_DEFAULT, "{\"t\": \"$Title\", \"m\": \"$Event\"}", 1);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(event_init(&ev, cat, "admin.login", NULL, NULL, err), 0);
		ck_assert_int_eq(fanout_fire(st, &ev, &res, err), 0);
		event_clear(&ev);
	}
	tu_exec(st, "UPDATE deliveries SET state = 'delivered' WHERE id = (SELECT min(d.id) FROM deliveries d "
		"JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'gone')");
	ck_assert_int_eq(store_webhook_delete(st, "gone", &pending, err), 0);
	ck_assert_int_eq(pending.waiting, 2);
	ck_assert_int_eq(pending.inflight, 0);
	ck_assert_int_eq(count("SELECT count(*) FROM deliveries"), 3);
	ck_assert_int_eq(count("SELECT count(*) FROM subscriptions"), 1);
}
END_TEST

/* Ids made later sort later (the unique indexes on them grow at their
 * right edge); within a millisecond they still differ. */
START_TEST(ids_sort_by_time_and_differ)
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	char first[RANDID_MAX], prev[RANDID_MAX], id[RANDID_MAX], err[ERR_MAX];
	long long start = store_now_ms(), deadline = start + 5000;
	int i;

	ck_assert_int_eq(randid_make(first, "msg", err), 0);
	ck_assert_uint_eq(strlen(first), 30);
	ck_assert_int_eq(strncmp(first, "msg_", 4), 0);
	ck_assert_uint_eq(strspn(first + 4, alphabet), 26);
	strcpy(prev, first);
	for (i = 0; i < 1000; i++) {
		ck_assert_int_eq(randid_make(id, "msg", err), 0);
		ck_assert_str_ne(id, prev);
		strcpy(prev, id);
	}
	/* A later millisecond: poll the clock, with a deadline. */
	while (store_now_ms() <= start + 1 && store_now_ms() < deadline)
		;
	ck_assert_int_eq(randid_make(id, "msg", err), 0);
	ck_assert_int_gt(strcmp(id, first), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fanout");
	TCase *tc = tcase_create("fanout");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fans_out_to_enabled_subscribers);
	tcase_add_test(tc, fanout_escapes_title_for_the_format);
	tcase_add_test(tc, no_subscribers_still_records_event);
	tcase_add_test(tc, failure_writes_nothing);
	tcase_add_test(tc, delete_cancels_pending);
	tcase_add_test(tc, ids_sort_by_time_and_differ);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
