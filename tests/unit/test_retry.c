#include <string.h>
#include <time.h>

#include "err.h"
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
	ck_assert_int_eq(retry_parse(&rs, "5s,x", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "item 2 is not a number"));
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

int main(void)
{
	Suite *s = suite_create("retry");
	TCase *tc = tcase_create("retry");

	tcase_add_test(tc, default_schedule);
	tcase_add_test(tc, jitter_stays_within_20_percent);
	tcase_add_test(tc, parse_schedules);
	tcase_add_test(tc, retry_after_values);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
