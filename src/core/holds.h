/* Holds: during an incident an operator stops a webhook's deliveries, or
 * every delivery of one event type, for a while or until released. While
 * a hold is on, the claim leaves those deliveries queued (they go out in
 * order when it ends); with drop, deliveries fanned out meanwhile are
 * recorded as 'dropped' and never sent (redeliver sends them later). A
 * hold lives in the store (table holds), so it survives a restart of
 * hookmand, and ends by itself at its time. Times are the store's (unix
 * ms) and given by the caller. Errors as store.h says; ERR_NOT_FOUND for
 * an unknown webhook or a target that is not held. */
#ifndef HOOKMAN_HOLDS_H
#define HOOKMAN_HOLDS_H

#include <jansson.h>

#include "store.h"

/* What a hold applies to: a webhook by name, or an event type (a catalog
 * id, checked by the caller). Exactly one is set. */
struct hold_target {
	const char *webhook;
	const char *event_type;
};

/* The holds in force at a time, as the claim and fan-out read them. */
struct holds_active {
	long long *webhooks;      /* held webhook ids, ascending */
	size_t nwebhooks;
	char *event_types;        /* a JSON array of held event types ("[]": none), owned */
	long long ends_at;        /* the earliest end among them, -1: none ends by itself */
};

/* What holds_set found and did. */
struct hold_set_result {
	long long queued;       /* the target's deliveries waiting (pending or failed) now */
	int replaced;           /* it had a hold in force, which this one replaced: */
	long long was_until;    /* its end (0: until released) */
	int was_drop;           /* and whether it dropped */
};

/* Put a hold on target until until_ms (0: until released), replacing one
 * it has; holds that ended are removed on the way. *r says what the hold
 * keeps back and what it replaced, for the caller to say. 0 or -1 with
 * err. */
int holds_set(struct store *st, const struct hold_target *t, long long now, long long until_ms, int drop,
	      struct hold_set_result *r, char *err);

/* End the hold on target. *queued receives how many deliveries of the
 * target are waiting and now free to go, *dropped how many it dropped
 * while it was on, when it had drop (they stay dropped). ERR_NOT_FOUND when it is not held
 * (or its hold had ended). 0 or -1 with err. */
int holds_release(struct store *st, const struct hold_target *t, long long now, long long *queued,
		  long long *dropped, char *err);

/* The holds in force at now, newest first, as a new JSON array the caller
 * releases: objects {webhook|event, until (ms or null), drop (bool),
 * since (ms), queued}. 0 or -1 with err. */
int holds_list(struct store *st, long long now, json_t **out, char *err);

/* The holds in force at now (see struct holds_active); free with
 * holds_active_clear. 0 or -1 with err. */
int holds_active_read(struct store *st, long long now, struct holds_active *a, char *err);
void holds_active_clear(struct holds_active *a);

/* Whether webhook id is held in a (a binary search). */
int holds_active_webhook(const struct holds_active *a, long long webhook_id);

#endif
