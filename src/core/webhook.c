#include "webhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "duration.h"
#include "header.h"
#include "mask.h"
#include "coalesce.h"
#include "rate.h"
#include "sbuf.h"
#include "secret.h"
#include "template.h"
#include "utf8.h"

static const char *const field_names[WF_COUNT] = {
	"name", "url", "events", "format", "payload", "secret", "headers", "timeout", "rate",
	"retry schedule", "coalesce window"
};

const char *webhook_field_name(enum webhook_field f)
{
	return field_names[f];
}

void webhook_init(struct webhook *wh)
{
	memset(wh, 0, sizeof *wh);
	wh->enabled = 1;
	wh->verify_tls = 1;
	wh->timeout = TIMEOUT_DEFAULT;
	wh->format = FORMAT_DEFAULT;
}

static void free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void webhook_clear(struct webhook *wh)
{
	free(wh->name);
	free(wh->url);
	free(wh->payload);
	free(wh->secret);
	free(wh->secret_previous);
	free(wh->disabled_reason);
	free(wh->refs);
	free_list(wh->events, wh->nevents);
	free_list(wh->headers, wh->nheaders);
	webhook_init(wh);
}

static int dup_str(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

static int dup_list(char ***dst, char *const *src, size_t n)
{
	size_t i;

	*dst = NULL;
	if (n == 0)
		return 0;
	*dst = calloc(n, sizeof **dst);
	if (!*dst)
		return -1;
	for (i = 0; i < n; i++)
		if (dup_str(&(*dst)[i], src[i]) < 0)
			return -1;
	return 0;
}

int webhook_copy(struct webhook *dst, const struct webhook *src, char *err)
{
	*dst = *src;
	dst->name = dst->url = dst->payload = dst->secret = dst->disabled_reason = NULL;
	dst->secret_previous = dst->refs = NULL;
	dst->events = dst->headers = NULL;
	dst->nevents = dst->nheaders = 0;
	if (dup_str(&dst->name, src->name) < 0 || dup_str(&dst->url, src->url) < 0 ||
	    dup_str(&dst->payload, src->payload) < 0 || dup_str(&dst->secret, src->secret) < 0 ||
	    dup_str(&dst->disabled_reason, src->disabled_reason) < 0 ||
	    dup_str(&dst->secret_previous, src->secret_previous) < 0 || dup_str(&dst->refs, src->refs) < 0)
		goto fail;
	dst->nevents = src->nevents;
	if (dup_list(&dst->events, src->events, src->nevents) < 0)
		goto fail;
	dst->nheaders = src->nheaders;
	if (dup_list(&dst->headers, src->headers, src->nheaders) < 0)
		goto fail;
	return 0;
fail:
	webhook_clear(dst);
	err_oom(err, "webhook");
	return -1;
}

int webhook_check_name(const char *name, char *err)
{
	size_t len, bad, i = 0, n, at = 1;
	long count;
	unsigned cp;

	if (!name || !*name) {
		err_setk(err, ERR_INVALID, "name is empty; give the webhook a descriptive name");
		return -1;
	}
	len = strlen(name);
	count = utf8_check(name, len, &bad);
	if (count < 0) {
		err_setk(err, ERR_INVALID, "name is not valid UTF-8 (bad byte at offset %zu)", bad);
		return -1;
	}
	if (count > NAME_MAX_CHARS) {
		err_setk(err, ERR_INVALID, "name is %ld characters; the limit is %d", count, NAME_MAX_CHARS);
		return -1;
	}
	/* at counts characters: the position an operator sees. */
	for (; i < len; i += n, at++) {
		n = utf8_decode(name + i, len - i, &cp);
		if (utf8_is_control(cp)) {
			err_setk(err, ERR_INVALID, "name has a control character (U+%04X) at character %zu; use printable characters only",
				cp, at);
			return -1;
		}
		/* Names are what an operator reads before rm, edit or fire:
		 * a character that reorders the text could make one name pass
		 * for another. Right-to-left letters themselves are fine. */
		if (utf8_is_bidi_control(cp)) {
			err_setk(err, ERR_INVALID, "name has a bidirectional control character (U+%04X) at character %zu; it can make the name display as a different one, so remove it",
				cp, at);
			return -1;
		}
		if (utf8_is_invisible(cp)) {
			err_setk(err, ERR_INVALID, "name has an invisible character (U+%04X) at character %zu; a name with it reads as one without it, so remove it",
				cp, at);
			return -1;
		}
	}
	if (name[0] == ' ' || name[len - 1] == ' ') {
		err_setk(err, ERR_INVALID, "name starts or ends with a space; remove it");
		return -1;
	}
	return 0;
}

static int check_port(const char *p, size_t n, char *err)
{
	size_t i;
	long port = 0;

	if (n == 0 || n > 5)
		goto bad;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			goto bad;
		port = port * 10 + (p[i] - '0');
	}
	if (port >= 1 && port <= 65535)
		return 0;
bad:
	err_setk(err, ERR_INVALID, "URL port \"%.*s\" is not a number from 1 to 65535", (int)n, p);
	return -1;
}

