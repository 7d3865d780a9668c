#include "queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "holds.h"
#include "senders.h"

void queue_policy_default(struct queue_policy *p)
{
	retry_default(&p->schedule);
	p->disable_after_ms = 5LL * 24 * 60 * 60 * 1000;
}

void queue_job_free(struct job *j)
{
	size_t i;

	free(j->webhook_name);
	free(j->body);
	free(j->url);
	free(j->secret);
	free(j->secret_previous);
	for (i = 0; i < j->nheaders; i++)
		free(j->headers[i]);
	free(j->headers);
	memset(j, 0, sizeof *j);
}

void queue_jobs_free(struct job *jobs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		queue_job_free(&jobs[i]);
	free(jobs);
}

int queue_recover(struct store *st, long long *n, char *err)
{
	/* On a shared store only the claims no sender holds any more: the
	 * others' are still on their way. */
	struct db_stmt *s = store_sql_dialect(st,
		"UPDATE deliveries SET state = 'pending' WHERE state = 'inflight' AND is_test = 0",
		"UPDATE deliveries SET state = 'pending', claimed_by = NULL, lease_until = NULL "
		"WHERE state = 'inflight' AND is_test = 0 AND (lease_until IS NULL OR lease_until < hookman_now_ms())",
		err);
	/* SQLite's partial index of tests is used for its own WHERE only;
	 * PostgreSQL has no integer booleans. */
#define RECOVER_TESTS(is_test) \
		"UPDATE deliveries SET state = 'dead', last_error = 'the sender stopped before the test finished' " \
		"WHERE state = 'inflight' AND " is_test " AND updated_at < ?"
	struct db_stmt *t = s ? store_sql_dialect(st, RECOVER_TESTS("is_test"), RECOVER_TESTS("is_test <> 0"), err) :
		NULL;
#undef RECOVER_TESTS

	if (!t)
		return -1;
	if (store_begin(st, err) < 0)
		return -1;
	if (db_step(s) != DB_DONE) {
		store_sql_error(st, "cannot recover in-flight deliveries", err);
		goto fail;
	}
	if (n)
		*n = store_changes(st);
	/* Tests are never retried; one a client is about to send (recorded
	 * in the last minute) is left alone. */
	db_bind_int64(t, 1, store_now_ms() - 60000);
	if (db_step(t) != DB_DONE) {
		store_sql_error(st, "cannot recover in-flight tests", err);
		goto fail;
	}
	db_reset(s);
	db_reset(t);
	return store_commit(st, err);
fail:
	db_reset(s);
	db_reset(t);
	store_rollback(st);
	return -1;
}

#define JOB_COLUMNS \
	"d.id, d.uid, b.body, d.attempts, d.step, d.is_test, w.id, w.name, w.url, w.secret, " \
	"w.headers, w.verify_tls, w.timeout, w.failing_since IS NOT NULL, d.first_attempt_at, d.waits, " \
	"w.retry_schedule, w.secret_previous, w.secret_previous_until"

static int row_to_job(struct db_stmt *s, struct job *j)
{
	memset(j, 0, sizeof *j);
	j->id = db_column_int64(s, 0);
	snprintf(j->uid, sizeof j->uid, "%s", db_column_text(s, 1));
	j->body = db_column_dup(s, 2);
	j->body_len = db_column_bytes(s, 2);
	j->attempts = db_column_int(s, 3);
	j->step = db_column_int(s, 4);
	j->is_test = db_column_int(s, 5);
	j->webhook_id = db_column_int64(s, 6);
	j->webhook_name = db_column_dup(s, 7);
	j->url = db_column_dup(s, 8);
	j->secret = db_column_dup(s, 9);
	j->verify_tls = db_column_int(s, 11);
	j->timeout = db_column_int(s, 12);
	j->webhook_failing = db_column_int(s, 13);
	j->first_attempt_at = db_column_int64(s, 14);
	j->waits = db_column_int(s, 15);
	j->secret_previous_until = db_column_int64(s, 18);
	if (j->secret_previous_until > 0)
		j->secret_previous = db_column_dup(s, 17);
	if (!j->body || !j->webhook_name || !j->url ||
	    store_json_delays(db_column_text(s, 16), j->retry_ms, RETRY_OWN_STEPS, &j->nretry) < 0)
		return -1;
	return store_json_list(db_column_text(s, 10), &j->headers, &j->nheaders);
}

/* A webhook with queued deliveries, as the claim sees it. */
struct cand {
	long long webhook_id;
	long long first[2];        /* earliest next_attempt_at: pending, failed; -1 none */
	struct queue_room room;
	size_t allot, taken;
	int exhausted;             /* fewer due rows than it was allotted */
};

static const char *const claim_states[2] = { "pending", "failed" };

