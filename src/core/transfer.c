#include "transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "credref.h"
#include "err.h"
#include "sbuf.h"
#include "utf8.h"

/* The header named name (ignoring case) in a refs "headers" object. */
static json_t *header_ref(json_t *hdrs, const char *name, size_t n)
{
	const char *key;
	json_t *v;

	json_object_foreach(hdrs, key, v)
		if (strlen(key) == n && strncasecmp(key, name, n) == 0)
			return v;
	return NULL;
}

/* Put wh's references in o in place of the values they gave: a header
 * becomes {"name": N, "value": REF}. 0, or -1 (memory, or refs that do
 * not read: then nothing of the webhook may be written). */
static int put_refs(json_t *o, const struct webhook *wh)
{
	json_t *refs, *v, *arr = json_object_get(o, "headers"), *line;
	size_t i;
	int rc = 0;

	if (!wh->refs)
		return 0;
	refs = json_loads(wh->refs, 0, NULL);
	if (!json_is_object(refs)) {
		json_decref(refs);
		return -1;
	}
	if ((v = json_object_get(refs, "url")))
		rc |= json_object_set(o, "url", v);
	if ((v = json_object_get(refs, "secret")))
		rc |= json_object_set(o, "secret", v);
	json_array_foreach(arr, i, line) {
		const char *text = json_string_value(line), *colon = text ? strchr(text, ':') : NULL;

		if (colon && (v = header_ref(json_object_get(refs, "headers"), text, (size_t)(colon - text))))
			rc |= json_array_set_new(arr, i, json_pack("{s:s%, s:O}", "name", text,
								      (size_t)(colon - text), "value", v));
	}
	json_decref(refs);
	return rc ? -1 : 0;
}

char *transfer_export(const struct webhook *list, size_t n, int with_secrets, char *err)
{
	json_t *arr = json_array(), *doc;
	char *text;
	size_t i;

	doc = json_pack("{s:i, s:b, s:o}", "hookman_export", TRANSFER_FORMAT, "redacted", !with_secrets,
			"webhooks", arr);
	for (i = 0; doc && i < n; i++) {
		json_t *o = webhook_to_json(&list[i], with_secrets);

		/* The sender's notes are not settings: they do not travel. */
		if (o)
			json_object_del(o, "disabled_reason");
		if (o && put_refs(o, &list[i]) < 0) {
			json_decref(o);
			json_decref(doc);
			err_setk(err, ERR_IO, "cannot read where the credentials of webhook \"%s\" come from (out of memory or a damaged row); nothing was exported",
				 list[i].name);
			return NULL;
		}
		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(doc);
			doc = NULL;
		}
	}
	text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	json_decref(doc);
	if (!text)
		return err_oom(err, "export");
	return text;
}

/* The caller's report function, and how many problems went to it. */
struct reporter {
	transfer_report_fn fn;
	void *ctx;
	size_t problems;
};

/* Report a problem of entry i. Its name and the message (which may quote
 * the entry's URL or headers) come from the file: the line goes out with
 * control characters escaped, as a response does, so that an entry cannot
 * drive the terminal it is reported on. */
static void report_entry(struct reporter *r, size_t i, const char *name, const char *msg)
{
	struct sbuf line;
	char *safe;

	sbuf_init(&line);
	if (name)
		sbuf_appendf(&line, "entry %zu (\"%s\"): %s", i + 1, name, msg);
	else
		sbuf_appendf(&line, "entry %zu: %s", i + 1, msg);
	safe = line.failed ? NULL : utf8_escape_controls(sbuf_text(&line));
	r->fn(r->ctx, safe ? safe : "an entry has a problem, and memory ran out describing it");
	free(safe);
	sbuf_release(&line);
	r->problems++;
}

static int by_name(const void *a, const void *b)
{
	const struct webhook *x = *(const struct webhook *const *)a, *y = *(const struct webhook *const *)b;
	int d = strcasecmp(x->name, y->name);

	return d ? d : (x < y ? -1 : x > y);
}

/* Names must be unique within the document too; sorting keeps this fast
 * for 10,000-entry imports. Returns 0, or -1 when memory runs out. */
static int duplicate_names(const struct webhook *list, size_t n, struct reporter *r)
{
	const struct webhook **order = calloc(n ? n : 1, sizeof *order);
	size_t i, k = 0;

	if (!order)
		return -1;
	for (i = 0; i < n; i++)
		if (list[i].name)
			order[k++] = &list[i];
	qsort(order, k, sizeof *order, by_name);
	for (i = 1; i < k; i++)
		if (strcasecmp(order[i - 1]->name, order[i]->name) == 0) {
			char msg[ERR_MAX];

			snprintf(msg, sizeof msg, "the same name as entry %zu", (size_t)(order[i - 1] - list) + 1);
			report_entry(r, (size_t)(order[i] - list), order[i]->name, msg);
		}
	free(order);
	return 0;
}

