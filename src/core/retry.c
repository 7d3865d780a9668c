#include "retry.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "duration.h"
#include "err.h"

void retry_default(struct retry_schedule *rs)
{
	static const long long s = 1000, m = 60 * 1000, h = 60 * 60 * 1000;
	static const long long d[] = { 5 * s, 5 * m, 30 * m, 2 * h, 5 * h, 10 * h, 10 * h };

	memset(rs, 0, sizeof *rs);
	memcpy(rs->delay_ms, d, sizeof d);
	rs->steps = sizeof d / sizeof d[0];
	rs->jitter_pct = 20;
}

int retry_parse(struct retry_schedule *rs, const char *spec, char *err)
{
	static const struct duration_rule item = {
		DURATION_MS | DURATION_S | DURATION_M | DURATION_H, 1, RETRY_DELAY_MAX_MS };
	struct retry_schedule out = *rs;
	const char *p = spec;

	out.steps = 0;
	while (*p) {
		const char *comma;
		size_t len;
		char what[32];
		long long v;

		/* "5s, 5m": blanks after a comma, as strtoll skipped them. */
		p += strspn(p, " \t");
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		snprintf(what, sizeof what, "item %zu", out.steps + 1);
		if (duration_parse(p, len, &item, what, &v, err) < 0) {
			err_prefix(err, "retry schedule \"%s\"", spec);
			return -1;
		}
		if (out.steps == RETRY_MAX_STEPS) {
			err_setk(err, ERR_INVALID, "retry schedule \"%s\" has more than %d steps", spec, RETRY_MAX_STEPS);
			return -1;
		}
		out.delay_ms[out.steps++] = v;
		p = comma ? comma + 1 : p + len;
	}
	*rs = out;
	return 0;
}

#define OWN_EXAMPLE "e.g. 10s,1m,10m, or default for the global schedule"

int retry_check_own(const long long *delays, size_t n, char *err)
{
	size_t i;

	if (n > RETRY_OWN_STEPS) {
		err_setk(err, ERR_INVALID, "retry schedule has %zu steps; the limit is %d (" OWN_EXAMPLE ")", n,
			 RETRY_OWN_STEPS);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (delays[i] < RETRY_OWN_MIN_MS || delays[i] > RETRY_OWN_MAX_MS) {
			err_setk(err, ERR_INVALID, "retry schedule step %zu is %lld ms; each step must be 1s to 24h (" OWN_EXAMPLE ")",
				 i + 1, delays[i]);
			return -1;
		}
	return 0;
}

int retry_parse_own(const char *text, long long *delays, size_t *n, char *err)
{
	static const struct duration_rule item = { DURATION_S | DURATION_M | DURATION_H, 0, RETRY_OWN_MAX_MS };
	long long out[RETRY_OWN_STEPS];
	size_t count = 0;
	const char *p = text;

	if (strcmp(text, "default") == 0) {
		*n = 0;
		return 0;
	}
	if (!*text) {
		err_setk(err, ERR_INVALID, "retry schedule is empty; " OWN_EXAMPLE);
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		char what[32];

		snprintf(what, sizeof what, "step %zu", count + 1);
		if (count == RETRY_OWN_STEPS) {
			err_setk(err, ERR_INVALID, "retry schedule \"%s\" has more than %d steps; " OWN_EXAMPLE, text,
				 RETRY_OWN_STEPS);
			return -1;
		}
		if (len == 0) {
			err_setk(err, ERR_INVALID, "retry schedule \"%s\": %s is empty; separate delays with single commas, " OWN_EXAMPLE,
				 text, what);
			return -1;
		}
		if (duration_parse(p, len, &item, what, &out[count], err) < 0) {
			char why[ERR_MAX];

			memcpy(why, err, ERR_MAX);
			why[ERR_MAX - 2] = '\0';
			err_setk(err, ERR_INVALID, "retry schedule \"%s\": %s; " OWN_EXAMPLE, text, why);
			return -1;
		}
		if (out[count] < RETRY_OWN_MIN_MS) {
			err_setk(err, ERR_INVALID, "retry schedule \"%s\": %s is shorter than 1 second; " OWN_EXAMPLE, text, what);
			return -1;
		}
		count++;
		p += len;
		if (!*p)
			break;
		p++;
	}
	memcpy(delays, out, count * sizeof *out);
	*n = count;
	return 0;
}

int retry_format_own(struct sbuf *out, const long long *delays, size_t n)
{
	size_t i;

	if (n == 0)
		return sbuf_append(out, "default");
	for (i = 0; i < n; i++) {
		if (i)
			sbuf_append(out, ",");
		duration_format(out, delays[i], DURATION_S | DURATION_M | DURATION_H);
	}
	return out->failed ? -1 : 0;
}

void retry_use_own(struct retry_schedule *rs, const struct retry_schedule *base,
		   const long long *delays, size_t n)
{
	*rs = *base;
	if (n == 0)
		return;
	memcpy(rs->delay_ms, delays, n * sizeof *delays);
	rs->steps = n;
}

long long retry_delay(const struct retry_schedule *rs, size_t step, unsigned rnd)
{
	long long d, spread;

	if (step >= rs->steps)
		return -1;
	d = rs->delay_ms[step];
	if (rs->jitter_pct > 0 && d > 0) {
		/* Spread retries so a receiver that comes back is not hit by every
		 * queued delivery in the same second. */
		spread = d * rs->jitter_pct / 100;
		d += (long long)((double)rnd / 4294967295.0 * (double)(2 * spread)) - spread;
	}
	return d;
}

long long retry_span(const struct retry_schedule *rs)
{
	long long total = 0;
	size_t i;

	/* At most RETRY_MAX_STEPS delays of RETRY_DELAY_MAX_MS: no overflow. */
	for (i = 0; i < rs->steps; i++)
		total += rs->delay_ms[i];
	return total;
}

static int month_index(const char *m)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p;

	for (p = names; *p; p += 3)
		if (strncmp(p, m, 3) == 0)
			return (int)(p - names) / 3;
	return -1;
}

long long retry_after_parse(const char *value, long long now_ms)
{
	const char *p = value;
	long long secs = 0, when;
	struct tm tm;
	char wday[4], mon[4];
	int n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (isdigit((unsigned char)*p)) {
		while (isdigit((unsigned char)*p)) {
			secs = secs * 10 + (*p++ - '0');
			if (secs > RETRY_AFTER_CAP_MS / 1000)
				secs = RETRY_AFTER_CAP_MS / 1000;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		return *p ? -1 : secs * 1000;
	}
	/* IMF-fixdate, the form RFC 9110 requires senders to use:
	 * "Sun, 06 Nov 1994 08:49:37 GMT". */
	memset(&tm, 0, sizeof tm);
	if (sscanf(p, "%3s, %2d %3s %4d %2d:%2d:%2d GMT%n", wday, &tm.tm_mday, mon, &tm.tm_year,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 7 || n == 0 || p[n] != '\0')
		return -1;
	tm.tm_mon = month_index(mon);
	if (tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_year < 1970 ||
	    tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
	    tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	when = (long long)timegm(&tm) * 1000;
	if (when <= now_ms)
		return 0;
	return when - now_ms > RETRY_AFTER_CAP_MS ? RETRY_AFTER_CAP_MS : when - now_ms;
}