static int add_aside(struct queue_claim *c, long long id, const char *uid, const char *why)
{
	struct queue_aside *grown = realloc(c->aside, (c->naside + 1) * sizeof *grown);

	if (!grown)
		return -1;
	c->aside = grown;
	grown[c->naside].id = id;
	snprintf(grown[c->naside].uid, sizeof grown[c->naside].uid, "%s", uid);
	snprintf(grown[c->naside].why, sizeof grown[c->naside].why, "%s", why);
	c->naside++;
	return 0;
}

/* The webhooks with queued deliveries of enabled webhooks that are not
 * held, one index seek each (a skip scan of deliveries_queue by hand):
 * their earliest due time per state, rows set aside (skip) left out. */
static int find_candidates(struct store *st, const char *skip, const struct holds_active *holds,
			   struct cand **out, size_t *n, char *err)
{
	struct db_stmt *s = store_sql(st,
		"SELECT d.webhook_id, d.next_attempt_at, w.enabled, w.rate_n, w.rate_ms FROM deliveries d "
		"JOIN webhooks w ON w.id = d.webhook_id "
		"WHERE d.state = ?1 AND d.webhook_id > ?2 AND d.id NOT IN (SELECT CAST(value AS INTEGER) FROM json_each(?3)) "
		"ORDER BY d.webhook_id, d.next_attempt_at LIMIT 1", err);
	struct cand *list = NULL;
	size_t cap = 0, i;
	int state, rc;

	*out = NULL;
	*n = 0;
	if (!s)
		return -1;
	for (state = 0; state < 2; state++) {
		long long after = 0;

		for (;;) {
			long long wid, first;

			db_reset(s);
			db_bind_text(s, 1, claim_states[state]);
			db_bind_int64(s, 2, after);
			db_bind_text(s, 3, skip ? skip : "[]");
			rc = db_step(s);
			if (rc != DB_ROW)
				break;
			wid = db_column_int64(s, 0);
			first = db_column_int64(s, 1);
			after = wid;
			if (!db_column_int(s, 2) || holds_active_webhook(holds, wid))
				continue;   /* disabled or held: its deliveries wait */
			/* Both lists are in webhook order: find or append. */
			for (i = 0; i < *n && list[i].webhook_id != wid; i++)
				;
			if (i == *n) {
				if (*n == cap) {
					size_t ncap = cap ? cap * 2 : 16;
					struct cand *grown = realloc(list, ncap * sizeof *grown);

					if (!grown) {
						db_reset(s);
						free(list);
						err_oom(err, "claim");
						return -1;
					}
					list = grown;
					cap = ncap;
				}
				memset(&list[i], 0, sizeof list[i]);
				list[i].webhook_id = wid;
				list[i].room.rate_n = db_column_int(s, 3);
				list[i].room.rate_ms = db_column_int64(s, 4);
				list[i].first[0] = list[i].first[1] = -1;
				(*n)++;
			}
			list[i].first[state] = first;
		}
		db_reset(s);
		if (rc != DB_DONE) {
			free(list);
			*n = 0;
			store_sql_error(st, "cannot read the queue", err);
			return -1;
		}
	}
	*out = list;
	return 0;
}

static int cand_order(const void *a, const void *b)
{
	long long x = ((const struct cand *)a)->webhook_id, y = ((const struct cand *)b)->webhook_id;

	return x < y ? -1 : x > y;
}

/* Mark rows [first, first + n) of c->jobs in flight with one statement.
 * 0 done; 1 the store refused it for a row's own reason (nothing was
 * written: mark them one by one); -1 an error of the whole store. */
static int mark_batch(struct store *st, struct queue_claim *c, size_t first, size_t n, char *err)
{
	struct db_stmt *s = store_sql_dialect(st,
		"UPDATE deliveries SET state = 'inflight', updated_at = ?2 "
		"WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))",
		"UPDATE deliveries SET state = 'inflight', updated_at = ?2, claimed_by = ?3, "
		"lease_until = hookman_now_ms() + ?4 WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))", err);
	char *ids = malloc(n * 22 + 3), *w = ids;
	size_t i;
	int rc;

	if (!s || !ids) {
		free(ids);
		if (s)
			err_oom(err, "claim");
		return -1;
	}
	*w++ = '[';
	for (i = 0; i < n; i++)
		w += sprintf(w, "%s%lld", i ? "," : "", c->jobs[first + i].id);
	strcpy(w, "]");
	if (store_savepoint(st, err) < 0) {
		free(ids);
		return -1;
	}
	db_bind_text(s, 1, ids);
	db_bind_int64(s, 2, c->now);
	db_bind_text(s, 3, store_claimant(st));
	db_bind_int64(s, 4, SENDERS_LEASE_MS);
	rc = db_step(s) == DB_DONE ? 0 : -1;
	if (rc < 0)   /* the report records the fault: read it after */
		store_sql_error(st, "cannot claim the deliveries", err);
	else if ((size_t)store_changes(st) != n)
		rc = 1;   /* not what was read: let each row say why */
	db_reset(s);
	free(ids);
	if (rc == 0)
		return store_release(st, err);
	store_undo(st);
	return rc == 1 || store_last_fault(st) == STORE_FAULT_ROW ? 1 : -1;
}

