#include "activity.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

/* Buckets are counted back from now: an attempt started at now - age goes
 * in the bucket (age / width) from the newest, so the newest bucket ends at
 * now and holds ages 0 .. width - 1. */
static void buckets_init(struct activity_bucket *b, size_t n, long long now_ms, long long width)
{
	size_t k;

	for (k = 0; k < n; k++) {
		b[k].start_ms = now_ms - (long long)(n - k) * width;
		b[k].ok = b[k].failed = 0;
	}
}

int activity_hourly(struct store *st, long long webhook_id, long long now_ms,
		    struct activity_bucket out[ACTIVITY_HOURS], char *err)
{
	/* Driven by the attempts of the last day (attempts_started, which
	 * covers delivery and status); the delivery's row only says whether
	 * it is a test and whose it is. */
	struct db_stmt *s = store_sql(st,
		"SELECT (?1 - a.started_at) / ?3, count(*) FILTER (WHERE a.status BETWEEN 200 AND 299), count(*) "
		"FROM attempts a JOIN deliveries d ON d.id = a.delivery_id "
		"WHERE a.started_at > ?1 - ?3 * ?4 AND a.started_at <= ?1 AND d.is_test = 0 "
		"AND (?2 = 0 OR d.webhook_id = ?2) GROUP BY 1", err);
	int rc;

	buckets_init(out, ACTIVITY_HOURS, now_ms, ACTIVITY_HOUR_MS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, now_ms);
	db_bind_int64(s, 2, webhook_id);
	db_bind_int64(s, 3, ACTIVITY_HOUR_MS);
	db_bind_int64(s, 4, ACTIVITY_HOURS);
	while ((rc = db_step(s)) == DB_ROW) {
		long long age = db_column_int64(s, 0), ok = db_column_int64(s, 1);
		struct activity_bucket *b = &out[ACTIVITY_HOURS - 1 - age];

		b->ok = ok;
		b->failed = db_column_int64(s, 2) - ok;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot count the attempts per hour", err);
		return -1;
	}
	return 0;
}

static int by_value(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile p of n sorted values (n > 0). */
static long long percentile(const long long *v, size_t n, int p)
{
	size_t rank = (n * (size_t)p + 99) / 100;

	return v[rank > 0 ? rank - 1 : 0];
}

/* What the readers below answer, besides db_step's: memory ran out. */
enum { NO_MEMORY = DB_ERROR - 1 };

/* The durations the statement gives, into a growing array. */
static long long *read_durations(struct db_stmt *s, size_t *n, int *rc)
{
	long long *v = NULL, *grown;
	size_t cap = 0;

	*n = 0;
	while ((*rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(v, cap * sizeof *v);
			if (!grown) {
				*rc = NO_MEMORY;
				break;
			}
			v = grown;
		}
		v[(*n)++] = db_column_int64(s, 0);
	}
	return v;
}

int activity_latency(struct store *st, long long webhook_id, int last_n,
		     struct activity_latency *out, char *err)
{
	/* Two statements, so that each walks an index newest first and stops
	 * after last_n rows: one webhook's deliveries (deliveries_webhook) or
	 * all of them (the primary key), then their attempts. */
	struct db_stmt *s = webhook_id ? store_sql(st,
		"SELECT a.duration_ms FROM deliveries d JOIN attempts a ON a.delivery_id = d.id "
		"WHERE d.webhook_id = ?1 AND d.is_test = 0 AND a.status IS NOT NULL "
		"ORDER BY d.id DESC, a.id DESC LIMIT ?2", err) : store_sql(st,
		"SELECT a.duration_ms FROM deliveries d JOIN attempts a ON a.delivery_id = d.id "
		"WHERE d.is_test = 0 AND a.status IS NOT NULL "
		"ORDER BY d.id DESC, a.id DESC LIMIT ?2", err);
	long long *v;
	size_t n;
	int rc;

	memset(out, 0, sizeof *out);
	if (last_n <= 0) {
		err_setk(err, ERR_INVALID, "the number of attempts to measure must be positive, not %d", last_n);
		return -1;
	}
	if (!s)
		return -1;
	db_bind_int64(s, 1, webhook_id);
	db_bind_int64(s, 2, last_n);
	v = read_durations(s, &n, &rc);
	db_reset(s);
	if (rc == NO_MEMORY) {
		free(v);
		err_oom(err, "the latency");
		return -1;
	}
	if (rc != DB_DONE) {
		free(v);
		store_sql_error(st, "cannot read the attempts' durations", err);
		return -1;
	}
	if (n > 0) {
		qsort(v, n, sizeof *v, by_value);
		out->count = (int)n;
		out->p50_ms = percentile(v, n, 50);
		out->p95_ms = percentile(v, n, 95);
	}
	free(v);
	return 0;
}

/* The webhooks, each with what the query below found for it. */
static int read_webhooks(struct db_stmt *s, long long now_ms, struct activity_webhook **out, size_t *n)
{
	struct activity_webhook *list = NULL, *grown, *w = NULL;
	size_t cap = 0;
	int rc;

	while ((rc = db_step(s)) == DB_ROW) {
		long long id = db_column_int64(s, 0);

		if (!w || w->webhook_id != id) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 32;
				grown = realloc(list, cap * sizeof *list);
				if (!grown) {
					rc = NO_MEMORY;
					break;
				}
				list = grown;
			}
			w = &list[(*n)++];
			w->webhook_id = id;
			w->last_attempt_ms = w->failed_24h = 0;
			buckets_init(w->spark, ACTIVITY_SPARKS, now_ms, ACTIVITY_SPARK_MS);
		}
		if (!db_column_null(s, 1)) {
			struct activity_bucket *b = &w->spark[ACTIVITY_SPARKS - 1 - db_column_int64(s, 1)];

			b->ok = db_column_int64(s, 2);
			b->failed = db_column_int64(s, 3);
			w->failed_24h += b->failed;
		}
		if (db_column_int64(s, 4) > w->last_attempt_ms)
			w->last_attempt_ms = db_column_int64(s, 4);
	}
	*out = list;
	return rc;
}

