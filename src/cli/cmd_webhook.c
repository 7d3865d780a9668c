/* add, edit, rm, enable, disable: the commands that change webhooks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "credref.h"
#include "datadir.h"
#include "destwarn.h"
#include "mask.h"
#include "webhook_opts.h"

int cmd_add(struct cli *c, int argc, char **argv)
{
	struct webhook_opts o;
	struct webhook wh;
	char err[ERR_MAX], secret[64];
	int first, rc = EXIT_REFUSED;

	webhook_init(&wh);
	first = webhook_opts_parse(c, argc, argv, 0, &o);
	if (first < 0)
		goto out_usage;
	if (first < argc) {
		cli_usage(c, "unexpected argument \"%s\" (the name goes in --name)", argv[first]);
		goto out_usage;
	}
	if (!o.name || !o.url || !o.events) {
		cli_usage(c, "--name, --url and --events are required (missing %s)",
			  !o.name ? "--name" : !o.url ? "--url" : "--events");
		goto out_usage;
	}
	if (cli_catalog(c) < 0)
		goto out;
	/* Without a payload a webhook starts from the Generic preset, as the
	 * New form does: a name, a URL and an event are all it needs. */
	if (!o.payload && !o.preset &&
	    datadir_preset(catalog_datadir(c->cat), "generic", &wh.payload, &wh.format, err) < 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	if (webhook_opts_apply(c, &o, &wh, err) < 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	if (webhook_opts_report(c, &wh) > 0)
		goto out;
	if (cli_store(c) < 0)
		goto out;
	if (store_webhook_insert(c->st, &wh, err) < 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	destwarn_webhook(c, &wh);
	if (c->json) {
		rc = cli_print_json(c, webhook_to_json(&wh, 0));
		goto out;
	}
	printf("added webhook \"%s\"\n", wh.name);
	if (o.gen_secret) {
		/* A generated secret is shown once in full: the receiver needs it. */
		printf("signing secret: %s\n", wh.secret);
	} else if (wh.secret) {
		mask_secret(wh.secret, secret, sizeof secret);
		printf("signing secret: %s\n", secret);
	}
	rc = EXIT_OK;
out:
	webhook_opts_free(&o);
	webhook_clear(&wh);
	return rc;
out_usage:
	webhook_opts_free(&o);
	webhook_clear(&wh);
	return EXIT_USAGE;
}

int cmd_edit(struct cli *c, int argc, char **argv)
{
	struct webhook_opts o;
	struct store_backlog backlog;
	struct webhook wh, before;
	char err[ERR_MAX];
	int first, rc = EXIT_REFUSED;

	webhook_init(&wh);
	webhook_init(&before);
	first = webhook_opts_parse(c, argc, argv, 1, &o);
	if (first < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (argc - first != 1) {
		rc = cli_usage(c, argc - first < 1 ? "which webhook? give its NAME" :
			       "one webhook at a time (got %d names)", argc - first);
		goto out;
	}
	if (o.name) {
		rc = cli_usage(c, "use --rename NEW to change the name of \"%s\"", argv[first]);
		goto out;
	}
	if (cli_catalog(c) < 0 || cli_store(c) < 0)
		goto out;
	if (store_webhook_get(c->st, argv[first], &wh, err) < 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	if (webhook_copy(&before, &wh, err) < 0 || webhook_opts_apply(c, &o, &wh, err) < 0 ||
	    credref_keep(&wh, &before, err) < 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	if (webhook_opts_report(c, &wh) > 0)
		goto out;
	if (store_webhook_update(c->st, &wh, err) < 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	/* A new rate applies at hookmand's next claim: make that now, not
	 * when the old rate's next token was due. */
	if (o.rate && store_webhook_pending(c->st, wh.id, &backlog, err) == 0 && backlog.waiting > 0)
		cli_wake(c);
	destwarn_webhook(c, &wh);
	if (c->json) {
		rc = cli_print_json(c, webhook_to_json(&wh, 0));
		goto out;
	}
	printf("saved webhook \"%s\" (version %lld)\n", wh.name, wh.version);
	if (o.gen_secret)
		printf("signing secret: %s\n", wh.secret);
	rc = EXIT_OK;
out:
	webhook_opts_free(&o);
	webhook_clear(&wh);
	webhook_clear(&before);
	return rc;
}

/* Commands that take exactly one NAME and the global options. */
static int one_name(struct cli *c, int argc, char **argv, const char **name)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "", none)) != -1)
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage(c, argc - optind < 1 ? "which webhook? give its NAME" :
				 "one webhook at a time (got %d names)", argc - optind);
	*name = argv[optind];
	return EXIT_OK;
}

int cmd_rm(struct cli *c, int argc, char **argv)
{
	const char *name;
	struct store_backlog b;
	char err[ERR_MAX], *what;
	int rc = one_name(c, argc, argv, &name);

	if (rc != EXIT_OK)
		return rc;
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (store_webhook_delete(c->st, name, &b, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json)
		return cli_print_json(c, json_pack("{s:s, s:I, s:I}", "deleted", name, "cancelled",
						   (json_int_t)b.waiting, "in_flight", (json_int_t)b.inflight));
	what = store_backlog_text(&b);
	printf("deleted webhook \"%s\"; %s\n", name, what ? what : "out of memory describing its deliveries");
	free(what);
	return EXIT_OK;
}

static int set_enabled(struct cli *c, int argc, char **argv, int enabled)
{
	struct store_backlog backlog;
	struct webhook wh;
	const char *name;
	char err[ERR_MAX];
	int rc = one_name(c, argc, argv, &name);

	if (rc != EXIT_OK)
		return rc;
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (store_webhook_get(c->st, name, &wh, err) < 0)
		return cli_fail(c, "%s", err);
	if (wh.enabled == enabled) {
		printf("webhook \"%s\" is already %s\n", wh.name, enabled ? "enabled" : "disabled");
		webhook_clear(&wh);
		return EXIT_OK;
	}
	wh.enabled = enabled;
	if (store_webhook_update(c->st, &wh, err) < 0) {
		webhook_clear(&wh);
		return cli_fail(c, "%s", err);
	}
	printf("webhook \"%s\" %s\n", wh.name, enabled ? "enabled" : "disabled");
	/* Its held deliveries go out now, not at hookmand's next safety
	 * wake-up. */
	if (enabled && store_webhook_pending(c->st, wh.id, &backlog, err) == 0 && backlog.waiting > 0)
		cli_wake(c);
	webhook_clear(&wh);
	return EXIT_OK;
}

int cmd_enable(struct cli *c, int argc, char **argv)
{
	return set_enabled(c, argc, argv, 1);
}

int cmd_disable(struct cli *c, int argc, char **argv)
{
	return set_enabled(c, argc, argv, 0);
}
