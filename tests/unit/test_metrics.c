#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics.h"
#include "metricsfile.h"
#include "store.h"
#include "testutil.h"

#define NOW 1800000000000LL

static char dir[512];   /* for the metrics file */
static struct store *st;

static void setup(void)
{
	char err[ERR_MAX];

	snprintf(dir, sizeof dir, "%s", tu_tmpdir());
	st = tu_store_open(err);
	ck_assert_msg(st != NULL, "%s", err);
}

static void teardown(void)
{
	tu_store_close(st);
	tu_rmtree(dir);
}

static char *label(const char *s)
{
	struct sbuf b;

	sbuf_init(&b);
	ck_assert_int_eq(metrics_append_label(&b, s), 0);
	return sbuf_take(&b);
}

/* The exposition as of NOW, with senders 1; caller frees. */
static char *expose(void)
{
	char err[ERR_MAX];
	struct sbuf b;

	sbuf_init(&b);
	ck_assert_msg(metrics_expose(st, 1, NOW, &b, err) == 0, "%s", err);
	return sbuf_take(&b);
}

static void has_line(const char *text, const char *line)
{
	const char *p = text;
	size_t n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
		p += n;
	}
	ck_abort_msg("no line \"%s\" in:\n%s", line, text);
}

START_TEST(label_values_are_escaped)
{
	char *s = label("a\"b\\c\nd");

	ck_assert_str_eq(s, "a\\\"b\\\\c\\nd");
	free(s);
	s = label("Jira détections");
	ck_assert_str_eq(s, "Jira détections");
	free(s);
	s = label("");
	ck_assert_str_eq(s, "");
	free(s);
	s = label("\\\\\"\"\n");
	ck_assert_str_eq(s, "\\\\\\\\\\\"\\\"\\n");
	free(s);
}
END_TEST

START_TEST(buckets_take_their_upper_bound)
{
	int i;

	ck_assert_int_eq(metrics_bucket_of(0), 0);
	for (i = 0; i < METRICS_BUCKETS; i++) {
		ck_assert_int_eq(metrics_bucket_of(metrics_bucket_ms[i]), i);
		ck_assert_int_eq(metrics_bucket_of(metrics_bucket_ms[i] + 1), i + 1);
	}
	ck_assert_int_eq(metrics_bucket_of(10001), METRICS_BUCKETS);
}
END_TEST

START_TEST(histogram_lines_are_cumulative)
{
	struct metrics_histogram h;
	struct sbuf b;

	memset(&h, 0, sizeof h);
	metrics_histogram_add(&h, metrics_bucket_of(3), 2, 6);          /* two of 3 ms */
	metrics_histogram_add(&h, metrics_bucket_of(100), 1, 100);
	metrics_histogram_add(&h, metrics_bucket_of(30000), 1, 30000);
	sbuf_init(&b);
	ck_assert_int_eq(metrics_histogram_append(&b, "x", &h), 0);
	ck_assert_str_eq(sbuf_text(&b),
		"x_bucket{le=\"0.005\"} 2\n"
		"x_bucket{le=\"0.01\"} 2\n"
		"x_bucket{le=\"0.025\"} 2\n"
		"x_bucket{le=\"0.05\"} 2\n"
		"x_bucket{le=\"0.1\"} 3\n"
		"x_bucket{le=\"0.25\"} 3\n"
		"x_bucket{le=\"0.5\"} 3\n"
		"x_bucket{le=\"1\"} 3\n"
		"x_bucket{le=\"2.5\"} 3\n"
		"x_bucket{le=\"5\"} 3\n"
		"x_bucket{le=\"10\"} 3\n"
		"x_bucket{le=\"+Inf\"} 4\n"
		"x_sum 30.106\n"
		"x_count 4\n");
	sbuf_release(&b);
}
END_TEST

/* Two webhooks (one named with a quote, a backslash and a line feed),
 * deliveries in every state, tests that must not count, a hold. */
