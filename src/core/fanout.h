/* Firing an event: one event row and one delivery per enabled webhook
 * subscribed to its type, each with its body rendered now, all in one
 * transaction. */
#ifndef HOOKMAN_FANOUT_H
#define HOOKMAN_FANOUT_H

#include "catalog.h"
#include "event.h"
#include "store.h"

struct fanout_result {
	long long event_id;     /* row id of the event */
	size_t deliveries;      /* deliveries queued */
	size_t dropped;         /* deliveries recorded as dropped: a hold with drop (holds.h) */
	size_t coalesced;       /* joined a coalesced delivery still waiting (coalesce.h) */
};

/* The last_error of a delivery dropped by a hold. */
#define FANOUT_DROPPED_WHY "dropped: fanned out while held with --drop; 'hookman redeliver' sends it"

/* How many enabled webhooks an event of this type would go to now. 0, or
 * -1 with err. */
int fanout_subscribers(struct store *st, const char *type, long long *n, char *err);

/* Record ev and fan it out in its own transaction. On failure nothing is
 * written. Returns 0 or -1 with err set. */
int fanout_fire(struct store *st, const struct event *ev, struct fanout_result *res, char *err);

/* The same inside a transaction the caller holds (store_begin), so that
 * many events can be fanned out in one commit. */
int fanout_fire_in_tx(struct store *st, const struct event *ev, struct fanout_result *res, char *err);

/* Record a test delivery of ev to wh: an event row and a delivery flagged
 * as a test, left in flight so the queue never picks it up; hookmand sends
 * it at once when asked and never retries it. *delivery receives its row
 * id. */
int fanout_test(struct store *st, const struct webhook *wh, const struct event *ev,
		long long *delivery, char *err);

/* The body a webhook would get for ev: $Event formatted with the
 * webhook's formatting, then the template rendered. Caller frees. */
char *fanout_render(const char *payload, enum format f, const struct event *ev, char *err);

#endif
