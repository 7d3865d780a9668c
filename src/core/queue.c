#include "queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	sqlite3_stmt *s = store_stmt(st,
		"UPDATE deliveries SET state = 'pending' WHERE state = 'inflight' AND NOT is_test", err);
	sqlite3_stmt *t = s ? store_stmt(st,
		"UPDATE deliveries SET state = 'dead', last_error = 'the sender stopped before the test finished' "
		"WHERE state = 'inflight' AND is_test AND updated_at < ?", err) : NULL;

	if (!t)
		return -1;
	if (store_begin(st, err) < 0)
		return -1;
	if (sqlite3_step(s) != SQLITE_DONE) {
		store_sql_error(st, "cannot recover in-flight deliveries", err);
		goto fail;
	}
	if (n)
		*n = sqlite3_changes(store_db(st));
	/* Tests are never retried; one a client is about to send (recorded
	 * in the last minute) is left alone. */
	sqlite3_bind_int64(t, 1, store_now_ms() - 60000);
	if (sqlite3_step(t) != SQLITE_DONE) {
		store_sql_error(st, "cannot recover in-flight tests", err);
		goto fail;
	}
	sqlite3_reset(s);
	sqlite3_reset(t);
	return store_commit(st, err);
fail:
	sqlite3_reset(s);
	sqlite3_reset(t);
	store_rollback(st);
	return -1;
}

#define JOB_COLUMNS \
	"d.id, d.uid, b.body, d.attempts, d.step, d.is_test, w.id, w.name, w.url, w.secret, " \
	"w.headers, w.verify_tls, w.timeout, w.failing_since IS NOT NULL"

static int row_to_job(sqlite3_stmt *s, struct job *j)
{
	memset(j, 0, sizeof *j);
	j->id = sqlite3_column_int64(s, 0);
	snprintf(j->uid, sizeof j->uid, "%s", (const char *)sqlite3_column_text(s, 1));
	j->body = store_column_dup(s, 2);
	j->body_len = (size_t)sqlite3_column_bytes(s, 2);
	j->attempts = sqlite3_column_int(s, 3);
	j->step = sqlite3_column_int(s, 4);
	j->is_test = sqlite3_column_int(s, 5);
	j->webhook_id = sqlite3_column_int64(s, 6);
	j->webhook_name = store_column_dup(s, 7);
	j->url = store_column_dup(s, 8);
	j->secret = store_column_dup(s, 9);
	j->verify_tls = sqlite3_column_int(s, 11);
	j->timeout = sqlite3_column_int(s, 12);
	j->webhook_failing = sqlite3_column_int(s, 13);
	if (!j->body || !j->webhook_name || !j->url)
		return -1;
	return store_json_list((const char *)sqlite3_column_text(s, 10), &j->headers, &j->nheaders);
}

static int claim_state(struct store *st, const char *sql, long long now, size_t max,
		       queue_admit_fn admit, void *ctx, struct job *jobs, size_t *n, char *err)
{
	sqlite3_stmt *sel = store_stmt(st, sql, err);
	sqlite3_stmt *mark = sel ? store_stmt(st,
		"UPDATE deliveries SET state = 'inflight', updated_at = ?2 WHERE id = ?1", err) : NULL;
	int rc;

	if (!mark)
		return -1;
	sqlite3_bind_int64(sel, 1, now);
	/* Look further than max: rows of a webhook at its limit are skipped. */
	sqlite3_bind_int64(sel, 2, (long long)(max - *n) * 4 + 16);
	while (*n < max && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		if (admit && !admit(ctx, sqlite3_column_int64(sel, 6)))
			continue;
		if (row_to_job(sel, &jobs[*n]) < 0) {
			queue_job_free(&jobs[*n]);
			sqlite3_reset(sel);
			err_oom(err, "claim");
			return -1;
		}
		sqlite3_reset(mark);
		sqlite3_bind_int64(mark, 1, jobs[*n].id);
		sqlite3_bind_int64(mark, 2, now);
		if (sqlite3_step(mark) != SQLITE_DONE) {
			queue_job_free(&jobs[*n]);
			sqlite3_reset(sel);
			store_sql_error(st, "cannot claim a delivery", err);
			return -1;
		}
		(*n)++;
	}
	sqlite3_reset(sel);
	sqlite3_reset(mark);
	return 0;
}

int queue_claim(struct store *st, long long now, size_t max, queue_admit_fn admit, void *ctx,
		struct job **jobs, size_t *n, char *err)
{
	/* Two index-ordered scans rather than one IN (…) ORDER BY, which would
	 * sort every due row on each turn of the loop. */
	static const char pending[] = "SELECT " JOB_COLUMNS " FROM deliveries d "
		"JOIN webhooks w ON w.id = d.webhook_id JOIN bodies b ON b.delivery_id = d.id "
		"WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 AND w.enabled "
		"ORDER BY d.next_attempt_at LIMIT ?2";
	static const char failed[] = "SELECT " JOB_COLUMNS " FROM deliveries d "
		"JOIN webhooks w ON w.id = d.webhook_id JOIN bodies b ON b.delivery_id = d.id "
		"WHERE d.state = 'failed' AND d.next_attempt_at <= ?1 AND w.enabled "
		"ORDER BY d.next_attempt_at LIMIT ?2";
	int own;

