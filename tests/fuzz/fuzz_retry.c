/* Retry-After values (from any receiver on the network), retry schedule
 * specs (hookmand's and a webhook's own), a webhook's rate, and the durations and timeouts operators type (hookmand
 * --schedule and --disable-after, redeliver --since, --timeout).
 * Properties: a delay is -1 or within 0..the cap; a parsed schedule has up
 * to RETRY_MAX_STEPS steps of 0..7 days (none only for ""), and ends after
 * them; an accepted duration is within 0..its rule's limit and, formatted
 * back, parses to the same value; an accepted timeout is within
 * TIMEOUT_MIN..TIMEOUT_MAX; an accepted own schedule or rate passes the
 * store's check and, formatted back, reads the same; a refusal always
 * says why and changes nothing; and nothing is read
 * past the input's length or overflows (the sanitizers' part). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "err.h"
#include "fuzz.h"
#include "rate.h"
#include "retry.h"
#include "webhook.h"

/* The callers' rules, and the extremes. */
static const struct duration_rule rules[] = {
	{ DURATION_MS | DURATION_S | DURATION_M | DURATION_H, 1, RETRY_DELAY_MAX_MS },   /* a --schedule item */
	{ DURATION_S | DURATION_M | DURATION_H | DURATION_D, 1, 3650LL * 86400000 },     /* --disable-after */
	{ DURATION_S | DURATION_M | DURATION_H | DURATION_D, 0, 36500LL * 86400000 },    /* --since's age */
	{ DURATION_MS | DURATION_S | DURATION_M | DURATION_H | DURATION_D, 1, LLONG_MAX },
	{ DURATION_D, 0, 0 },
};

static void check_duration(const char *text, size_t len, const struct duration_rule *rule)
{
	char err[ERR_MAX] = "", again_err[ERR_MAX];
	long long ms = -1, again = -1;
	struct sbuf b;

	if (duration_parse(text, len, rule, "it", &ms, err) < 0) {
		if (!err[0])
			fuzz_fail("duration \"%.*s\" refused without a reason", (int)len, text);
		return;
	}
	if (ms < 0 || ms > rule->max_ms)
		fuzz_fail("duration \"%.*s\" gave %lld ms, outside 0..%lld", (int)len, text, ms, rule->max_ms);
	sbuf_init(&b);
	if (duration_format(&b, ms, rule->units) < 0)
		fuzz_fail("out of memory formatting %lld ms", ms);
	if (duration_parse(sbuf_text(&b), b.len, rule, "it", &again, again_err) < 0 || again != ms)
		fuzz_fail("duration \"%.*s\" = %lld ms formats as \"%s\", which reads back as %lld (%s)", (int)len, text,
			  ms, sbuf_text(&b), again, again_err);
	sbuf_release(&b);
}

static void check_timeout(const char *s)
{
	char err[ERR_MAX] = "", back[32];
	int t = -1, again = -1;

	if (duration_parse_timeout(s, &t, err) < 0) {
		if (!err[0])
			fuzz_fail("timeout \"%s\" refused without a reason", s);
		return;
	}
	if (t < TIMEOUT_MIN || t > TIMEOUT_MAX)
		fuzz_fail("timeout \"%s\" gave %d", s, t);
	snprintf(back, sizeof back, "%d", t);
	if (duration_parse_timeout(back, &again, err) < 0 || again != t)
		fuzz_fail("timeout \"%s\" = %d reads back as %d", s, t, again);
}

static void check_pace(const char *s)
{
	long long d[RETRY_OWN_STEPS], again[RETRY_OWN_STEPS], ms = -7, ms2 = -1;
	size_t n = 99, n2 = 0;
	int rn = -7, rn2 = -1;
	char err[ERR_MAX] = "";
	struct sbuf b;

	if (retry_parse_own(s, d, &n, err) < 0) {
		if (!err[0] || n != 99)
			fuzz_fail("own schedule \"%s\" refused without a reason or changed", s);
	} else {
		sbuf_init(&b);
		if (retry_check_own(d, n, err) < 0 || retry_format_own(&b, d, n) < 0 ||
		    retry_parse_own(sbuf_text(&b), again, &n2, err) < 0 || n2 != n ||
		    (n && memcmp(d, again, n * sizeof *d) != 0))
			fuzz_fail("own schedule \"%s\" formats as \"%s\", which does not read back (%s)", s, sbuf_text(&b),
				  err);
		sbuf_release(&b);
	}
	err[0] = '\0';
	if (rate_parse(s, &rn, &ms, err) < 0) {
		if (!err[0] || rn != -7 || ms != -7)
			fuzz_fail("rate \"%s\" refused without a reason or changed", s);
		return;
	}
	sbuf_init(&b);
	if (rate_check(rn, ms, err) < 0 || rate_format(&b, rn, ms) < 0 ||
	    rate_parse(sbuf_text(&b), &rn2, &ms2, err) < 0 || rn2 != rn || ms2 != ms)
		fuzz_fail("rate \"%s\" formats as \"%s\", which does not read back (%s)", s, sbuf_text(&b), err);
	sbuf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), err[ERR_MAX];
	struct retry_schedule rs;
	long long d;
	size_t i;

	d = retry_after_parse(s, 1764000000000LL);
	if (d < -1 || d > RETRY_AFTER_CAP_MS)
		fuzz_fail("Retry-After \"%s\" gave %lld ms", s, d);
	retry_default(&rs);
	if (retry_parse(&rs, s, err) == 0) {
		if ((rs.steps == 0) != (s[0] == '\0') || rs.steps > RETRY_MAX_STEPS)
			fuzz_fail("schedule \"%s\" has %zu steps", s, rs.steps);
		for (i = 0; i <= rs.steps; i++) {
			d = retry_delay(&rs, i, (unsigned)i * 2654435761u);
			if (i < rs.steps && (d < 0 || rs.delay_ms[i] > RETRY_DELAY_MAX_MS))
				fuzz_fail("schedule \"%s\": step %zu gave %lld", s, i, d);
			if (i == rs.steps && d != -1)
				fuzz_fail("schedule \"%s\" does not end after %zu steps", s, rs.steps);
		}
	}
	/* The raw bytes, not the terminated copy: a read past the length is
	 * a read past the buffer. */
	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		check_duration((const char *)data, size, &rules[i]);
	check_timeout(s);
	check_pace(s);
	free(s);
	return 0;
}