int activity_webhooks(struct store *st, long long now_ms, struct activity_webhook **out,
		      size_t *n, char *err)
{
	/* Every webhook, joined to its attempts of the last day in two-hour
	 * buckets (a range of attempts_started). A webhook without any in
	 * that day has one row of NULLs, and only then is its newest attempt
	 * looked up, through its newest tried delivery (deliveries_webhook
	 * read backwards, then attempts_delivery): one index probe each, not
	 * a scan of its history. */
	struct db_stmt *s = store_sql(st,
		"SELECT w.id, b.age, b.ok, b.failed, coalesce(b.newest, "
		"  (SELECT max(a.started_at) FROM attempts a WHERE a.delivery_id = "
		"    (SELECT d.id FROM deliveries d WHERE d.webhook_id = w.id AND d.attempts > 0 AND d.is_test = 0 "
		"     ORDER BY d.id DESC LIMIT 1))) "
		"FROM webhooks w LEFT JOIN ("
		"  SELECT d.webhook_id AS wid, (?1 - a.started_at) / ?2 AS age, "
		"    count(*) FILTER (WHERE a.status BETWEEN 200 AND 299) AS ok, "
		"    count(*) FILTER (WHERE a.status IS NULL OR a.status NOT BETWEEN 200 AND 299) AS failed, "
		"    max(a.started_at) AS newest "
		"  FROM attempts a JOIN deliveries d ON d.id = a.delivery_id "
		"  WHERE a.started_at > ?1 - ?2 * ?3 AND a.started_at <= ?1 AND d.is_test = 0 GROUP BY 1, 2"
		") b ON b.wid = w.id ORDER BY w.id", err);
	int rc;

	*out = NULL;
	*n = 0;
	if (!s)
		return -1;
	db_bind_int64(s, 1, now_ms);
	db_bind_int64(s, 2, ACTIVITY_SPARK_MS);
	db_bind_int64(s, 3, ACTIVITY_SPARKS);
	rc = read_webhooks(s, now_ms, out, n);
	db_reset(s);
	if (rc == DB_DONE)
		return 0;
	free(*out);
	*out = NULL;
	*n = 0;
	if (rc == NO_MEMORY)
		err_oom(err, "the webhooks' activity");
	else
		store_sql_error(st, "cannot read the webhooks' activity", err);
	return -1;
}

const struct activity_webhook *activity_find(const struct activity_webhook *list, size_t n,
					     long long webhook_id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (list[mid].webhook_id == webhook_id)
			return &list[mid];
		if (list[mid].webhook_id < webhook_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