	*jobs = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	*jobs = calloc(max, sizeof **jobs);
	if (!*jobs) {
		err_oom(err, "claim");
		return -1;
	}
	own = sqlite3_get_autocommit(store_db(st));
	if (own && store_begin(st, err) < 0)
		goto fail;
	if (claim_state(st, pending, now, max, admit, ctx, *jobs, n, err) < 0 ||
	    claim_state(st, failed, now, max, admit, ctx, *jobs, n, err) < 0) {
		if (own)
			store_rollback(st);
		goto fail;
	}
	if (own && store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	queue_jobs_free(*jobs, *n);
	*jobs = NULL;
	*n = 0;
	return -1;
}

int queue_load(struct store *st, long long delivery_id, struct job *job, char *err)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " JOB_COLUMNS " FROM deliveries d "
		"JOIN webhooks w ON w.id = d.webhook_id JOIN bodies b ON b.delivery_id = d.id WHERE d.id = ?", err);
	int rc;

	memset(job, 0, sizeof *job);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, delivery_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		rc = row_to_job(s, job);
		if (rc < 0) {
			queue_job_free(job);
			err_oom(err, "delivery");
		}
	} else {
		if (rc == SQLITE_DONE)
			err_set(err, "no delivery %lld", delivery_id);
		else
			store_sql_error(st, "cannot load the delivery", err);
		rc = -1;
	}
	sqlite3_reset(s);
	return rc;
}

enum verdict queue_decide(const struct queue_policy *p, const struct job *j,
			  const struct outcome *o, unsigned rnd, long long *next_ms)
{
	long long d;

	*next_ms = -1;
	if (o->status >= 200 && o->status <= 299)
		return VERDICT_DELIVERED;
	if (j->is_test)
		return VERDICT_DEAD;
	d = retry_delay(&p->schedule, (size_t)j->step, rnd);
	if (d < 0)
		return VERDICT_DEAD;
	if ((o->status == 429 || o->status == 503) && o->retry_after_ms >= 0)
		d = o->retry_after_ms > RETRY_AFTER_CAP_MS ? RETRY_AFTER_CAP_MS : o->retry_after_ms;
	*next_ms = d;
	return VERDICT_RETRY;
}

static int step_done(struct store *st, sqlite3_stmt *s, const char *what, char *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_sql_error(st, what, err);
		return -1;
	}
	return 0;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* Health of the webhook after a failed attempt: remember since when it
 * fails, and disable it when a 410 says it is gone or it has failed for
 * longer than the policy allows. */
static int record_failure(struct store *st, const struct queue_policy *p, const struct job *j,
			  const struct outcome *o, char *err)
{
	sqlite3_stmt *s = store_stmt(st,
		"UPDATE webhooks SET failing_since = COALESCE(failing_since, ?2) WHERE id = ?1", err);
	sqlite3_stmt *dis;
	char reason[ERR_MAX], cause[200];

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, j->webhook_id);
	sqlite3_bind_int64(s, 2, o->started_at);
	if (step_done(st, s, "cannot record the webhook's health", err) < 0)
		return -1;
	if (o->status)
		snprintf(cause, sizeof cause, "HTTP %d", o->status);
	else
		snprintf(cause, sizeof cause, "%s", o->error ? o->error : "no response");
	dis = store_stmt(st,
		"UPDATE webhooks SET enabled = 0, disabled_reason = ?3, version = version + 1, updated_at = ?4 "
		"WHERE id = ?1 AND enabled AND (?2 OR (?5 > 0 AND ?4 - failing_since >= ?5))", err);
	if (!dis)
		return -1;
	if (o->status == 410)
		snprintf(reason, sizeof reason, "the receiver answered 410 Gone: it no longer accepts deliveries");
	else
		snprintf(reason, sizeof reason, "every delivery failed for %lld days (last: %s)",
			 p->disable_after_ms / (24LL * 60 * 60 * 1000), cause);
	sqlite3_bind_int64(dis, 1, j->webhook_id);
	sqlite3_bind_int(dis, 2, o->status == 410);
	sqlite3_bind_text(dis, 3, reason, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(dis, 4, o->started_at + o->duration_ms);
	sqlite3_bind_int64(dis, 5, p->disable_after_ms);
	return step_done(st, dis, "cannot disable the webhook", err);
}

