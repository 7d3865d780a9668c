/* What apply would change: the webhooks of a file (the desired state)
 * compared with the stored ones, field by field. A model without
 * printing: values come out as people may see them (URLs, secrets and
 * credential headers masked), the front end lays them out. */
#ifndef HOOKMAN_PLAN_H
#define HOOKMAN_PLAN_H

#include <stddef.h>

#include "webhook.h"

enum plan_action { PLAN_ADD, PLAN_CHANGE, PLAN_REMOVE };

/* One field that differs, both sides masked, with where a credential
 * comes from: a masked URL followed by " (from env URL)";
 * "none" for a field unset. */
struct plan_field {
	const char *field;     /* "url", "secret", "headers", … (static) */
	char *before, *after;
};

struct plan_item {
	enum plan_action action;
	const struct webhook *want;  /* the file's entry (NULL for a removal) */
	const struct webhook *have;  /* the stored webhook (NULL for an addition) */
	struct plan_field *fields;   /* PLAN_CHANGE: what differs */
	size_t nfields;
	char *url;                   /* PLAN_ADD, PLAN_REMOVE: the URL masked */
};

struct plan {
	struct plan_item *items;     /* sorted by name, ignoring case */
	size_t n;
	size_t add, change, remove;
	size_t unmanaged;            /* stored, not in the file, not removed (no prune) */
};

/* Compare want[0..nwant) (names unique ignoring case, as transfer_parse
 * checks) with have[0..nhave): an entry matched by name (ignoring case)
 * whose fields all agree is left out; one that differs is a change; one
 * not stored an addition; a stored webhook not in want is a removal when
 * prune, else counted in unmanaged. Compared: name (its case), URL,
 * events, format, payload, secret, headers, enabled, TLS verification,
 * timeout, rate, retry schedule, coalesce window, and where the URL,
 * secret and headers come from. The plan points into want and have, which
 * must outlive it. 0, or -1 with err (ERR_NOMEM); free with plan_free. */
int plan_compute(struct plan *p, const struct webhook *want, size_t nwant, const struct webhook *have,
		 size_t nhave, int prune, char *err);

void plan_free(struct plan *p);

/* The webhook to store for item: a copy of want, with the stored row's
 * id and version for a change (so the save is refused if the row moved
 * since the plan read it), its sender's note kept while it stays
 * disabled, and its previous secret kept while the secret stays the same.
 * 0, or -1 with err; the caller clears out. */
int plan_target(const struct plan_item *item, struct webhook *out, char *err);

#endif
