/* Numbers for pictures: how the attempts to send went, per hour and per
 * webhook, and how long receivers took to answer. Test sends are left out
 * (as in history_latest): an operator trying a URL is not the webhook's
 * health. An attempt succeeded when the receiver answered 2xx; it failed
 * on any other answer, or none (a transport error, a timeout). Times are
 * unix milliseconds; a window ends at now_ms and takes the attempts that
 * started in (start_ms, start_ms + width]. */
#ifndef HOOKMAN_ACTIVITY_H
#define HOOKMAN_ACTIVITY_H

#include <stddef.h>

#include "store.h"

#define ACTIVITY_HOURS 24                    /* activity_hourly's buckets */
#define ACTIVITY_HOUR_MS (3600 * 1000LL)
#define ACTIVITY_SPARKS 12                   /* buckets of a spark line */
#define ACTIVITY_SPARK_MS (2 * ACTIVITY_HOUR_MS)

struct activity_bucket {
	long long start_ms;        /* the bucket holds attempts started after this */
	long long ok;              /* answered 2xx */
	long long failed;          /* anything else */
};

/* Attempts of one webhook (webhook_id 0: of all) in each of the last 24
 * hours, oldest first: out[23] is the hour ending at now_ms. One query
 * over the attempts of the last day (an index on their start time). 0, or
 * -1 with err. */
int activity_hourly(struct store *st, long long webhook_id, long long now_ms,
		    struct activity_bucket out[ACTIVITY_HOURS], char *err);

struct activity_latency {
	int count;                 /* answered attempts measured, at most last_n */
	long long p50_ms;          /* median duration; 0 when count is 0 */
	long long p95_ms;          /* 95th percentile (nearest rank); 0 when count is 0 */
};

/* How long one webhook's receiver (webhook_id 0: any) took to answer:
 * the durations of the last_n newest attempts that got an HTTP answer,
 * whatever its status, taken newest delivery first (so the cost is
 * last_n rows however long the history; a retry of an older delivery
 * counts with that delivery). last_n must be positive: -1 with err
 * (ERR_INVALID) otherwise, or on a store error. */
int activity_latency(struct store *st, long long webhook_id, int last_n,
		     struct activity_latency *out, char *err);

/* What the list shows and sorts by, for one webhook. */
struct activity_webhook {
	long long webhook_id;
	long long last_attempt_ms; /* when its newest attempt started; 0: never tried */
	long long failed_24h;      /* failed attempts in the last 24 hours */
	struct activity_bucket spark[ACTIVITY_SPARKS];  /* the last 24 hours in two-hour
							 * buckets, oldest first */
};

/* Every webhook, by id, in one query: *out is an array of *n the caller
 * frees (free()); a webhook without attempts has zeros. last_attempt_ms is
 * exact when the webhook was tried in the last 24 hours; before that it is
 * the newest attempt of its newest delivery that was tried. 0, or -1 with
 * err. */
int activity_webhooks(struct store *st, long long now_ms, struct activity_webhook **out,
		      size_t *n, char *err);

/* The entry of webhook_id in list (sorted by id, as activity_webhooks
 * gives it), or NULL. */
const struct activity_webhook *activity_find(const struct activity_webhook *list, size_t n,
					     long long webhook_id);

#endif
