#include "plan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "credref.h"
#include "err.h"
#include "mask.h"
#include "sbuf.h"
#include "whdiff.h"

/* Add to item every field in which want and have differ. 0 or -1 (memory). */
static int diff_fields(struct plan_item *item)
{
	struct whdiff d;
	size_t k;

	if (whdiff_compute(item->have, item->want, 0, &d) < 0)
		return -1;
	item->fields = calloc(d.n ? d.n : 1, sizeof *item->fields);
	if (!item->fields) {
		whdiff_free(&d);
		return -1;
	}
	/* The texts change hands: the plan frees them. */
	for (k = 0; k < d.n; k++) {
		item->fields[k].field = d.item[k].field;
		item->fields[k].before = d.item[k].from;
		item->fields[k].after = d.item[k].to;
	}
	item->nfields = d.n;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct plan_item *x = a, *y = b;
	const struct webhook *wx = x->want ? x->want : x->have, *wy = y->want ? y->want : y->have;

	return strcasecmp(wx->name, wy->name);
}

/* The masked URL of an addition or removal. */
static char *masked_url(const struct webhook *wh)
{
	struct sbuf s;
	char masked[URL_MAX + 64];

	sbuf_init(&s);
	mask_url(wh->url, masked, sizeof masked);
	sbuf_append(&s, masked);
	credref_note(&s, wh, "url", NULL);
	return sbuf_take(&s);
}

static int by_webhook_name(const void *a, const void *b)
{
	const struct webhook *x = *(const struct webhook *const *)a, *y = *(const struct webhook *const *)b;

	return strcasecmp(x->name, y->name);
}

int plan_compute(struct plan *p, const struct webhook *want, size_t nwant, const struct webhook *have,
		 size_t nhave, int prune, char *err)
{
	char *matched = calloc(nhave ? nhave : 1, 1);
	const struct webhook **order = calloc(nhave ? nhave : 1, sizeof *order), **hit;
	size_t i, j;

	memset(p, 0, sizeof *p);
	p->items = calloc(nwant + nhave ? nwant + nhave : 1, sizeof *p->items);
	if (!matched || !order || !p->items)
		goto oom;
	/* Stored names are unique ignoring case: a sorted index finds each
	 * entry's match in log time, for files of thousands of webhooks. */
	for (j = 0; j < nhave; j++)
		order[j] = &have[j];
	qsort(order, nhave, sizeof *order, by_webhook_name);
	for (i = 0; i < nwant; i++) {
		struct plan_item *item = &p->items[p->n];
		const struct webhook *key = &want[i];

		memset(item, 0, sizeof *item);
		item->want = &want[i];
		hit = nhave ? bsearch(&key, order, nhave, sizeof *order, by_webhook_name) : NULL;
		if (hit) {
			matched[*hit - have] = 1;
			item->have = *hit;
		}
		if (!item->have) {
			item->action = PLAN_ADD;
			p->n++;
			p->add++;
			if (!(item->url = masked_url(item->want)))
				goto oom;
			continue;
		}
		item->action = PLAN_CHANGE;
		p->n++;
		if (diff_fields(item) < 0)
			goto oom;
		if (item->nfields) {
			p->change++;
			continue;
		}
		free(item->fields);
		item->fields = NULL;
		p->n--;
	}
	for (j = 0; j < nhave; j++) {
		struct plan_item *item = &p->items[p->n];

		if (matched[j])
			continue;
		memset(item, 0, sizeof *item);
		if (!prune) {
			p->unmanaged++;
			continue;
		}
		item->action = PLAN_REMOVE;
		item->have = &have[j];
		p->n++;
		p->remove++;
		if (!(item->url = masked_url(item->have)))
			goto oom;
	}
	free(matched);
	free(order);
	qsort(p->items, p->n, sizeof *p->items, by_name);
	return 0;
oom:
	free(matched);
	free(order);
	plan_free(p);
	err_oom(err, "plan");
	return -1;
}

void plan_free(struct plan *p)
{
	size_t i, k;

	for (i = 0; p->items && i < p->n; i++) {
		for (k = 0; k < p->items[i].nfields; k++) {
			free(p->items[i].fields[k].before);
			free(p->items[i].fields[k].after);
		}
		free(p->items[i].fields);
		free(p->items[i].url);
	}
	free(p->items);
	memset(p, 0, sizeof *p);
}

int plan_target(const struct plan_item *item, struct webhook *out, char *err)
{
	const struct webhook *have = item->have;

	webhook_init(out);
	if (webhook_copy(out, item->want, err) < 0)
		return -1;
	if (item->action != PLAN_CHANGE)
		return 0;
	out->id = have->id;
	out->version = have->version;
	if (!out->enabled && !have->enabled && have->disabled_reason &&
	    !(out->disabled_reason = strdup(have->disabled_reason)))
		goto oom;
	/* A rotation's overlap belongs to the stored secret: it ends when the
	 * secret changes (as edit --secret ends it), else it runs on. */
	free(out->secret_previous);
	out->secret_previous = NULL;
	out->secret_previous_until = 0;
	if (have->secret_previous && out->secret && have->secret && strcmp(out->secret, have->secret) == 0) {
		if (!(out->secret_previous = strdup(have->secret_previous)))
			goto oom;
		out->secret_previous_until = have->secret_previous_until;
	}
	return 0;
oom:
	webhook_clear(out);
	err_oom(err, "plan");
	return -1;
}
