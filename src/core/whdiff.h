/* What differs between two versions of a webhook, field by field, as
 * text an operator may see anywhere: URLs, secrets and credential
 * headers masked (mask.h), a payload named by its size, and where a
 * credential comes from (credref.h). The one comparison behind the audit
 * record's list of changed fields and the plan of an apply. */
#ifndef HOOKMAN_WHDIFF_H
#define HOOKMAN_WHDIFF_H

#include <stddef.h>

#include "webhook.h"

#define WHDIFF_MAX 16

/* Compare the secret a rotation left signing too (the audit record does;
 * a plan does not, as a file holds the desired secret only). */
#define WHDIFF_PREVIOUS_SECRET 0x1u

struct whdiff_item {
	const char *field;    /* "name", "url", "verify TLS", … static */
	char *from, *to;      /* each side masked, with its source: "whsec_****wxyz (from env X)";
			       * "none" for a field unset; owned */
};

struct whdiff {
	size_t n;
	struct whdiff_item item[WHDIFF_MAX];
};

/* Fill *d with the fields in which a and b differ, in this order: name
 * (its case too), url, events, format, payload, secret, previous secret
 * (with WHDIFF_PREVIOUS_SECRET), headers, enabled, verify TLS, timeout,
 * rate, retry schedule, coalesce; a credential whose source changed
 * differs even when its value does not. Two values that mask alike read
 * "… (another value)" on b's side. 0, or -1 when memory ran out (d is
 * then empty). whdiff_free releases it either way. */
int whdiff_compute(const struct webhook *a, const struct webhook *b, unsigned flags, struct whdiff *d);

/* The changed fields' names joined with ", " into out (cut to size). */
void whdiff_fields(const struct whdiff *d, char *out, size_t size);

void whdiff_free(struct whdiff *d);

#endif
