/* Coalescing: a webhook with a window (its coalesce_ms) gets one delivery
 * for all events of one type and title fired within it, sent when the
 * window ends. The delivery is pending with next_attempt_at at the
 * window's end, so the claim takes it then and not before; while it has
 * not been tried, each new event of the group joins it: its $Title ends
 * with " (×N)" and, in the default format, $Event carries "coalesced":
 * {count, first, last, ids} (the event shown is the latest; first and
 * last are the event times; ids the first COALESCE_IDS_MAX event ids,
 * oldest first, and "ids_omitted" how many more there were). An alarm
 * storm becomes one message per window per webhook. */
#ifndef HOOKMAN_COALESCE_H
#define HOOKMAN_COALESCE_H

#include "event.h"
#include "format.h"
#include "sbuf.h"
#include "store.h"

/* The webhook a coalescing fan-out renders for. */
struct coalesce_target {
	long long webhook_id;
	const char *payload;
	enum format format;
	long long window_ms;      /* more than 0 */
};

/* Inside the caller's transaction: ev (already stored as event_id) joins
 * the open group of its type and title for t, whose body is rendered
 * again, or opens one that ends window_ms after now. *joined is 1 when it
 * joined a group, 0 when it opened one. 0, or -1 with err (a payload that
 * does not render, the store); nothing of this event is then written for
 * t, and the caller rolls back. */
int coalesce_fire(struct store *st, const struct event *ev, long long event_id, const struct coalesce_target *t,
		  long long now, int *joined, char *err);

#define COALESCE_MAX_MS (24LL * 60 * 60 * 1000)
#define COALESCE_IDS_MAX 100   /* event ids a group lists; the rest are counted */

/* A webhook's window as an operator writes it (--coalesce, the form, an
 * export): "30s", "5m", "1h" — a whole number and s, m or h, 1 s to 24 h —
 * or "none"/"off" (0). coalesce_check holds a stored or imported value to
 * the same range (0 is none). 0, or -1 with err (ERR_INVALID) quoting the
 * value and giving an example. */
int coalesce_parse(const char *text, long long *ms, char *err);
int coalesce_check(long long ms, char *err);

/* Append a window as coalesce_parse reads it back ("5m"); "none" for 0. */
void coalesce_format(struct sbuf *out, long long ms);

/* The title a group of n events shows: "TITLE (×n)", or TITLE when n is 1.
 * A string the caller frees, or NULL (out of memory). */
char *coalesce_title(const char *title, long long n);

#endif
