#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "history.h"
#include "queue.h"
#include "stats.h"
#include "testutil.h"

static const char *dir;
static struct catalog *cat;
static struct store *st;
static struct queue_policy pol;

static void setup(void)
{
	char err[ERR_MAX];

	dir = tu_tmpdir();
	cat = tu_catalog();
	st = store_open(dir, err);
	ck_assert_msg(st != NULL, "%s", err);
	queue_policy_default(&pol);
	pol.schedule.jitter_pct = 0;
}

static void teardown(void)
{
	store_close(st);
	tu_rmtree(dir);
	catalog_free(cat);
}

static long long add(const char *name, int enabled)
{
	struct webhook wh;
	char err[ERR_MAX];
	long long id;

	webhook_init(&wh);
	wh.name = strdup(name);
	wh.url = strdup("http://127.0.0.1:9/x");
	wh.payload = strdup("{\"t\": \"$Title\", \"m\": \"$Event\"}");
	wh.enabled = enabled;
	ck_assert_int_eq(webhook_set_events(&wh, "admin.login", cat, err), 0);
	ck_assert_int_eq(webhook_add_header(&wh, "X-Team: soc", err), 0);
	ck_assert_msg(store_webhook_insert(st, &wh, err) == 0, "%s", err);
	id = wh.id;
	webhook_clear(&wh);
	return id;
}

static void fire(int n)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];

	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(event_init(&ev, cat, "admin.login", NULL, NULL, err), 0);
		ck_assert_int_eq(fanout_fire(st, &ev, &res, err), 0);
		event_clear(&ev);
	}
}

static long long q(const char *sql)
{
	return tu_count(store_db(st), sql);
}

struct limit {
	long long id;
	int left;
};

static int admit_limited(void *ctx, long long webhook_id)
{
	struct limit *l = ctx;

	if (webhook_id != l->id)
		return 1;
	if (l->left == 0)
		return 0;
	l->left--;
	return 1;
}

START_TEST(claim_takes_due_enabled_within_limits)
{
	long long a = add("a", 1), b = add("b", 1);
	struct limit lim = { a, 2 };
	struct job *jobs;
	char err[ERR_MAX];
	size_t n, i, fromb = 0;

	add("off", 0);
	fire(5);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries"), 10);
	ck_assert_int_eq(queue_claim(st, store_now_ms(), 100, admit_limited, &lim, &jobs, &n, err), 0);
	ck_assert_uint_eq(n, 7);   /* 2 of a (its limit), 5 of b, none of the disabled one */
	for (i = 0; i < n; i++) {
		fromb += jobs[i].webhook_id == b;
		ck_assert(strncmp(jobs[i].uid, "msg_", 4) == 0);
		ck_assert_str_eq(jobs[i].url, "http://127.0.0.1:9/x");
		ck_assert_uint_eq(jobs[i].nheaders, 1);
		ck_assert_str_eq(jobs[i].headers[0], "X-Team: soc");
		ck_assert_ptr_nonnull(strstr(jobs[i].body, "ADMIN LOGIN"));
	}
	ck_assert_uint_eq(fromb, 5);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight'"), 7);
	queue_jobs_free(jobs, n);
	/* Nothing due in the past of the fan-out. */
	ck_assert_int_eq(queue_claim(st, 0, 100, NULL, NULL, &jobs, &n, err), 0);
	ck_assert_uint_eq(n, 0);
	free(jobs);
	/* A sender killed now: recovery puts them back. */
	{
		long long back;

		ck_assert_int_eq(queue_recover(st, &back, err), 0);
		ck_assert_int_eq(back, 7);
		ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'pending'"), 10);
	}
}
END_TEST

static struct job claim_one(void)
{
	struct job *jobs, j;
	char err[ERR_MAX];
	size_t n;

	ck_assert_int_eq(queue_claim(st, store_now_ms() + 100000000, 1, NULL, NULL, &jobs, &n, err), 0);
	ck_assert_uint_eq(n, 1);
	j = jobs[0];
	free(jobs);
	return j;
}

