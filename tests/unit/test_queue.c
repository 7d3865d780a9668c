#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "history.h"
#include "queue.h"
#include "rate.h"
#include "sbuf.h"
#include "senders.h"
#include "stats.h"
#include "testutil.h"

static struct catalog *cat;
static struct store *st;
static struct queue_policy pol;

static void setup(void)
{
	char err[ERR_MAX];

	cat = tu_catalog();
	st = tu_store_open(err);
	ck_assert_msg(st != NULL, "%s", err);
	queue_policy_default(&pol);
	pol.schedule.jitter_pct = 0;
}

static void teardown(void)
{
	tu_store_close(st);
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
	return tu_count(st, sql);
}

/* A sender's view: webhook `id` may take `left` more; the others any. */
struct limit {
	long long id;
	size_t left;
	size_t reserve;            /* for every webhook */
};

static void room_limited(void *ctx, long long webhook_id, struct queue_room *r)
{
	struct limit *l = ctx;

	r->room = webhook_id == l->id ? l->left : 1000;
	r->reserve = l->reserve;
}

static struct queue_claim claim_at(long long now, size_t max, struct limit *lim)
{
	struct queue_claim c;
	char err[ERR_MAX];

	memset(&c, 0, sizeof c);
	c.now = now;
	c.max = max;
	c.room = lim ? room_limited : NULL;
	c.ctx = lim;
	ck_assert_msg(queue_claim(st, &c, err) == 0, "%s", err);
	return c;
}

/* What the claims of a sender killed now come to: on SQLite, one sender
 * to a store, queue_recover puts back whatever is in flight; on
 * PostgreSQL, shared by senders on several hosts, only what no live
 * sender holds, a claim whose lease ran out, as these are made to. */
static void sender_killed(void)
{
	if (!tu_backend_is_sqlite())
		tu_exec(st, "UPDATE deliveries SET lease_until = 0 WHERE state = 'inflight'");
}

START_TEST(claim_takes_due_enabled_within_limits)
{
	long long a = add("a", 1), b = add("b", 1);
	struct limit lim = { a, 2, 1000 };
	struct queue_claim c;
	size_t i, fromb = 0;

	add("off", 0);
	fire(5);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries"), 10);
	c = claim_at(store_now_ms(), 100, &lim);
	ck_assert_uint_eq(c.n, 7);   /* 2 of a (its limit), 5 of b, none of the disabled one */
	for (i = 0; i < c.n; i++) {
		fromb += c.jobs[i].webhook_id == b;
		ck_assert(strncmp(c.jobs[i].uid, "msg_", 4) == 0);
		ck_assert_str_eq(c.jobs[i].url, "http://127.0.0.1:9/x");
		ck_assert_uint_eq(c.jobs[i].nheaders, 1);
		ck_assert_str_eq(c.jobs[i].headers[0], "X-Team: soc");
		ck_assert_ptr_nonnull(strstr(c.jobs[i].body, "ADMIN LOGIN"));
	}
	ck_assert_uint_eq(fromb, 5);
	ck_assert_int_eq(c.more, 1);   /* a has 3 more due */
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight'"), 7);
	queue_claim_clear(&c);
	/* Nothing due in the past of the fan-out; the next due time is known. */
	c = claim_at(0, 100, NULL);
	ck_assert_uint_eq(c.n, 0);
	ck_assert_int_gt(c.next_due, 0);
	queue_claim_clear(&c);
	/* A sender killed now: recovery puts them back. */
	{
		long long back;
		char err[ERR_MAX];

		sender_killed();
		ck_assert_int_eq(queue_recover(st, &back, err), 0);
		ck_assert_int_eq(back, 7);
		ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'pending'"), 10);
	}
}
END_TEST

/* The reproduction of head-of-line blocking: one webhook's backlog of 1,000
 * came first in due order and a healthy webhook's delivery waited behind
 * it while slots sat idle. Now every webhook with due deliveries gets a
 * slot per round, in turn across claims. */