int webhook_check_url(const char *url, char *err)
{
	const char *rest, *auth_end, *host, *host_end, *at;
	size_t len, i;

	if (!url || !*url) {
		err_setk(err, ERR_INVALID, "URL is empty; give the receiver's http:// or https:// address");
		return -1;
	}
	len = strlen(url);
	if (len > URL_MAX) {
		err_setk(err, ERR_INVALID, "URL is %zu bytes; the limit is %d", len, URL_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];

		if (c == ' ') {
			err_setk(err, ERR_INVALID, "URL has a space at position %zu; encode it as %%20", i + 1);
			return -1;
		}
		if (c < 0x20 || c == 0x7F) {
			err_setk(err, ERR_INVALID, "URL has a control character (0x%02X) at position %zu", c, i + 1);
			return -1;
		}
		if (c >= 0x80) {
			err_setk(err, ERR_INVALID, "URL has a non-ASCII character at position %zu; percent-encode the path and use the punycode (xn--) form of the host",
				i + 1);
			return -1;
		}
	}
	if (strncasecmp(url, "https://", 8) == 0) {
		rest = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		rest = url + 7;
	} else {
		const char *sep = strstr(url, "://");

		if (sep)
			err_setk(err, ERR_INVALID, "URL scheme \"%.*s\" is not allowed; only http:// and https://",
				(int)(sep - url), url);
		else
			/* Quote the host part only: the rest may be a token. */
			err_setk(err, ERR_INVALID, "URL \"%.*s…\" has no scheme; write it as https://host/path",
				(int)(strcspn(url, "/?#@") > 60 ? 60 : strcspn(url, "/?#@")), url);
		return -1;
	}
	auth_end = rest + strcspn(rest, "/?#");
	at = NULL;
	for (host = rest; host < auth_end; host++)
		if (*host == '@')
			at = host;
	host = at ? at + 1 : rest;
	if (*host == '[') {
		host_end = memchr(host, ']', (size_t)(auth_end - host));
		if (!host_end || host_end == host + 1) {
			err_setk(err, ERR_INVALID, "URL has an unterminated or empty [IPv6] host");
			return -1;
		}
		host_end++;
	} else {
		host_end = memchr(host, ':', (size_t)(auth_end - host));
		if (!host_end)
			host_end = auth_end;
	}
	if (host_end == host) {
		err_setk(err, ERR_INVALID, "URL has no host; write it as %.*shost/path", (int)(rest - url), url);
		return -1;
	}
	if (host_end < auth_end) {
		if (*host_end != ':') {
			err_setk(err, ERR_INVALID, "URL host is followed by \"%c\"; expected ':port' or a path", *host_end);
			return -1;
		}
		if (check_port(host_end + 1, (size_t)(auth_end - host_end - 1), err) < 0)
			return -1;
	}
	return 0;
}

