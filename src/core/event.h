/* An event as fired: its id, type, title, severity, time and data. */
#ifndef HOOKMAN_EVENT_H
#define HOOKMAN_EVENT_H

#include <jansson.h>

#include "catalog.h"
#include "randid.h"

#define EVENT_TITLE_MAX 200   /* code points */

struct event {
	char uid[RANDID_MAX];   /* "evt_…" */
	char time[32];          /* ISO 8601 UTC, "2026-11-28T09:14:02Z" */
	char *type;             /* catalog id, owned */
	char *title;            /* owned */
	char *severity;         /* owned */
	json_t *data;           /* a JSON object, owned (one reference) */
	char *data_text;        /* data as compact JSON, owned: written once, stored and sent */
	const char *coalesced;  /* NULL; for a coalesced delivery's rendering (coalesce.h), the
				 * group as a JSON object {count, first, last, ids}, not owned */
};

/* Load the sample event for type from DATADIR/samples/TYPE.json. Returns a
 * new reference to the whole sample object, or NULL with err set. */
json_t *event_sample(const struct catalog *cat, const char *type, char *err);

/* Build an event of a catalog type, fired now. title NULL means the
 * catalog's title; data NULL means the sample's data, otherwise it must be
 * a JSON object and the event takes over the caller's reference (also on
 * failure). The severity is data's "severity" string when it has one, else
 * the sample's. Errors: unknown type (lists how to see the catalog), title
 * not valid UTF-8 or with control characters or too long, data not an
 * object, unreadable sample. On success the caller calls event_clear(). */
int event_init(struct event *ev, const struct catalog *cat, const char *type,
	       const char *title, json_t *data, char *err);

/* Check a title an operator gave: 1..EVENT_TITLE_MAX printable code points. */
int event_check_title(const char *title, char *err);

/* Parse one line of `fire --stdin`, a JSON object {"type": …, "title": …,
 * "data": {…}} (title and data optional), into *ev as event_init() does.
 * line need not be NUL-terminated. Errors name the column of a JSON syntax
 * error, a missing or mistyped member or an unknown key. */
int event_parse_line(struct event *ev, const struct catalog *cat, const char *line, size_t len,
		     char *err);

void event_clear(struct event *ev);

#endif