/* Resolve ref, a reference of entry i (field names it for messages):
 * *value receives the value (a new string), refs under key what the store
 * keeps of the reference. 0, or -1 when the problem was reported. */
static int resolve_one(struct reporter *r, size_t i, const char *name, const char *field, const char *base,
		       json_t *ref, json_t **value, json_t *refs, const char *key)
{
	char why[ERR_MAX];
	json_t *stored;
	char *v = credref_resolve(ref, base, &stored, why);

	if (!v) {
		struct sbuf msg;

		sbuf_init(&msg);
		sbuf_appendf(&msg, "%s: %s", field, why);
		report_entry(r, i, name, msg.failed ? why : sbuf_text(&msg));
		sbuf_release(&msg);
		return -1;
	}
	*value = json_string(v);
	free(v);
	if (!*value) {
		char msg[ERR_MAX];

		json_decref(stored);
		snprintf(msg, sizeof msg, "%s: the value it gives is not UTF-8 text; give it as UTF-8", field);
		report_entry(r, i, name, msg);
		return -1;
	}
	if (json_object_set_new(refs, key, stored) < 0) {
		json_decref(*value);
		report_entry(r, i, name, "out of memory reading a reference");
		return -1;
	}
	return 0;
}

/* A header written as {"name": N, "value": V}: V resolved when it is a
 * reference, and the header made a "N: value" line. */
static int resolve_header(struct reporter *r, size_t i, const char *name, const char *base, json_t *arr,
			  size_t k, json_t *hdrs)
{
	json_t *h = json_array_get(arr, k), *hn = json_object_get(h, "name"), *hv = json_object_get(h, "value");
	json_t *value = NULL;
	char msg[ERR_MAX];
	struct sbuf line;
	int rc;

	if (!json_is_string(hn) || !(json_is_string(hv) || credref_is(hv)) || json_object_size(h) != 2) {
		snprintf(msg, sizeof msg, "header %zu: write it as \"Name: value\" or {\"name\": \"Name\", \"value\": VALUE} where VALUE is a string, {\"env\": \"NAME\"} or {\"file\": \"PATH\"}",
			 k + 1);
		report_entry(r, i, name, msg);
		return -1;
	}
	if (credref_is(hv)) {
		snprintf(msg, sizeof msg, "header \"%.100s\"", json_string_value(hn));
		if (resolve_one(r, i, name, msg, base, hv, &value, hdrs, json_string_value(hn)) < 0)
			return -1;
	} else {
		value = json_incref(hv);
	}
	sbuf_init(&line);
	sbuf_appendf(&line, "%s: %s", json_string_value(hn), json_string_value(value));
	json_decref(value);
	rc = line.failed ? -1 : json_array_set_new(arr, k, json_string(sbuf_text(&line)));
	sbuf_release(&line);
	if (rc < 0)
		report_entry(r, i, name, "out of memory reading a header");
	return rc;
}

/* A header given by reference must be the only one of its name (in any
 * case) in its entry: the store keeps the reference by the header's name.
 * 0, or -1 when a problem was reported. */
static int lone_headers(struct reporter *r, size_t i, const char *name, const json_t *arr, json_t *hdrs)
{
	const char *key;
	json_t *v;
	size_t k, n;

	json_object_foreach(hdrs, key, v) {
		size_t len = strlen(key);

		for (n = 0, k = 0; k < json_array_size(arr); k++) {
			const char *line = json_string_value(json_array_get(arr, k));

			n += line && strncasecmp(line, key, len) == 0 && line[len] == ':';
		}
		if (n > 1) {
			char msg[ERR_MAX];

			snprintf(msg, sizeof msg, "header \"%.100s\" comes from a reference, and %zu headers have that "
				 "name; give it once", key, n);
			report_entry(r, i, name, msg);
			return -1;
		}
	}
	return 0;
}

/* Replace the references in entry i (an object) by their values; *refs
 * receives what the store keeps (compact JSON text, NULL when none). 0, or
 * -1 when a problem was reported. */
