#include <limits.h>
#include <string.h>
#include <time.h>

#include "duration.h"
#include "err.h"
#include "rate.h"
#include "retry.h"
#include "testutil.h"

START_TEST(default_schedule)
{
	struct retry_schedule rs;

	retry_default(&rs);
	ck_assert_uint_eq(rs.steps, 7);
	rs.jitter_pct = 0;
	ck_assert_int_eq(retry_delay(&rs, 0, 0), 5000);
	ck_assert_int_eq(retry_delay(&rs, 1, 0), 300000);
	ck_assert_int_eq(retry_delay(&rs, 2, 0), 1800000);
	ck_assert_int_eq(retry_delay(&rs, 3, 0), 7200000);
	ck_assert_int_eq(retry_delay(&rs, 4, 0), 18000000);
	ck_assert_int_eq(retry_delay(&rs, 5, 0), 36000000);
	ck_assert_int_eq(retry_delay(&rs, 6, 0), 36000000);
	ck_assert_int_eq(retry_delay(&rs, 7, 0), -1);
}
END_TEST

START_TEST(jitter_stays_within_20_percent)
{
	struct retry_schedule rs;
	long long lo, hi, mid;

	retry_default(&rs);
	lo = retry_delay(&rs, 1, 0);
	hi = retry_delay(&rs, 1, 4294967295u);
	mid = retry_delay(&rs, 1, 2147483648u);
	ck_assert_int_eq(lo, 240000);
	ck_assert_int_eq(hi, 360000);
	ck_assert(mid > 295000 && mid < 305000);
}
END_TEST

