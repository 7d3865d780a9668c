#include "metrics.h"

#include <stdlib.h>
#include <string.h>

#include "prune.h"

const long long metrics_bucket_ms[METRICS_BUCKETS] = { 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000 };

/* The deliveries' states (schema v6) and the attempts' classes, in the
 * order they are printed. */
static const char *const states[] = { "pending", "inflight", "delivered", "failed", "dead", "dropped" };
#define STATE_PENDING 0
#define STATE_FAILED 3
#define NSTATES (sizeof states / sizeof states[0])
static const char *const classes[] = { "2xx", "3xx", "4xx", "5xx", "error" };
#define NCLASSES (sizeof classes / sizeof classes[0])
#define CLASS_ERROR 4

struct hook {
	long long id;
	char *name;
	long long deliveries[NSTATES];
	long long attempts[NCLASSES];
};

/* What one snapshot of the store says. */
struct snapshot {
	struct hook *hooks;        /* by id, as the webhooks query returns them */
	size_t n;
	long long enabled, disabled, failing, held;
	long long held_types;      /* event types a hold is on */
	long long queue_depth;
	long long oldest_at;       /* when the oldest unfinished delivery was queued; 0: none */
	struct metrics_histogram latency;
	long long store_bytes;
};

int metrics_bucket_of(long long ms)
{
	int i;

	for (i = 0; i < METRICS_BUCKETS; i++)
		if (ms <= metrics_bucket_ms[i])
			return i;
	return METRICS_BUCKETS;
}

void metrics_histogram_add(struct metrics_histogram *h, int i, long long n, long long sum_ms)
{
	if (i < 0 || i > METRICS_BUCKETS)
		i = METRICS_BUCKETS;
	h->bucket[i] += n;
	h->count += n;
	h->sum_ms += sum_ms;
}

int metrics_histogram_append(struct sbuf *b, const char *name, const struct metrics_histogram *h)
{
	long long cumulative = 0;
	int i;

	for (i = 0; i < METRICS_BUCKETS; i++) {
		cumulative += h->bucket[i];
		sbuf_appendf(b, "%s_bucket{le=\"%g\"} %lld\n", name, metrics_bucket_ms[i] / 1000.0, cumulative);
	}
	cumulative += h->bucket[METRICS_BUCKETS];
	sbuf_appendf(b, "%s_bucket{le=\"+Inf\"} %lld\n", name, cumulative);
	sbuf_appendf(b, "%s_sum %.3f\n", name, h->sum_ms / 1000.0);
	return sbuf_appendf(b, "%s_count %lld\n", name, h->count);
}

int metrics_append_label(struct sbuf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '"' ? "\\\"" : *s == '\n' ? "\\n" : NULL;

		if (!esc)
			continue;
		sbuf_appendn(b, run, (size_t)(s - run));
		sbuf_append(b, esc);
		run = s + 1;
	}
	return sbuf_append(b, run);
}