START_TEST(claim_is_fair_across_webhooks)
{
	long long a = add("a", 1), b, c3;
	struct queue_claim c;
	size_t i, got[3] = { 0, 0, 0 };
	char err[ERR_MAX];

	fire(200);                 /* a's backlog */
	b = add("b", 1);
	c3 = add("c", 1);
	fire(1);                   /* one each for a, b and c, after the backlog */
	c = claim_at(store_now_ms() + 1000, 4, NULL);
	ck_assert_uint_eq(c.n, 4);
	for (i = 0; i < c.n; i++)
		got[c.jobs[i].webhook_id == a ? 0 : c.jobs[i].webhook_id == b ? 1 : 2]++;
	ck_assert_uint_eq(got[0], 2);
	ck_assert_uint_eq(got[1], 1);
	ck_assert_uint_eq(got[2], 1);
	queue_claim_clear(&c);
	sender_killed();
	ck_assert_int_eq(queue_recover(st, NULL, err), 0);
	/* One slot at a time: the turn goes round. */
	{
		long long cursor = 0, seen[3];

		for (i = 0; i < 3; i++) {
			memset(&c, 0, sizeof c);
			c.now = store_now_ms() + 1000;
			c.max = 1;
			c.cursor = cursor;
			ck_assert_int_eq(queue_claim(st, &c, err), 0);
			ck_assert_uint_eq(c.n, 1);
			seen[i] = c.jobs[0].webhook_id;
			cursor = c.cursor;
			queue_claim_clear(&c);
		}
		ck_assert_int_eq(seen[0], a);
		ck_assert_int_eq(seen[1], b);
		ck_assert_int_eq(seen[2], c3);
	}
}
END_TEST

/* The last slots are kept for webhooks the sender allows the reserve. */
START_TEST(claim_keeps_the_reserve)
{
	long long a = add("a", 1);
	struct limit lim = { a, 8, 0 };
	struct queue_claim c;

	fire(10);
	memset(&c, 0, sizeof c);
	c = claim_at(store_now_ms(), 8, &lim);
	queue_claim_clear(&c);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight'"), 8);
	{
		char err[ERR_MAX];

		sender_killed();
		ck_assert_int_eq(queue_recover(st, NULL, err), 0);
		memset(&c, 0, sizeof c);
		c.now = store_now_ms();
		c.max = 8;
		c.reserved = 3;
		c.room = room_limited;
		c.ctx = &lim;
		ck_assert_int_eq(queue_claim(st, &c, err), 0);
		ck_assert_uint_eq(c.n, 5);
		queue_claim_clear(&c);
	}
}
END_TEST

/* A disabled webhook's backlog is neither claimed nor due. */
START_TEST(claim_passes_a_disabled_backlog)
{
	struct queue_claim c;

	add("off", 1);
	fire(300);
	tu_exec(st, "UPDATE webhooks SET enabled = 0");
	add("on", 1);
	fire(1);
	c = claim_at(store_now_ms() + 1000, 64, NULL);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_str_eq(c.jobs[0].webhook_name, "on");
	ck_assert_int_eq(c.more, 0);
	ck_assert_int_eq(c.next_due, -1);
	queue_claim_clear(&c);
}
END_TEST

static struct job claim_one(void)
{
	struct queue_claim c = claim_at(store_now_ms() + 100000000, 1, NULL);
	struct job j;

	ck_assert_uint_eq(c.n, 1);
	j = c.jobs[0];
	free(c.jobs);
	free(c.aside);
	return j;
}

static struct queue_result finish_full(struct job *j, int status, const char *error, long long retry_after,
				       long long at)
{
	struct outcome o = { at, 12, status, error, "Content-Type: application/json\n", "HTTP/1.1 x\n", "ok", 2, 2,
			     retry_after, 0 };
	struct job *jp = j;
	struct queue_result r;
	char err[ERR_MAX];

	ck_assert_msg(queue_finish(st, &pol, &jp, &o, 1, &r, err) == 0, "%s", err);
	return r;
}

