/* When to try a failed delivery again. */
#ifndef HOOKMAN_RETRY_H
#define HOOKMAN_RETRY_H

#include <stddef.h>

#define RETRY_MAX_STEPS 32
#define RETRY_DELAY_MAX_MS (7LL * 24 * 3600 * 1000)   /* one step of a schedule */
#define RETRY_AFTER_CAP_MS (60LL * 60 * 1000)   /* Retry-After is honoured up to 1 h */

struct retry_schedule {
	long long delay_ms[RETRY_MAX_STEPS];   /* wait before retry 1, 2, … */
	size_t steps;                          /* after this many retries: dead */
	int jitter_pct;                        /* ± this percent, 0 for none */
};

/* The default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, ±20 %. */
void retry_default(struct retry_schedule *rs);

/* Parse "5s,5m,30m,2h" (units ms, s, m, h; a bare number is seconds; each
 * at most RETRY_DELAY_MAX_MS; "" for no retries) into rs, keeping its
 * jitter. 0 or -1 with err naming the bad item. */
int retry_parse(struct retry_schedule *rs, const char *spec, char *err);

/* The delay before the retry that follows failed attempt number `step`
 * (0 for the first failure), with jitter from rnd (0..UINT32_MAX).
 * Returns -1 when the schedule is exhausted: the delivery is dead. */
long long retry_delay(const struct retry_schedule *rs, size_t step, unsigned rnd);

/* The schedule's whole span: every delay added up, without jitter (about
 * 28 h for the default). A delivery that keeps being told to wait by
 * Retry-After gives up once this long has passed since its first attempt. */
long long retry_span(const struct retry_schedule *rs);

/* Parse a Retry-After value: delta-seconds or an HTTP-date, relative to
 * now (unix ms). Returns the delay in ms capped at RETRY_AFTER_CAP_MS, or
 * -1 when the value is not one of those forms. */
long long retry_after_parse(const char *value, long long now_ms);

#endif