static struct hook *hook_by_id(struct snapshot *sn, long long id)
{
	size_t lo = 0, hi = sn->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sn->hooks[mid].id == id)
			return &sn->hooks[mid];
		if (sn->hooks[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int state_index(const char *state)
{
	size_t i;

	for (i = 0; state && i < NSTATES; i++)
		if (strcmp(states[i], state) == 0)
			return (int)i;
	return -1;
}

/* Every webhook with its health: a webhook is held while a hold of its
 * own is active (an event type's hold holds some of its deliveries
 * only, and counts in none). */
static int read_webhooks(struct store *st, long long now, struct snapshot *sn, char *err)
{
	struct db_stmt *s = store_sql(st,
		"SELECT w.id, w.name, w.enabled, w.failing_since IS NOT NULL, "
		"EXISTS (SELECT 1 FROM holds h WHERE h.webhook_id = w.id AND (h.until_at IS NULL OR h.until_at > ?1)) "
		"FROM webhooks w ORDER BY w.id", err);
	size_t cap = 0;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, now);
	while ((rc = db_step(s)) == DB_ROW) {
		struct hook *h;

		if (sn->n == cap) {
			struct hook *grown = realloc(sn->hooks, (cap ? cap * 2 : 16) * sizeof *grown);

			if (!grown)
				break;
			sn->hooks = grown;
			cap = cap ? cap * 2 : 16;
		}
		h = memset(&sn->hooks[sn->n], 0, sizeof *h);
		h->id = db_column_int64(s, 0);
		h->name = db_column_dup(s, 1);
		if (!h->name)
			break;
		sn->n++;
		if (db_column_int(s, 2))
			sn->enabled++;
		else
			sn->disabled++;
		sn->failing += db_column_int(s, 3);
		sn->held += db_column_int(s, 4);
	}
	db_reset(s);
	if (rc == DB_ROW) {
		err_oom(err, "the metrics' webhooks");
		return -1;
	}
	if (rc == DB_DONE) {
		s = store_sql(st, "SELECT count(*) FROM holds WHERE event_type IS NOT NULL "
			       "AND (until_at IS NULL OR until_at > ?1)", err);
		if (!s)
			return -1;
		db_bind_int64(s, 1, now);
		rc = db_step(s);
		sn->held_types = rc == DB_ROW ? db_column_int64(s, 0) : 0;
		db_reset(s);
		rc = rc == DB_ROW ? DB_DONE : rc;
	}
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot read the webhooks", err);
		return -1;
	}
	return 0;
}

/* Deliveries by webhook and state, tests taken away: all of them are
 * counted from the index by webhook and state, the few tests through the
 * tests' own index (left alone, the planner would read every row to
 * find them). */
static int read_deliveries(struct store *st, struct snapshot *sn, char *err)
{
	struct db_stmt *s = store_sql_dialect(st,
		"SELECT 0, webhook_id, state, count(*) FROM deliveries GROUP BY webhook_id, state UNION ALL "
		"SELECT 1, webhook_id, state, count(*) FROM deliveries INDEXED BY deliveries_tests WHERE is_test "
		"GROUP BY webhook_id, state",
		"SELECT 0, webhook_id, state, count(*) FROM deliveries GROUP BY webhook_id, state UNION ALL "
		"SELECT 1, webhook_id, state, count(*) FROM deliveries WHERE is_test <> 0 "
		"GROUP BY webhook_id, state", err);
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == DB_ROW) {
		struct hook *h = hook_by_id(sn, db_column_int64(s, 1));
		int i = state_index(db_column_text(s, 2));
		long long n = db_column_int64(s, 3);

		if (!h || i < 0)
			continue;
		h->deliveries[i] += db_column_int(s, 0) ? -n : n;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot count the deliveries", err);
		return -1;
	}
	return 0;
}

/* The oldest delivery not finished (pending, in flight or failed with a
 * retry ahead), tests aside: ids grow with the time deliveries are
 * queued, so each state's first id in its index is its oldest. */
static int read_oldest(struct store *st, struct snapshot *sn, char *err)
{
	struct db_stmt *s = store_sql(st,
		"SELECT min(created_at) FROM ("
		"SELECT (SELECT created_at FROM deliveries WHERE state = 'pending' AND is_test = 0 ORDER BY id LIMIT 1) "
		"  AS created_at UNION ALL "
		"SELECT (SELECT created_at FROM deliveries WHERE state = 'inflight' AND is_test = 0 ORDER BY id LIMIT 1) "
		"UNION ALL "
		"SELECT (SELECT created_at FROM deliveries WHERE state = 'failed' AND is_test = 0 ORDER BY id LIMIT 1)) AS oldest",
		err);
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	if (rc == DB_ROW)
		sn->oldest_at = db_column_int64(s, 0);
	db_reset(s);
	if (rc != DB_ROW) {
		store_sql_error(st, "cannot find the oldest waiting delivery", err);
		return -1;
	}
	return 0;
}

