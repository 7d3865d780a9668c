/* list and show: webhooks as an operator reads them, secrets masked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "coalesce.h"
#include "credref.h"
#include "mask.h"
#include "rate.h"
#include "sbuf.h"
#include "table.h"

static json_t *webhook_json(const struct webhook *wh, int reveal)
{
	json_t *o = webhook_to_json(wh, reveal);

	if (o) {
		json_object_set_new(o, "version", json_integer(wh->version));
		json_object_set_new(o, "created_at", json_integer(wh->created_at));
		json_object_set_new(o, "updated_at", json_integer(wh->updated_at));
		/* Where the URL, secret and header values come from, as the
		 * store keeps it (credref.h): references, never values. */
		if (wh->refs)
			json_object_set_new(o, "sources", json_loads(wh->refs, 0, NULL));
	}
	return o;
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "NAME", "STATE", "FORMAT", "EVENTS", "URL" };
	static const struct option opts[] = { { "names", no_argument, NULL, 'n' }, { NULL, 0, NULL, 0 } };
	struct webhook *list;
	struct table *t = NULL;
	char err[ERR_MAX], url[URL_MAX + 64], events[64];
	struct sbuf shown;
	size_t n, i;
	int rc = EXIT_REFUSED, opt, names = 0;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt != 'n')
			return EXIT_USAGE;
		names = 1;
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument \"%s\" (use 'hookman show NAME' for one webhook)",
				 argv[optind]);
	if (cli_store(c) < 0 || cli_catalog(c) < 0)
		return EXIT_REFUSED;
	if (store_webhook_list(c->st, &list, &n, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json) {
		json_t *arr = json_array();

		for (i = 0; arr && i < n; i++)
			if (json_array_append_new(arr, webhook_json(&list[i], 0)) < 0) {
				json_decref(arr);
				arr = NULL;
			}
		rc = cli_print_json(c, arr);
		goto out;
	}
	if (names) {
		/* One name per line, for shell completion and scripts. */
		for (i = 0; i < n; i++)
			printf("%s\n", list[i].name);
		rc = EXIT_OK;
		goto out;
	}
	if (n == 0) {
		printf("no webhooks yet; add one with: hookman add --name NAME --url URL --events all\n");
		rc = EXIT_OK;
		goto out;
	}
	t = table_new(5, head);
	if (!t) {
		cli_fail(c, "out of memory");
		goto out;
	}
	table_max_width(t, 0, 40);
	for (i = 0; i < n; i++) {
		const char *row[5];

		mask_url(list[i].url, url, sizeof url);
		sbuf_init(&shown);
		sbuf_append(&shown, url);
		if (!list[i].verify_tls)
			sbuf_append(&shown, "  (TLS NOT VERIFIED)");
		webhook_events_summary(&list[i], c->cat, events, sizeof events);
		row[0] = list[i].name;
		row[1] = list[i].enabled ? "on" : "off";
		row[2] = format_name(list[i].format);
		row[3] = events;
		row[4] = sbuf_text(&shown);
		rc = shown.failed ? -1 : table_add(t, row);
		sbuf_release(&shown);
		if (rc < 0) {
			rc = EXIT_REFUSED;
			cli_fail(c, "out of memory");
			goto out;
		}
	}
	table_print_free(t, stdout);
	t = NULL;
	rc = EXIT_OK;
out:
	if (t)
		table_print_free(t, stderr);
	store_webhook_list_free(list, n);
	return rc;
}

/* rate:, retries: and coalesce:, as --rate, --retry-schedule and --coalesce
 * write them. */
static void show_pace(const struct webhook *wh)
{
	struct retry_schedule global;
	struct sbuf text;

	sbuf_init(&text);
	rate_format(&text, wh->rate_n, wh->rate_ms);
	if (!wh->rate_n)
		sbuf_append(&text, " (no limit)");
	printf("rate:       %s\n", text.failed ? "(out of memory)" : sbuf_text(&text));
	sbuf_release(&text);
	if (wh->nretry) {
		retry_format_own(&text, wh->retry_ms, wh->nretry);
		sbuf_appendf(&text, " (then dead after %zu attempts)", wh->nretry + 1);
	} else {
		/* The global schedule as hookmand's default has it; hookmand
		 * --schedule may set another. */
		retry_default(&global);
		sbuf_append(&text, "default (");
		retry_format_own(&text, global.delay_ms, global.steps);
		sbuf_append(&text, ", unless hookmand --schedule sets another)");
	}
	printf("retries:    %s\n", text.failed ? "(out of memory)" : sbuf_text(&text));
	sbuf_release(&text);
	coalesce_format(&text, wh->coalesce_ms);
	if (wh->coalesce_ms)
		sbuf_append(&text, " (repeats of one type and title in that window are one delivery)");
	printf("coalesce:   %s\n", text.failed ? "(out of memory)" : sbuf_text(&text));
	sbuf_release(&text);
}

