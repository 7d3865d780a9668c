#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coalesce.h"
#include "fanout.h"
#include "queue.h"
#include "testutil.h"

static struct catalog *cat;
static struct store *st;

static void setup(void)
{
	char err[ERR_MAX];
	struct webhook wh;

	cat = tu_catalog();
	st = tu_store_open(err);
	ck_assert_msg(st != NULL, "%s", err);
	webhook_init(&wh);
	wh.name = strdup("pager");
	wh.url = strdup("http://127.0.0.1:9/x");
	wh.payload = strdup("{\"t\": \"$Title\", \"m\": \"$Event\"}");
	ck_assert_int_eq(webhook_set_events(&wh, "alarm.high_severity,admin.login", cat, err), 0);
	ck_assert_msg(store_webhook_insert(st, &wh, err) == 0, "%s", err);
	webhook_clear(&wh);
	tu_exec(st, "UPDATE webhooks SET coalesce_ms = 3000");
}

static void teardown(void)
{
	tu_store_close(st);
	catalog_free(cat);
}

static struct fanout_result fire(const char *type, const char *title, char *uid)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];

	ck_assert_int_eq(event_init(&ev, cat, type, title, NULL, err), 0);
	ck_assert_msg(fanout_fire(st, &ev, &res, err) == 0, "%s", err);
	if (uid)
		strcpy(uid, ev.uid);
	event_clear(&ev);
	return res;
}

static long long q(const char *sql)
{
	return tu_count(st, sql);
}

/* The body of the one delivery, parsed, and its $Event parsed too. */
static json_t *body_event(json_t **body)
{
	char *text = tu_text(st, "SELECT body FROM bodies");
	json_t *ev;

	*body = json_loads(text, 0, NULL);
	free(text);
	ck_assert_ptr_nonnull(*body);
	ev = json_loads(json_string_value(json_object_get(*body, "m")), 0, NULL);
	ck_assert_ptr_nonnull(ev);
	return ev;
}

START_TEST(repeats_in_the_window_become_one_delivery)
{
	char first[RANDID_MAX], last[RANDID_MAX];
	struct fanout_result r;
	json_t *body, *ev, *c;
	long long due;

	r = fire("alarm.high_severity", "Disk full", first);
	ck_assert_uint_eq(r.deliveries, 1);
	ck_assert_uint_eq(r.coalesced, 0);
	for (int i = 0; i < 18; i++) {
		r = fire("alarm.high_severity", "Disk full", NULL);
		ck_assert_uint_eq(r.deliveries, 0);
		ck_assert_uint_eq(r.coalesced, 1);
	}
	fire("alarm.high_severity", "Disk full", last);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM events"), 20);
	/* Sent at the window's end: 3 s after the first event. */
	due = q("SELECT next_attempt_at - created_at FROM deliveries");
	ck_assert_int_eq(due, 3000);
	ev = body_event(&body);
	ck_assert_str_eq(json_string_value(json_object_get(body, "t")), "Disk full (×20)");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "title")), "Disk full (×20)");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "id")), last);
	c = json_object_get(ev, "coalesced");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "count")), 20);
	ck_assert_uint_eq(json_array_size(json_object_get(c, "ids")), 20);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "ids"), 0)), first);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "ids"), 19)), last);
	ck_assert_ptr_nonnull(json_string_value(json_object_get(c, "first")));
	ck_assert_ptr_nonnull(json_string_value(json_object_get(c, "last")));
	json_decref(ev);
	json_decref(body);
}
END_TEST

/* Another title or type is another group; a group that was claimed, or
 * whose window is over, takes no more. */
START_TEST(groups_are_per_type_and_title_and_close)
{
	char err[ERR_MAX];
	struct queue_claim c;

	fire("alarm.high_severity", "Disk full", NULL);
	fire("alarm.high_severity", "CPU hot", NULL);
	fire("admin.login", NULL, NULL);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries"), 3);
	fire("alarm.high_severity", "Disk full", NULL);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries"), 3);
	/* Nothing is due before the window ends. */
	memset(&c, 0, sizeof c);
	c.now = store_now_ms();
	c.max = 8;
	ck_assert_int_eq(queue_claim(st, &c, err), 0);
	ck_assert_uint_eq(c.n, 0);
	ck_assert_int_ge(c.next_due, c.now + 2000);
	queue_claim_clear(&c);
	c.now = store_now_ms() + 3000;
	ck_assert_int_eq(queue_claim(st, &c, err), 0);
	ck_assert_uint_eq(c.n, 3);
	queue_claim_clear(&c);
	fire("alarm.high_severity", "Disk full", NULL);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries"), 4);
	/* A window that ended unsent (a sender that was down) takes no more. */
	tu_exec(st, "UPDATE deliveries SET next_attempt_at = 0 WHERE state = 'pending'");
	fire("alarm.high_severity", "Disk full", NULL);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries"), 5);
}
END_TEST

/* A storm's group lists the first ids and counts the rest: one join
 * costs the same at the 150th event as at the 2nd. */
START_TEST(a_storm_lists_the_first_ids_and_counts_the_rest)
{
	json_t *body, *ev, *c;
	int i;

	for (i = 0; i < COALESCE_IDS_MAX + 50; i++)
		fire("alarm.high_severity", "Disk full", NULL);
	ev = body_event(&body);
	c = json_object_get(ev, "coalesced");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "count")), COALESCE_IDS_MAX + 50);
	ck_assert_uint_eq(json_array_size(json_object_get(c, "ids")), COALESCE_IDS_MAX);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "ids_omitted")), 50);
	json_decref(ev);
	json_decref(body);
}
END_TEST

START_TEST(a_title_counts_from_two)
{
	char *t = coalesce_title("Disk full", 1);

	ck_assert_str_eq(t, "Disk full");
	free(t);
	t = coalesce_title("Disk full", 12);
	ck_assert_str_eq(t, "Disk full (×12)");
	free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("coalesce");
	TCase *tc = tcase_create("coalesce");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, repeats_in_the_window_become_one_delivery);
	tcase_add_test(tc, groups_are_per_type_and_title_and_close);
	tcase_add_test(tc, a_title_counts_from_two);
	tcase_add_test(tc, a_storm_lists_the_first_ids_and_counts_the_rest);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