START_TEST(parse_schedules)
{
	struct retry_schedule rs;
	char err[ERR_MAX];

	retry_default(&rs);
	ck_assert_int_eq(retry_parse(&rs, "100ms,2s,3m,1h,7", err), 0);
	ck_assert_uint_eq(rs.steps, 5);
	ck_assert_int_eq(rs.delay_ms[0], 100);
	ck_assert_int_eq(rs.delay_ms[1], 2000);
	ck_assert_int_eq(rs.delay_ms[2], 180000);
	ck_assert_int_eq(rs.delay_ms[3], 3600000);
	ck_assert_int_eq(rs.delay_ms[4], 7000);
	ck_assert_int_eq(retry_parse(&rs, "", err), 0);
	ck_assert_uint_eq(rs.steps, 0);
	ck_assert_int_eq(retry_parse(&rs, "5s, 5m,\t30m", err), 0);
	ck_assert_uint_eq(rs.steps, 3);
	ck_assert_int_eq(rs.delay_ms[2], 1800000);
	ck_assert_int_eq(retry_parse(&rs, "5s,x", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "item 2 is not a number"));
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_int_eq(retry_parse(&rs, "5d", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown unit"));
	/* Found by fuzz_retry: a huge item overflowed the multiplication. */
	ck_assert_int_eq(retry_parse(&rs, "1s,9223372036854775807h", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "item 2 is longer than 7 days"));
	ck_assert_int_eq(retry_parse(&rs, "168h", err), 0);
	ck_assert_int_eq(rs.delay_ms[0], RETRY_DELAY_MAX_MS);
	ck_assert_int_eq(retry_parse(&rs, "169h", err), -1);
}
END_TEST

START_TEST(retry_after_values)
{
	long long now = 1795900000000LL;   /* 2026-11-28T… */
	char date[64];
	time_t t = (time_t)(now / 1000) + 120;
	struct tm tm;

	ck_assert_int_eq(retry_after_parse("30", now), 30000);
	ck_assert_int_eq(retry_after_parse(" 0 ", now), 0);
	ck_assert_int_eq(retry_after_parse("999999999999", now), 3600000);
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	ck_assert_int_eq(retry_after_parse(date, now), 120000);
	ck_assert_int_eq(retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT", now), 0);
	ck_assert_int_eq(retry_after_parse("Sun, 06 Nov 2094 08:49:37 GMT", now), 3600000);
	ck_assert_int_eq(retry_after_parse("soon", now), -1);
	ck_assert_int_eq(retry_after_parse("-5", now), -1);
	ck_assert_int_eq(retry_after_parse("12abc", now), -1);
	ck_assert_int_eq(retry_after_parse("Sun, 06 Foo 1994 08:49:37 GMT", now), -1);
	ck_assert_int_eq(retry_after_parse("", now), -1);
	ck_assert_int_eq(retry_after_parse("Sun, 06 Nov 2094 -1:-1:-1 GMT", now), -1);
	ck_assert_int_eq(retry_after_parse("Sun, 06 Nov -994 08:49:37 GMT", now), -1);
}
END_TEST

/* The rules the callers use (hookmand --disable-after, redeliver --since,
 * a --schedule item). */
static const struct duration_rule disable_after = {
	DURATION_S | DURATION_M | DURATION_H | DURATION_D, 1, 3650LL * 86400000 };
static const struct duration_rule age = { DURATION_S | DURATION_M | DURATION_H | DURATION_D, 0, 36500LL * 86400000 };
static const struct duration_rule step = {
	DURATION_MS | DURATION_S | DURATION_M | DURATION_H, 1, RETRY_DELAY_MAX_MS };

static long long parsed(const char *text, const struct duration_rule *rule)
{
	char err[ERR_MAX];
	long long ms = -42;

	ck_assert_msg(duration_parse(text, strlen(text), rule, "it", &ms, err) == 0, "%s: %s", text, err);
	return ms;
}

static const char *refused(const char *text, const struct duration_rule *rule)
{
	static char err[ERR_MAX];
	long long ms = -42;

	ck_assert_msg(duration_parse(text, strlen(text), rule, "it", &ms, err) == -1, "%s accepted", text);
	ck_assert_int_eq(ms, -42);
	return err;
}

START_TEST(durations)
{
	ck_assert_int_eq(parsed("5d", &disable_after), 5LL * 86400000);
	ck_assert_int_eq(parsed("12h", &disable_after), 12LL * 3600000);
	ck_assert_int_eq(parsed("30m", &disable_after), 30LL * 60000);
	ck_assert_int_eq(parsed("90s", &disable_after), 90000);
	ck_assert_int_eq(parsed("90", &disable_after), 90000);
	ck_assert_int_eq(parsed("0", &disable_after), 0);
	ck_assert_int_eq(parsed("007m", &disable_after), 7 * 60000);
	ck_assert_int_eq(parsed("100ms", &step), 100);
	ck_assert_int_eq(parsed("3650d", &disable_after), 3650LL * 86400000);
	ck_assert_int_eq(parsed("168h", &step), RETRY_DELAY_MAX_MS);
	/* Only the length given is read: a schedule item before its comma. */
	{
		char err[ERR_MAX];
		long long ms;

		ck_assert_int_eq(duration_parse("5m,x", 2, &step, "item 1", &ms, err), 0);
		ck_assert_int_eq(ms, 300000);
	}
	ck_assert_str_eq(refused("", &disable_after),
			 "it is not a number; give a whole number and a unit (s, m, h or d; seconds without one)");
	ck_assert_str_eq(refused("-5d", &disable_after),
			 "it is not a number; give a whole number and a unit (s, m, h or d; seconds without one)");
	ck_assert_str_eq(refused(" 5d", &age), "it is not a number; give a whole number and a unit (s, m, h or d)");
	ck_assert_str_eq(refused("+5d", &age), "it is not a number; give a whole number and a unit (s, m, h or d)");
	ck_assert_str_eq(refused("2026", &age), "it has no unit; add s, m, h or d");
	ck_assert_str_eq(refused("5x", &age), "it has an unknown unit; use s, m, h or d");
	ck_assert_str_eq(refused("5ms", &age), "it has an unknown unit; use s, m, h or d");
	ck_assert_str_eq(refused("5d", &step), "it has an unknown unit; use ms, s, m or h");
	ck_assert_str_eq(refused("5 s", &step), "it has an unknown unit; use ms, s, m or h");
	ck_assert_str_eq(refused("5dd", &age), "it has an unknown unit; use s, m, h or d");
	ck_assert_str_eq(refused("3651d", &disable_after),
			 "it is longer than 3650 days; the largest accepted is 3650d");
	ck_assert_str_eq(refused("169h", &step), "it is longer than 7 days; the largest accepted is 168h");
}
END_TEST

/* Reproductions: hookmand --disable-after 999999999999d and redeliver
 * --since 999999999999999d multiplied into a signed overflow (UBSan). */
START_TEST(durations_never_overflow)
{
	static const struct duration_rule all = {
		DURATION_MS | DURATION_S | DURATION_M | DURATION_H | DURATION_D, 1, LLONG_MAX };

	ck_assert_str_eq(refused("999999999999d", &disable_after),
			 "it is longer than 3650 days; the largest accepted is 3650d");
	ck_assert_str_eq(refused("999999999999999d", &age),
			 "it is longer than 36500 days; the largest accepted is 36500d");
	ck_assert_str_eq(refused("99999999999999999999999999", &disable_after),
			 "it is longer than 3650 days; the largest accepted is 3650d");
	ck_assert_str_eq(refused("9223372036854775807h", &step),
			 "it is longer than 7 days; the largest accepted is 168h");
	/* With no limit of its own, the limit of the type. */
	ck_assert_int_eq(parsed("9223372036854775807ms", &all), LLONG_MAX);
	ck_assert_str_eq(refused("9223372036854775807", &all), "it is longer than 9223372036854775807 milliseconds; "
			 "the largest accepted is 9223372036854775807ms");
	ck_assert_str_eq(refused("9223372036854775808ms", &all), "it is longer than 9223372036854775807 milliseconds; "
			 "the largest accepted is 9223372036854775807ms");
}
END_TEST

START_TEST(durations_format_back)
{
	struct sbuf b;
	static const long long values[] = { 0, 1, 999, 1000, 90000, 300000, 7200000, 86400000, 3650LL * 86400000,
					    RETRY_DELAY_MAX_MS, 1500 };
	size_t i;

	sbuf_init(&b);
	duration_format(&b, 5LL * 86400000, DURATION_S | DURATION_D);
	ck_assert_str_eq(sbuf_text(&b), "5d");
	sbuf_release(&b);
	duration_format(&b, RETRY_DELAY_MAX_MS, step.units);
	ck_assert_str_eq(sbuf_text(&b), "168h");
	sbuf_release(&b);
	duration_format(&b, 1500, step.units);
	ck_assert_str_eq(sbuf_text(&b), "1500ms");
	sbuf_release(&b);
	for (i = 0; i < sizeof values / sizeof values[0]; i++) {
		duration_format(&b, values[i], step.units);
		ck_assert_int_eq(parsed(sbuf_text(&b), &(struct duration_rule){ step.units, 0, LLONG_MAX }), values[i]);
		sbuf_release(&b);
	}
}
END_TEST

START_TEST(timeouts)
{
	char err[ERR_MAX];
	int t = -1;

	ck_assert_int_eq(duration_parse_timeout("10", &t, err), 0);
	ck_assert_int_eq(t, 10);
	ck_assert_int_eq(duration_parse_timeout("60", &t, err), 0);
	ck_assert_int_eq(duration_parse_timeout("1", &t, err), 0);
	ck_assert_int_eq(t, 1);
	t = -1;
	ck_assert_int_eq(duration_parse_timeout("0", &t, err), -1);
	ck_assert_str_eq(err, "timeout 0 s is out of range; choose 1 to 60 seconds");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_int_eq(duration_parse_timeout("61", &t, err), -1);
	ck_assert_str_eq(err, "timeout 61 s is out of range; choose 1 to 60 seconds");
	ck_assert_int_eq(duration_parse_timeout("99999999999999999999", &t, err), -1);
	ck_assert_str_eq(err, "timeout \"99999999999999999999\" is out of range; choose 1 to 60 seconds");
	ck_assert_int_eq(duration_parse_timeout("4294967306", &t, err), -1);   /* 10 if cut to 32 bits */
	ck_assert_int_eq(duration_parse_timeout("", &t, err), -1);
	ck_assert_str_eq(err, "timeout is empty; choose 1 to 60 seconds");
	ck_assert_int_eq(duration_parse_timeout("-5", &t, err), -1);
	ck_assert_int_eq(duration_parse_timeout("5s", &t, err), -1);
	ck_assert_str_eq(err, "timeout \"5s\" is not a whole number of seconds; choose 1 to 60");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_int_eq(duration_parse_timeout(" 5", &t, err), -1);
	ck_assert_int_eq(t, -1);
	ck_assert_int_eq(duration_check_timeout(30, err), 0);
	ck_assert_int_eq(duration_check_timeout(-1, err), -1);
	ck_assert_int_eq(duration_check_timeout(LLONG_MAX, err), -1);
	ck_assert_int_eq(duration_check_timeout(LLONG_MIN, err), -1);
}
END_TEST

/* Countdowns and ages in their two largest units, rounded down. */
START_TEST(spans)
{
	static const struct {
		long long ms;
		const char *text;
	} cases[] = { { -5, "0s" }, { 0, "0s" }, { 999, "0s" }, { 45000, "45s" }, { 252000, "4m12s" },
		      { 7500000, "2h05m" }, { 273600000, "3d04h" } };
	struct sbuf b;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sbuf_init(&b);
		ck_assert_int_eq(duration_span(&b, cases[i].ms), 0);
		ck_assert_str_eq(sbuf_text(&b), cases[i].text);
		sbuf_release(&b);
	}
}
END_TEST

START_TEST(own_schedules)
{
	long long d[RETRY_OWN_STEPS] = { 0 };
	size_t n = 99;
	char err[ERR_MAX];
	struct sbuf b;
	struct retry_schedule base, rs;

	ck_assert_int_eq(retry_parse_own("10s,1m,10m", d, &n, err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(d[0], 10000);
	ck_assert_int_eq(d[1], 60000);
	ck_assert_int_eq(d[2], 600000);
	sbuf_init(&b);
	retry_format_own(&b, d, n);
	ck_assert_str_eq(sbuf_text(&b), "10s,1m,10m");
	sbuf_release(&b);
	ck_assert_int_eq(retry_parse_own("1s,24h", d, &n, err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(d[1], 86400000);
	ck_assert_int_eq(retry_parse_own("default", d, &n, err), 0);
	ck_assert_uint_eq(n, 0);
	sbuf_init(&b);
	retry_format_own(&b, d, n);
	ck_assert_str_eq(sbuf_text(&b), "default");
	sbuf_release(&b);
	/* Refused with the step named and an example; nothing changes. */
	d[0] = 4242;
	n = 1;
	ck_assert_int_eq(retry_parse_own("1s,500ms", d, &n, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_str_eq(err, "retry schedule \"1s,500ms\": step 2 has an unknown unit; use s, m or h; e.g. 10s,1m,10m, or default for the global schedule");
	ck_assert_int_eq(d[0], 4242);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(retry_parse_own("0s", d, &n, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "step 1 is shorter than 1 second"));
	ck_assert_int_eq(retry_parse_own("1s,25h", d, &n, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "step 2 is longer than 1 day; the largest accepted is 24h"));
	ck_assert_int_eq(retry_parse_own("5", d, &n, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "step 1 has no unit"));
	ck_assert_int_eq(retry_parse_own("1s,,2s", d, &n, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "step 2 is empty"));
	ck_assert_int_eq(retry_parse_own("1s,", d, &n, err), -1);
	ck_assert_int_eq(retry_parse_own("", d, &n, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "retry schedule is empty; e.g. 10s,1m,10m"));
	ck_assert_int_eq(retry_parse_own("1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s", d, &n, err), 0);
	ck_assert_uint_eq(n, 20);
	ck_assert_int_eq(retry_parse_own("1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s", d, &n, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "has more than 20 steps"));
	/* Stored or imported values are checked by the same rules. */
	d[0] = 999;
	ck_assert_int_eq(retry_check_own(d, 1, err), -1);
	d[0] = 1000;
	ck_assert_int_eq(retry_check_own(d, 1, err), 0);
	ck_assert_int_eq(retry_check_own(d, 21, err), -1);
	/* The own delays replace the steps; the jitter stays the base's. */
	retry_default(&base);
	d[0] = 1000;
	d[1] = 2000;
	retry_use_own(&rs, &base, d, 2);
	ck_assert_uint_eq(rs.steps, 2);
	ck_assert_int_eq(rs.jitter_pct, 20);
	ck_assert_int_eq(retry_delay(&rs, 1, 0), 1600);
	ck_assert_int_eq(retry_delay(&rs, 2, 0), -1);
	retry_use_own(&rs, &base, d, 0);
	ck_assert_uint_eq(rs.steps, 7);
}
END_TEST

START_TEST(rates)
{
	static const struct { const char *text; int n; long long ms; const char *back; } good[] = {
		{ "10/s", 10, 1000, "10/s" }, { "100/m", 100, 60000, "100/m" }, { "1/h", 1, 3600000, "1/h" },
		{ "5/10s", 5, 10000, "5/10s" }, { "3/90s", 3, 90000, "3/90s" }, { "7/60s", 7, 60000, "7/m" },
		{ "10000/24h", 10000, 86400000, "10000/24h" }, { "none", 0, 0, "none" }, { "off", 0, 0, "none" },
	};
	static const struct { const char *text, *says; } bad[] = {
		{ "", "rate is empty; e.g. 10/s" },
		{ "10", "rate \"10\" has no '/'" },
		{ "0/s", "the number of requests must be 1 to 10000" },
		{ "10001/s", "the number of requests must be 1 to 10000" },
		{ "99999999999999999999999/s", "the number of requests must be 1 to 10000" },
		{ "/s", "the number of requests must be 1 to 10000" },
		{ "-1/s", "\"-1\" is not a whole number of requests" },
		{ "ten/s", "\"ten\" is not a whole number of requests" },
		{ "5/", "has no period after the '/'" },
		{ "5/500ms", "the period has an unknown unit; use s, m or h; e.g. 10/s" },
		{ "5/0s", "the period is shorter than 1 second" },
		{ "5/25h", "the period is longer than 1 day" },
		{ "5/d", "the period is not a number" },
	};
	char err[ERR_MAX];
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		int n = -1;
		long long ms = -1;
		struct sbuf b;

		ck_assert_msg(rate_parse(good[i].text, &n, &ms, err) == 0, "%s: %s", good[i].text, err);
		ck_assert_int_eq(n, good[i].n);
		ck_assert_int_eq(ms, good[i].ms);
		ck_assert_int_eq(rate_check(n, ms, err), 0);
		sbuf_init(&b);
		rate_format(&b, n, ms);
		ck_assert_str_eq(sbuf_text(&b), good[i].back);
		sbuf_release(&b);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int n = 42;
		long long ms = 42;

		ck_assert_int_eq(rate_parse(bad[i].text, &n, &ms, err), -1);
		ck_assert_int_eq(err_kind(err), ERR_INVALID);
		ck_assert_msg(strstr(err, bad[i].says) != NULL, "%s: %s", bad[i].text, err);
		ck_assert_int_eq(n, 42);
		ck_assert_int_eq(ms, 42);
	}
	ck_assert_int_eq(rate_check(5, 999, err), -1);
	ck_assert_int_eq(rate_check(0, 1000, err), -1);
	ck_assert_int_eq(rate_check(RATE_N_MAX + 1, 1000, err), -1);
}
END_TEST

START_TEST(buckets)
{
	struct rate_bucket b;
	long long now = 1000000, i;

	/* 5/s: one token at start, then one every 200 ms, never more than one. */
	rate_bucket_start(&b, 5, 1000, now);
	ck_assert_int_eq(rate_bucket_tokens(&b, now), 1);
	rate_bucket_take(&b, 1);
	ck_assert_int_eq(rate_bucket_tokens(&b, now), 0);
	ck_assert_int_eq(rate_bucket_next(&b), now + 200);
	ck_assert_int_eq(rate_bucket_tokens(&b, now + 199), 0);
	ck_assert_int_eq(rate_bucket_next(&b), now + 200);
	ck_assert_int_eq(rate_bucket_tokens(&b, now + 200), 1);
	ck_assert_int_eq(rate_bucket_next(&b), now + 200);
	ck_assert_int_eq(rate_bucket_tokens(&b, now + 5000), 1);
	ck_assert(rate_bucket_full(&b, now + 5000));
	/* A year idle neither overflows nor saves more than the one token. */
	ck_assert_int_eq(rate_bucket_tokens(&b, now + 86400000LL * 365), 1);
	/* Taking every token as it comes: 50 over 9.8 s from an empty-ish start. */
	rate_bucket_start(&b, 5, 1000, now);
	for (i = 0; i < 50; i++) {
		long long t = rate_bucket_next(&b);

		ck_assert_int_eq(rate_bucket_tokens(&b, t), 1);
		rate_bucket_take(&b, 1);
		if (i == 49)
			ck_assert_int_eq(t - now, 9800);
	}
	/* 1/h: the next token an hour on. */
	rate_bucket_start(&b, 1, 3600000, now);
	rate_bucket_take(&b, rate_bucket_tokens(&b, now));
	ck_assert_int_eq(rate_bucket_next(&b), now + 3600000);
	/* A rate changed keeps the token in hand. */
	rate_bucket_start(&b, 10, 1000, now);
	ck_assert_int_eq(rate_bucket_tokens(&b, now + 2000), 1);
	rate_bucket_set(&b, 3, 1000, now + 2000);
	ck_assert_int_eq(rate_bucket_tokens(&b, now + 2000), 1);
	rate_bucket_take(&b, 1);
	rate_bucket_set(&b, 1, 10000, now + 2000);
	ck_assert_int_eq(rate_bucket_tokens(&b, now + 2000), 0);
	ck_assert_int_eq(rate_bucket_next(&b), now + 12000);
	/* Odd periods round the wait up, never early: 3 per 10 s. */
	rate_bucket_start(&b, 3, 10000, now);
	rate_bucket_take(&b, 1);
	ck_assert_int_eq(rate_bucket_next(&b), now + 3334);
	ck_assert_int_eq(rate_bucket_tokens(&b, now + 3333), 0);
	ck_assert_int_eq(rate_bucket_tokens(&b, now + 3334), 1);
}
END_TEST

/* The reproduction: at 5/s a sender held up for a second (a loaded
 * machine) found 5 tokens saved and sent them at once, then a 6th 200 ms
 * later: 6 requests within one second. */
START_TEST(a_held_up_sender_never_passes_the_rate)
{
	struct rate_bucket b;
	long long now = 1000000, t, starts[40];
	int i, k = 0;

	rate_bucket_start(&b, 5, 1000, now);
	/* Take every token as it comes, but wake late now and then. */
	for (t = now; k < 40; t += (k % 7 == 3) ? 1000 : 50) {
		long long have = rate_bucket_tokens(&b, t);

		for (i = 0; i < have && k < 40; i++)
			starts[k++] = t;
		rate_bucket_take(&b, have);
	}
	for (i = 5; i < 40; i++)
		ck_assert_msg(starts[i] - starts[i - 5] >= 1000, "6 starts within %lld ms (start %d)",
			      starts[i] - starts[i - 5], i);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("retry");
	TCase *tc = tcase_create("retry");

	tcase_add_test(tc, default_schedule);
	tcase_add_test(tc, jitter_stays_within_20_percent);
	tcase_add_test(tc, parse_schedules);
	tcase_add_test(tc, retry_after_values);
	tcase_add_test(tc, spans);
	tcase_add_test(tc, a_held_up_sender_never_passes_the_rate);
	suite_add_tcase(s, tc);
	tc = tcase_create("duration");
	tcase_add_test(tc, durations);
	tcase_add_test(tc, durations_never_overflow);
	tcase_add_test(tc, durations_format_back);
	tcase_add_test(tc, timeouts);
	suite_add_tcase(s, tc);
	tc = tcase_create("a webhook's pace");
	tcase_add_test(tc, own_schedules);
	tcase_add_test(tc, rates);
	tcase_add_test(tc, buckets);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
