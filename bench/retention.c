/* Store size and listing time with many deliveries, and the cost of
 * pruning them. Usage: retention DIR [N]. Fills the store in DIR (new)
 * with N deliveries (1,000,000) of 10 webhooks, two per event, as hookmand
 * leaves them (a ~560-byte body, one attempt with its headers and a short
 * response; 97 % delivered, 2 % dead, 1 % failed), 100,000 per transaction
 * through a recursive CTE; prints the file size per 100,000 and the
 * history_list times at N; then prunes all but the failed ones BATCH rows
 * a transaction (PRUNE_BATCH, hookman prune's; hookmand uses 250; 0
 * leaves the store full, for a look at it) and prints the slowest batch and the file size after.
 * Links the core. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sqlite3.h>

#include "history.h"
#include "prune.h"
#include "store.h"

#define CHUNK 100000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "retention: %s: %s\n", what, msg);
	exit(1);
}

/* The fixture's SQL is SQLite's own (a recursive CTE per table, several
 * statements at once): run on a connection of its own to the store's
 * file, which store_open made. */
static void exec(const char *dir, const char *sql)
{
	char path[4096];
	sqlite3 *db;

	snprintf(path, sizeof path, "%s/" STORE_DB_NAME, dir);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, STORE_BUSY_MS);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* Deliveries first+1 .. first+CHUNK, their events and attempts. */
static void fill(const char *dir, long long first)
{
	char sql[4096];

	snprintf(sql, sizeof sql,
		"BEGIN;"
		"WITH RECURSIVE c(i) AS (SELECT %lld UNION ALL SELECT i + 1 FROM c WHERE i < %lld) "
		"INSERT INTO events(id, uid, type, title, severity, time, data, created_at) "
		"SELECT i, 'evt_' || printf('%%026d', i), 'detection.created', 'DETECTION CREATED', 'high', "
		"'2026-11-28T10:00:00Z', '{\"id\":\"det_' || i || '\",\"host\":\"srv-' || (i %% 500) || "
		"'.example.com\",\"rule\":\"Suspicious login\",\"score\":87}', i * 2000 FROM c;"
		"WITH RECURSIVE c(i) AS (SELECT %lld UNION ALL SELECT i + 1 FROM c WHERE i < %lld) "
		"INSERT INTO deliveries(id, uid, event_id, webhook_id, state, attempts, next_attempt_at, last_status, "
		"created_at, updated_at) SELECT i, 'msg_' || printf('%%026d', i), (i + 1) / 2, 1 + i %% 10, "
		"CASE WHEN i %% 100 = 0 THEN 'failed' WHEN i %% 50 = 1 THEN 'dead' ELSE 'delivered' END, 1, i * 1000, "
		"200, i * 1000, i * 1000 + 15 FROM c;"
		"WITH RECURSIVE c(i) AS (SELECT %lld UNION ALL SELECT i + 1 FROM c WHERE i < %lld) "
		"INSERT INTO bodies SELECT i, '{\"title\":\"DETECTION CREATED\",\"message\":\"' || hex(randomblob(250)) || "
		"'\"}' FROM c;"
		"WITH RECURSIVE c(i) AS (SELECT %lld UNION ALL SELECT i + 1 FROM c WHERE i < %lld) "
		"INSERT INTO attempts(delivery_id, started_at, duration_ms, status, request_headers, response_headers, "
		"response_body, response_size) SELECT i, i * 1000, 12, 200, "
		"'Content-Type: application/json\nUser-Agent: hookman/0.1\nwebhook-id: msg_' || printf('%%026d', i) || "
		"'\nwebhook-timestamp: ' || i || '\nwebhook-signature: v1,' || hex(randomblob(32)), "
		"'HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 11\nDate: Sat, 28 Nov 2026 10:00:00 GMT', "
		"CAST('{\"ok\":true}' AS BLOB), 11 FROM c;"
		"COMMIT;",
		(first + 2) / 2, (first + CHUNK) / 2, first + 1, first + CHUNK, first + 1, first + CHUNK,
		first + 1, first + CHUNK);
	exec(dir, sql);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of 5 history_list calls, ms. */
static double list_ms(struct store *st, const char *webhook, const char *state, long limit)
{
	double t[5];
	char err[ERR_MAX];
	json_t *out;
	int i;

	for (i = 0; i < 5; i++) {
		t[i] = now_ms();
		if (history_list(st, webhook, state, limit, &out, err) < 0)
			die("history_list", err);
		t[i] = now_ms() - t[i];
		json_decref(out);
	}
	qsort(t, 5, sizeof t[0], cmp);
	return t[2];
}

static long long file_bytes(struct store *st)
{
	struct store_size sz;
	char err[ERR_MAX];

	if (store_size(st, &sz, err) < 0)
		die("size", err);
	return sz.bytes;
}

int main(int argc, char **argv)
{
	long long n = argc > 2 ? atoll(argv[2]) : 1000000, done_rows;
	int batch = argc > 3 ? atoi(argv[3]) : PRUNE_BATCH;
	struct prune_counts c = { 0 };
	char err[ERR_MAX], sql[512];
	struct store *st;
	double t, worst = 0, total;
	int i, done = 0, steps = 0;

	if (argc < 2)
		die("usage", "retention DIR [N] [BATCH]");
	st = store_open(argv[1], err);
	if (!st)
		die(argv[1], err);
	for (i = 1; i <= 10; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO webhooks(name, url, events, format, payload, created_at, updated_at) "
			 "VALUES ('hook-%d', 'https://hooks.example.com/%d', '[\"detection.created\"]', 'default', '{}', 0, 0)",
			 i, i);
		exec(argv[1], sql);
	}
	for (done_rows = 0; done_rows < n; done_rows += CHUNK) {
		fill(argv[1], done_rows);
		printf("%8lld deliveries  %6.1f MiB  %5lld bytes per delivery\n", done_rows + CHUNK,
		       file_bytes(st) / 1048576.0, file_bytes(st) / (done_rows + CHUNK));
		fflush(stdout);
	}
	printf("hookman deliveries (50):                  %6.2f ms\n", list_ms(st, NULL, NULL, 50));
	printf("hookman deliveries --state dead (50):     %6.2f ms\n", list_ms(st, NULL, "dead", 50));
	printf("hookman deliveries hook-3 (50):           %6.2f ms\n", list_ms(st, "hook-3", NULL, 50));
	printf("hookman deliveries hook-2 --state dead:   %6.2f ms\n", list_ms(st, "hook-2", "dead", 50));
	printf("interface's deliveries screen (500):      %6.2f ms\n", list_ms(st, NULL, NULL, 500));
	total = now_ms();
	done = batch == 0;
	while (!done) {
		t = now_ms();
		if (prune_step(st, (n + 1) * 1000 + 100, batch, &c, &done, err) < 0)
			die("prune", err);
		t = now_ms() - t;
		worst = t > worst ? t : worst;
		steps++;
	}
	total = now_ms() - total;
	if (steps)
		printf("pruned %lld deliveries, %lld attempts, %lld events in %.1f s: %d transactions of %d rows, "
		       "%.1f ms on average, the longest %.1f ms\n", c.deliveries, c.attempts, c.events, total / 1e3,
		       steps, batch, total / steps, worst);
	printf("file at the end: %.1f MiB\n", file_bytes(st) / 1048576.0);
	store_close(st);
	return 0;
}
