#include "transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "err.h"
#include "sbuf.h"
#include "utf8.h"

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

int transfer_parse(const char *text, size_t len, const char *source, const struct catalog *cat,
		   struct webhook **out, size_t *n, transfer_report_fn report, void *ctx, char *err)
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
		if (webhook_from_json(&list[i], item, why) < 0) {
			report_entry(&rep, i, NULL, why);
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
