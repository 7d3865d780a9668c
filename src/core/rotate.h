/* Secret rotation without downtime: a webhook gets a new signing secret
 * and keeps signing with the old one too for a grace period, so that a
 * receiver can switch to the new secret at its own pace. SQL on the
 * webhooks row, in one transaction. Errors as store.h says; ERR_NOT_FOUND
 * for an unknown webhook, ERR_INVALID for a grace that does not read. */
#ifndef HOOKMAN_ROTATE_H
#define HOOKMAN_ROTATE_H

#include "secret.h"
#include "store.h"

#define ROTATE_GRACE_DEFAULT_MS (24LL * 3600 * 1000)
#define ROTATE_GRACE_MAX_MS (30LL * 24 * 3600 * 1000)

/* What rotate_secret did. */
struct rotation {
	char secret[SECRET_MAX];  /* the new secret, in full */
	int had_secret;           /* the webhook had a secret, now the previous one */
	int dropped_previous;     /* a previous secret still in its grace was dropped */
	long long previous_until; /* unix ms when the previous one stops; 0: none kept */
};

/* Read a grace period as --grace reads it: "24h", "90m", "0s"; units
 * s, m, h, d; at most 30 days. 0 or -1 with err (ERR_INVALID). */
int rotate_parse_grace(const char *text, long long *ms, char *err);

/* Give the webhook named name a new generated secret. Its current one
 * (if any) becomes the previous secret until now_ms + grace_ms (a grace
 * of 0 drops it at once); a previous one still in its grace is dropped,
 * since only two secrets sign. A webhook without a secret just gets one.
 * Fills *out. 0 or -1 with err; nothing changes on error. */
int rotate_secret(struct store *st, const char *name, long long grace_ms, long long now_ms,
		  struct rotation *out, char *err);

#endif
