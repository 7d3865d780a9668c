#include "timefmt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "duration.h"
#include "err.h"

void timefmt_utc(long long ms, enum timefmt how, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	size_t n = 0;

	if (ms > 0 && gmtime_r(&t, &tm)) {
		if (how == TIMEFMT_FULL)
			n = strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
		else if (how == TIMEFMT_DAY)
			n = strftime(out, size, "%m-%d %H:%M:%S", &tm);
		else
			n = strftime(out, size, "%H:%M:%S", &tm);
	}
	if (n == 0)
		snprintf(out, size, "-");
}

/* An age for --since goes back at most a hundred years: "the beginning"
 * for any store, and now minus it stays far from overflowing. */
#define SINCE_AGE_MAX_MS (36500LL * 24 * 60 * 60 * 1000)

int timefmt_parse_since(const char *s, long long now_ms, long long *ms, char *err)
{
	static const struct duration_rule age = {
		DURATION_S | DURATION_M | DURATION_H | DURATION_D, 0, SINCE_AGE_MAX_MS };
	struct tm tm;
	long long ago;
	char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end) {
		memset(&tm, 0, sizeof tm);
		end = strptime(s, "%Y-%m-%d", &tm);
	}
	if (end && !*end) {
		struct tm back, asked = tm;
		time_t t = timegm(&tm);

		/* strptime takes 2026-02-30 and timegm makes it March 2nd. */
		if (!gmtime_r(&t, &back) || back.tm_mday != asked.tm_mday || back.tm_mon != asked.tm_mon ||
		    back.tm_year != asked.tm_year) {
			err_setk(err, ERR_INVALID, "there is no such day in the calendar");
			return -1;
		}
		*ms = (long long)t * 1000;
		return 0;
	}
	/* Not a date. Digits and no date punctuation: an age, whose own
	 * message says what is wrong with it. */
	if (!isdigit((unsigned char)s[0]) || strpbrk(s, "-:T")) {
		err_setk(err, ERR_INVALID, "give a date (2026-11-28, 2026-11-28T10:00:00Z) or an age (30m, 2h, 1d)");
		return -1;
	}
	if (duration_parse(s, strlen(s), &age, "the age", &ago, err) < 0)
		return -1;
	*ms = now_ms - ago;
	return 0;
}
