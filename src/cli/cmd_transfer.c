/* export and import: all webhooks as one JSON document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "readfile.h"

#define EXPORT_FORMAT 1

int cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "with-secrets", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct webhook *list;
	json_t *doc, *arr;
	char err[ERR_MAX], *text;
	size_t n, i;
	int opt, secrets = 0, rc = EXIT_REFUSED;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt != 's')
			return EXIT_USAGE;
		secrets = 1;
	}
	if (argc - optind > 1)
		return cli_usage(c, "give at most one FILE (default: standard output)");
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (store_webhook_list(c->st, &list, &n, err) < 0)
		return cli_fail(c, "%s", err);
	arr = json_array();
	doc = json_pack("{s:i, s:b, s:o}", "hookman_export", EXPORT_FORMAT, "redacted", !secrets,
			"webhooks", arr);
	for (i = 0; doc && i < n; i++) {
		json_t *o = webhook_to_json(&list[i], secrets);

		/* The sender's notes are not settings: they do not travel. */
		if (o)
			json_object_del(o, "disabled_reason");
		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(doc);
			doc = NULL;
		}
	}
	store_webhook_list_free(list, n);
	text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	json_decref(doc);
	if (!text)
		return cli_fail(c, "out of memory");
	if (optind < argc) {
		size_t len = strlen(text);

		text[len] = '\n';
		if (writefile_atomic(argv[optind], text, len + 1, err) < 0)
			cli_fail(c, "%s", err);
		else {
			fprintf(stderr, "exported %zu webhook%s to %s%s\n", n, n == 1 ? "" : "s", argv[optind],
				secrets ? " (with secrets: keep the file private)" : " (URLs and secrets masked)");
			rc = EXIT_OK;
		}
	} else {
		printf("%s\n", text);
		rc = EXIT_OK;
	}
	free(text);
	return rc;
}

struct entry {
	struct webhook wh;
	long long existing_id;   /* same name already stored, else 0 */
	long long existing_version;
};

static int by_name(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a, *y = *(const struct entry *const *)b;
	int d = strcasecmp(x->wh.name, y->wh.name);

	return d ? d : (x < y ? -1 : x > y);
}

/* Names must be unique within the file too; sorting keeps this linear in
 * practice for 10,000-entry imports. Returns how many entries repeat an
 * earlier one. */
static size_t duplicate_names(struct cli *c, struct entry *ents, size_t n)
{
	struct entry **order = calloc(n ? n : 1, sizeof *order);
	size_t i, k = 0, dups = 0;

	if (!order) {
		cli_fail(c, "out of memory");
		return 1;
	}
	for (i = 0; i < n; i++)
		if (ents[i].wh.name)
			order[k++] = &ents[i];
	qsort(order, k, sizeof *order, by_name);
	for (i = 1; i < k; i++)
		if (strcasecmp(order[i - 1]->wh.name, order[i]->wh.name) == 0) {
			cli_fail(c, "entry %zu (\"%s\"): the same name as entry %zu", (size_t)(order[i] - ents) + 1,
				 order[i]->wh.name, (size_t)(order[i - 1] - ents) + 1);
			dups++;
		}
	free(order);
	return dups;
}

/* Parse and check every entry, reporting each bad one; 0 only when all
 * are good. */