/* The fallback of mark_batch: each row of [first, first + n) on its own,
 * so that a row the store refuses is set aside (and dropped from c->jobs)
 * without holding up the others. Returns how many were kept, -1 on an
 * error of the whole store. */
static long mark_alone(struct store *st, struct queue_claim *c, size_t first, size_t n, char *err)
{
	struct db_stmt *mark = store_sql_dialect(st,
		"UPDATE deliveries SET state = 'inflight', updated_at = ?2 WHERE id = ?1",
		"UPDATE deliveries SET state = 'inflight', updated_at = ?2, claimed_by = ?3, "
		"lease_until = hookman_now_ms() + ?4 WHERE id = ?1", err);
	size_t i, kept = 0;

	if (!mark)
		return -1;
	for (i = 0; i < n; i++) {
		struct job *j = &c->jobs[first + i];

		if (store_savepoint(st, err) < 0)
			return -1;
		db_bind_int64(mark, 1, j->id);
		db_bind_int64(mark, 2, c->now);
		db_bind_text(mark, 3, store_claimant(st));
		db_bind_int64(mark, 4, SENDERS_LEASE_MS);
		if (db_step(mark) != DB_DONE) {
			int transient;

			/* The report records the fault: read it after. */
			store_sql_error(st, "cannot claim the delivery", err);
			transient = store_last_fault(st) != STORE_FAULT_ROW;
			db_reset(mark);
			store_undo(st);
			if (transient || add_aside(c, j->id, j->uid, err) < 0)
				return -1;
			queue_job_free(j);
			continue;
		}
		db_reset(mark);
		if (store_release(st, err) < 0)
			return -1;
		if (first + kept != first + i) {
			c->jobs[first + kept] = *j;
			memset(j, 0, sizeof *j);
		}
		kept++;
	}
	return (long)kept;
}

/* Read up to want due rows of one webhook into c->jobs after c->n, fresh
 * ones first, none of an event type that is held (held_types, a JSON
 * array). Returns how many, -1 on error (none kept). */
static long read_rows(struct store *st, struct queue_claim *c, const struct cand *k, size_t want,
		      const char *held_types, char *err)
{
#define DUE_ROWS "SELECT " JOB_COLUMNS " FROM deliveries d " \
		"JOIN webhooks w ON w.id = d.webhook_id JOIN bodies b ON b.delivery_id = d.id " \
		"WHERE d.state = ?1 AND d.webhook_id = ?2 AND d.next_attempt_at <= ?3 " \
		"AND d.id NOT IN (SELECT CAST(value AS INTEGER) FROM json_each(?4)) " \
		"AND (?6 = '[]' OR NOT EXISTS (SELECT 1 FROM events e WHERE e.id = d.event_id " \
		"AND e.type IN (SELECT value FROM json_each(?6)))) " \
		"ORDER BY d.next_attempt_at LIMIT ?5"
	/* On a shared store the rows read stay locked until the turn
	 * commits, and rows another sender is claiming are passed over:
	 * no delivery is claimed twice, no sender waits for another. */
	struct db_stmt *sel = store_sql_dialect(st, DUE_ROWS, DUE_ROWS " FOR UPDATE OF d SKIP LOCKED", err);
#undef DUE_ROWS
	size_t got = 0;
	int state, rc = DB_DONE;

	if (!sel)
		return -1;
	for (state = 0; state < 2 && got < want; state++) {
		if (k->first[state] < 0 || k->first[state] > c->now)
			continue;
		db_reset(sel);
		db_bind_text(sel, 1, claim_states[state]);
		db_bind_int64(sel, 2, k->webhook_id);
		db_bind_int64(sel, 3, c->now);
		db_bind_text(sel, 4, c->skip ? c->skip : "[]");
		db_bind_int64(sel, 5, (long long)(want - got));
		db_bind_text(sel, 6, held_types);
		while (got < want && (rc = db_step(sel)) == DB_ROW) {
			if (row_to_job(sel, &c->jobs[c->n + got]) < 0) {
				got++;
				err_oom(err, "claim");
				goto fail;
			}
			got++;
		}
		if (got < want && rc != DB_DONE) {
			store_sql_error(st, "cannot read the queue", err);
			goto fail;
		}
	}
	db_reset(sel);
	return (long)got;
fail:
	db_reset(sel);
	while (got > 0)
		queue_job_free(&c->jobs[c->n + --got]);
	return -1;
}

