/* Deliveries as an operator looks back at them: listing, one delivery with
 * its attempts, and sending again. A delivery or webhook that does not
 * exist fails with ERR_NOT_FOUND, an unknown state or a redelivery that
 * does not apply with ERR_INVALID, the store's faults as store.h says. */
#ifndef HOOKMAN_HISTORY_H
#define HOOKMAN_HISTORY_H

#include <jansson.h>

#include "store.h"

/* Deliveries newest first, optionally of one webhook (by name) and in one
 * state, at most limit. *out is a new JSON array of objects {id, uid,
 * webhook, event, type, state, attempts, last_status, last_error,
 * created_at, updated_at, next_attempt_at, test}. */
int history_list(struct store *st, const char *webhook, const char *state, long limit,
		 json_t **out, char *err);

/* One delivery by row id or "msg_…" uid, with its event, body and every
 * attempt (started_at, duration_ms, status, error, request_headers,
 * response_headers, response_body, response_size). */
int history_get(struct store *st, const char *id, json_t **out, char *err);

/* The newest delivery (tests aside) of each webhook, for the interface's
 * last-result column: an object keyed by webhook id (as text) whose
 * values hold state, status, attempts and at (unix ms). *out is a new
 * reference; 0, or -1 with err. */
int history_latest(struct store *st, json_t **out, char *err);

/* Queue a delivery again, now, with a fresh retry schedule and the same
 * body and webhook-id. Refused while it is still pending or in flight. */
int history_redeliver(struct store *st, const char *id, char *err);

/* history_redeliver's work inside a transaction the caller holds: the
 * delivery at row (named id in the message) pending now with a fresh
 * retry schedule. Refused (ERR_INVALID) for a test or one still pending
 * or in flight. */
int history_requeue_in_tx(struct store *st, long long row, const char *id, char *err);

/* Queue again every delivery of a webhook in state dead or failed,
 * created at or after since_ms (0: all). *n receives how many. */
int history_redeliver_bulk(struct store *st, const char *webhook, const char *state,
			   long long since_ms, long long *n, char *err);

/* Find the row an operator named by id, its uid ("msg_…") or its number:
 * sql selects the row's id with the uid as ?1 and the number as ?2. 1
 * with *row set, 0 when there is none, -1 with err (what the store's
 * failure is said after: "cannot find the delivery"). */
int history_lookup(struct store *st, const char *sql, const char *what, const char *id, long long *row,
		   char *err);

/* Find a delivery's row id from "123" or "msg_…". */
int history_resolve(struct store *st, const char *id, long long *row, char *err);

#endif
