/* What changed between two versions of a webhook, field by field, as text
 * an operator may see anywhere: URLs, secrets and credential headers are
 * masked (mask.h), a payload is named, never quoted. The audit record's
 * list of changed fields. */
#ifndef HOOKMAN_WHDIFF_H
#define HOOKMAN_WHDIFF_H

#include <stddef.h>

#include "webhook.h"

#define WHDIFF_MAX 16

struct whdiff_item {
	const char *field;    /* "name", "url", "events", … static */
	char *from, *to;      /* masked text of each value, owned */
};

struct whdiff {
	size_t n;
	struct whdiff_item item[WHDIFF_MAX];
};

/* Fill *d with the fields whose values differ between a and b, in the
 * form's order: name, url, events, format, payload, secret, previous
 * secret, headers, enabled, verify_tls, timeout, rate, retry_schedule,
 * coalesce. An absent value reads "none" (a secret, a rate), "default"
 * (a retry schedule); a payload reads as its size. 0, or -1 when memory
 * ran out (d is then empty). whdiff_free releases it either way. */
int whdiff_compute(const struct webhook *a, const struct webhook *b, struct whdiff *d);

/* The changed fields' names joined with ", " into out (cut to size). */
void whdiff_fields(const struct whdiff *d, char *out, size_t size);

void whdiff_free(struct whdiff *d);

#endif
