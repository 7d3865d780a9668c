/* hookman tail's lines and objects (follow.h): what an operator reads for
 * a success, a failure waiting to be retried, a dead one, a test, and a
 * receiver that puts control characters in its words. */
#include <string.h>

#include "err.h"
#include "follow.h"
#include "testutil.h"

#define AT 1764477062000LL   /* 2025-11-30 04:31:02 UTC */

static const struct follow_layout lay = { 14, 17 };

static struct follow_attempt attempt(const char *webhook, int has_status, long status, const char *error)
{
	struct follow_attempt a;

	memset(&a, 0, sizeof a);
	a.id = 42;
	a.started_at = AT + 123;
	a.duration_ms = 12;
	a.has_status = has_status;
	a.status = status;
	a.error = (char *)error;
	a.webhook = (char *)webhook;
	a.event_type = (char *)"detection.created";
	a.delivery_uid = (char *)"msg_06h2ng";
	a.attempt = 1;
	a.attempts_max = 8;
	a.state = has_status && status / 100 == 2 ? FOLLOW_DELIVERED : FOLLOW_FAILED;
	return a;
}

static void expect_line(const struct follow_attempt *a, const char *want)
{
	struct sbuf out;

	sbuf_init(&out);
	ck_assert_int_eq(follow_format(&out, a, &lay, AT + 60000), 0);
	ck_assert_str_eq(sbuf_text(&out), want);
	sbuf_release(&out);
}

START_TEST(delivered_line)
{
	struct follow_attempt a = attempt("slack-alerts", 1, 204, NULL);

	expect_line(&a, "2025-11-30 04:31:02  slack-alerts    detection.created  204  12 ms  attempt 1/8\n");
}
END_TEST

START_TEST(failure_counts_down_to_the_next_try)
{
	struct follow_attempt a = attempt("siem", 0, 0, "cannot connect to 127.0.0.1:9 (nothing listens there)");

	a.attempt = 3;
	a.duration_ms = 38;
	a.next_attempt_at = AT + 60000 + 30 * 60000;
	expect_line(&a, "2025-11-30 04:31:02  siem            detection.created  error: cannot connect to 127.0.0.1:9 "
		    "(nothing listens there)  38 ms  attempt 3/8  next try in 30m00s\n");
}
END_TEST

START_TEST(status_said_once)
{
	struct follow_attempt a = attempt("siem", 1, 500, "HTTP 500");
	struct follow_attempt r = attempt("siem", 1, 302, "redirect to http://x/ not followed");

	a.state = r.state = FOLLOW_DEAD;
	a.attempt = a.attempts_max = 8;
	expect_line(&a, "2025-11-30 04:31:02  siem            detection.created  500  12 ms  attempt 8/8  dead\n");
	expect_line(&r, "2025-11-30 04:31:02  siem            detection.created  302 redirect to http://x/ not followed"
		    "  12 ms  attempt 1/8  dead\n");
}
END_TEST

START_TEST(names_align_by_columns_and_tests_say_so)
{
	struct follow_attempt a = attempt("Jira d\xc3\xa9tections", 1, 200, NULL);

	a.test = 1;
	a.attempts_max = 1;
	expect_line(&a, "2025-11-30 04:31:02  Jira d\xc3\xa9tections  detection.created  200  12 ms  attempt 1/1  (test)\n");
}
END_TEST

START_TEST(received_words_cannot_drive_the_terminal)
{
	struct follow_attempt a = attempt("siem", 0, 0, "bad\x1b[31mred\nsecond\tline");
	struct sbuf out;

	sbuf_init(&out);
	ck_assert_int_eq(follow_format(&out, &a, &lay, AT), 0);
	ck_assert_ptr_nonnull(strstr(sbuf_text(&out), "error: bad\\x1B[31mred\\nsecond line  12 ms"));
	ck_assert_ptr_eq(strchr(sbuf_text(&out), '\n'), sbuf_text(&out) + out.len - 1);
	sbuf_release(&out);
	a.error = (char *)"\xff\xfe";
	expect_line(&a, "2025-11-30 04:31:02  siem            detection.created  error: (not UTF-8 text)  12 ms  attempt 1/8\n");
}
END_TEST

START_TEST(json_object_has_stable_keys)
{
	struct follow_attempt a = attempt("siem", 0, 0, "cannot connect");
	json_t *o;
	char *text;

	a.next_attempt_at = AT + 300000;
	o = follow_json(&a);
	ck_assert_ptr_nonnull(o);
	text = json_dumps(o, JSON_COMPACT);
	ck_assert_str_eq(text, "{\"id\":42,\"time\":\"2025-11-30T04:31:02.123Z\",\"webhook\":\"siem\","
			 "\"event\":\"detection.created\",\"delivery\":\"msg_06h2ng\",\"status\":null,"
			 "\"error\":\"cannot connect\",\"duration_ms\":12,\"attempt\":1,\"attempts_max\":8,"
			 "\"next_attempt_at\":\"2025-11-30T04:36:02.000Z\",\"state\":\"failed\",\"test\":false}");
	free(text);
	json_decref(o);
	a = attempt("ok", 1, 200, NULL);
	o = follow_json(&a);
	ck_assert(json_is_null(json_object_get(o, "error")));
	ck_assert(json_is_null(json_object_get(o, "next_attempt_at")));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "status")), 200);
	ck_assert_str_eq(json_string_value(json_object_get(o, "state")), "delivered");
	json_decref(o);
}
END_TEST

START_TEST(states_parsed_and_refused)
{
	enum follow_state s = FOLLOW_ANY;
	char err[ERR_MAX];

	ck_assert_int_eq(follow_state_parse("failed", &s, err), 0);
	ck_assert_int_eq(s, FOLLOW_FAILED);
	ck_assert_int_eq(follow_state_parse("dead", &s, err), 0);
	ck_assert_str_eq(follow_state_name(s), "dead");
	ck_assert_int_eq(follow_state_parse("pending", &s, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "unknown state \"pending\" for attempts; choose delivered, failed"));
	ck_assert_int_eq(s, FOLLOW_DEAD);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("follow");
	TCase *lines = tcase_create("lines");
	TCase *objects = tcase_create("objects");

	tcase_add_test(lines, delivered_line);
	tcase_add_test(lines, failure_counts_down_to_the_next_try);
	tcase_add_test(lines, status_said_once);
	tcase_add_test(lines, names_align_by_columns_and_tests_say_so);
	tcase_add_test(lines, received_words_cannot_drive_the_terminal);
	tcase_add_test(objects, json_object_has_stable_keys);
	tcase_add_test(objects, states_parsed_and_refused);
	suite_add_tcase(s, lines);
	suite_add_tcase(s, objects);
	return tu_run(s);
}