static void fill(void)
{
	struct sbuf sql;

	/* The line feed as it is: both engines take it inside quotes. */
	tu_exec(st, "INSERT INTO webhooks(id, name, url, events, format, payload, enabled, failing_since, created_at, updated_at) "
		"VALUES (1, 'ops \"prod\" \\ eu\nx', 'http://127.0.0.1:9/', '[]', 'default', '{}', 1, 5, 0, 0),"
		"(2, 'alpha', 'http://127.0.0.1:9/', '[]', 'default', '{}', 0, NULL, 0, 0),"
		"(3, 'beta', 'http://127.0.0.1:9/', '[]', 'default', '{}', 1, NULL, 0, 0)");
	tu_exec(st, "INSERT INTO events(id, uid, type, title, severity, time, data, created_at) "
		"VALUES (1, 'evt_1', 'admin.login', 'ADMIN LOGIN', 'low', 't', '{}', 0)");
	sbuf_init(&sql);
	sbuf_appendf(&sql,
		"INSERT INTO deliveries(uid, event_id, webhook_id, state, is_test, next_attempt_at, created_at, updated_at) "
		"VALUES ('m1', 1, 1, 'pending', 0, 0, %lld, 0), ('m2', 1, 1, 'pending', 0, 0, %lld, 0),"
		"('m3', 1, 1, 'failed', 0, 0, %lld, 0), ('m4', 1, 1, 'delivered', 0, 0, 0, 0),"
		"('m5', 1, 1, 'pending', 1, 0, 1, 0), ('m6', 1, 1, 'dead', 1, 0, 0, 0),"
		"('m7', 1, 2, 'dead', 0, 0, 0, 0), ('m8', 1, 2, 'dropped', 0, 0, 0, 0),"
		"('m9', 1, 3, 'inflight', 0, 0, %lld, 0)",
		NOW - 60000, NOW - 30000, NOW - 90500, NOW - 1000);
	tu_exec(st, sbuf_text(&sql));
	sbuf_release(&sql);
	/* beta is held until released, alpha's hold is over; an event
	 * type's hold holds no webhook. */
	sbuf_appendf(&sql, "INSERT INTO holds(webhook_id, until_at, created_at) VALUES (3, NULL, 0), (2, %lld, 0)", NOW - 1);
	tu_exec(st, sbuf_text(&sql));
	sbuf_release(&sql);
	tu_exec(st, "INSERT INTO holds(event_type, until_at, created_at) VALUES ('admin.login', NULL, 0)");
}

START_TEST(exposition_of_a_store)
{
	char *text;

	fill();
	text = expose();
	has_line(text, "# TYPE hookman_deliveries gauge");
	has_line(text, "hookman_deliveries{webhook=\"ops \\\"prod\\\" \\\\ eu\\nx\",state=\"pending\"} 2");
	has_line(text, "hookman_deliveries{webhook=\"ops \\\"prod\\\" \\\\ eu\\nx\",state=\"failed\"} 1");
	has_line(text, "hookman_deliveries{webhook=\"ops \\\"prod\\\" \\\\ eu\\nx\",state=\"dead\"} 0");
	has_line(text, "hookman_deliveries{webhook=\"alpha\",state=\"dead\"} 1");
	has_line(text, "hookman_deliveries{webhook=\"alpha\",state=\"dropped\"} 1");
	has_line(text, "hookman_deliveries{webhook=\"beta\",state=\"inflight\"} 1");
	/* Sorted by name, every state of each. */
	ck_assert(strstr(text, "webhook=\"alpha\",state=\"pending\"") <
		  strstr(text, "webhook=\"beta\",state=\"pending\""));
	has_line(text, "hookman_queue_depth 3");
	has_line(text, "hookman_oldest_pending_age_seconds 90.500");
	has_line(text, "hookman_webhooks{state=\"enabled\"} 2");
	has_line(text, "hookman_webhooks{state=\"disabled\"} 1");
	has_line(text, "hookman_webhooks{state=\"failing\"} 1");
	has_line(text, "hookman_webhooks{state=\"held\"} 1");
	has_line(text, "hookman_held_event_types 1");
	has_line(text, "hookman_senders 1");
	has_line(text, "hookman_recent_attempt_duration_seconds_count 0");
	ck_assert_ptr_nonnull(strstr(text, "\nhookman_store_bytes "));
	ck_assert_int_eq(text[strlen(text) - 1], '\n');
	free(text);
}
END_TEST

/* The store's query sorts attempts into buckets by a CASE of its own:
 * an attempt at every bound and just above it must land where
 * metrics_bucket_of says. Attempts before the window, or of a test send,
 * are not counted. */