/* Claim up to want due rows of one webhook, fresh ones first: read them,
 * then mark them in flight with one statement; when the store refuses that
 * for a row's own reason, row by row, the refused rows set aside and not
 * counted. */
static int claim_rows(struct store *st, struct queue_claim *c, struct cand *k, size_t want,
		      const char *held_types, char *err)
{
	long got = read_rows(st, c, k, want, held_types, err), kept;
	int rc;

	if (got < 0)
		return -1;
	kept = got;
	rc = got ? mark_batch(st, c, c->n, (size_t)got, err) : 0;
	if (rc == 1)
		kept = mark_alone(st, c, c->n, (size_t)got, err);
	if (rc < 0 || kept < 0) {
		while (got > 0)
			queue_job_free(&c->jobs[c->n + --got]);
		return -1;
	}
	c->n += (size_t)kept;
	k->taken += (size_t)kept;
	if ((size_t)kept < want)
		k->exhausted = 1;
	return 0;
}

/* Hand out free slots one per webhook per round; the last c->reserved
 * only up to what each webhook's room allows of the reserve. Returns how
 * many were handed out. */
static size_t allot(struct queue_claim *c, struct cand *list, size_t n, size_t start, size_t *free_slots)
{
	size_t given = 0, i;
	int progress = 1;

	while (*free_slots > 0 && progress) {
		progress = 0;
		for (i = 0; i < n && *free_slots > 0; i++) {
			struct cand *k = &list[(start + i) % n];

			if (k->exhausted || k->allot >= k->room.room)
				continue;
			if (*free_slots <= c->reserved && k->allot >= k->room.reserve)
				continue;
			k->allot++;
			(*free_slots)--;
			given++;
			progress = 1;
			c->cursor = k->webhook_id;
		}
	}
	return given;
}

static int claim_fair(struct store *st, struct queue_claim *c, char *err)
{
	struct cand *list = NULL;
	size_t n = 0, ndue = 0, i, start, free_slots = c->max;
	struct holds_active holds;

	if (holds_active_read(st, c->now, &holds, err) < 0)
		return -1;
	/* When a hold ends by itself, what it kept back is due at once. */
	c->next_due = holds.ends_at;
	if (find_candidates(st, c->skip, &holds, &list, &n, err) < 0) {
		holds_active_clear(&holds);
		return -1;
	}
	/* Due webhooks first (in id order, so the rotation is stable), then
	 * the rest only matter for the next due time. */
	for (i = 0; i < n; i++) {
		struct cand *k = &list[i];
		int due = (k->first[0] >= 0 && k->first[0] <= c->now) || (k->first[1] >= 0 && k->first[1] <= c->now);

		if (!due) {
			long long t = k->first[0] < 0 || (k->first[1] >= 0 && k->first[1] < k->first[0]) ?
				      k->first[1] : k->first[0];

			if (c->next_due < 0 || t < c->next_due)
				c->next_due = t;
			continue;
		}
		if (c->room)
			c->room(c->ctx, k->webhook_id, &k->room);
		else
			k->room.room = k->room.reserve = c->max;
		list[ndue++] = *k;
	}
	if (ndue > 1)
		qsort(list, ndue, sizeof *list, cand_order);
	for (start = 0; start < ndue && list[start].webhook_id <= c->cursor; start++)
		;
	/* Rounds until the slots or the due rows run out: a webhook with fewer
	 * due rows than its share gives the rest back to the others. */
	while (allot(c, list, ndue, start, &free_slots) > 0) {
		for (i = 0; i < ndue; i++) {
			struct cand *k = &list[i];

			if (k->allot > k->taken &&
			    claim_rows(st, c, k, k->allot - k->taken, holds.event_types, err) < 0) {
				free(list);
				holds_active_clear(&holds);
				return -1;
			}
			if (k->allot > k->taken) {
				free_slots += k->allot - k->taken;
				k->allot = k->taken;
			}
		}
	}
	/* Due rows left behind: a webhook at its room, or no slot left. */
	for (i = 0; i < ndue; i++)
		if (!list[i].exhausted)
			c->more = 1;
	free(list);
	holds_active_clear(&holds);
	return 0;
}

void queue_claim_clear(struct queue_claim *c)
{
	queue_jobs_free(c->jobs, c->n);
	free(c->aside);
	c->jobs = NULL;
	c->n = 0;
	c->aside = NULL;
	c->naside = 0;
}

