#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "holds.h"
#include "queue.h"
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

static long long add(const char *name, const char *events)
{
	struct webhook wh;
	char err[ERR_MAX];
	long long id;

	webhook_init(&wh);
	wh.name = strdup(name);
	wh.url = strdup("http://127.0.0.1:9/x");
	wh.payload = strdup("{\"t\": \"$Title\", \"m\": \"$Event\"}");
	ck_assert_int_eq(webhook_set_events(&wh, events, cat, err), 0);
	ck_assert_msg(store_webhook_insert(st, &wh, err) == 0, "%s", err);
	id = wh.id;
	webhook_clear(&wh);
	return id;
}

static struct fanout_result fire(const char *type)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];

	ck_assert_int_eq(event_init(&ev, cat, type, NULL, NULL, err), 0);
	ck_assert_msg(fanout_fire(st, &ev, &res, err) == 0, "%s", err);
	event_clear(&ev);
	return res;
}

static long long q(const char *sql)
{
	return tu_count(st, sql);
}

/* Claim as hookmand does, at time now; the claimed webhook names in order
 * of the jobs, comma-separated, in out. */
static size_t claim(long long now, long long *next_due, char *out, size_t size)
{
	struct queue_claim c;
	char err[ERR_MAX];
	size_t i, n;

	memset(&c, 0, sizeof c);
	c.now = now;
	c.max = 64;
	ck_assert_msg(queue_claim(st, &c, err) == 0, "%s", err);
	out[0] = '\0';
	for (i = 0; i < c.n; i++) {
		strncat(out, i ? "," : "", size - strlen(out) - 1);
		strncat(out, c.jobs[i].webhook_name, size - strlen(out) - 1);
	}
	*next_due = c.next_due;
	n = c.n;
	queue_claim_clear(&c);
	return n;
}

static const struct hold_target slack = { "slack", NULL };
static const struct hold_target logins = { NULL, "admin.login" };

START_TEST(a_held_webhook_waits_and_goes_when_released)
{
	struct hold_set_result set;
	char err[ERR_MAX], names[256];
	long long now = store_now_ms(), due, queued, dropped;

	add("slack", "admin.login");
	add("teams", "admin.login");
	fire("admin.login");
	ck_assert_int_eq(holds_set(st, &slack, now, 0, 0, &set, err), 0);
	ck_assert_int_eq(set.queued, 1);
	fire("admin.login");
	ck_assert_uint_eq(claim(store_now_ms() + 10, &due, names, sizeof names), 2);
	ck_assert_str_eq(names, "teams,teams");
	ck_assert_int_eq(due, -1);
	ck_assert_int_eq(holds_release(st, &slack, store_now_ms(), &queued, &dropped, err), 0);
	ck_assert_int_eq(queued, 2);
	ck_assert_int_eq(dropped, 0);
	ck_assert_uint_eq(claim(store_now_ms() + 10, &due, names, sizeof names), 2);
	ck_assert_str_eq(names, "slack,slack");
	ck_assert_int_eq(q("SELECT count(*) FROM holds"), 0);
}
END_TEST

/* A hold with a time ends by itself: the claim wakes the sender then,
 * and after it the deliveries go, oldest first. */
START_TEST(a_hold_ends_by_itself)
{
	struct hold_set_result set;
	char err[ERR_MAX], names[256];
	long long now = store_now_ms(), due;

	add("slack", "admin.login");
	ck_assert_int_eq(holds_set(st, &slack, now, now + 2000, 0, &set, err), 0);
	fire("admin.login");
	fire("admin.login");
	ck_assert_uint_eq(claim(now + 10, &due, names, sizeof names), 0);
	ck_assert_int_eq(due, now + 2000);
	ck_assert_uint_eq(claim(now + 2000, &due, names, sizeof names), 2);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight'"), 2);
}
END_TEST

