#include "plan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coalesce.h"
#include "credref.h"
#include "err.h"
#include "mask.h"
#include "rate.h"
#include "retry.h"
#include "sbuf.h"

enum pf { PF_NAME, PF_URL, PF_EVENTS, PF_FORMAT, PF_PAYLOAD, PF_SECRET, PF_HEADERS, PF_ENABLED,
	  PF_VERIFY_TLS, PF_TIMEOUT, PF_RATE, PF_RETRY, PF_COALESCE, PF_COUNT };

static const char *const pf_names[PF_COUNT] = {
	"name", "url", "events", "format", "payload", "secret", "headers", "enabled", "verify TLS",
	"timeout", "rate", "retry schedule", "coalesce"
};

/* A field of wh twice: as shown (masked) in show, and in full with its
 * source in key, which is what two sides are compared by. */
static void describe(const struct webhook *wh, enum pf f, struct sbuf *show, struct sbuf *key)
{
	char masked[URL_MAX + 64];
	size_t i;

	switch (f) {
	case PF_NAME:
		sbuf_append(show, wh->name);
		break;
	case PF_URL:
		mask_url(wh->url, masked, sizeof masked);
		sbuf_append(show, masked);
		sbuf_append(key, wh->url);
		credref_note(show, wh, "url", NULL);
		credref_note(key, wh, "url", NULL);
		return;
	case PF_EVENTS:
		for (i = 0; i < wh->nevents; i++)
			sbuf_appendf(show, "%s%s", i ? "," : "", wh->events[i]);
		if (!wh->nevents)
			sbuf_append(show, "none");
		break;
	case PF_FORMAT:
		sbuf_append(show, format_name(wh->format));
		break;
	case PF_PAYLOAD:
		/* The template is long and not secret: its size is shown, its
		 * text compared; render shows it whole. */
		sbuf_appendf(show, "%zu bytes", strlen(wh->payload));
		sbuf_append(key, wh->payload);
		return;
	case PF_SECRET:
		mask_secret(wh->secret, masked, sizeof masked);
		sbuf_append(show, wh->secret ? masked : "none");
		sbuf_append(key, wh->secret ? wh->secret : "");
		credref_note(show, wh, "secret", NULL);
		credref_note(key, wh, "secret", NULL);
		return;
	case PF_HEADERS:
		for (i = 0; i < wh->nheaders; i++) {
			const char *colon = strchr(wh->headers[i], ':');
			char *name = colon ? strndup(wh->headers[i], (size_t)(colon - wh->headers[i])) : NULL;

			sbuf_append(show, i ? "; " : "");
			mask_header_line(show, wh->headers[i]);
			sbuf_appendf(key, "%s\n", wh->headers[i]);
			if (name) {
				credref_note(show, wh, "headers", name);
				credref_note(key, wh, "headers", name);
			}
			free(name);
		}
		if (!wh->nheaders)
			sbuf_append(show, "none");
		return;
	case PF_ENABLED:
		sbuf_append(show, wh->enabled ? "yes" : "no");
		break;
	case PF_VERIFY_TLS:
		sbuf_append(show, wh->verify_tls ? "yes" : "no");
		break;
	case PF_TIMEOUT:
		sbuf_appendf(show, "%d s", wh->timeout);
		break;
	case PF_RATE:
		rate_format(show, wh->rate_n, wh->rate_ms);
		break;
	case PF_RETRY:
		retry_format_own(show, wh->retry_ms, wh->nretry);
		break;
	case PF_COALESCE:
		coalesce_format(show, wh->coalesce_ms);
		break;
	case PF_COUNT:
		break;
	}
	/* Every other field is shown whole: that text is its value. */
	sbuf_append(key, sbuf_text(show));
}

/* Add to item every field in which want and have differ. 0 or -1 (memory). */
static int diff_fields(struct plan_item *item)
{
	enum pf f;

	item->fields = calloc(PF_COUNT, sizeof *item->fields);
	if (!item->fields)
		return -1;
	for (f = 0; f < PF_COUNT; f++) {
		struct sbuf show[2], key[2];
		struct plan_field *pf;
		int k, failed = 0, differ;

		for (k = 0; k < 2; k++) {
			sbuf_init(&show[k]);
			sbuf_init(&key[k]);
			describe(k ? item->want : item->have, f, &show[k], &key[k]);
			failed |= show[k].failed || key[k].failed;
		}
		differ = !failed && strcmp(sbuf_text(&key[0]), sbuf_text(&key[1])) != 0;
		/* Two values may mask alike: say that the value is another one. */
		if (differ && strcmp(sbuf_text(&show[0]), sbuf_text(&show[1])) == 0)
			failed |= sbuf_append(&show[1], " (another value)") < 0;
		sbuf_release(&key[0]);
		sbuf_release(&key[1]);
		if (differ && !failed) {
			pf = &item->fields[item->nfields];
			pf->field = pf_names[f];
			pf->before = sbuf_take(&show[0]);
			pf->after = sbuf_take(&show[1]);
			item->nfields++;
			failed = !pf->before || !pf->after;
		}
		sbuf_release(&show[0]);
		sbuf_release(&show[1]);
		if (failed)
			return -1;
	}
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
