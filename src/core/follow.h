/* Attempts as they happen, for hookman tail and its -f: the store's
 * attempts table is the record (ids only grow while rows are added), so a
 * follower reads the attempts after the last id it printed, whoever made
 * them and whether or not a hookmand runs. Failures: ERR_INVALID for an
 * unknown state, ERR_NOT_FOUND for an unknown webhook, the store's faults
 * as store.h says, ERR_NOMEM. */
#ifndef HOOKMAN_FOLLOW_H
#define HOOKMAN_FOLLOW_H

#include <jansson.h>
#include <stddef.h>

#include "sbuf.h"
#include "store.h"

/* What an attempt came to. failed: no 2xx; dead: no 2xx and the delivery
 * gave up after it (its last attempt, the delivery dead). */
enum follow_state { FOLLOW_ANY, FOLLOW_DELIVERED, FOLLOW_FAILED, FOLLOW_DEAD };

/* "delivered", "failed", "dead" ("" for FOLLOW_ANY). Static storage. */
const char *follow_state_name(enum follow_state s);

/* Read a --state value. 0, or -1 with err (ERR_INVALID) naming the
 * accepted ones. */
int follow_state_parse(const char *text, enum follow_state *out, char *err);

/* Which attempts to show: of these webhooks (none: all), in this state.
 * FOLLOW_FAILED matches every attempt that did not succeed, dead ones
 * included. */
struct follow_filter {
	const char *const *webhooks;   /* names; checked by follow_filter_check */
	size_t nwebhooks;
	enum follow_state state;
	long long *ids;                /* the webhooks' row ids, filled by follow_filter_check */
};

/* Resolve f's webhook names to ids: 0, or -1 with err (ERR_NOT_FOUND
 * names the first unknown one). Release with follow_filter_clear. */
int follow_filter_check(struct store *st, struct follow_filter *f, char *err);
void follow_filter_clear(struct follow_filter *f);

/* One attempt, with what an operator reads beside it. Strings are owned. */
struct follow_attempt {
	long long id;                  /* the attempt's row: increasing */
	long long started_at, duration_ms;   /* unix ms; ms */
	int has_status;                /* an HTTP answer came */
	long status;
	char *error;                   /* NULL when none */
	char *webhook, *event_type, *delivery_uid;   /* never NULL */
	int test;                      /* a test send (never retried) */
	long long attempt, attempts_max;   /* n of m: its place among its delivery's attempts */
	long long next_attempt_at;     /* unix ms of the retry waiting after it, 0 when none */
	enum follow_state state;       /* never FOLLOW_ANY */
};

/* The newest attempt's id (0 when there is none) into *last, and the last
 * n attempts up to it that pass f, oldest first, into *out (a new array of
 * *count; release with follow_free). 0 or -1 with err. */
int follow_last(struct store *st, const struct follow_filter *f, long n, long long *last,
		struct follow_attempt **out, size_t *count, char *err);

/* The attempts after id `after` that pass f, oldest first, at most limit;
 * *last receives the highest id looked at (passing f or not), to read
 * after next time (after itself when none). 0 or -1 with err. */
int follow_after(struct store *st, const struct follow_filter *f, long long after, long limit,
		 long long *last, struct follow_attempt **out, size_t *count, char *err);

void follow_free(struct follow_attempt *list, size_t count);

/* Column widths of the line, so that successive lines align. */
struct follow_layout {
	size_t webhook, event;   /* in terminal columns; longer names are not cut */
};

/* Append one line for a (newline-terminated), e.g.
 * "2026-11-30 04:31:02  slack-alerts  detection.created  204  12 ms  attempt 1/8"
 * or "...  error: cannot connect (…)  38 ms  attempt 3/8  next try in 30m",
 * with "  (test)" after a test. now (unix ms) counts the next try down.
 * Text from the receiver has its control characters escaped and its
 * lines joined. 0, or -1 when memory ran out (sticky, see sbuf.h). */
int follow_format(struct sbuf *out, const struct follow_attempt *a, const struct follow_layout *lay,
		  long long now);

/* a as a JSON object with stable keys: id, time (ISO 8601 UTC), webhook,
 * event, delivery, status (null without an answer), error (or null),
 * duration_ms, attempt, attempts_max, next_attempt_at (ISO 8601 or
 * null), state, test. A new reference, NULL when memory ran out. */
json_t *follow_json(const struct follow_attempt *a);

#endif
