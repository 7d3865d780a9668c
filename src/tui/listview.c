#include "listview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store.h"

void listview_init(struct listview *lv)
{
	memset(lv, 0, sizeof *lv);
}

void listview_free(struct listview *lv)
{
	store_webhook_list_free(lv->all, lv->n);
	free(lv->shown);
	listview_init(lv);
}

static int matches(const char *name, const char *filter)
{
	size_t n = strlen(filter), i;

	if (n == 0)
		return 1;
	for (i = 0; name[i]; i++)
		if (strncasecmp(name + i, filter, n) == 0)
			return 1;
	return 0;
}

/* Rows passing the filter; the selection on lv->sel_id when it is shown,
 * else on the first row (sel_id is kept for when it shows again). */
static void refilter(struct listview *lv)
{
	size_t i;

	lv->nshown = 0;
	lv->sel = 0;
	for (i = 0; i < lv->n; i++)
		if (matches(lv->all[i].name, lv->filter)) {
			if (lv->all[i].id == lv->sel_id)
				lv->sel = lv->nshown;
			lv->shown[lv->nshown++] = i;
		}
	if (lv->top > lv->sel)
		lv->top = lv->sel;
	/* Nothing chosen yet: the first row is. */
	if (lv->sel_id == 0 && lv->nshown)
		lv->sel_id = lv->all[lv->shown[0]].id;
}

int listview_set(struct listview *lv, struct webhook *list, size_t n)
{
	size_t *shown = calloc(n ? n : 1, sizeof *shown);

	if (!shown) {
		store_webhook_list_free(list, n);
		return -1;
	}
	store_webhook_list_free(lv->all, lv->n);
	free(lv->shown);
	lv->all = list;
	lv->n = n;
	lv->shown = shown;
	refilter(lv);
	return 0;
}

void listview_filter(struct listview *lv, const char *text)
{
	snprintf(lv->filter, sizeof lv->filter, "%s", text);
	if (lv->shown)
		refilter(lv);
}

void select_move(size_t *sel, size_t *top, size_t n, enum action act, size_t page)
{
	size_t last = n ? n - 1 : 0;

	if (page == 0)
		page = 1;
	switch (act) {
	case A_UP: *sel = *sel ? *sel - 1 : 0; break;
	case A_DOWN: *sel = *sel < last ? *sel + 1 : last; break;
	case A_PGUP: *sel = *sel > page ? *sel - page : 0; break;
	case A_PGDN: *sel = *sel + page < last ? *sel + page : last; break;
	case A_HOME: *sel = 0; break;
	case A_END: *sel = last; break;
	default: break;
	}
	if (*sel > last)
		*sel = last;
	if (*sel < *top)
		*top = *sel;
	if (*sel >= *top + page)
		*top = *sel - page + 1;
}

void listview_move(struct listview *lv, enum action act, size_t page)
{
	const struct webhook *wh;

	select_move(&lv->sel, &lv->top, lv->nshown, act, page);
	wh = listview_selected(lv);
	if (wh)
		lv->sel_id = wh->id;
}

const struct webhook *listview_selected(const struct listview *lv)
{
	return lv->nshown && lv->sel < lv->nshown ? &lv->all[lv->shown[lv->sel]] : NULL;
}