static int resolve_refs(struct reporter *r, size_t i, json_t *item, const char *base, char **refs)
{
	static const char *const fields[] = { "url", "secret" };
	const char *name = json_string_value(json_object_get(item, "name"));
	json_t *found = json_object(), *hdrs = json_object(), *arr = json_object_get(item, "headers"), *value;
	size_t k;
	int bad = 0;

	*refs = NULL;
	if (!found || !hdrs) {
		json_decref(found);
		json_decref(hdrs);
		report_entry(r, i, name, "out of memory reading references");
		return -1;
	}
	for (k = 0; k < sizeof fields / sizeof *fields; k++) {
		json_t *v = json_object_get(item, fields[k]);

		if (credref_is(v)) {
			if (resolve_one(r, i, name, fields[k], base, v, &value, found, fields[k]) < 0)
				bad = 1;
			else
				json_object_set_new(item, fields[k], value);
		}
	}
	for (k = 0; json_is_array(arr) && k < json_array_size(arr); k++)
		if (json_is_object(json_array_get(arr, k)) && resolve_header(r, i, name, base, arr, k, hdrs) < 0)
			bad = 1;
	if (!bad && lone_headers(r, i, name, arr, hdrs) < 0)
		bad = 1;
	if (json_object_size(hdrs))
		json_object_set(found, "headers", hdrs);
	json_decref(hdrs);
	if (!bad && json_object_size(found)) {
		*refs = json_dumps(found, JSON_COMPACT | JSON_SORT_KEYS);
		if (!*refs) {
			report_entry(r, i, name, "out of memory reading references");
			bad = 1;
		}
	}
	json_decref(found);
	return bad ? -1 : 0;
}

/* A file written by hand may name events as --events does: a group id
 * ("audit") or "all" stands for its events; the result is in catalog
 * order without repeats, as an export writes it. An unknown name is
 * refused here, with the groups listed. */
static int expand_events(struct webhook *wh, const struct catalog *cat, char *err)
{
	struct sbuf csv;
	size_t i;
	int rc;

	if (wh->nevents == 0)
		return 0;
	sbuf_init(&csv);
	for (i = 0; i < wh->nevents; i++)
		sbuf_appendf(&csv, "%s%s", i ? "," : "", wh->events[i]);
	if (csv.failed) {
		sbuf_release(&csv);
		err_oom(err, "events");
		return -1;
	}
	rc = webhook_set_events(wh, sbuf_text(&csv), cat, err);
	if (rc < 0)
		err_prefix(err, "events");
	sbuf_release(&csv);
	return rc;
}

int transfer_parse(const char *text, size_t len, const char *source, const char *base,
		   const struct catalog *cat, struct webhook **out, size_t *n, transfer_report_fn report, void *ctx, char *err)
{
	struct reporter rep = { report, ctx, 0 };
	struct webhook *list;
	json_error_t jerr;
	json_t *doc, *arr, *item;
	size_t i, count;

	*out = NULL;
	*n = 0;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		/* jansson's text quotes the file near the error ("near '…'"). */
		char *safe = utf8_escape_controls(jerr.text);

		if (safe)
			err_setk(err, ERR_INVALID, "%s: line %d, column %d: %s", source, jerr.line, jerr.column, safe);
		else
			err_oom(err, source);
		free(safe);
		return -1;
	}
	arr = json_object_get(doc, "webhooks");
	if (!json_is_object(doc) || !json_is_array(arr)) {
		err_setk(err, ERR_INVALID, "%s is not a hookman export (no \"webhooks\" array)", source);
		json_decref(doc);
		return -1;
	}
	if (json_is_true(json_object_get(doc, "redacted"))) {
		err_setk(err, ERR_INVALID, "%s was exported without --with-secrets: its URLs, secrets and credential headers are masked; export again with --with-secrets to import it",
			source);
		json_decref(doc);
		return -1;
	}
	count = json_array_size(arr);
	list = calloc(count ? count : 1, sizeof *list);
	if (!list) {
		json_decref(doc);
		err_oom(err, "import");
		return -1;
	}
	json_array_foreach(arr, i, item) {
		struct webhook_problem probs[WF_COUNT];
		char why[ERR_MAX];
		size_t np, k;

		webhook_init(&list[i]);
		if (json_is_object(item) && resolve_refs(&rep, i, item, base, &list[i].refs) < 0)
			continue;
		if (webhook_from_json(&list[i], item, why) < 0) {
			report_entry(&rep, i, NULL, why);
			continue;
		}
		if (expand_events(&list[i], cat, why) < 0) {
			report_entry(&rep, i, list[i].name, why);
			continue;
		}
		np = webhook_validate(&list[i], cat, probs, WF_COUNT);
		for (k = 0; k < np && k < WF_COUNT; k++)
			report_entry(&rep, i, list[i].name, probs[k].msg);
	}
	json_decref(doc);
	if (duplicate_names(list, count, &rep) < 0) {
		transfer_free(list, count);
		err_oom(err, "import");
		return -1;
	}
	if (rep.problems) {
		transfer_free(list, count);
		err_setk(err, ERR_INVALID, "%s: %zu problem%s with its entries", source, rep.problems,
			rep.problems == 1 ? "" : "s");
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

void transfer_free(struct webhook *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++)
		webhook_clear(&list[i]);
	free(list);
}
