/* When to try a failed delivery again. */
#ifndef HOOKMAN_RETRY_H
#define HOOKMAN_RETRY_H

#include <stddef.h>

#include "sbuf.h"

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

/* A webhook's own schedule ("10s,1m,10m"), which replaces the global one
 * for its deliveries (with the global jitter): 1 to RETRY_OWN_STEPS
 * delays, each RETRY_OWN_MIN_MS..RETRY_OWN_MAX_MS. */
#define RETRY_OWN_STEPS 20
#define RETRY_OWN_MIN_MS 1000LL
#define RETRY_OWN_MAX_MS (24LL * 60 * 60 * 1000)

/* Read an own schedule: delays with a unit (s, m, h) separated by commas,
 * into delays[RETRY_OWN_STEPS], their count in *n; "default" is none
 * (*n 0: the global schedule). 0, or -1 with err (ERR_INVALID) quoting
 * the text, naming the bad step and giving an example; delays and *n are
 * then unchanged. */
int retry_parse_own(const char *text, long long *delays, size_t *n, char *err);

/* Check a stored or imported own schedule (n 0: none). 0 or -1+err. */
int retry_check_own(const long long *delays, size_t n, char *err);

/* Append an own schedule as retry_parse_own reads it back ("10s,1m,10m";
 * "default" when n is 0). 0, or -1 when memory ran out. */
int retry_format_own(struct sbuf *out, const long long *delays, size_t n);

/* The schedule a delivery follows: the webhook's own delays when it has
 * some (n > 0), with base's jitter; else base. */
void retry_use_own(struct retry_schedule *rs, const struct retry_schedule *base,
		   const long long *delays, size_t n);

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