static enum verdict finish(struct job *j, int status, const char *error, long long retry_after, long long at)
{
	struct queue_result r = finish_full(j, status, error, retry_after, at);

	ck_assert_int_eq(r.fate, QUEUE_RECORDED);
	return r.decision.verdict;
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
	ck_assert_int_eq(q("SELECT count(*) FROM webhooks WHERE failing_since IS NULL AND enabled <> 0"), 1);
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
		struct queue_claim c = claim_at(store_now_ms() + 100000000, 10, NULL);

		ck_assert_uint_eq(c.n, 0);
		ck_assert_int_eq(c.next_due, -1);
		queue_claim_clear(&c);
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
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE is_test <> 0 AND state = 'inflight'"), 1);
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
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	finish(&j, 500, "HTTP 500", -1, store_now_ms());
	ck_assert_int_eq(history_redeliver(st, j.uid, err), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'pending' AND step = 0"), 3);
	ck_assert_int_eq(q("SELECT sum(attempts) FROM deliveries"), 1);
	queue_job_free(&j);
	ck_assert_int_eq(history_redeliver(st, "msg_nope", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no delivery \"msg_nope\""));
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	ck_assert_int_eq(history_get(st, "999", &one, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	ck_assert_int_eq(queue_load(st, 999, &j, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);

	tu_exec(st, "UPDATE deliveries SET state = 'dead'");
	ck_assert_int_eq(history_redeliver_bulk(st, "a", "dead", 0, &n, err), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(history_redeliver_bulk(st, "a", "delivered", 0, &n, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_int_eq(history_redeliver_bulk(st, "gone", "dead", 0, &n, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
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
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
}
END_TEST

/* The reproduction of the silent loss: with hookmand --max-inflight 1, "a"
 * answering 200 after 3 s and "b" a closed port, fire for a, rm a 0.5 s
 * later, fire for b: the outcome recorded by row id landed on b's new
 * delivery (the id had been reused), which read delivered. Now the outcome
 * is matched by uid to a delivery in flight, and ids are never reused. */
START_TEST(outcome_of_a_deleted_webhook_is_dropped)
{
	struct store_backlog backlog;
	struct queue_result r;
	struct job j, other;
	long long old_id;
	char err[ERR_MAX];

	add("a", 1);
	fire(1);
	j = claim_one();
	old_id = j.id;
	ck_assert_int_eq(store_webhook_delete(st, "a", &backlog, err), 0);
	ck_assert_int_eq(backlog.inflight, 1);
	ck_assert_int_eq(backlog.waiting, 0);
	add("b", 1);
	fire(1);
	ck_assert_int_gt(q("SELECT id FROM deliveries"), old_id);
	ck_assert_int_gt(q("SELECT id FROM webhooks"), j.webhook_id);
	r = finish_full(&j, 200, NULL, -1, store_now_ms());
	ck_assert_int_eq(r.fate, QUEUE_GONE);
	ck_assert_ptr_nonnull(strstr(r.why, "webhook \"a\" was deleted"));
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'pending' AND attempts = 0"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM attempts"), 0);
	queue_job_free(&j);
	/* And b's own outcome is recorded as usual. */
	other = claim_one();
	ck_assert_int_eq(finish(&other, 0, "Connection refused", -1, store_now_ms()), VERDICT_RETRY);
	queue_job_free(&other);
}
END_TEST

/* On a shared store (PostgreSQL) a sender cut off long enough has its
 * claims taken over: its late outcome is not recorded on the claim that
 * is another sender's now (that one sends and records it). */
START_TEST(an_outcome_lands_only_on_its_own_claim)
{
	struct queue_result r;
	struct job j;

	store_set_claimant(st, "snd_a");
	add("a", 1);
	fire(1);
	j = claim_one();
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE claimed_by = 'snd_a'"), 1);
	tu_exec(st, "UPDATE deliveries SET claimed_by = 'snd_b'");
	r = finish_full(&j, 200, NULL, -1, store_now_ms());
	ck_assert_int_eq(r.fate, QUEUE_GONE);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight' AND claimed_by = 'snd_b'"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM attempts"), 0);
	queue_job_free(&j);
}
END_TEST

/* A beat renews the leases of the claims the sender holds, and those
 * only: one it committed without hearing of it (its connection lost at
 * the commit) runs out and goes back to pending, its own or not. */
START_TEST(a_beat_renews_only_the_claims_held)
{
	struct senders_me me;
	struct queue_claim c;
	char err[ERR_MAX], held[64];
	long long taken;

	ck_assert_msg(senders_start(st, &me, err) == 0, "%s", err);
	add("a", 1);
	fire(2);
	c = claim_at(store_now_ms(), 100, NULL);
	ck_assert_uint_eq(c.n, 2);
	tu_exec(st, "UPDATE deliveries SET lease_until = 0");
	snprintf(held, sizeof held, "[%lld]", c.jobs[0].id);
	ck_assert_msg(senders_beat(st, &me, held, 1, 0, &taken, err) == 0, "%s", err);
	ck_assert_int_eq(taken, 1);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight' AND lease_until > 0"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'pending' AND claimed_by IS NULL"), 1);
	queue_claim_clear(&c);
}
END_TEST

/* A trigger that refuses to change a delivery's state when the condition
 * `when` (on NEW) holds, as a constraint refuses a row: SQLite's RAISE
 * ABORT is a constraint failure, and PostgreSQL's is given the SQLSTATE of
 * one (a CHECK's) so that both report the row's fault. Engines write
 * triggers each their own way. */
static void poison(const char *when)
{
	struct sbuf sql;

	sbuf_init(&sql);
	if (tu_backend_is_sqlite()) {
		sbuf_appendf(&sql, "CREATE TRIGGER poison BEFORE UPDATE OF state ON deliveries WHEN %s "
			     "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END", when);
	} else {
		tu_exec(st, "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS "
			"'BEGIN RAISE EXCEPTION ''poisoned row'' USING ERRCODE = ''check_violation''; END'");
		sbuf_appendf(&sql, "CREATE TRIGGER poison BEFORE UPDATE OF state ON deliveries FOR EACH ROW "
			     "WHEN (%s) EXECUTE FUNCTION poison()", when);
	}
	tu_exec(st, sbuf_text(&sql));
	sbuf_release(&sql);
}

/* The reproduction of the wedge: a FOREIGN KEY failure on one outcome made
 * the whole batch fail and retry forever. A row the store refuses (here a
 * trigger standing for any row-specific failure) is set aside alone. */
START_TEST(a_poison_row_does_not_wedge_the_batch)
{
	struct job j[3], *jp[3];
	struct outcome o[3];
	struct queue_result r[3];
	char err[ERR_MAX], sql[256];
	int i;

	add("a", 1);
	fire(3);
	for (i = 0; i < 3; i++) {
		j[i] = claim_one();
		jp[i] = &j[i];
		memset(&o[i], 0, sizeof o[i]);
		o[i].started_at = store_now_ms();
		o[i].status = 200;
		o[i].retry_after_ms = -1;
	}
	snprintf(sql, sizeof sql, "NEW.uid = '%s' AND NEW.state <> 'inflight'", j[1].uid);
	poison(sql);
	ck_assert_msg(queue_finish(st, &pol, jp, o, 3, r, err) == 0, "%s", err);
	ck_assert_int_eq(r[0].fate, QUEUE_RECORDED);
	ck_assert_int_eq(r[1].fate, QUEUE_ASIDE);
	ck_assert_ptr_nonnull(strstr(r[1].why, "poisoned row"));
	ck_assert_int_eq(err_kind(r[1].why), ERR_INVALID);   /* the row's fault: no retry cures it */
	ck_assert_int_eq(r[2].fate, QUEUE_RECORDED);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'delivered'"), 2);
	/* Its attempt row went back with it: nothing half-written. */
	ck_assert_int_eq(q("SELECT count(*) FROM attempts"), 2);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight'"), 1);
	for (i = 0; i < 3; i++)
		queue_job_free(&j[i]);
}
END_TEST

/* The same at the claim: a row whose marking the store refuses is set
 * aside with the reason, and the others are claimed. */
START_TEST(a_poison_row_is_set_aside_at_claim)
{
	struct queue_claim c;
	long long poisoned;
	char sql[256];
	size_t i;

	add("a", 1);
	fire(3);
	poisoned = q("SELECT id FROM deliveries ORDER BY id LIMIT 1 OFFSET 1");
	snprintf(sql, sizeof sql, "NEW.id = %lld AND NEW.state = 'inflight'", poisoned);
	poison(sql);
	c = claim_at(store_now_ms(), 100, NULL);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_uint_eq(c.naside, 1);
	ck_assert_int_eq(c.aside[0].id, poisoned);
	ck_assert_ptr_nonnull(strstr(c.aside[0].why, "poisoned row"));
	for (i = 0; i < c.n; i++)
		ck_assert_int_ne(c.jobs[i].id, poisoned);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight'"), 2);
	queue_claim_clear(&c);
}
END_TEST

/* Outcomes are recorded in chunks (16, 4, 1) with one statement per table;
 * a chunk with a refused row or a delivery no longer in flight is taken
 * again row by row, so each of 21 outcomes lands as it would alone: the
 * poisoned one set aside, the one changed elsewhere dropped, the rest
 * recorded with their own verdicts and exactly one attempt row each. */
START_TEST(a_batch_of_outcomes_falls_back_row_by_row)
{
	struct queue_claim c;
	struct job *jp[21];
	struct outcome o[21];
	struct queue_result r[21];
	char err[ERR_MAX], sql[300];
	size_t i;

	add("a", 1);
	fire(21);
	c = claim_at(store_now_ms(), 100, NULL);
	ck_assert_uint_eq(c.n, 21);
	for (i = 0; i < 21; i++) {
		jp[i] = &c.jobs[i];
		memset(&o[i], 0, sizeof o[i]);
		o[i].started_at = store_now_ms();
		o[i].duration_ms = 5;
		o[i].status = i % 3 ? 200 : 500;
		o[i].retry_after_ms = -1;
	}
	snprintf(sql, sizeof sql, "NEW.uid = '%s' AND NEW.state <> 'inflight'", c.jobs[7].uid);
	poison(sql);
	snprintf(sql, sizeof sql, "UPDATE deliveries SET state = 'pending' WHERE uid = '%s'", c.jobs[18].uid);
	tu_exec(st, sql);
	ck_assert_msg(queue_finish(st, &pol, jp, o, 21, r, err) == 0, "%s", err);
	for (i = 0; i < 21; i++)
		ck_assert_int_eq(r[i].fate, i == 7 ? QUEUE_ASIDE : i == 18 ? QUEUE_GONE : QUEUE_RECORDED);
	ck_assert_ptr_nonnull(strstr(r[7].why, "poisoned row"));
	ck_assert_ptr_nonnull(strstr(r[18].why, "no longer in flight"));
	ck_assert_int_eq(q("SELECT count(*) FROM attempts"), 19);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'delivered'"), 13);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'failed' AND last_status = 500 "
			   "AND step = 1 AND attempts = 1 AND next_attempt_at > updated_at"), 6);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d WHERE attempts <> "
			   "(SELECT count(*) FROM attempts a WHERE a.delivery_id = d.id)"), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight'"), 1);
	queue_claim_clear(&c);
}
END_TEST

/* A claim marks its rows with one statement; one refused row among many
 * sends it row by row, and only that row is set aside. */
START_TEST(a_poison_row_among_many_is_set_aside_at_claim)
{
	struct queue_claim c;
	long long poisoned;
	char sql[256];
	size_t i;

	add("a", 1);
	fire(20);
	poisoned = q("SELECT id FROM deliveries ORDER BY id LIMIT 1 OFFSET 11");
	snprintf(sql, sizeof sql, "NEW.id = %lld AND NEW.state = 'inflight'", poisoned);
	poison(sql);
	c = claim_at(store_now_ms(), 100, NULL);
	ck_assert_uint_eq(c.n, 19);
	ck_assert_uint_eq(c.naside, 1);
	ck_assert_int_eq(c.aside[0].id, poisoned);
	for (i = 0; i < c.n; i++) {
		ck_assert_int_ne(c.jobs[i].id, poisoned);
		ck_assert_ptr_nonnull(c.jobs[i].body);
	}
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'inflight'"), 19);
	queue_claim_clear(&c);
}
END_TEST

/* The reproduction: a receiver answering "429, Retry-After: 2" killed a
 * delivery in 15 s, each wait counting as a step. A wait asked for keeps
 * the delivery's place in the schedule, within the schedule's span. */
START_TEST(retry_after_keeps_the_place_in_the_schedule)
{
	long long t = store_now_ms();
	struct queue_result r;
	struct job j;
	int i;

	retry_parse(&pol.schedule, "10s,10s", NULL);   /* span 20 s */
	add("a", 1);
	fire(1);
	for (i = 0; i < 6; i++) {
		j = claim_one();
		ck_assert_int_eq(finish(&j, 429, "HTTP 429", 2000, t + i * 2012), VERDICT_RETRY);
		queue_job_free(&j);
	}
	ck_assert_int_eq(q("SELECT step FROM deliveries"), 0);
	ck_assert_int_eq(q("SELECT waits FROM deliveries"), 6);
	ck_assert_int_eq(q("SELECT first_attempt_at FROM deliveries"), t);
	/* A real failure still uses a step. */
	j = claim_one();
	ck_assert_int_eq(finish(&j, 500, "HTTP 500", -1, t + 13000), VERDICT_RETRY);
	ck_assert_int_eq(q("SELECT step FROM deliveries"), 1);
	queue_job_free(&j);
	/* Past the span since the first attempt, a wait uses a step... */
	j = claim_one();
	r = finish_full(&j, 429, "HTTP 429", 9000, t + 14000);
	ck_assert_int_eq(r.decision.verdict, VERDICT_RETRY);
	ck_assert_int_eq(r.decision.next_ms, 9000);
	ck_assert_int_eq(q("SELECT step FROM deliveries"), 2);
	queue_job_free(&j);
	/* ...and when none is left the delivery is dead, and says why. */
	j = claim_one();
	r = finish_full(&j, 429, "HTTP 429", 1000, t + 24000);
	ck_assert_int_eq(r.decision.verdict, VERDICT_DEAD);
	ck_assert_ptr_nonnull(strstr(r.decision.why, "span"));
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'dead'"), 1);
	queue_job_free(&j);
}
END_TEST

/* The review's scenario: "Retry-After: 0" answered forever would have been
 * retried at once, for the schedule's whole span. A wait is at least 1 s,
 * and after QUEUE_FREE_WAITS of them each uses a step. */
START_TEST(retry_after_zero_is_bounded)
{
	long long t = store_now_ms();
	struct queue_result r;
	struct job j;
	int i;

	add("a", 1);
	fire(1);
	for (i = 0; i < QUEUE_FREE_WAITS; i++) {
		j = claim_one();
		r = finish_full(&j, 429, "HTTP 429", 0, t + i * 1100);
		ck_assert_int_eq(r.decision.verdict, VERDICT_RETRY);
		ck_assert_int_eq(r.decision.next_ms, QUEUE_WAIT_MIN_MS);
		queue_job_free(&j);
	}
	ck_assert_int_eq(q("SELECT step FROM deliveries"), 0);
	j = claim_one();
	r = finish_full(&j, 429, "HTTP 429", 0, t + QUEUE_FREE_WAITS * 1100);
	ck_assert_int_eq(r.decision.step, 1);
	queue_job_free(&j);
	ck_assert_int_eq(q("SELECT step FROM deliveries"), 1);
}
END_TEST

/* An edit racing a request: the outcome is the delivery's, but a failure
 * of the old URL says nothing of the new one. */
START_TEST(an_edit_racing_a_request_spares_the_new_url)
{
	struct job j;

	add("a", 1);
	fire(2);
	j = claim_one();
	tu_exec(st, "UPDATE webhooks SET url = 'http://127.0.0.1:9/new', version = version + 1");
	ck_assert_int_eq(finish(&j, 410, "HTTP 410", -1, store_now_ms()), VERDICT_RETRY);
	queue_job_free(&j);
	ck_assert_int_eq(q("SELECT count(*) FROM webhooks WHERE enabled <> 0 AND failing_since IS NULL"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'failed' AND last_status = 410"), 1);
	/* The same failure at the current URL counts. */
	j = claim_one();
	ck_assert_str_eq(j.url, "http://127.0.0.1:9/new");
	finish(&j, 410, "HTTP 410", -1, store_now_ms());
	queue_job_free(&j);
	ck_assert_int_eq(q("SELECT enabled FROM webhooks"), 0);
}
END_TEST

/* Give webhook name its own pace through the store, as edit does. */
static void pace(const char *name, const char *rate, const char *schedule)
{
	struct webhook wh;
	char err[ERR_MAX];

	ck_assert_int_eq(store_webhook_get(st, name, &wh, err), 0);
	if (rate)
		ck_assert_int_eq(rate_parse(rate, &wh.rate_n, &wh.rate_ms, err), 0);
	if (schedule)
		ck_assert_int_eq(retry_parse_own(schedule, wh.retry_ms, &wh.nretry, err), 0);
	ck_assert_msg(store_webhook_update(st, &wh, err) == 0, "%s", err);
	webhook_clear(&wh);
}

START_TEST(a_webhook_schedule_replaces_the_global_one)
{
	long long now = store_now_ms();
	struct queue_result r;
	struct job j;

	add("own", 1);
	pace("own", NULL, "2s,3s");
	fire(1);
	j = claim_one();
	ck_assert_uint_eq(j.nretry, 2);
	ck_assert_int_eq(finish(&j, 500, "HTTP 500", -1, now), VERDICT_RETRY);
	ck_assert_int_eq(q("SELECT next_attempt_at FROM deliveries") - (now + 12), 2000);
	queue_job_free(&j);
	j = claim_one();
	ck_assert_int_eq(finish(&j, 500, "HTTP 500", -1, now), VERDICT_RETRY);
	ck_assert_int_eq(q("SELECT next_attempt_at FROM deliveries") - (now + 12), 3000);
	queue_job_free(&j);
	j = claim_one();
	r = finish_full(&j, 500, "HTTP 500", -1, now);
	ck_assert_int_eq(r.decision.verdict, VERDICT_DEAD);
	ck_assert_str_eq(r.decision.why, "no retries left");
	queue_job_free(&j);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries WHERE state = 'dead' AND attempts = 3"), 1);
	/* Back to the global schedule ("default"): its first step, 5 s. */
	pace("own", NULL, "default");
	ck_assert_int_eq(q("SELECT count(*) FROM webhooks WHERE retry_schedule IS NULL"), 1);
	fire(1);
	j = claim_one();
	ck_assert_uint_eq(j.nretry, 0);
	ck_assert_int_eq(finish(&j, 500, "HTTP 500", -1, now), VERDICT_RETRY);
	ck_assert_int_eq(q("SELECT next_attempt_at FROM deliveries WHERE state = 'failed'") - (now + 12), 5000);
	queue_job_free(&j);
}
END_TEST

START_TEST(retry_after_is_bounded_by_the_webhook_schedule)
{
	long long now = store_now_ms();
	struct queue_result r;
	struct job j;

	/* Span 2 s: a 10 s Retry-After cannot wait without using a step. */
	add("own", 1);
	pace("own", NULL, "1s,1s");
	fire(1);
	j = claim_one();
	r = finish_full(&j, 429, "HTTP 429", 10000, now);
	ck_assert_int_eq(r.decision.verdict, VERDICT_RETRY);
	ck_assert_int_eq(r.decision.step, 1);
	ck_assert_int_eq(r.decision.next_ms, 10000);
	queue_job_free(&j);
}
END_TEST

/* The rates the claim passed to the sender, and no room for them. */
struct seen_rate {
	long long id;
	int n;
	long long ms;
	int asked;
};

static void room_rated(void *ctx, long long webhook_id, struct queue_room *r)
{
	struct seen_rate *s = ctx;

	r->room = r->reserve = 1000;
	if (webhook_id == s->id) {
		s->n = r->rate_n;
		s->ms = r->rate_ms;
		s->asked++;
		r->room = r->reserve = 0;
	}
}

START_TEST(the_claim_gives_each_webhook_its_rate)
{
	struct seen_rate seen = { 0, -1, -1, 0 };
	struct queue_claim c;
	char err[ERR_MAX];

	seen.id = add("paced", 1);
	add("free", 1);
	pace("paced", "5/10s", NULL);
	fire(3);
	memset(&c, 0, sizeof c);
	c.now = store_now_ms() + 1000;
	c.max = 10;
	c.room = room_rated;
	c.ctx = &seen;
	ck_assert_msg(queue_claim(st, &c, err) == 0, "%s", err);
	ck_assert_int_eq(seen.asked, 1);
	ck_assert_int_eq(seen.n, 5);
	ck_assert_int_eq(seen.ms, 10000);
	/* Its deliveries wait, the other webhook's go. */
	ck_assert_uint_eq(c.n, 3);
	ck_assert_int_eq(c.more, 1);
	queue_claim_clear(&c);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'paced' AND d.state = 'pending'"), 3);
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
	tcase_add_test(tc, claim_is_fair_across_webhooks);
	tcase_add_test(tc, claim_keeps_the_reserve);
	tcase_add_test(tc, claim_passes_a_disabled_backlog);
	tcase_add_test(tc, outcome_of_a_deleted_webhook_is_dropped);
	tcase_add_test(tc, a_poison_row_does_not_wedge_the_batch);
	tcase_add_test(tc, a_poison_row_is_set_aside_at_claim);
	tcase_add_test(tc, a_batch_of_outcomes_falls_back_row_by_row);
	tcase_add_test(tc, a_poison_row_among_many_is_set_aside_at_claim);
	tcase_add_test(tc, retry_after_keeps_the_place_in_the_schedule);
	tcase_add_test(tc, retry_after_zero_is_bounded);
	tcase_add_test(tc, an_edit_racing_a_request_spares_the_new_url);
	tcase_add_test(tc, a_webhook_schedule_replaces_the_global_one);
	tcase_add_test(tc, retry_after_is_bounded_by_the_webhook_schedule);
	tcase_add_test(tc, the_claim_gives_each_webhook_its_rate);
	/* What only a store several senders share has. */
	if (!tu_backend_is_sqlite()) {
		tcase_add_test(tc, an_outcome_lands_only_on_its_own_claim);
		tcase_add_test(tc, a_beat_renews_only_the_claims_held);
	}
	suite_add_tcase(s, tc);
	return tu_run(s);
}