START_TEST(the_store_agrees_with_the_buckets)
{
	struct metrics_histogram want;
	struct sbuf expect, sql;
	char *text;
	int i, j;

	fill();
	memset(&want, 0, sizeof want);
	sbuf_init(&sql);
	sbuf_append(&sql, "INSERT INTO attempts(delivery_id, started_at, duration_ms, status) VALUES ");
	for (i = 0; i < METRICS_BUCKETS; i++)
		for (j = 0; j <= 1; j++) {
			long long ms = metrics_bucket_ms[i] + j;

			sbuf_appendf(&sql, "%s(1, %lld, %lld, %d)", i + j ? ", " : "", NOW - 1000, ms, j ? 200 : 503);
			metrics_histogram_add(&want, metrics_bucket_of(ms), 1, ms);
		}
	sbuf_appendf(&sql, ", (7, %lld, 1, NULL), (7, %lld, 1, 404), (7, %lld, 1, 302), (7, %lld, 1, 99)",
		     NOW - 1000, NOW - 1000, NOW - 1000, NOW - 1000);
	for (i = 0; i < 4; i++)
		metrics_histogram_add(&want, 0, 1, 1);
	/* Outside the window, and a test send's. */
	sbuf_appendf(&sql, ", (1, %lld, 1, 200), (5, %lld, 1, 200)", NOW - METRICS_WINDOW_MS - 1, NOW - 1000);
	tu_exec(st, sbuf_text(&sql));
	sbuf_release(&sql);
	text = expose();
	sbuf_init(&expect);
	metrics_histogram_append(&expect, "hookman_recent_attempt_duration_seconds", &want);
	ck_assert_msg(strstr(text, sbuf_text(&expect)) != NULL, "want:\n%s\ngot:\n%s", sbuf_text(&expect), text);
	sbuf_release(&expect);
	has_line(text, "hookman_recent_attempts{webhook=\"ops \\\"prod\\\" \\\\ eu\\nx\",class=\"2xx\"} 11");
	has_line(text, "hookman_recent_attempts{webhook=\"ops \\\"prod\\\" \\\\ eu\\nx\",class=\"5xx\"} 11");
	has_line(text, "hookman_recent_attempts{webhook=\"alpha\",class=\"error\"} 2");
	has_line(text, "hookman_recent_attempts{webhook=\"alpha\",class=\"4xx\"} 1");
	has_line(text, "hookman_recent_attempts{webhook=\"alpha\",class=\"3xx\"} 1");
	has_line(text, "hookman_recent_attempts{webhook=\"beta\",class=\"2xx\"} 0");
	free(text);
}
END_TEST

START_TEST(an_empty_store)
{
	char *text = expose();

	has_line(text, "# TYPE hookman_recent_attempt_duration_seconds histogram");
	has_line(text, "hookman_queue_depth 0");
	has_line(text, "hookman_oldest_pending_age_seconds 0.000");
	has_line(text, "hookman_webhooks{state=\"enabled\"} 0");
	ck_assert_ptr_null(strstr(text, "hookman_deliveries{"));
	free(text);
}
END_TEST

START_TEST(the_file_is_replaced_whole)
{
	char path[4200], tmp[4300], err[ERR_MAX];
	struct stat sb;
	FILE *f;
	char buf[64];

	snprintf(path, sizeof path, "%s/hookman.prom", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	ck_assert_msg(metricsfile_write(path, "a 1\n", err) == 0, "%s", err);
	ck_assert_msg(metricsfile_write(path, "b 2\n", err) == 0, "%s", err);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0644);
	ck_assert_int_ne(access(tmp, F_OK), 0);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
	fclose(f);
	ck_assert_str_eq(buf, "b 2\n");

	snprintf(path, sizeof path, "%s/missing/hookman.prom", dir);
	ck_assert_int_eq(metricsfile_write(path, "a 1\n", err), -1);
	ck_assert_int_eq(err_kind(err), ERR_IO);
	ck_assert_ptr_nonnull(strstr(err, "missing/hookman.prom.tmp: No such file or directory"));

	/* A directory in the way: said so, and nothing left behind. */
	snprintf(path, sizeof path, "%s/adir", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(metricsfile_write(path, "a 1\n", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not of a directory"));
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	ck_assert_int_ne(access(tmp, F_OK), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, label_values_are_escaped);
	tcase_add_test(tc, buckets_take_their_upper_bound);
	tcase_add_test(tc, histogram_lines_are_cumulative);
	tcase_add_test(tc, exposition_of_a_store);
	tcase_add_test(tc, the_store_agrees_with_the_buckets);
	tcase_add_test(tc, an_empty_store);
	tcase_add_test(tc, the_file_is_replaced_whole);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
