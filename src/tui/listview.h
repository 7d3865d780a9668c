/* The webhook list as plain state: rows sorted by name, a filter, the
 * selection and the scroll position. */
#ifndef HOOKMAN_LISTVIEW_H
#define HOOKMAN_LISTVIEW_H

#include "keys.h"
#include "webhook.h"

struct listview {
	struct webhook *all;    /* owned, sorted by name (the store's order) */
	size_t n;
	size_t *shown;          /* indexes into all that pass the filter */
	size_t nshown;
	size_t sel, top;        /* selection and first visible row, in shown */
	long long sel_id;       /* the webhook chosen last, by id (ids are never
				 * reused): it stays chosen across reloads,
				 * renames and a filter that hides it for a while */
	char filter[128];       /* case-insensitive part of the name, "" for all */
};

void listview_init(struct listview *lv);
void listview_free(struct listview *lv);

/* Take over a new list (from store_webhook_list), keeping the selection
 * on the same webhook (by id: a rename keeps it) when it is still there.
 * 0 or -1 (out of memory; the list is then released). */
int listview_set(struct listview *lv, struct webhook *list, size_t n);

/* Show only names containing text (ignoring ASCII case). */
void listview_filter(struct listview *lv, const char *text);

/* Move the selection (A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END) and
 * keep it inside a view of page rows. */
void listview_move(struct listview *lv, enum action act, size_t page);

/* Move a selection sel among n rows (kept inside a view of page rows
 * starting at *top) by a movement action. Shared by every list. */
void select_move(size_t *sel, size_t *top, size_t n, enum action act, size_t page);

/* The selected webhook, or NULL when the list (or filter) is empty. */
const struct webhook *listview_selected(const struct listview *lv);

#endif
