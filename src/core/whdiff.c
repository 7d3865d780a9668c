#include "whdiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coalesce.h"
#include "mask.h"
#include "rate.h"
#include "sbuf.h"

/* One field's value as text, appended to out. */
typedef void (*value_fn)(struct sbuf *out, const struct webhook *wh);

static void v_name(struct sbuf *out, const struct webhook *wh)
{
	sbuf_append(out, wh->name ? wh->name : "");
}

static void v_url(struct sbuf *out, const struct webhook *wh)
{
	char url[URL_MAX + 64];

	mask_url(wh->url ? wh->url : "", url, sizeof url);
	sbuf_append(out, url);
}

static void v_list(struct sbuf *out, char *const *items, size_t n, int headers)
{
	size_t i;

	if (n == 0)
		sbuf_append(out, "none");
	for (i = 0; i < n; i++) {
		if (i)
			sbuf_append(out, headers ? "; " : ", ");
		if (headers)
			mask_header_line(out, items[i]);
		else
			sbuf_append(out, items[i]);
	}
}

static void v_events(struct sbuf *out, const struct webhook *wh)
{
	v_list(out, wh->events, wh->nevents, 0);
}

static void v_format(struct sbuf *out, const struct webhook *wh)
{
	sbuf_append(out, format_name(wh->format));
}

static void v_payload(struct sbuf *out, const struct webhook *wh)
{
	sbuf_appendf(out, "%zu bytes", wh->payload ? strlen(wh->payload) : 0);
}

static void secret_text(struct sbuf *out, const char *secret)
{
	char masked[64];

	mask_secret(secret, masked, sizeof masked);
	sbuf_append(out, *masked ? masked : "none");
}

static void v_secret(struct sbuf *out, const struct webhook *wh)
{
	secret_text(out, wh->secret);
}

static void v_previous(struct sbuf *out, const struct webhook *wh)
{
	secret_text(out, wh->secret_previous);
}

static void v_headers(struct sbuf *out, const struct webhook *wh)
{
	v_list(out, wh->headers, wh->nheaders, 1);
}

static void v_enabled(struct sbuf *out, const struct webhook *wh)
{
	sbuf_append(out, wh->enabled ? "yes" : "no");
}

static void v_tls(struct sbuf *out, const struct webhook *wh)
{
	sbuf_append(out, wh->verify_tls ? "yes" : "no");
}

static void v_timeout(struct sbuf *out, const struct webhook *wh)
{
	sbuf_appendf(out, "%ds", wh->timeout);
}

static void v_rate(struct sbuf *out, const struct webhook *wh)
{
	if (wh->rate_n)
		rate_format(out, wh->rate_n, wh->rate_ms);
	else
		sbuf_append(out, "none");
}

static void v_retry(struct sbuf *out, const struct webhook *wh)
{
	if (wh->nretry)
		retry_format_own(out, wh->retry_ms, wh->nretry);
	else
		sbuf_append(out, "default");
}

static void v_coalesce(struct sbuf *out, const struct webhook *wh)
{
	if (wh->coalesce_ms)
		coalesce_format(out, wh->coalesce_ms);
	else
		sbuf_append(out, "none");
}

/* Two values that mask alike can still differ (two secrets ending alike,
 * two payloads of one size): the raw values decide. */
static int same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

typedef int (*same_fn)(const struct webhook *a, const struct webhook *b);

static int s_name(const struct webhook *a, const struct webhook *b) { return same_text(a->name, b->name); }
static int s_url(const struct webhook *a, const struct webhook *b) { return same_text(a->url, b->url); }
static int s_format(const struct webhook *a, const struct webhook *b) { return a->format == b->format; }
static int s_payload(const struct webhook *a, const struct webhook *b) { return same_text(a->payload, b->payload); }
static int s_secret(const struct webhook *a, const struct webhook *b) { return same_text(a->secret, b->secret); }
static int s_enabled(const struct webhook *a, const struct webhook *b) { return !a->enabled == !b->enabled; }
static int s_tls(const struct webhook *a, const struct webhook *b) { return !a->verify_tls == !b->verify_tls; }
static int s_timeout(const struct webhook *a, const struct webhook *b) { return a->timeout == b->timeout; }
static int s_coalesce(const struct webhook *a, const struct webhook *b) { return a->coalesce_ms == b->coalesce_ms; }

static int s_events(const struct webhook *a, const struct webhook *b)
{
	return same_list(a->events, a->nevents, b->events, b->nevents);
}

static int s_previous(const struct webhook *a, const struct webhook *b)
{
	return same_text(a->secret_previous, b->secret_previous);
}

static int s_headers(const struct webhook *a, const struct webhook *b)
{
	return same_list(a->headers, a->nheaders, b->headers, b->nheaders);
}

static int s_rate(const struct webhook *a, const struct webhook *b)
{
	return a->rate_n == b->rate_n && (!a->rate_n || a->rate_ms == b->rate_ms);
}

static int s_retry(const struct webhook *a, const struct webhook *b)
{
	return a->nretry == b->nretry &&
	       (!a->nretry || memcmp(a->retry_ms, b->retry_ms, a->nretry * sizeof a->retry_ms[0]) == 0);
}

static const struct {
	const char *name;
	same_fn same;
	value_fn value;
} fields[] = {
	{ "name", s_name, v_name }, { "url", s_url, v_url }, { "events", s_events, v_events },
	{ "format", s_format, v_format }, { "payload", s_payload, v_payload },
	{ "secret", s_secret, v_secret }, { "previous secret", s_previous, v_previous },
	{ "headers", s_headers, v_headers }, { "enabled", s_enabled, v_enabled },
	{ "verify_tls", s_tls, v_tls }, { "timeout", s_timeout, v_timeout }, { "rate", s_rate, v_rate },
	{ "retry_schedule", s_retry, v_retry }, { "coalesce", s_coalesce, v_coalesce },
};

static char *value_text(size_t i, const struct webhook *wh)
{
	struct sbuf out;

	sbuf_init(&out);
	fields[i].value(&out, wh);
	if (out.failed) {
		sbuf_release(&out);
		return NULL;
	}
	return sbuf_take(&out);
}

int whdiff_compute(const struct webhook *a, const struct webhook *b, struct whdiff *d)
{
	size_t i;

	memset(d, 0, sizeof *d);
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		struct whdiff_item *it;

		if (fields[i].same(a, b))
			continue;
		it = &d->item[d->n++];
		it->field = fields[i].name;
		it->from = value_text(i, a);
		it->to = value_text(i, b);
		if (!it->from || !it->to) {
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