int webhook_check_events(char *const *events, size_t n, const struct catalog *cat, char *err)
{
	size_t i;

	if (n == 0) {
		err_setk(err, ERR_INVALID, "no events chosen; subscribe to at least one (see 'hookman events')");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!catalog_find(cat, events[i])) {
			err_setk(err, ERR_INVALID, "unknown event \"%s\" (see 'hookman events' for the catalog)", events[i]);
			return -1;
		}
	return 0;
}

int webhook_check_format(enum format f, char *const *events, size_t n,
			 const struct catalog *cat, char *err)
{
	const struct catalog_event *ce;
	size_t i;

	if (f != FORMAT_JIRA)
		return 0;
	for (i = 0; i < n; i++) {
		ce = catalog_find(cat, events[i]);
		if (ce && !catalog_group(cat, ce->group)->jira) {
			err_setk(err, ERR_INVALID, "jira formatting is only for Detection and Detection Group events, but \"%s\" (%s) is chosen; use default or slack, or drop that event",
				ce->id, catalog_group(cat, ce->group)->name);
			return -1;
		}
	}
	return 0;
}

int webhook_check_payload(const char *payload, char *err)
{
	struct template_verdict v;

	if (!payload) {
		err_setk(err, ERR_INVALID, "payload is empty; give a JSON object with $Title and $Event, or pick a preset");
		return -1;
	}
	return template_check(payload, strlen(payload), &v, err);
}

static int check_headers(const struct webhook *wh, char *err)
{
	size_t i;

	if (wh->nheaders > HEADERS_MAX) {
		err_setk(err, ERR_INVALID, "%zu custom headers; the limit is %d", wh->nheaders, HEADERS_MAX);
		return -1;
	}
	for (i = 0; i < wh->nheaders; i++)
		if (header_parse(wh->headers[i], NULL, NULL, err) < 0)
			return -1;
	return 0;
}

size_t webhook_validate(const struct webhook *wh, const struct catalog *cat,
			struct webhook_problem *probs, size_t max)
{
	char err[ERR_MAX];
	size_t count = 0;
	int f;

	for (f = 0; f < WF_COUNT; f++) {
		int bad = 0;

		switch ((enum webhook_field)f) {
		case WF_NAME: bad = webhook_check_name(wh->name, err); break;
		case WF_URL: bad = webhook_check_url(wh->url, err); break;
		case WF_EVENTS: bad = webhook_check_events(wh->events, wh->nevents, cat, err); break;
		case WF_FORMAT: bad = webhook_check_format(wh->format, wh->events, wh->nevents, cat, err); break;
		case WF_PAYLOAD: bad = webhook_check_payload(wh->payload, err); break;
		case WF_SECRET: bad = wh->secret ? secret_check(wh->secret, err) : 0; break;
		case WF_HEADERS: bad = check_headers(wh, err); break;
		case WF_TIMEOUT: bad = duration_check_timeout(wh->timeout, err); break;
		case WF_RATE: bad = rate_check(wh->rate_n, wh->rate_ms, err); break;
		case WF_RETRY: bad = retry_check_own(wh->retry_ms, wh->nretry, err); break;
		case WF_COALESCE: bad = coalesce_check(wh->coalesce_ms, err); break;
		default: break;
		}
		if (bad < 0) {
			if (count < max) {
				probs[count].field = (enum webhook_field)f;
				memcpy(probs[count].msg, err, ERR_MAX);
			}
			count++;
		}
	}
	return count;
}

int webhook_check(const struct webhook *wh, const struct catalog *cat, char *err)
{
	struct webhook_problem p;

	if (webhook_validate(wh, cat, &p, 1) == 0)
		return 0;
	err_setk(err, ERR_INVALID, "%s", p.msg);
	return -1;
}

/* The error for an item of --events that is neither an id, a group nor
 * "all": name it and list what would do. */