static enum verdict finish(struct job *j, int status, const char *error, long long retry_after, long long at)
{
	struct outcome o = { at, 12, status, error, "Content-Type: application/json\n", "HTTP/1.1 x\n", "ok", 2, 2, retry_after };
	struct job *jp = j;
	enum verdict v;
	char err[ERR_MAX];

	ck_assert_msg(queue_finish(st, &pol, &jp, &o, 1, &v, err) == 0, "%s", err);
	return v;
}

START_TEST(outcomes_move_deliveries)
{
	long long now = store_now_ms();
	struct job j;

	add("a", 1);
	fire(1);
	j = claim_one();
	ck_assert_int_eq(finish(&j, 500, "HTTP 500", -1, now), VERDICT_RETRY);
	ck_assert_int_eq(q("SELECT step FROM deliveries"), 1);
	ck_assert_int_eq(q("SELECT attempts FROM deliveries"), 1);
	ck_assert_int_eq(q("SELECT next_attempt_at FROM deliveries") - (now + 12), 5000);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'failed' AND last_status = 500 AND last_error = 'HTTP 500'"), 1);
	ck_assert_int_eq(q("SELECT failing_since FROM webhooks"), now);
	queue_job_free(&j);

	j = claim_one();
	ck_assert_int_eq(j.step, 1);
	ck_assert_int_eq(finish(&j, 429, "HTTP 429", 7000, now + 1000), VERDICT_RETRY);
	ck_assert_int_eq(q("SELECT next_attempt_at FROM deliveries") - (now + 1012), 7000);
	queue_job_free(&j);

	j = claim_one();
	ck_assert_int_eq(finish(&j, 204, NULL, -1, now + 2000), VERDICT_DELIVERED);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'delivered' AND attempts = 3 AND last_error IS NULL"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM webhooks WHERE failing_since IS NULL AND enabled"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM attempts"), 3);
	ck_assert_int_eq(q("SELECT count(*) FROM attempts WHERE status IS NULL"), 0);
	queue_job_free(&j);
}
END_TEST

START_TEST(schedule_runs_out_then_dead)
{
	long long now = store_now_ms();
	struct job j;
	int i;

	retry_parse(&pol.schedule, "1s,1s", NULL);
	add("a", 1);
	fire(1);
	for (i = 0; i < 2; i++) {
		j = claim_one();
		ck_assert_int_eq(finish(&j, 0, "Connection refused", -1, now), VERDICT_RETRY);
		queue_job_free(&j);
	}
	j = claim_one();
	ck_assert_int_eq(finish(&j, 0, "Connection refused", -1, now), VERDICT_DEAD);
	queue_job_free(&j);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'dead' AND attempts = 3 AND last_status IS NULL"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM attempts WHERE error = 'Connection refused'"), 3);
}
END_TEST

START_TEST(gone_disables_webhook)
{
	struct job j;
	char err[ERR_MAX];
	json_t *info = json_object();

	add("a", 1);
	fire(2);
	j = claim_one();
	ck_assert_int_eq(finish(&j, 410, "HTTP 410", -1, store_now_ms()), VERDICT_RETRY);
	queue_job_free(&j);
	ck_assert_int_eq(q("SELECT enabled FROM webhooks"), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM webhooks WHERE disabled_reason LIKE '%410 Gone%'"), 1);
	/* Its deliveries wait: nothing of a disabled webhook is claimed or due. */
	{
		struct job *jobs;
		size_t n;
		long long when;

		ck_assert_int_eq(queue_claim(st, store_now_ms() + 100000000, 10, NULL, NULL, &jobs, &n, err), 0);
		ck_assert_uint_eq(n, 0);
		free(jobs);
		ck_assert_int_eq(queue_next_due(st, &when, err), 0);
		ck_assert_int_eq(when, -1);
	}
	ck_assert_int_eq(stats_queue(st, info, err), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(info, "failing"), 0), "name")), "a");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(info, "queue"), "failed")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(info, "queue"), "pending")), 1);
	json_decref(info);
}
END_TEST

