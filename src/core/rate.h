/* A webhook's rate: at most n requests per period ("10/s", "5/10s"),
 * parsed and written back here, and the token bucket hookmand keeps for
 * it. Plain C, no clock: callers give the time. */
#ifndef HOOKMAN_RATE_H
#define HOOKMAN_RATE_H

#include "sbuf.h"

#define RATE_N_MAX 10000                          /* requests in one period */
#define RATE_MS_MIN 1000LL                        /* the shortest period: 1 s */
#define RATE_MS_MAX (24LL * 60 * 60 * 1000)       /* the longest: 24 h */

/* Read "N/s", "N/m", "N/h" or "N/DURATION" ("5/10s", "100/15m"): N from 1
 * to RATE_N_MAX, the period RATE_MS_MIN..RATE_MS_MAX; "none" or "off" is
 * no limit (*n and *ms 0). 0, or -1 with err (ERR_INVALID) quoting the
 * text, naming the bad part and giving an example of a good value; *n
 * and *ms are then unchanged. */
int rate_parse(const char *text, int *n, long long *ms, char *err);

/* Check a stored or imported rate (n 0 and ms 0: none). 0 or -1+err. */
int rate_check(long long n, long long ms, char *err);

/* Append the rate as rate_parse reads it back: "10/s", "100/m", "5/10s";
 * "none" when n is 0. 0, or -1 when memory ran out (sticky, sbuf.h). */
int rate_format(struct sbuf *out, int n, long long ms);

/* A token bucket of one token, refilled n tokens per ms: requests go
 * ms/n apart, so no window of ms ever holds more than n, even when the
 * sender was held up (a bucket holding n tokens would spend them at once
 * and then go on: 2n - 1 in one window). The level is kept in units of
 * 1/ms token, so whole numbers say it exactly. */
struct rate_bucket {
	int n;
	long long ms;
	long long level;           /* tokens times ms */
	long long at;              /* unix ms the level was computed at */
};

/* Start a bucket with its one token: a sender that restarts (a SIGKILL,
 * an upgrade) sends at most one request more than the rate. */
void rate_bucket_start(struct rate_bucket *b, int n, long long ms, long long now);

/* The webhook's rate changed (an edit): a token in hand is kept. */
void rate_bucket_set(struct rate_bucket *b, int n, long long ms, long long now);

/* Refill up to now and return the whole tokens in hand. */
long long rate_bucket_tokens(struct rate_bucket *b, long long now);

/* Take count tokens (no more than rate_bucket_tokens gave). */
void rate_bucket_take(struct rate_bucket *b, long long count);

/* When the next whole token is in hand (b->at when one is already). */
long long rate_bucket_next(const struct rate_bucket *b);

/* Whether the bucket is full at now: forgetting it then loses nothing. */
int rate_bucket_full(struct rate_bucket *b, long long now);

#endif