static void unknown_event(const char *item, const struct catalog *cat, char *err)
{
	char *groups = catalog_group_ids(cat, ", ");

	if (!groups) {
		err_oom(err, "events");
		return;
	}
	err_setk(err, ERR_INVALID, "unknown event \"%s\"; use event ids (see 'hookman events'), groups (%s) or all",
		item, groups);
	free(groups);
}

int webhook_set_events(struct webhook *wh, const char *csv, const struct catalog *cat, char *err)
{
	size_t n = catalog_count(cat), i, count = 0;
	char *chosen = calloc(n ? n : 1, 1), **list = NULL;
	const char *p = csv;

	if (!chosen) {
		err_oom(err, "events");
		return -1;
	}
	while (*p) {
		size_t len = strcspn(p, ",");
		char id[128];
		long idx;

		if (len == 0 || len >= sizeof id) {
			err_setk(err, ERR_INVALID, len ? "event id \"%.20s…\" is too long" :
				"empty event id in \"%s\"; separate ids with single commas", len ? p : csv);
			goto fail;
		}
		memcpy(id, p, len);
		id[len] = '\0';
		/* An event id first: event ids have a dot and group ids none,
		 * so only an id without a dot (none in data/events.json) could
		 * also be a group id, and then the one event is meant. */
		idx = catalog_index(cat, id);
		if (idx >= 0)
			chosen[idx] = 1;
		else if (strcmp(id, "all") == 0)
			memset(chosen, 1, n);
		else if (catalog_select_group(cat, id, chosen) == 0) {
			unknown_event(id, cat, err);
			goto fail;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	for (i = 0; i < n; i++)
		count += chosen[i];
	if (count == 0) {
		err_setk(err, ERR_INVALID, "no events chosen; subscribe to at least one (see 'hookman events')");
		goto fail;
	}
	list = calloc(count, sizeof *list);
	if (!list) {
		err_oom(err, "events");
		goto fail;
	}
	for (count = 0, i = 0; i < n; i++) {
		if (!chosen[i])
			continue;
		list[count] = strdup(catalog_event(cat, i)->id);
		if (!list[count]) {
			free_list(list, count);
			err_oom(err, "events");
			goto fail;
		}
		count++;
	}
	free_list(wh->events, wh->nevents);
	wh->events = list;
	wh->nevents = count;
	free(chosen);
	return 0;
fail:
	free(chosen);
	return -1;
}

int webhook_add_header(struct webhook *wh, const char *line, char *err)
{
	char *norm, **grown;

	if (wh->nheaders >= HEADERS_MAX) {
		err_setk(err, ERR_INVALID, "too many custom headers; the limit is %d", HEADERS_MAX);
		return -1;
	}
	norm = header_normalize(line, err);
	if (!norm)
		return -1;
	grown = realloc(wh->headers, (wh->nheaders + 1) * sizeof *grown);
	if (!grown) {
		free(norm);
		err_oom(err, "headers");
		return -1;
	}
	grown[wh->nheaders++] = norm;
	wh->headers = grown;
	return 0;
}

static json_t *string_array(char *const *list, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(list[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* The headers as stored, or with credential values masked. */
static json_t *headers_json(const struct webhook *wh, int reveal)
{
	json_t *a;
	size_t i;

	if (reveal)
		return string_array(wh->headers, wh->nheaders);
	a = json_array();
	for (i = 0; a && i < wh->nheaders; i++) {
		struct sbuf line;
		int rc;

		sbuf_init(&line);
		mask_header_line(&line, wh->headers[i]);
		rc = line.failed ? -1 : json_array_append_new(a, json_string(sbuf_text(&line)));
		sbuf_release(&line);
		if (rc < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* o[key] = text (taken from the builder), or -1 when memory ran out. */
static int set_built(json_t *o, const char *key, struct sbuf *text)
{
	int rc = text->failed ? -1 : json_object_set_new(o, key, json_string(sbuf_text(text)));

	sbuf_release(text);
	return rc;
}

json_t *webhook_to_json(const struct webhook *wh, int reveal)
{
	char url[URL_MAX + 64], secret[64];
	struct sbuf text;
	json_t *o;

	if (reveal) {
		snprintf(url, sizeof url, "%s", wh->url ? wh->url : "");
		snprintf(secret, sizeof secret, "%s", wh->secret ? wh->secret : "");
	} else {
		mask_url(wh->url ? wh->url : "", url, sizeof url);
		mask_secret(wh->secret, secret, sizeof secret);
	}
	o = json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:b, s:b, s:i}",
		      "name", wh->name ? wh->name : "", "url", url,
		      "events", string_array(wh->events, wh->nevents),
		      "format", format_name(wh->format), "payload", wh->payload ? wh->payload : "",
		      "headers", headers_json(wh, reveal),
		      "enabled", wh->enabled, "verify_tls", wh->verify_tls, "timeout", wh->timeout);
	if (!o)
		return NULL;
	if (*secret && json_object_set_new(o, "secret", json_string(secret)) < 0)
		goto fail;
	if (wh->secret_previous) {
		if (reveal)
			snprintf(secret, sizeof secret, "%s", wh->secret_previous);
		else
			mask_secret(wh->secret_previous, secret, sizeof secret);
		if (json_object_set_new(o, "secret_previous", json_string(secret)) < 0 ||
		    json_object_set_new(o, "secret_previous_until", json_integer(wh->secret_previous_until)) < 0)
			goto fail;
	}
	if (wh->disabled_reason &&
	    json_object_set_new(o, "disabled_reason", json_string(wh->disabled_reason)) < 0)
		goto fail;
	sbuf_init(&text);
	if (wh->rate_n) {
		rate_format(&text, wh->rate_n, wh->rate_ms);
		if (set_built(o, "rate", &text) < 0)
			goto fail;
	}
	if (wh->nretry) {
		retry_format_own(&text, wh->retry_ms, wh->nretry);
		if (set_built(o, "retry_schedule", &text) < 0)
			goto fail;
	}
	if (wh->coalesce_ms) {
		coalesce_format(&text, wh->coalesce_ms);
		if (set_built(o, "coalesce", &text) < 0)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static int get_string(const json_t *j, const char *key, char **dst, int required, char *err)
{
	json_t *v = json_object_get(j, key);

	if (!v || json_is_null(v)) {
		if (required) {
			err_setk(err, ERR_INVALID, "\"%s\" is missing", key);
			return -1;
		}
		return 0;
	}
	if (!json_is_string(v)) {
		err_setk(err, ERR_INVALID, "\"%s\" must be a string", key);
		return -1;
	}
	free(*dst);
	*dst = strdup(json_string_value(v));
	if (!*dst) {
		err_oom(err, key);
		return -1;
	}
	return 0;
}

static int get_bool(const json_t *j, const char *key, int *dst, char *err)
{
	json_t *v = json_object_get(j, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		err_setk(err, ERR_INVALID, "\"%s\" must be true or false", key);
		return -1;
	}
	*dst = json_is_true(v);
	return 0;
}

static int get_list(const json_t *j, const char *key, char ***list, size_t *n, char *err)
{
	json_t *v = json_object_get(j, key), *e;
	size_t i;

	if (!v)
		return 0;
	if (!json_is_array(v)) {
		err_setk(err, ERR_INVALID, "\"%s\" must be an array of strings", key);
		return -1;
	}
	json_array_foreach(v, i, e)
		if (!json_is_string(e)) {
			err_setk(err, ERR_INVALID, "\"%s\" item %zu must be a string", key, i + 1);
			return -1;
		}
	free_list(*list, *n);
	*list = NULL;
	*n = 0;
	if (json_array_size(v) == 0)
		return 0;
	*list = calloc(json_array_size(v), sizeof **list);
	if (!*list) {
		err_oom(err, key);
		return -1;
	}
	json_array_foreach(v, i, e) {
		(*list)[i] = strdup(json_string_value(e));
		if (!(*list)[i]) {
			err_oom(err, key);
			return -1;
		}
		(*n)++;
	}
	return 0;
}

/* "rate": "5/s" (absent or null: none), read as --rate reads it. */
static int get_rate(const json_t *j, struct webhook *wh, char *err)
{
	json_t *v = json_object_get(j, "rate");

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		err_setk(err, ERR_INVALID, "\"rate\" must be a string such as \"10/s\"");
		return -1;
	}
	return rate_parse(json_string_value(v), &wh->rate_n, &wh->rate_ms, err);
}

/* "retry_schedule": "10s,1m,10m" (absent or null: the global schedule). */
static int get_schedule(const json_t *j, struct webhook *wh, char *err)
{
	json_t *v = json_object_get(j, "retry_schedule");

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		err_setk(err, ERR_INVALID, "\"retry_schedule\" must be a string such as \"10s,1m,10m\"");
		return -1;
	}
	return retry_parse_own(json_string_value(v), wh->retry_ms, &wh->nretry, err);
}

/* "secret_previous" and "secret_previous_until" (unix ms), both or
 * neither: the secret still signing after a rotation (rotate.h). */
static int get_previous(const json_t *j, struct webhook *wh, char *err)
{
	json_t *until = json_object_get(j, "secret_previous_until");
	char why[ERR_MAX];

	if (get_string(j, "secret_previous", &wh->secret_previous, 0, err) < 0)
		return -1;
	if (!wh->secret_previous && !until)
		return 0;
	if (!wh->secret_previous || !json_is_integer(until) || json_integer_value(until) <= 0) {
		err_setk(err, ERR_INVALID, "\"secret_previous\" and \"secret_previous_until\" (unix ms, a whole "
			 "number) go together; give both or neither");
		return -1;
	}
	if (secret_check(wh->secret_previous, why) < 0) {
		err_setk(err, ERR_INVALID, "\"secret_previous\": %s", why);
		return -1;
	}
	wh->secret_previous_until = json_integer_value(until);
	return 0;
}

/* "coalesce": "5m" (absent or null: none), read as --coalesce reads it. */
static int get_coalesce(const json_t *j, struct webhook *wh, char *err)
{
	json_t *v = json_object_get(j, "coalesce");

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		err_setk(err, ERR_INVALID, "\"coalesce\" must be a string such as \"5m\"");
		return -1;
	}
	return coalesce_parse(json_string_value(v), &wh->coalesce_ms, err);
}

/* A key an entry may have: what webhook_to_json writes. One misspelt
 * ("enabeld") would otherwise be dropped without a word, and a file that
 * is the configuration would not say what it says. */
static int known_keys(const json_t *j, char *err)
{
	static const char *const keys[] = {
		"name", "url", "events", "format", "payload", "secret", "headers", "enabled", "verify_tls",
		"timeout", "rate", "retry_schedule", "coalesce", "secret_previous", "secret_previous_until",
		"disabled_reason",
	};
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)j, key, v) {
		for (i = 0; i < sizeof keys / sizeof keys[0] && strcmp(key, keys[i]) != 0; i++)
			;
		if (i == sizeof keys / sizeof keys[0]) {
			err_setk(err, ERR_INVALID, "unknown key \"%.60s\"; an entry's keys are name, url, events, "
				 "format, payload, secret, headers, enabled, verify_tls, timeout, rate, retry_schedule, "
				 "coalesce (and secret_previous, secret_previous_until as an export writes them)", key);
			return -1;
		}
	}
	return 0;
}

int webhook_from_json(struct webhook *wh, const json_t *j, char *err)
{
	json_t *v;
	json_int_t t;
	char *fmt = NULL;
	int rc;

	if (!json_is_object(j)) {
		err_setk(err, ERR_INVALID, "must be a JSON object");
		return -1;
	}
	if (known_keys(j, err) < 0)
		return -1;
	if (get_string(j, "name", &wh->name, 1, err) < 0 || get_string(j, "url", &wh->url, 1, err) < 0 ||
	    get_string(j, "secret", &wh->secret, 0, err) < 0 ||
	    get_bool(j, "enabled", &wh->enabled, err) < 0 ||
	    get_bool(j, "verify_tls", &wh->verify_tls, err) < 0 ||
	    get_list(j, "events", &wh->events, &wh->nevents, err) < 0 ||
	    get_list(j, "headers", &wh->headers, &wh->nheaders, err) < 0)
		return -1;
	v = json_object_get(j, "payload");
	if (json_is_object(v)) {
		free(wh->payload);
		wh->payload = json_dumps(v, JSON_INDENT(2));
		if (!wh->payload) {
			err_oom(err, "payload");
			return -1;
		}
	} else if (get_string(j, "payload", &wh->payload, 1, err) < 0) {
		return -1;
	}
	v = json_object_get(j, "timeout");
	if (v) {
		if (!json_is_integer(v)) {
			err_setk(err, ERR_INVALID, "\"timeout\" must be a whole number of seconds");
			return -1;
		}
		t = json_integer_value(v);
		if (duration_check_timeout(t, err) < 0)
			return -1;
		wh->timeout = (int)t;
	}
	if (get_string(j, "format", &fmt, 0, err) < 0)
		return -1;
	rc = fmt ? format_parse(fmt, &wh->format, err) : 0;
	free(fmt);
	if (rc < 0 || get_rate(j, wh, err) < 0 || get_schedule(j, wh, err) < 0 || get_coalesce(j, wh, err) < 0 ||
	    get_previous(j, wh, err) < 0)
		return -1;
	return 0;
}

void webhook_events_summary(const struct webhook *wh, const struct catalog *cat,
			    char *out, size_t size)
{
	const struct catalog_event *first;
	const struct catalog_group *g;
	size_t groups = 0, gi, i, in_first = 0;
	long last = -1;
	struct sbuf text;

	if (wh->nevents == 0) {
		snprintf(out, size, "none");
		return;
	}
	if (wh->nevents == catalog_count(cat)) {
		snprintf(out, size, "all (%zu)", wh->nevents);
		return;
	}
	/* Count the groups touched: "Audit" reads better than eight ids. */
	for (i = 0; i < wh->nevents; i++) {
		const struct catalog_event *ce = catalog_find(cat, wh->events[i]);

		if (!ce)
			continue;
		gi = ce->group;
		if ((long)gi != last)
			groups++;
		last = (long)gi;
	}
	first = catalog_find(cat, wh->events[0]);
	if (!first) {
		snprintf(out, size, "%s", wh->events[0]);
		return;
	}
	/* A group partly chosen says how much of it: "Detection 1/2". */
	for (i = 0; i < wh->nevents; i++) {
		const struct catalog_event *ce = catalog_find(cat, wh->events[i]);

		in_first += ce && ce->group == first->group;
	}
	g = catalog_group(cat, first->group);
	sbuf_init(&text);
	sbuf_append(&text, g->shortname);
	if (in_first < g->count)
		sbuf_appendf(&text, " %zu/%zu", in_first, g->count);
	if (groups > 1)
		sbuf_appendf(&text, " +%zu", groups - 1);
	snprintf(out, size, "%s", text.failed ? g->shortname : sbuf_text(&text));
	sbuf_release(&text);
}

const char *webhook_url_host(const char *url, size_t *len)
{
	const char *p = strstr(url, "://"), *end, *at;

	p = p ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	/* An IPv6 literal keeps its colons: "[::1]". */
	if (*p == '[' && memchr(p, ']', (size_t)(end - p)))
		*len = (size_t)((const char *)memchr(p, ']', (size_t)(end - p)) - p) + 1;
	else
		*len = strcspn(p, ":/?#");
	return p;
}