START_TEST(long_failure_disables_webhook)
{
	long long day = 24LL * 3600 * 1000, t0 = store_now_ms();
	struct job j;

	add("a", 1);
	fire(1);
	j = claim_one();
	finish(&j, 503, "HTTP 503", -1, t0);
	queue_job_free(&j);
	ck_assert_int_eq(q("SELECT enabled FROM webhooks"), 1);
	j = claim_one();
	finish(&j, 503, "HTTP 503", -1, t0 + 5 * day);
	queue_job_free(&j);
	ck_assert_int_eq(q("SELECT enabled FROM webhooks"), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM webhooks WHERE disabled_reason = 'every delivery failed for 5 days (last: HTTP 503)'"), 1);
}
END_TEST

START_TEST(tests_are_not_retried_nor_judged)
{
	struct webhook wh;
	struct event ev;
	struct job j;
	long long id;
	char err[ERR_MAX];

	add("a", 1);
	ck_assert_int_eq(store_webhook_get(st, "a", &wh, err), 0);
	ck_assert_int_eq(event_init(&ev, cat, "admin.login", NULL, NULL, err), 0);
	ck_assert_int_eq(fanout_test(st, &wh, &ev, &id, err), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE is_test AND state = 'inflight'"), 1);
	ck_assert_int_eq(queue_load(st, id, &j, err), 0);
	ck_assert(j.is_test);
	ck_assert_int_eq(finish(&j, 500, "HTTP 500", -1, store_now_ms()), VERDICT_DEAD);
	ck_assert_int_eq(q("SELECT count(*) FROM webhooks WHERE failing_since IS NULL"), 1);
	/* And a redelivery does not apply to tests. */
	ck_assert_int_eq(history_redeliver(st, j.uid, err), -1);
	queue_job_free(&j);
	event_clear(&ev);
	webhook_clear(&wh);
}
END_TEST

START_TEST(redeliver_resets_schedule)
{
	struct job j;
	char err[ERR_MAX], id[64];
	long long n;
	json_t *list, *one;

	add("a", 1);
	fire(3);
	j = claim_one();
	snprintf(id, sizeof id, "%lld", j.id);
	ck_assert_int_eq(history_redeliver(st, id, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "already queued"));
	finish(&j, 500, "HTTP 500", -1, store_now_ms());
	ck_assert_int_eq(history_redeliver(st, j.uid, err), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'pending' AND step = 0"), 3);
	ck_assert_int_eq(q("SELECT sum(attempts) FROM deliveries"), 1);
	queue_job_free(&j);
	ck_assert_int_eq(history_redeliver(st, "msg_nope", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no delivery \"msg_nope\""));

	ck_assert_int_eq(sqlite3_exec(store_db(st), "UPDATE deliveries SET state = 'dead'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(history_redeliver_bulk(st, "a", "dead", 0, &n, err), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(history_redeliver_bulk(st, "a", "delivered", 0, &n, err), -1);
	ck_assert_int_eq(history_list(st, "a", "pending", 2, &list, err), 0);
	ck_assert_uint_eq(json_array_size(list), 2);
	ck_assert_int_gt(json_integer_value(json_object_get(json_array_get(list, 0), "id")),
			 json_integer_value(json_object_get(json_array_get(list, 1), "id")));
	ck_assert_int_eq(history_get(st, "1", &one, err), 0);
	ck_assert_str_eq(json_string_value(json_object_get(one, "webhook")), "a");
	ck_assert_uint_eq(json_array_size(json_object_get(one, "attempt_log")), 1);
	json_decref(one);
	json_decref(list);
	ck_assert_int_eq(history_list(st, NULL, "bogus", 0, &list, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown state \"bogus\""));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("queue");
	TCase *tc = tcase_create("queue");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, claim_takes_due_enabled_within_limits);
	tcase_add_test(tc, outcomes_move_deliveries);
	tcase_add_test(tc, schedule_runs_out_then_dead);
	tcase_add_test(tc, gone_disables_webhook);
	tcase_add_test(tc, long_failure_disables_webhook);
	tcase_add_test(tc, tests_are_not_retried_nor_judged);
	tcase_add_test(tc, redeliver_resets_schedule);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
