/* A stored event rendered again with a webhook's current payload and
 * format: what a delivery would be now, and redelivering that instead of
 * the body stored when the event was fired. The delivery keeps its uid
 * (webhook-id); the new body is what hookmand signs and sends. A webhook
 * whose payload does not render, or whose format never sends the event's
 * type, is refused (ERR_INVALID) and nothing changes; an event, delivery
 * or webhook that does not exist gives ERR_NOT_FOUND; the store's faults
 * as store.h says. */
#ifndef HOOKMAN_RERENDER_H
#define HOOKMAN_RERENDER_H

#include "catalog.h"
#include "event.h"
#include "randid.h"
#include "store.h"

/* An event's row id from "123" or "evt_…", as history_resolve does for a
 * delivery. 0, or -1 with err. */
int rerender_event_resolve(struct store *st, const char *id, long long *row, char *err);

/* The stored event at row as it was fired: the same uid, type, title,
 * severity, time and data (data_text is the stored text, byte for byte,
 * so $Event renders as it did). The caller event_clear()s it. 0, or -1
 * with err (also when the stored data is not a JSON object). */
int rerender_event_load(struct store *st, long long row, struct event *ev, char *err);

/* Whether id names a stored event rather than a catalog type: "evt_…" or
 * digits only. */
int rerender_is_event_id(const char *id);

/* A body as stored and as it would be now. */
struct rerender_body {
	long long delivery;        /* the delivery's row id; 0 when there is none */
	char uid[RANDID_MAX];      /* its "msg_…" id, "" when there is none */
	char event[RANDID_MAX];    /* the event's "evt_…" id */
	char *webhook;             /* the webhook's name (owned) */
	char *stored;              /* the delivery's body (owned), NULL when there is none */
	char *now;                 /* the event rendered with the webhook's current
				    * payload and format (owned) */
};

void rerender_body_clear(struct rerender_body *b);

/* The event at event_row rendered for the webhook named webhook, and the
 * newest delivery (tests aside) of that event to it, if there is one; an
 * event coalesced into a delivery (coalesce.h) finds that delivery, which
 * is rendered as its group. *out is filled (caller clears it with
 * rerender_body_clear). 0 or -1. */
int rerender_for_webhook(struct store *st, const struct catalog *cat, const char *webhook,
			 long long event_row, struct rerender_body *out, char *err);

/* The delivery id ("123" or "msg_…") with its stored body and its event
 * rendered for its webhook now. 0 or -1. */
int rerender_for_delivery(struct store *st, const struct catalog *cat, const char *id,
			  struct rerender_body *out, char *err);

/* In one transaction: the delivery id's event rendered for its webhook
 * now, that body stored in place of the old one, and the delivery queued
 * again as history_redeliver does (refused, with nothing changed, for a
 * test or one still pending or in flight). With expect not NULL the new
 * body must be that text (what the operator was shown), else the call is
 * refused with ERR_CONFLICT and nothing changes. *out receives both
 * bodies (caller clears), to say what changed. 0 or -1. */
int rerender_redeliver(struct store *st, const struct catalog *cat, const char *id, const char *expect,
		       struct rerender_body *out, char *err);

/* The same for every delivery of a webhook in state dead, failed or dropped created
 * at or after since_ms (0: all), in one transaction: all or none. *n
 * receives how many were queued, *changed how many of them got a body
 * that differs from the stored one. 0 or -1. */
int rerender_redeliver_bulk(struct store *st, const struct catalog *cat, const char *webhook,
			    const char *state, long long since_ms, long long *n, long long *changed,
			    char *err);

#endif
