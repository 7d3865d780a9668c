#include "whdiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coalesce.h"
#include "credref.h"
#include "mask.h"
#include "rate.h"
#include "retry.h"
#include "sbuf.h"
#include "timefmt.h"

enum wf { F_NAME, F_URL, F_EVENTS, F_FORMAT, F_PAYLOAD, F_SECRET, F_PREVIOUS, F_HEADERS, F_ENABLED,
	  F_VERIFY_TLS, F_TIMEOUT, F_RATE, F_RETRY, F_COALESCE, F_COUNT };

static const char *const names[F_COUNT] = {
	"name", "url", "events", "format", "payload", "secret", "previous secret", "headers", "enabled",
	"verify TLS", "timeout", "rate", "retry schedule", "coalesce"
};

static void secret_text(struct sbuf *show, struct sbuf *key, const char *secret)
{
	char masked[64];

	mask_secret(secret, masked, sizeof masked);
	sbuf_append(show, secret ? masked : "none");
	sbuf_append(key, secret ? secret : "");
}

/* A field of wh twice: as shown (masked) in show, and in full with its
 * source in key, which is what two sides are compared by. */
static void describe(const struct webhook *wh, enum wf f, struct sbuf *show, struct sbuf *key)
{
	char masked[URL_MAX + 64];
	size_t i;

	switch (f) {
	case F_NAME:
		sbuf_append(show, wh->name ? wh->name : "");
		break;
	case F_URL:
		mask_url(wh->url ? wh->url : "", masked, sizeof masked);
		sbuf_append(show, masked);
		sbuf_append(key, wh->url ? wh->url : "");
		credref_note(show, wh, "url", NULL);
		credref_note(key, wh, "url", NULL);
		return;
	case F_EVENTS:
		for (i = 0; i < wh->nevents; i++)
			sbuf_appendf(show, "%s%s", i ? "," : "", wh->events[i]);
		if (!wh->nevents)
			sbuf_append(show, "none");
		break;
	case F_FORMAT:
		sbuf_append(show, format_name(wh->format));
		break;
	case F_PAYLOAD:
		/* The template is long and not secret: its size is shown, its
		 * text compared; render shows it whole. */
		sbuf_appendf(show, "%zu bytes", wh->payload ? strlen(wh->payload) : 0);
		sbuf_append(key, wh->payload ? wh->payload : "");
		return;
	case F_SECRET:
		secret_text(show, key, wh->secret);
		credref_note(show, wh, "secret", NULL);
		credref_note(key, wh, "secret", NULL);
		return;
	case F_PREVIOUS:
		/* Its end is part of it: a later end keeps an old secret valid. */
		secret_text(show, key, wh->secret_previous);
		if (wh->secret_previous) {
			char until[32];

			timefmt_utc(wh->secret_previous_until, TIMEFMT_FULL, until, sizeof until);
			sbuf_appendf(show, " until %s UTC", until);
			sbuf_appendf(key, "@%lld", wh->secret_previous_until);
		}
		return;
	case F_HEADERS:
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
	case F_ENABLED:
		sbuf_append(show, wh->enabled ? "yes" : "no");
		break;
	case F_VERIFY_TLS:
		sbuf_append(show, wh->verify_tls ? "yes" : "no");
		break;
	case F_TIMEOUT:
		sbuf_appendf(show, "%d s", wh->timeout);
		break;
	case F_RATE:
		rate_format(show, wh->rate_n, wh->rate_ms);
		break;
	case F_RETRY:
		retry_format_own(show, wh->retry_ms, wh->nretry);
		break;
	case F_COALESCE:
		coalesce_format(show, wh->coalesce_ms);
		break;
	case F_COUNT:
		break;
	}
	/* Every other field is shown whole: that text is its value. */
	sbuf_append(key, sbuf_text(show));
}

int whdiff_compute(const struct webhook *a, const struct webhook *b, unsigned flags, struct whdiff *d)
{
	enum wf f;

	memset(d, 0, sizeof *d);
	for (f = 0; f < F_COUNT; f++) {
		struct sbuf show[2], key[2];
		int k, failed = 0, differ;

		if (f == F_PREVIOUS && !(flags & WHDIFF_PREVIOUS_SECRET))
			continue;
		for (k = 0; k < 2; k++) {
			sbuf_init(&show[k]);
			sbuf_init(&key[k]);
			describe(k ? b : a, f, &show[k], &key[k]);
			failed |= show[k].failed || key[k].failed;
		}
		differ = !failed && strcmp(sbuf_text(&key[0]), sbuf_text(&key[1])) != 0;
		if (differ && strcmp(sbuf_text(&show[0]), sbuf_text(&show[1])) == 0)
			failed |= sbuf_append(&show[1], " (another value)") < 0;
		sbuf_release(&key[0]);
		sbuf_release(&key[1]);
		if (differ && !failed) {
			struct whdiff_item *it = &d->item[d->n++];

			it->field = names[f];
			it->from = sbuf_take(&show[0]);
			it->to = sbuf_take(&show[1]);
			failed = !it->from || !it->to;
		}
		sbuf_release(&show[0]);
		sbuf_release(&show[1]);
		if (failed) {
			whdiff_free(d);
			return -1;
		}
	}
	return 0;
}

void whdiff_fields(const struct whdiff *d, char *out, size_t size)
{
	struct sbuf t;
	size_t i;

	sbuf_init(&t);
	for (i = 0; i < d->n; i++)
		sbuf_appendf(&t, "%s%s", i ? ", " : "", d->item[i].field);
	snprintf(out, size, "%s", t.failed ? "" : sbuf_text(&t));
	sbuf_release(&t);
}

void whdiff_free(struct whdiff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->item[i].from);
		free(d->item[i].to);
	}
	memset(d, 0, sizeof *d);
}