int queue_claim(struct store *st, struct queue_claim *c, char *err)
{
	int own;

	c->jobs = NULL;
	c->n = 0;
	c->aside = NULL;
	c->naside = 0;
	c->next_due = -1;
	c->more = 0;
	if (c->max > 0) {
		c->jobs = calloc(c->max, sizeof *c->jobs);
		if (!c->jobs) {
			err_oom(err, "claim");
			return -1;
		}
	}
	own = !store_in_txn(st);
	if (own && store_begin(st, err) < 0)
		goto fail;
	if (claim_fair(st, c, err) < 0) {
		if (own)
			store_rollback(st);
		goto fail;
	}
	if (own && store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	queue_claim_clear(c);
	return -1;
}

int queue_load(struct store *st, long long delivery_id, struct job *job, char *err)
{
	struct db_stmt *s = store_sql(st, "SELECT " JOB_COLUMNS " FROM deliveries d "
		"JOIN webhooks w ON w.id = d.webhook_id JOIN bodies b ON b.delivery_id = d.id WHERE d.id = ?", err);
	int rc;

	memset(job, 0, sizeof *job);
	if (!s)
		return -1;
	db_bind_int64(s, 1, delivery_id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		rc = row_to_job(s, job);
		if (rc < 0) {
			queue_job_free(job);
			err_oom(err, "delivery");
		}
	} else {
		if (rc == DB_DONE)
			err_setk(err, ERR_NOT_FOUND, "no delivery %lld", delivery_id);
		else
			store_sql_error(st, "cannot load the delivery", err);
		rc = -1;
	}
	db_reset(s);
	return rc;
}

void queue_decide(const struct queue_policy *p, const struct job *j, const struct outcome *o,
		  unsigned rnd, struct decision *d)
{
	long long end = o->started_at + o->duration_ms, first;
	struct retry_schedule own;
	const struct retry_schedule *rs = &p->schedule;

	if (j->nretry) {
		retry_use_own(&own, &p->schedule, j->retry_ms, j->nretry);
		rs = &own;
	}
	memset(d, 0, sizeof *d);
	d->next_ms = -1;
	if (o->status >= 200 && o->status <= 299) {
		d->verdict = VERDICT_DELIVERED;
		return;
	}
	d->verdict = VERDICT_DEAD;
	if (j->is_test) {
		d->why = "tests are not retried";
		return;
	}
	if ((o->status == 429 || o->status == 503) && o->retry_after_ms >= 0) {
		/* The receiver asked for a pause, which is no failed step: wait
		 * as asked and keep the place in the schedule, for as long as
		 * the whole schedule would have lasted. Past that, or after
		 * QUEUE_FREE_WAITS such waits (a receiver answering
		 * "Retry-After: 0" forever must not be hammered for a day),
		 * each wait uses a step, as any failure does. */
		long long wait = o->retry_after_ms > RETRY_AFTER_CAP_MS ? RETRY_AFTER_CAP_MS : o->retry_after_ms;

		if (wait < QUEUE_WAIT_MIN_MS)
			wait = QUEUE_WAIT_MIN_MS;
		first = j->first_attempt_at > 0 ? j->first_attempt_at : o->started_at;
		if (end + wait - first <= retry_span(rs) && j->waits < QUEUE_FREE_WAITS) {
			d->verdict = VERDICT_RETRY;
			d->next_ms = wait;
			d->wait = 1;
			return;
		}
		if (retry_delay(rs, (size_t)j->step, rnd) < 0) {
			d->why = "no retries left (Retry-After waits went past the schedule's span)";
			return;
		}
		d->verdict = VERDICT_RETRY;
		d->next_ms = wait;
		d->step = 1;
		return;
	}
	d->next_ms = retry_delay(rs, (size_t)j->step, rnd);
	if (d->next_ms < 0) {
		d->why = "no retries left";
		return;
	}
	d->verdict = VERDICT_RETRY;
	d->step = 1;
}

static int step_done(struct store *st, struct db_stmt *s, const char *what, char *err)
{
	int rc = db_step(s);

	if (rc != DB_DONE) {
		store_sql_error(st, what, err);
		db_reset(s);
		return -1;
	}
	db_reset(s);
	return 0;
}

/* Tell the store's observer (the audit record) that the sender disabled
 * the webhook: it was enabled, without a reason, one version before. */
static int disabled_changed(struct store *st, long long webhook_id, char *err)
{
	struct webhook before, after;
	int rc;

	webhook_init(&before);
	if (store_webhook_get_id(st, webhook_id, &after, err) < 0)
		return -1;
	rc = webhook_copy(&before, &after, err);
	if (rc == 0) {
		before.enabled = 1;
		free(before.disabled_reason);
		before.disabled_reason = NULL;
		before.version--;
		rc = store_webhook_changed(st, &before, &after, err);
	}
	webhook_clear(&before);
	webhook_clear(&after);
	return rc;
}

/* Health of the webhook after a failed attempt: remember since when it
 * fails, and disable it when a 410 says it is gone or it has failed for
 * longer than the policy allows. Only while it still has the URL the
 * request went to: a failure of the old address says nothing of a new one. */
static int record_failure(struct store *st, const struct queue_policy *p, const struct job *j,
			  const struct outcome *o, char *err)
{
	struct db_stmt *s = store_sql(st,
		"UPDATE webhooks SET failing_since = COALESCE(failing_since, ?2) WHERE id = ?1 AND url = ?3", err);
	struct db_stmt *dis;
	char reason[ERR_MAX], cause[200];

	if (!s)
		return -1;
	db_bind_int64(s, 1, j->webhook_id);
	db_bind_int64(s, 2, o->started_at);
	db_bind_text(s, 3, j->url);
	if (step_done(st, s, "cannot record the webhook's health", err) < 0)
		return -1;
	if (o->status)
		snprintf(cause, sizeof cause, "HTTP %d", o->status);
	else
		snprintf(cause, sizeof cause, "%s", o->error ? o->error : "no response");
	dis = store_sql(st,
		"UPDATE webhooks SET enabled = 0, disabled_reason = ?3, version = version + 1, updated_at = ?4 "
		"WHERE id = ?1 AND url = ?6 AND enabled <> 0 AND (?2 <> 0 OR (?5 > 0 AND ?4 - failing_since >= ?5))", err);
	if (!dis)
		return -1;
	if (o->status == 410)
		snprintf(reason, sizeof reason, "the receiver answered 410 Gone: it no longer accepts deliveries");
	else
		snprintf(reason, sizeof reason, "every delivery failed for %lld days (last: %s)",
			 p->disable_after_ms / (24LL * 60 * 60 * 1000), cause);
	db_bind_int64(dis, 1, j->webhook_id);
	db_bind_int64(dis, 2, o->status == 410);
	db_bind_text_copy(dis, 3, reason);
	db_bind_int64(dis, 4, o->started_at + o->duration_ms);
	db_bind_int64(dis, 5, p->disable_after_ms);
	db_bind_text(dis, 6, j->url);
	if (step_done(st, dis, "cannot disable the webhook", err) < 0)
		return -1;
	return store_changes(st) ? disabled_changed(st, j->webhook_id, err) : 0;
}

/* Why an outcome found no delivery in flight to land on. */
static void gone_reason(struct store *st, const struct job *j, char *why)
{
	struct db_stmt *s = store_sql(st, "SELECT state FROM deliveries WHERE uid = ?", why);

	if (!s)
		return;
	db_bind_text(s, 1, j->uid);
	if (db_step(s) == DB_ROW)
		err_set(why, "delivery %s is %s now, no longer in flight (changed by another process)", j->uid,
			db_column_text(s, 0));
	else
		err_set(why, "delivery %s is gone: webhook \"%s\" was deleted while the request was in flight",
			j->uid, j->webhook_name);
	db_reset(s);
}

/* The batch statements, for chunks of 16, 4 and 1 outcomes (a handful of
 * prepared statements instead of one per batch size). Each row of v is one
 * outcome, by the delivery's row id (never reused: AUTOINCREMENT), so each
 * lookup is the table's own b-tree; only deliveries still in flight match. */
#define ROW9 "(?,?,?,?,?,?,?,?,?)"
#define ROWS4 ROW9 "," ROW9 "," ROW9 "," ROW9
#define ROWS16 ROWS4 "," ROWS4 "," ROWS4 "," ROWS4
#define ATTEMPTS_SQL(rows, mine) \
	"WITH v(id, started, dur, status, error, reqh, resh, body, size) AS (VALUES " rows ") " \
	"INSERT INTO attempts(delivery_id, started_at, duration_ms, status, error, request_headers, " \
	"response_headers, response_body, response_size) " \
	"SELECT d.id, v.started, v.dur, v.status, v.error, v.reqh, v.resh, v.body, v.size " \
	"FROM v JOIN deliveries d ON d.id = v.id AND d.state = 'inflight'" mine
#define DELIVERIES_SQL(rows, mine) \
	"WITH v(id, state, step, next, status, error, at, first, wait) AS (VALUES " rows ") " \
	"UPDATE deliveries SET (state, attempts, step, next_attempt_at, last_status, last_error, updated_at, " \
	"first_attempt_at, waits) = (SELECT v.state, deliveries.attempts + 1, deliveries.step + v.step, v.next, " \
	"v.status, v.error, v.at, COALESCE(deliveries.first_attempt_at, v.first), deliveries.waits + v.wait " \
	"FROM v WHERE v.id = deliveries.id) WHERE state = 'inflight'" mine " AND id IN (SELECT id FROM v)"
/* On a shared store an outcome lands only on this sender's claim (?500,
 * store_claimant) or on a test send (claimed by no one): a claim taken
 * over while this sender was cut off is the other sender's now. */
#define MINE_D " AND (d.claimed_by IS NULL OR d.claimed_by = ?500)"
#define MINE " AND (claimed_by IS NULL OR claimed_by = ?500)"
#define CLAIMANT 500

static const struct {
	size_t rows;
	const char *attempts, *deliveries, *attempts_pg, *deliveries_pg;
} chunks[] = {
	{ 16, ATTEMPTS_SQL(ROWS16, ""), DELIVERIES_SQL(ROWS16, ""),
	  ATTEMPTS_SQL(ROWS16, MINE_D), DELIVERIES_SQL(ROWS16, MINE) },
	{ 4, ATTEMPTS_SQL(ROWS4, ""), DELIVERIES_SQL(ROWS4, ""), ATTEMPTS_SQL(ROWS4, MINE_D), DELIVERIES_SQL(ROWS4, MINE) },
	{ 1, ATTEMPTS_SQL(ROW9, ""), DELIVERIES_SQL(ROW9, ""), ATTEMPTS_SQL(ROW9, MINE_D), DELIVERIES_SQL(ROW9, MINE) },
};

static void bind_attempt(struct db_stmt *s, int at, const struct job *j, const struct outcome *o)
{
	db_bind_int64(s, at + 1, j->id);
	db_bind_int64(s, at + 2, o->started_at);
	db_bind_int64(s, at + 3, o->duration_ms);
	if (o->status)
		db_bind_int64(s, at + 4, o->status);
	else
		db_bind_null_number(s, at + 4);
	db_bind_text(s, at + 5, o->error);
	db_bind_text(s, at + 6, o->request_headers);
	db_bind_text(s, at + 7, o->response_headers);
	db_bind_blob(s, at + 8, o->response_body, o->response_len);
	db_bind_int64(s, at + 9, o->response_size);
}

static void bind_delivery(struct db_stmt *s, int at, const struct job *j, const struct outcome *o,
			  const struct decision *d)
{
	long long end = o->started_at + o->duration_ms;

	db_bind_int64(s, at + 1, j->id);
	db_bind_text(s, at + 2, d->verdict == VERDICT_DELIVERED ? "delivered" :
			  d->verdict == VERDICT_RETRY ? "failed" : "dead");
	db_bind_int64(s, at + 3, d->step);
	db_bind_int64(s, at + 4, d->verdict == VERDICT_RETRY ? end + d->next_ms : end);
	if (o->status)
		db_bind_int64(s, at + 5, o->status);
	else
		db_bind_null_number(s, at + 5);
	db_bind_text(s, at + 6, d->verdict == VERDICT_DELIVERED ? NULL : o->error);
	db_bind_int64(s, at + 7, end);
	db_bind_int64(s, at + 8, o->started_at);
	db_bind_int64(s, at + 9, d->wait);
}

/* The webhook's health after one recorded outcome. */
static int record_health(struct store *st, const struct queue_policy *p, const struct job *j,
			 const struct outcome *o, const struct decision *d, char *err)
{
	struct db_stmt *ok;

	if (j->is_test)
		return 0;   /* a test says nothing about the webhook's health */
	if (d->verdict != VERDICT_DELIVERED)
		return record_failure(st, p, j, o, err);
	/* Most successes follow successes: skip the write then. */
	if (!j->webhook_failing)
		return 0;
	ok = store_sql(st,
		"UPDATE webhooks SET failing_since = NULL WHERE id = ?1 AND url = ?2 AND failing_since IS NOT NULL",
		err);
	if (!ok)
		return -1;
	db_bind_int64(ok, 1, j->webhook_id);
	db_bind_text(ok, 2, j->url);
	return step_done(st, ok, "cannot record the webhook's health", err);
}

/* chunks[c].rows outcomes, inside the caller's savepoint: one attempts
 * insert and one deliveries update for all of them, then the webhooks'
 * health. 0 recorded; 1 some delivery is no longer in flight (the caller
 * undoes and takes them one by one); -1 a failed statement. */
static int finish_chunk(struct store *st, const struct queue_policy *p, size_t c, struct job *const *jobs,
			const struct outcome *outs, struct queue_result *res, char *err)
{
	struct db_stmt *att = store_sql_dialect(st, chunks[c].attempts, chunks[c].attempts_pg, err);
	struct db_stmt *upd = att ? store_sql_dialect(st, chunks[c].deliveries, chunks[c].deliveries_pg, err) : NULL;
	size_t i, n = chunks[c].rows;

	if (!upd)
		return -1;
	db_bind_text(att, CLAIMANT, store_claimant(st));
	db_bind_text(upd, CLAIMANT, store_claimant(st));
	for (i = 0; i < n; i++)
		bind_attempt(att, 9 * (int)i, jobs[i], &outs[i]);
	if (step_done(st, att, "cannot record the attempt", err) < 0)
		return -1;
	if ((size_t)store_changes(st) != n)
		return 1;
	for (i = 0; i < n; i++)
		bind_delivery(upd, 9 * (int)i, jobs[i], &outs[i], &res[i].decision);
	if (step_done(st, upd, "cannot update the delivery", err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (record_health(st, p, jobs[i], &outs[i], &res[i].decision, err) < 0)
			return -1;
	return 0;
}

/* Try chunk c of outcomes in a savepoint of its own. 0 recorded, 1 gone
 * (undone), 2 refused for a row's own reason (undone, why in err), -1 an
 * error of the whole store. */
static int try_chunk(struct store *st, const struct queue_policy *p, size_t c, struct job *const *jobs,
		     const struct outcome *outs, struct queue_result *res, char *err)
{
	int rc;

	if (store_savepoint(st, err) < 0)
		return -1;
	rc = finish_chunk(st, p, c, jobs, outs, res, err);
	if (rc == 0)
		return store_release(st, err);
	if (rc < 0 && store_last_fault(st) != STORE_FAULT_ROW) {
		store_undo(st);
		return -1;
	}
	store_undo(st);
	return rc < 0 ? 2 : 1;
}

/* One outcome on its own: the fallback when its chunk was refused. */
static int finish_alone(struct store *st, const struct queue_policy *p, struct job *const *job,
			const struct outcome *o, struct queue_result *r, char *err)
{
	int rc = try_chunk(st, p, sizeof chunks / sizeof chunks[0] - 1, job, o, r, r->why);

	if (rc < 0) {
		memcpy(err, r->why, ERR_MAX);   /* the sentence and its kind */
		return -1;
	}
	r->fate = rc == 0 ? QUEUE_RECORDED : rc == 1 ? QUEUE_GONE : QUEUE_ASIDE;
	if (rc == 1)
		gone_reason(st, *job, r->why);
	return 0;
}

/* Outcomes in chunks as large as fit, each chunk in one statement per
 * table; a chunk the store refuses (or with a delivery gone) is taken
 * again one outcome at a time, so that only the offending row is dropped. */
static int finish_all(struct store *st, const struct queue_policy *p, struct job *const *jobs,
		      const struct outcome *outs, size_t n, struct queue_result *res, char *err)
{
	size_t i = 0, c = 0, k;
	int rc;

	while (i < n) {
		while (chunks[c].rows > n - i)
			c++;
		rc = try_chunk(st, p, c, jobs + i, outs + i, res + i, err);
		if (rc < 0)
			return -1;
		for (k = 0; k < chunks[c].rows; k++) {
			if (rc == 0)
				res[i + k].fate = QUEUE_RECORDED;
			else if (finish_alone(st, p, jobs + i + k, outs + i + k, res + i + k, err) < 0)
				return -1;
		}
		i += chunks[c].rows;
	}
	return 0;
}

int queue_finish(struct store *st, const struct queue_policy *p, struct job *const *jobs,
		 const struct outcome *outs, size_t n, struct queue_result *res, char *err)
{
	size_t i;
	int own;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		const struct job *j = jobs[i];
		unsigned rnd = (unsigned)(j->id * 2654435761u) ^ (unsigned)outs[i].started_at;

		memset(&res[i], 0, sizeof res[i]);
		queue_decide(p, j, &outs[i], rnd, &res[i].decision);
	}
	own = !store_in_txn(st);
	if (own && store_begin(st, err) < 0)
		return -1;
	if (finish_all(st, p, jobs, outs, n, res, err) < 0) {
		if (own)
			store_rollback(st);
		return -1;
	}
	return own ? store_commit(st, err) : 0;
}

int queue_release(struct store *st, struct job *const *jobs, size_t n, char *err)
{
	struct db_stmt *s;
	size_t i;

	if (n == 0)
		return 0;
	if (store_begin(st, err) < 0)
		return -1;
	s = store_sql_dialect(st, "UPDATE deliveries SET state = 'pending' WHERE uid = ?1 AND state = 'inflight'",
			      "UPDATE deliveries SET state = 'pending', claimed_by = NULL, lease_until = NULL "
			      "WHERE uid = ?1 AND state = 'inflight'" MINE, err);
	for (i = 0; s && i < n; i++) {
		db_bind_text(s, 1, jobs[i]->uid);
		db_bind_text(s, CLAIMANT, store_claimant(st));
		if (step_done(st, s, "cannot release a delivery", err) < 0)
			s = NULL;
	}
	if (!s) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}
