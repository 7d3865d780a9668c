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
	free(lv->stats);
	free(lv->shown);
	listview_init(lv);
}

static int contains(const char *hay, size_t hlen, const char *needle, size_t n)
{
	size_t i;

	for (i = 0; i + n <= hlen; i++)
		if (strncasecmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static const char *const states[] = { "is:failing", "is:disabled", "is:enabled", "is:held" };
#define NSTATES (sizeof states / sizeof states[0])

/* Which of states the word is: its index, -2 when it is the start of one
 * (being typed: it filters nothing yet), -1 when it is none. */
static int state_word(const char *w, size_t n)
{
	int k, partial = 0;

	for (k = 0; k < (int)NSTATES; k++) {
		if (strlen(states[k]) == n && strncmp(w, states[k], n) == 0)
			return k;
		partial |= n < strlen(states[k]) && strncmp(w, states[k], n) == 0;
	}
	return partial ? -2 : -1;
}

static int word_matches(const struct listview *lv, size_t i, const char *w, size_t n)
{
	const struct webhook *wh = &lv->all[i];
	const char *host;
	size_t hlen, k;

	if (n >= 3 && strncmp(w, "is:", 3) == 0) {
		switch (state_word(w, n)) {
		case 0: return lv->stats && lv->stats[i].failing && wh->enabled;
		case 1: return !wh->enabled;
		case 2: return wh->enabled;
		case 3: return lv->stats && lv->stats[i].held;
		default: return 1;    /* being typed, or refused by check_words */
		}
	}
	if (n == 6 && strncmp(w, "event:", 6) == 0)
		return 1;             /* the id is still to come */
	if (n > 6 && strncmp(w, "event:", 6) == 0) {
		for (k = 0; k < wh->nevents; k++)
			if (strncasecmp(wh->events[k], w + 6, n - 6) == 0)
				return 1;
		return 0;
	}
	if (contains(wh->name, strlen(wh->name), w, n))
		return 1;
	host = wh->url ? webhook_url_host(wh->url, &hlen) : NULL;
	return host && contains(host, hlen, w, n);
}

static int matches(const struct listview *lv, size_t i)
{
	const char *p = lv->filter;

	while (*p) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n && !word_matches(lv, i, p, n))
			return 0;
		p += n;
	}
	return 1;
}

static const struct listview *sorting;

static int by_order(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct list_stat *sx = sorting->stats ? &sorting->stats[x] : NULL;
	const struct list_stat *sy = sorting->stats ? &sorting->stats[y] : NULL;

	if (sx && sorting->sort == SORT_FAILURES && sx->failures != sy->failures)
		return sx->failures > sy->failures ? -1 : 1;
	if (sx && sorting->sort != SORT_NAME && sx->last_at != sy->last_at)
		return sx->last_at > sy->last_at ? -1 : 1;
	return x < y ? -1 : x > y;    /* all is by name */
}

/* Rows passing the filter, in the sort order; the selection on sel_id
 * when it is shown, else on the first row (sel_id is kept for when it
 * shows again). */
static void refilter(struct listview *lv)
{
	size_t i;

	lv->nshown = 0;
	for (i = 0; i < lv->n; i++)
		if (matches(lv, i))
			lv->shown[lv->nshown++] = i;
	sorting = lv;
	qsort(lv->shown, lv->nshown, sizeof *lv->shown, by_order);
	sorting = NULL;
	lv->sel = 0;
	for (i = 0; i < lv->nshown; i++)
		if (lv->all[lv->shown[i]].id == lv->sel_id)
			lv->sel = i;
	if (lv->top > lv->sel)
		lv->top = lv->sel;
	/* Nothing chosen yet: the first row is. */
	if (lv->sel_id == 0 && lv->nshown)
		lv->sel_id = lv->all[lv->shown[0]].id;
}

int listview_set(struct listview *lv, struct webhook *list, struct list_stat *stats, size_t n)
{
	size_t *shown = calloc(n ? n : 1, sizeof *shown);

	if (!shown) {
		store_webhook_list_free(list, n);
		free(stats);
		return -1;
	}
	store_webhook_list_free(lv->all, lv->n);
	free(lv->stats);
	free(lv->shown);
	lv->all = list;
	lv->stats = stats;
	lv->n = n;
	lv->shown = shown;
	refilter(lv);
	return 0;
}

/* A word that looks like a token but is not one. */
static int check_words(const char *text, char *err)
{
	const char *p = text;

	while (*p) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n >= 3 && strncmp(p, "is:", 3) == 0 && state_word(p, n) == -1) {
			err_setk(err, ERR_INVALID, "the filter does not know \"%.*s\": is: takes failing, disabled, "
				 "enabled or held", (int)(n > 40 ? 40 : n), p);
			return -1;
		}
		p += n;
	}
	return 0;
}

int listview_filter(struct listview *lv, const char *text, char *err)
{
	int rc = check_words(text, err);

	snprintf(lv->filter, sizeof lv->filter, "%s", rc < 0 ? "" : text);
	if (lv->shown)
		refilter(lv);
	return rc;
}

void listview_sort(struct listview *lv, enum list_sort sort)
{
	lv->sort = sort;
	if (lv->shown)
		refilter(lv);
}

const char *listview_sort_name(enum list_sort sort)
{
	static const char *const names[SORT_COUNT] = { "name", "last activity", "failures" };

	return names[sort];
}

void select_move(size_t *sel, size_t *top, size_t n, enum action act, size_t page)
{
	size_t last = n ? n - 1 : 0, last_top;

	if (page == 0)
		page = 1;
	last_top = n > page ? n - page : 0;
	switch (act) {
	case A_UP: *sel = *sel ? *sel - 1 : 0; break;
	case A_DOWN: *sel = *sel < last ? *sel + 1 : last; break;
	case A_PGUP:
		*sel = *sel > page ? *sel - page : 0;
		*top = *top > page ? *top - page : 0;
		break;
	case A_PGDN:
		*sel = *sel + page < last ? *sel + page : last;
		*top = *top + page < last_top ? *top + page : last_top;
		break;
	case A_HOME: *sel = 0; break;
	case A_END: *sel = last; break;
	default: break;
	}
	if (*sel > last)
		*sel = last;
	if (*top > last_top)
		*top = last_top;
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
	/* Only a move chooses: keeping the view in bounds (A_NONE) while a
	 * filter hides the chosen webhook must not forget it. */
	if (wh && act != A_NONE)
		lv->sel_id = wh->id;
}

void listview_pick(struct listview *lv, size_t i)
{
	if (i >= lv->nshown)
		return;
	lv->sel = i;
	lv->sel_id = lv->all[lv->shown[i]].id;
}

const struct webhook *listview_selected(const struct listview *lv)
{
	return lv->nshown && lv->sel < lv->nshown ? &lv->all[lv->shown[lv->sel]] : NULL;
}