/* The attempts of the window, by webhook, status class and duration
 * bucket, read from the index by start time (the rows themselves only
 * for their duration). The CASE is metrics_bucket_ms written out; the
 * Check suite holds the two together at every bound. */
static int read_attempts(struct store *st, long long since, struct snapshot *sn, char *err)
{
	struct db_stmt *s = store_sql(st,
		"SELECT d.webhook_id, coalesce(a.status / 100, 0), "
		"CASE WHEN a.duration_ms <= 5 THEN 0 WHEN a.duration_ms <= 10 THEN 1 WHEN a.duration_ms <= 25 THEN 2 "
		"WHEN a.duration_ms <= 50 THEN 3 WHEN a.duration_ms <= 100 THEN 4 WHEN a.duration_ms <= 250 THEN 5 "
		"WHEN a.duration_ms <= 500 THEN 6 WHEN a.duration_ms <= 1000 THEN 7 WHEN a.duration_ms <= 2500 THEN 8 "
		"WHEN a.duration_ms <= 5000 THEN 9 WHEN a.duration_ms <= 10000 THEN 10 ELSE 11 END, "
		"count(*), coalesce(sum(a.duration_ms), 0) "
		"FROM attempts a JOIN deliveries d ON d.id = a.delivery_id "
		"WHERE a.started_at >= ?1 AND d.is_test = 0 GROUP BY 1, 2, 3", err);
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, since);
	while ((rc = db_step(s)) == DB_ROW) {
		struct hook *h = hook_by_id(sn, db_column_int64(s, 0));
		int status_class = db_column_int(s, 1);
		long long n = db_column_int64(s, 3);

		metrics_histogram_add(&sn->latency, db_column_int(s, 2), n, db_column_int64(s, 4));
		/* No HTTP answer, or no valid one (outside 200-599), is an error. */
		if (h)
			h->attempts[status_class >= 2 && status_class <= 5 ? status_class - 2 : CLASS_ERROR] += n;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		store_sql_error(st, "cannot count the attempts", err);
		return -1;
	}
	return 0;
}

/* All of it inside one read transaction, so that the families agree
 * with each other (a delivery counted pending is not also in the queue's
 * depth as delivered). */
static int read_snapshot(struct store *st, long long now, struct snapshot *sn, char *err)
{
	struct store_size size;
	size_t i;
	int rc;

	if (store_begin_read(st, err) < 0)
		return -1;
	rc = read_webhooks(st, now, sn, err);
	if (rc == 0)
		rc = read_deliveries(st, sn, err);
	if (rc == 0)
		rc = read_oldest(st, sn, err);
	if (rc == 0)
		rc = read_attempts(st, now - METRICS_WINDOW_MS, sn, err);
	if (rc == 0)
		rc = store_size(st, &size, err);
	store_end_read(st);
	if (rc < 0)
		return -1;
	sn->store_bytes = size.bytes;
	for (i = 0; i < sn->n; i++)
		sn->queue_depth += sn->hooks[i].deliveries[STATE_PENDING] + sn->hooks[i].deliveries[STATE_FAILED];
	return 0;
}

static void family(struct sbuf *b, const char *name, const char *type, const char *help)
{
	sbuf_appendf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct hook *const *)a)->name, (*(const struct hook *const *)b)->name);
}

/* One line per webhook and state (or class), zeros included: a series
 * that comes and goes would read as missing data. */
static void per_webhook(struct sbuf *b, const char *name, struct hook **sorted, size_t n, int attempts)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < (attempts ? NCLASSES : NSTATES); j++) {
			sbuf_appendf(b, "%s{webhook=\"", name);
			metrics_append_label(b, sorted[i]->name);
			sbuf_appendf(b, "\",%s=\"%s\"} %lld\n", attempts ? "class" : "state",
				     attempts ? classes[j] : states[j],
				     attempts ? sorted[i]->attempts[j] : sorted[i]->deliveries[j]);
		}
}