static int check_entries(struct cli *c, json_t *arr, struct entry *ents, int replace)
{
	char err[ERR_MAX];
	size_t i, bad = 0;
	json_t *item;

	json_array_foreach(arr, i, item) {
		struct webhook_problem probs[WF_COUNT];
		const char *name;
		struct webhook cur;
		size_t np, k;

		webhook_init(&ents[i].wh);
		if (webhook_from_json(&ents[i].wh, item, err) < 0) {
			cli_fail(c, "entry %zu: %s", i + 1, err);
			bad++;
			continue;
		}
		name = ents[i].wh.name;
		np = webhook_validate(&ents[i].wh, c->cat, probs, WF_COUNT);
		for (k = 0; k < np && k < WF_COUNT; k++)
			cli_fail(c, "entry %zu (\"%s\"): %s", i + 1, name, probs[k].msg);
		bad += np > 0;
		if (store_webhook_get(c->st, name, &cur, err) == 0) {
			if (!replace) {
				cli_fail(c, "entry %zu (\"%s\"): a webhook with this name exists (use --replace to overwrite it)",
					 i + 1, name);
				bad++;
			}
			ents[i].existing_id = cur.id;
			ents[i].existing_version = cur.version;
		}
		webhook_clear(&cur);
	}
	return bad + duplicate_names(c, ents, json_array_size(arr)) ? -1 : 0;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "replace", no_argument, NULL, 'r' }, { NULL, 0, NULL, 0 } };
	struct entry *ents = NULL;
	json_error_t jerr;
	json_t *doc = NULL, *arr;
	char err[ERR_MAX], *text;
	size_t len, n = 0, i, added = 0, replaced = 0;
	int opt, replace = 0, rc = EXIT_REFUSED;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt != 'r')
			return EXIT_USAGE;
		replace = 1;
	}
	if (argc - optind != 1)
		return cli_usage(c, "give the FILE to import (or - for standard input)");
	if (cli_catalog(c) < 0 || cli_store(c) < 0)
		return EXIT_REFUSED;
	text = readfile(argv[optind], &len, 1, err);
	if (!text)
		return cli_fail(c, "%s", err);
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!doc)
		return cli_fail(c, "%s: line %d, column %d: %s", argv[optind], jerr.line, jerr.column, jerr.text);
	arr = json_object_get(doc, "webhooks");
	if (!json_is_object(doc) || !json_is_array(arr)) {
		cli_fail(c, "%s is not a hookman export (no \"webhooks\" array)", argv[optind]);
		goto out;
	}
	if (json_is_true(json_object_get(doc, "redacted"))) {
		cli_fail(c, "%s was exported without --with-secrets: its URLs and secrets are masked; export again with --with-secrets to import it",
			 argv[optind]);
		goto out;
	}
	n = json_array_size(arr);
	ents = calloc(n ? n : 1, sizeof *ents);
	if (!ents) {
		cli_fail(c, "out of memory");
		goto out;
	}
	/* Hold the write lock while checking, so names cannot change between
	 * the check and the writes. */
	if (store_begin(c->st, err) < 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	if (check_entries(c, arr, ents, replace) < 0) {
		store_rollback(c->st);
		cli_fail(c, "nothing was imported");
		goto out;
	}
	for (i = 0; i < n; i++) {
		int r;

		if (ents[i].existing_id) {
			ents[i].wh.id = ents[i].existing_id;
			ents[i].wh.version = ents[i].existing_version;
			r = store_webhook_update(c->st, &ents[i].wh, err);
			replaced++;
		} else {
			r = store_webhook_insert(c->st, &ents[i].wh, err);
			added++;
		}
		if (r < 0) {
			store_rollback(c->st);
			cli_fail(c, "entry %zu (\"%s\"): %s; nothing was imported", i + 1, ents[i].wh.name, err);
			goto out;
		}
	}
	if (store_commit(c->st, err) < 0) {
		cli_fail(c, "%s; nothing was imported", err);
		goto out;
	}
	if (c->json)
		rc = cli_print_json(c, json_pack("{s:I, s:I}", "added", (json_int_t)added,
						 "replaced", (json_int_t)replaced));
	else {
		printf("imported %zu webhook%s (%zu added, %zu replaced)\n", n, n == 1 ? "" : "s", added, replaced);
		rc = EXIT_OK;
	}
out:
	for (i = 0; ents && i < n; i++)
		webhook_clear(&ents[i].wh);
	free(ents);
	json_decref(doc);
	return rc;
}