/* " (from env NAME)" after a value that comes from a reference, then the
 * end of the line. */
static void end_with_source(const struct webhook *wh, const char *field, const char *header)
{
	struct sbuf note;

	sbuf_init(&note);
	credref_note(&note, wh, field, header);
	printf("%s\n", note.failed ? "" : sbuf_text(&note));
	sbuf_release(&note);
}

/* The same for a "Name: value" header line. */
static void header_source(const struct webhook *wh, const char *line)
{
	const char *colon = strchr(line, ':');
	char *name = colon ? strndup(line, (size_t)(colon - line)) : NULL;

	end_with_source(wh, "headers", name ? name : "");
	free(name);
}

static void show_text(const struct cli *c, const struct webhook *wh, int reveal, long long pending)
{
	char url[URL_MAX + 64], secret[64], when[64];
	size_t i;

	if (reveal) {
		snprintf(url, sizeof url, "%s", wh->url);
		snprintf(secret, sizeof secret, "%s", wh->secret ? wh->secret : "none");
	} else {
		mask_url(wh->url, url, sizeof url);
		mask_secret(wh->secret, secret, sizeof secret);
		if (!wh->secret)
			snprintf(secret, sizeof secret, "none");
	}
	printf("name:       %s\n", wh->name);
	printf("url:        %s", url);
	end_with_source(wh, "url", NULL);
	printf("enabled:    %s", wh->enabled ? "yes" : "no");
	if (!wh->enabled && wh->disabled_reason)
		printf(" (%s)", wh->disabled_reason);
	printf("\nevents:     ");
	for (i = 0; i < wh->nevents; i++)
		printf("%s%s", i ? ", " : "", wh->events[i]);
	printf("\nformat:     %s\n", format_name(wh->format));
	printf("secret:     %s", secret);
	end_with_source(wh, "secret", NULL);
	if (wh->secret_previous) {
		if (reveal)
			snprintf(secret, sizeof secret, "%s", wh->secret_previous);
		else
			mask_secret(wh->secret_previous, secret, sizeof secret);
		cli_format_time(wh->secret_previous_until, when, sizeof when);
		printf("previous secret: %s, accepted until %s\n", secret, when);
	}
	printf("headers:    %s", wh->nheaders ? "" : "none");
	for (i = 0; i < wh->nheaders; i++) {
		struct sbuf line;

		sbuf_init(&line);
		if (reveal)
			sbuf_append(&line, wh->headers[i]);
		else
			mask_header_line(&line, wh->headers[i]);
		printf("%s%s", i ? "            " : "", line.failed ? "(out of memory)" : sbuf_text(&line));
		sbuf_release(&line);
		header_source(wh, wh->headers[i]);
	}
	printf("%sverify TLS: %s\n", wh->nheaders ? "" : "\n", wh->verify_tls ? "yes" : "NO (certificate not checked)");
	printf("timeout:    %d s\n", wh->timeout);
	show_pace(wh);
	printf("pending:    %lld deliver%s\n", pending, pending == 1 ? "y" : "ies");
	printf("version:    %lld\n", wh->version);
	cli_format_time(wh->created_at, when, sizeof when);
	printf("created:    %s\n", when);
	cli_format_time(wh->updated_at, when, sizeof when);
	printf("updated:    %s\n", when);
	printf("payload:\n%s\n", wh->payload);
	(void)c;
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "reveal", no_argument, NULL, 'r' }, { NULL, 0, NULL, 0 } };
	struct webhook wh;
	struct store_backlog backlog;
	long long pending;
	char err[ERR_MAX];
	int opt, reveal = 0, rc;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt != 'r')
			return EXIT_USAGE;
		reveal = 1;
	}
	if (argc - optind != 1)
		return cli_usage(c, "give exactly one webhook NAME");
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (store_webhook_get(c->st, argv[optind], &wh, err) < 0 ||
	    store_webhook_pending(c->st, wh.id, &backlog, err) < 0) {
		webhook_clear(&wh);
		return cli_fail(c, "%s", err);
	}
	pending = backlog.waiting + backlog.inflight;
	if (reveal && audit_record(&c->audit, "download", &wh, err,
				   "revealed the URL and secrets of webhook \"%s\"", wh.name) < 0) {
		webhook_clear(&wh);
		return cli_fail(c, "%s; nothing was shown", err);
	}
	if (c->json) {
		json_t *o = webhook_json(&wh, reveal);

		if (o)
			json_object_set_new(o, "pending", json_integer(pending));
		rc = cli_print_json(c, o);
	} else {
		show_text(c, &wh, reveal, pending);
		rc = EXIT_OK;
	}
	webhook_clear(&wh);
	return rc;
}