static int write_text(const struct snapshot *sn, int senders, long long now, struct sbuf *b, char *err)
{
	struct hook **sorted = calloc(sn->n ? sn->n : 1, sizeof *sorted);
	size_t i;

	if (!sorted) {
		err_oom(err, "the metrics");
		return -1;
	}
	for (i = 0; i < sn->n; i++)
		sorted[i] = &sn->hooks[i];
	qsort(sorted, sn->n, sizeof *sorted, by_name);

	family(b, "hookman_deliveries", "gauge",
	       "Deliveries kept in the store, by webhook and state (test sends excluded).");
	per_webhook(b, "hookman_deliveries", sorted, sn->n, 0);
	family(b, "hookman_queue_depth", "gauge",
	       "Deliveries waiting to be sent: pending, or failed with a retry ahead, due or not (tests excluded).");
	sbuf_appendf(b, "hookman_queue_depth %lld\n", sn->queue_depth);
	family(b, "hookman_oldest_pending_age_seconds", "gauge",
	       "Age of the oldest delivery not yet delivered nor given up (pending, in flight or failed), "
	       "since it was queued; 0 when there is none.");
	sbuf_appendf(b, "hookman_oldest_pending_age_seconds %.3f\n",
		     sn->oldest_at > 0 && now > sn->oldest_at ? (now - sn->oldest_at) / 1000.0 : 0.0);
	family(b, "hookman_recent_attempts", "gauge",
	       "Attempts started in the last " METRICS_WINDOW_TEXT ", by webhook and status class (error: no HTTP answer; "
	       "test sends excluded). A window, not a running total: read it as it is, without rate().");
	per_webhook(b, "hookman_recent_attempts", sorted, sn->n, 1);
	family(b, "hookman_recent_attempt_duration_seconds", "histogram",
	       "Duration of the attempts started in the last " METRICS_WINDOW_TEXT " (test sends excluded). A window, not "
	       "a running total: use histogram_quantile() on it directly, without rate().");
	metrics_histogram_append(b, "hookman_recent_attempt_duration_seconds", &sn->latency);
	family(b, "hookman_webhooks", "gauge",
	       "Webhooks by state: enabled and disabled count every webhook once; failing (its last "
	       "attempt failed) and held (a hold of its own is active) are among them.");
	sbuf_appendf(b, "hookman_webhooks{state=\"enabled\"} %lld\nhookman_webhooks{state=\"disabled\"} %lld\n"
		     "hookman_webhooks{state=\"failing\"} %lld\nhookman_webhooks{state=\"held\"} %lld\n",
		     sn->enabled, sn->disabled, sn->failing, sn->held);
	family(b, "hookman_held_event_types", "gauge",
	       "Event types a hold is on (hookman hold --event): their deliveries wait, for every webhook.");
	sbuf_appendf(b, "hookman_held_event_types %lld\n", sn->held_types);
	family(b, "hookman_senders", "gauge", "1 when a hookmand serves this store, 0 when none runs.");
	sbuf_appendf(b, "hookman_senders %d\n", senders ? 1 : 0);
	family(b, "hookman_store_bytes", "gauge", "Size of the store's database file (its write-ahead log aside).");
	sbuf_appendf(b, "hookman_store_bytes %lld\n", sn->store_bytes);
	free(sorted);
	if (b->failed) {
		err_oom(err, "the metrics");
		return -1;
	}
	return 0;
}

int metrics_expose(struct store *st, int senders, long long now_ms, struct sbuf *out, char *err)
{
	struct snapshot sn;
	size_t i;
	int rc;

	memset(&sn, 0, sizeof sn);
	rc = read_snapshot(st, now_ms, &sn, err);
	if (rc == 0)
		rc = write_text(&sn, senders, now_ms, out, err);
	for (i = 0; i < sn.n; i++)
		free(sn.hooks[i].name);
	free(sn.hooks);
	return rc;
}
