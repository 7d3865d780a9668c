/* export and import: all webhooks as one JSON document. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "readfile.h"
#include "transfer.h"

static int record_download(struct cli *c, size_t n, const char *where, char *err)
{
	return audit_record(&c->audit, "download", NULL, err, "exported %zu webhook%s with their secrets to %s", n,
			    n == 1 ? "" : "s", where);
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "with-secrets", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct webhook *list;
	char err[ERR_MAX], *text;
	size_t n;
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
	text = transfer_export(list, n, secrets, err);
	store_webhook_list_free(list, n);
	if (!text)
		return cli_fail(c, "%s", err);
	/* Secrets leave the store only once the record says so: printed
	 * after it, or a file written first and taken back when the record
	 * fails, so that a failed write is no download. */
	if (optind < argc) {
		size_t len = strlen(text);

		text[len] = '\n';
		if (writefile_atomic(argv[optind], text, len + 1, err) < 0)
			cli_fail(c, "%s; nothing was exported", err);
		else if (secrets && record_download(c, n, argv[optind], err) < 0) {
			unlink(argv[optind]);
			cli_fail(c, "%s; nothing was exported", err);
		} else {
			fprintf(stderr, "exported %zu webhook%s to %s%s\n", n, n == 1 ? "" : "s", argv[optind],
				secrets ? " (with secrets: keep the file private)" : " (URLs and secrets masked)");
			rc = EXIT_OK;
		}
	} else if (secrets && record_download(c, n, "standard output", err) < 0) {
		cli_fail(c, "%s; nothing was exported", err);
	} else {
		printf("%s\n", text);
		rc = EXIT_OK;
	}
	free(text);
	return rc;
}

static void report(void *ctx, const char *msg)
{
	cli_fail(ctx, "%s", msg);
}

/* Which entries replace a stored webhook (their id and version are set);
 * without replace, each such entry is reported. Returns how many were. */
static size_t match_stored(struct cli *c, struct webhook *list, size_t n, int replace, char *err)
{
	size_t refused = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct webhook cur;

		if (store_webhook_get(c->st, list[i].name, &cur, err) == 0) {
			if (!replace) {
				cli_fail(c, "entry %zu (\"%s\"): a webhook with this name exists (use --replace to overwrite it)",
					 i + 1, list[i].name);
				refused++;
			}
			list[i].id = cur.id;
			list[i].version = cur.version;
		}
		webhook_clear(&cur);
	}
	return refused;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "replace", no_argument, NULL, 'r' }, { NULL, 0, NULL, 0 } };
	struct webhook *list = NULL;
	char err[ERR_MAX], *text, *base;
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
	actor_set_via(&c->audit.who, "import");
	text = readfile(argv[optind], &len, 1, err);
	if (!text)
		return cli_fail(c, "%s", err);
	base = readfile_dir(argv[optind]);
	if (!base) {
		free(text);
		return cli_fail(c, "cannot resolve the directory of %s, where its relative file references are: %s",
				argv[optind], strerror(errno));
	}
	rc = transfer_parse(text, len, argv[optind], base, c->cat, &list, &n, report, c, err);
	free(base);
	free(text);
	if (rc < 0)
		return cli_fail(c, "%s; nothing was imported", err);
	rc = EXIT_REFUSED;
	/* Hold the write lock from the name check to the last write, so that
	 * names cannot change in between. */
	if (store_begin(c->st, err) < 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	if (match_stored(c, list, n, replace, err) != 0) {
		store_rollback(c->st);
		cli_fail(c, "nothing was imported");
		goto out;
	}
	for (i = 0; i < n; i++) {
		int r;

		if (list[i].id) {
			r = store_webhook_update(c->st, &list[i], err);
			replaced++;
		} else {
			r = store_webhook_insert(c->st, &list[i], err);
			added++;
		}
		if (r < 0) {
			store_rollback(c->st);
			cli_fail(c, "entry %zu (\"%s\"): %s; nothing was imported", i + 1, list[i].name, err);
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
	transfer_free(list, n);
	return rc;
}