START_TEST(an_event_type_hold_keeps_only_that_type)
{
	struct hold_set_result set;
	char err[ERR_MAX], names[256];
	long long now = store_now_ms(), due;
	struct queue_claim c;

	add("slack", "admin.login,audit.logout");
	ck_assert_int_eq(holds_set(st, &logins, now, 0, 0, &set, err), 0);
	fire("admin.login");
	fire("audit.logout");
	fire("admin.login");
	memset(&c, 0, sizeof c);
	c.now = store_now_ms() + 10;
	c.max = 64;
	ck_assert_msg(queue_claim(st, &c, err) == 0, "%s", err);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id "
			   "WHERE d.state = 'inflight' AND e.type = 'audit.logout'"), 1);
	queue_claim_clear(&c);
	ck_assert_uint_eq(claim(store_now_ms() + 10, &due, names, sizeof names), 0);
}
END_TEST

/* With drop, a fan-out records the delivery as dropped, body and all, and
 * the claim never takes it; what was queued before still waits. */
START_TEST(drop_records_new_deliveries_as_dropped)
{
	struct hold_set_result set;
	char err[ERR_MAX], names[256];
	long long now = store_now_ms(), due, queued, dropped;
	struct fanout_result res;

	add("slack", "admin.login");
	add("teams", "admin.login");
	fire("admin.login");
	ck_assert_int_eq(holds_set(st, &slack, now, 0, 1, &set, err), 0);
	res = fire("admin.login");
	ck_assert_uint_eq(res.deliveries, 1);
	ck_assert_uint_eq(res.dropped, 1);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN bodies b ON b.delivery_id = d.id "
			   "JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'slack' AND d.state = 'dropped' "
			   "AND d.last_error LIKE 'dropped: %'"), 1);
	ck_assert_int_eq(holds_release(st, &slack, store_now_ms(), &queued, &dropped, err), 0);
	ck_assert_int_eq(queued, 1);
	ck_assert_int_eq(dropped, 1);
	ck_assert_uint_eq(claim(store_now_ms() + 10, &due, names, sizeof names), 3);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'dropped'"), 1);
}
END_TEST

START_TEST(holds_are_listed_replaced_and_refused_by_kind)
{
	struct hold_set_result set;
	char err[ERR_MAX];
	long long now = store_now_ms(), queued, dropped;
	const struct hold_target nobody = { "nobody", NULL };
	json_t *list;

	add("slack", "admin.login");
	ck_assert_int_eq(holds_set(st, &slack, now, now + 60000, 0, &set, err), 0);
	ck_assert_int_eq(holds_set(st, &slack, now, 0, 1, &set, err), 0);
	ck_assert_int_eq(set.replaced, 1);
	ck_assert_int_eq(set.was_until, now + 60000);
	ck_assert_int_eq(set.was_drop, 0);
	ck_assert_int_eq(holds_set(st, &logins, now, now + 5, 0, &set, err), 0);
	ck_assert_int_eq(holds_list(st, now, &list, err), 0);
	ck_assert_uint_eq(json_array_size(list), 2);
	json_decref(list);
	/* The event type's hold has ended: not listed, not releasable. */
	ck_assert_int_eq(holds_list(st, now + 5, &list, err), 0);
	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "webhook")), "slack");
	ck_assert(json_is_null(json_object_get(json_array_get(list, 0), "until")));
	ck_assert(json_is_true(json_object_get(json_array_get(list, 0), "drop")));
	json_decref(list);
	ck_assert_int_eq(holds_release(st, &logins, now + 5, &queued, &dropped, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	ck_assert_str_eq(err, "event type admin.login is not held (see 'hookman hold')");
	ck_assert_int_eq(holds_set(st, &nobody, now, 0, 0, &set, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	ck_assert_int_eq(q("SELECT count(*) FROM holds WHERE webhook_id IS NOT NULL"), 1);
	/* Deleting the webhook takes its hold with it. */
	tu_exec(st, "DELETE FROM webhooks WHERE name = 'slack'");
	ck_assert_int_eq(q("SELECT count(*) FROM holds WHERE webhook_id IS NOT NULL"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("holds");
	TCase *tc = tcase_create("holds");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_held_webhook_waits_and_goes_when_released);
	tcase_add_test(tc, a_hold_ends_by_itself);
	tcase_add_test(tc, an_event_type_hold_keeps_only_that_type);
	tcase_add_test(tc, drop_records_new_deliveries_as_dropped);
	tcase_add_test(tc, holds_are_listed_replaced_and_refused_by_kind);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