static int finish_one(struct store *st, const struct queue_policy *p, const struct job *j,
		      const struct outcome *o, enum verdict *verdict, char *err)
{
	sqlite3_stmt *att = store_stmt(st,
		"INSERT INTO attempts(delivery_id, started_at, duration_ms, status, error, request_headers, "
		"response_headers, response_body, response_size) VALUES (?,?,?,?,?,?,?,?,?)", err);
	sqlite3_stmt *upd = att ? store_stmt(st,
		"UPDATE deliveries SET state = ?2, attempts = attempts + 1, step = step + ?3, "
		"next_attempt_at = ?4, last_status = ?5, last_error = ?6, updated_at = ?7 WHERE id = ?1", err) : NULL;
	sqlite3_stmt *ok = upd ? store_stmt(st,
		"UPDATE webhooks SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL", err) : NULL;
	long long next = -1, end = o->started_at + o->duration_ms;
	unsigned rnd = (unsigned)(j->id * 2654435761u) ^ (unsigned)o->started_at;
	enum verdict v;

	if (!ok)
		return -1;
	v = queue_decide(p, j, o, rnd, &next);
	if (verdict)
		*verdict = v;
	sqlite3_bind_int64(att, 1, j->id);
	sqlite3_bind_int64(att, 2, o->started_at);
	sqlite3_bind_int64(att, 3, o->duration_ms);
	if (o->status)
		sqlite3_bind_int(att, 4, o->status);
	else
		sqlite3_bind_null(att, 4);
	bind_text_or_null(att, 5, o->error);
	bind_text_or_null(att, 6, o->request_headers);
	bind_text_or_null(att, 7, o->response_headers);
	if (o->response_body)
		sqlite3_bind_blob(att, 8, o->response_body, (int)o->response_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(att, 8);
	sqlite3_bind_int64(att, 9, o->response_size);
	if (step_done(st, att, "cannot record the attempt", err) < 0)
		return -1;

	sqlite3_bind_int64(upd, 1, j->id);
	sqlite3_bind_text(upd, 2, v == VERDICT_DELIVERED ? "delivered" : v == VERDICT_RETRY ? "failed" : "dead",
			  -1, SQLITE_STATIC);
	sqlite3_bind_int(upd, 3, v == VERDICT_RETRY ? 1 : 0);
	sqlite3_bind_int64(upd, 4, v == VERDICT_RETRY ? end + next : end);
	if (o->status)
		sqlite3_bind_int(upd, 5, o->status);
	else
		sqlite3_bind_null(upd, 5);
	bind_text_or_null(upd, 6, v == VERDICT_DELIVERED ? NULL : o->error);
	sqlite3_bind_int64(upd, 7, end);
	if (step_done(st, upd, "cannot update the delivery", err) < 0)
		return -1;
	if (j->is_test)
		return 0;   /* a test says nothing about the webhook's health */
	if (v == VERDICT_DELIVERED) {
		/* Most successes follow successes: skip the write then. */
		if (!j->webhook_failing)
			return 0;
		sqlite3_bind_int64(ok, 1, j->webhook_id);
		return step_done(st, ok, "cannot record the webhook's health", err);
	}
	return record_failure(st, p, j, o, err);
}

int queue_finish(struct store *st, const struct queue_policy *p, struct job *const *jobs,
		 const struct outcome *outs, size_t n, enum verdict *verdicts, char *err)
{
	size_t i;
	int own;

	if (n == 0)
		return 0;
	own = sqlite3_get_autocommit(store_db(st));
	if (own && store_begin(st, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (finish_one(st, p, jobs[i], &outs[i], verdicts ? &verdicts[i] : NULL, err) < 0) {
			if (own)
				store_rollback(st);
			return -1;
		}
	return own ? store_commit(st, err) : 0;
}

int queue_release(struct store *st, struct job *const *jobs, size_t n, char *err)
{
	sqlite3_stmt *s;
	size_t i;

	if (n == 0)
		return 0;
	if (store_begin(st, err) < 0)
		return -1;
	s = store_stmt(st, "UPDATE deliveries SET state = 'pending' WHERE id = ? AND state = 'inflight'", err);
	for (i = 0; s && i < n; i++) {
		sqlite3_bind_int64(s, 1, jobs[i]->id);
		if (step_done(st, s, "cannot release a delivery", err) < 0)
			s = NULL;
	}
	if (!s) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

int queue_next_due(struct store *st, long long *when, char *err)
{
	static const char *const sql[] = {
		"SELECT d.next_attempt_at FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
		"WHERE d.state = 'pending' AND w.enabled ORDER BY d.next_attempt_at LIMIT 1",
		"SELECT d.next_attempt_at FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
		"WHERE d.state = 'failed' AND w.enabled ORDER BY d.next_attempt_at LIMIT 1",
	};
	size_t i;

	*when = -1;
	for (i = 0; i < 2; i++) {
		sqlite3_stmt *s = store_stmt(st, sql[i], err);
		int rc;

		if (!s)
			return -1;
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			long long t = sqlite3_column_int64(s, 0);

			if (*when < 0 || t < *when)
				*when = t;
		} else if (rc != SQLITE_DONE) {
			sqlite3_reset(s);
			store_sql_error(st, "cannot find the next due delivery", err);
			return -1;
		}
		sqlite3_reset(s);
	}
	return 0;
}
