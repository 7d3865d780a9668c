/* The webhook list as plain state: rows in a sort order, a filter, the
 * selection and the scroll position. No curses. */
#ifndef HOOKMAN_LISTVIEW_H
#define HOOKMAN_LISTVIEW_H

#include "err.h"
#include "keys.h"
#include "webhook.h"

enum list_sort { SORT_NAME, SORT_ACTIVITY, SORT_FAILURES, SORT_COUNT };

/* What the list knows of a webhook's deliveries, for sorting and the
 * is:failing and is:held filters. */
struct list_stat {
	long long last_at;      /* newest attempt or delivery, ms; 0 none */
	long long failures;     /* failed attempts lately */
	int failing;            /* its newest delivery failed or died */
	int held;               /* a hold is on (holds.h) */
};

struct listview {
	struct webhook *all;    /* owned, by name (the store's order) */
	struct list_stat *stats;/* owned, parallel to all; NULL: none known */
	size_t n;
	size_t *shown;          /* indexes into all that pass the filter, sorted */
	size_t nshown;
	size_t sel, top;        /* selection and first visible row, in shown */
	long long sel_id;       /* the webhook chosen last, by id (ids are never
				 * reused): it stays chosen across reloads,
				 * renames, sorting and a filter that hides it */
	enum list_sort sort;
	char filter[256];       /* as typed; see listview_filter */
};

void listview_init(struct listview *lv);
void listview_free(struct listview *lv);

/* Take over a new list (from store_webhook_list) and its stats (may be
 * NULL; taken over too), keeping the selection on the same webhook. 0 or
 * -1 (out of memory; both are then released). */
int listview_set(struct listview *lv, struct webhook *list, struct list_stat *stats, size_t n);

/* Filter by words, all of which must match: is:failing, is:disabled,
 * is:enabled, is:held, event:TEXT (an event id starting with TEXT), or text found
 * (ignoring ASCII case) in the name or the URL's host. 0, or -1 with err
 * (ERR_INVALID) naming a token it does not know; the filter then shows
 * every row. */
int listview_filter(struct listview *lv, const char *text, char *err);

/* Sort by name, by last activity (newest first) or by failures (most
 * first; then newest). The selection stays on its webhook. */
void listview_sort(struct listview *lv, enum list_sort sort);

/* "name", "last activity", "failures". */
const char *listview_sort_name(enum list_sort sort);

/* Move the selection (A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END) and
 * keep it inside a view of page rows. */
void listview_move(struct listview *lv, enum action act, size_t page);

/* Select shown row i (a click), if there is one. */
void listview_pick(struct listview *lv, size_t i);

/* Move a selection sel among n rows (kept inside a view of page rows
 * starting at *top) by a movement action; a page key moves the view by a
 * page too. Shared by every list. */
void select_move(size_t *sel, size_t *top, size_t n, enum action act, size_t page);

/* The selected webhook, or NULL when the list (or filter) is empty. */
const struct webhook *listview_selected(const struct listview *lv);

#endif
