/* deliveries, delivery, redeliver: looking back at what was sent. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "duration.h"
#include "history.h"
#include "rerender.h"
#include "sbuf.h"
#include "table.h"
#include "textdiff.h"
#include "timefmt.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* "200", "500, retry in 4m12s", "held (webhook disabled: …)", "dead", …
 * as the list shows a result. */
static void result_text(json_t *d, struct sbuf *out)
{
	json_t *ls = json_object_get(d, "last_status");

	if (json_is_integer(ls))
		sbuf_appendf(out, "%lld", (long long)json_integer_value(ls));
	else
		sbuf_append(out, num(d, "attempts") > 0 ? "error" : "-");
	if (json_is_string(json_object_get(d, "held"))) {
		sbuf_appendf(out, ", held (%s)", str(d, "held"));
	} else if (strcmp(str(d, "state"), "failed") == 0) {
		sbuf_append(out, ", retry in ");
		duration_span(out, num(d, "next_attempt_at") - (long long)time(NULL) * 1000);
	}
}

int cmd_deliveries(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const head[] = { "ID", "TIME", "WEBHOOK", "EVENT", "STATE", "TRIES", "LAST" };
	const char *state = NULL;
	long limit = 50;
	struct table *t;
	json_t *list;
	char err[ERR_MAX];
	size_t i;
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt == 's')
			state = optarg;
		else if (opt == 'l') {
			if (cli_parse_count(optarg, 0, LONG_MAX, &limit) < 0)
				return cli_usage(c, "--limit \"%s\" is not a count (0 for all)", optarg);
		} else
			return EXIT_USAGE;
	}
	if (argc - optind > 1)
		return cli_usage(c, "give at most one webhook NAME");
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (history_list(c->st, optind < argc ? argv[optind] : NULL, state, limit, &list, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json)
		return cli_print_json(c, list);
	if (json_array_size(list) == 0) {
		printf("no deliveries%s\n", state ? " in that state" : " yet");
		json_decref(list);
		return EXIT_OK;
	}
	t = table_new(7, head);
	for (i = 0; t && i < json_array_size(list); i++) {
		json_t *d = json_array_get(list, i);
		char id[32], when[64], tries[16], type[80];
		struct sbuf last;
		const char *row[7] = { id, when, str(d, "webhook"), type,
				       json_is_string(json_object_get(d, "held")) ? "held" : str(d, "state"), tries, NULL };

		snprintf(id, sizeof id, "%lld", num(d, "id"));
		cli_format_time(num(d, "created_at"), when, sizeof when);
		snprintf(tries, sizeof tries, "%lld", num(d, "attempts"));
		snprintf(type, sizeof type, "%s%s", str(d, "type"), json_is_true(json_object_get(d, "test")) ? " (test)" : "");
		sbuf_init(&last);
		result_text(d, &last);
		row[6] = last.failed ? "(out of memory)" : sbuf_text(&last);
		table_add(t, row);
		sbuf_release(&last);
	}
	json_decref(list);
	if (!t)
		return cli_fail(c, "out of memory");
	table_max_width(t, 2, 30);
	table_print_free(t, stdout);
	return EXIT_OK;
}

static void print_body(const char *body)
{
	json_t *j = json_loads(body, 0, NULL);
	char *pretty = j ? json_dumps(j, JSON_INDENT(2)) : NULL;

	cli_print_received(pretty ? pretty : body, 0);
	free(pretty);
	json_decref(j);
}

int cmd_delivery(struct cli *c, int argc, char **argv)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	json_t *d, *attempts;
	char err[ERR_MAX], when[64];
	size_t i;

	if (cli_getopt(c, argc, argv, "", none) != -1)
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage(c, "give one delivery ID (a number or msg_…)");
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (history_get(c->st, argv[optind], &d, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json)
		return cli_print_json(c, d);
	cli_format_time(num(d, "created_at"), when, sizeof when);
	printf("delivery %lld (%s)%s\n", num(d, "id"), str(d, "uid"), json_is_true(json_object_get(d, "test")) ? ", a test" : "");
	printf("webhook:  %s\nevent:    %s %s \"%s\"\ncreated:  %s\nstate:    %s after %lld attempt%s\n",
	       str(d, "webhook"), str(d, "event"), str(d, "type"), str(d, "title"), when, str(d, "state"),
	       num(d, "attempts"), num(d, "attempts") == 1 ? "" : "s");
	if (json_is_string(json_object_get(d, "held"))) {
		printf("held:     %s; nothing is sent until %s\n", str(d, "held"),
		       strcmp(str(d, "held_by"), "hold") == 0 ? "the hold ends ('hookman hold' lists it)" :
		       "it is enabled");
	} else if (strcmp(str(d, "state"), "failed") == 0) {
		cli_format_time(num(d, "next_attempt_at"), when, sizeof when);
		printf("next try: %s\n", when);
	}
	printf("body:\n");
	print_body(str(d, "body"));
	attempts = json_object_get(d, "attempt_log");
	for (i = 0; i < json_array_size(attempts); i++) {
		json_t *a = json_array_get(attempts, i);

		cli_format_time(num(a, "started_at"), when, sizeof when);
		printf("attempt %zu at %s, %lld ms: ", i + 1, when, num(a, "duration_ms"));
		if (json_is_integer(json_object_get(a, "status")))
			printf("HTTP %lld", num(a, "status"));
		if (json_is_string(json_object_get(a, "error"))) {
			fputs(json_is_integer(json_object_get(a, "status")) ? " - " : "", stdout);
			cli_put_received(str(a, "error"));
		}
		printf("\n  request headers:\n");
		cli_print_received(str(a, "request_headers"), 0);
		if (*str(a, "response_headers")) {
			printf("  response headers:\n");
			cli_print_received(str(a, "response_headers"), 0);
		}
		if (*str(a, "response_body")) {
			printf("  response body (%lld bytes%s):\n", num(a, "response_size"),
			       (size_t)num(a, "response_size") > strlen(str(a, "response_body")) ? ", cut" : "");
			cli_print_received(str(a, "response_body"), 0);
		}
	}
	json_decref(d);
	return EXIT_OK;
}

/* "delivery 42 queued again with a new body (1 line removed, 1 added)",
 * or "... its body is the same with the current payload". */
static void say_rerendered(const char *id, const struct rerender_body *b)
{
	struct textdiff_stats stats = { 0, 0 };
	struct sbuf diff;

	if (strcmp(b->stored, b->now) == 0) {
		printf("delivery %s queued again; its body is the same with webhook \"%s\"'s current payload\n", id,
		       b->webhook);
		return;
	}
	sbuf_init(&diff);
	if (textdiff_json(b->stored, b->now, "stored", "now", 0, &diff, &stats) < 0) {
		sbuf_release(&diff);
		printf("delivery %s queued again with a new body\n", id);
		return;
	}
	sbuf_release(&diff);
	printf("delivery %s queued again with a new body (%zu line%s removed, %zu added)\n", id, stats.removed,
	       stats.removed == 1 ? "" : "s", stats.added);
}

int cmd_redeliver(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "webhook", required_argument, NULL, 'w' },
		{ "state", required_argument, NULL, 's' },
		{ "since", required_argument, NULL, 'S' },
		{ "rerender", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *webhook = NULL, *state = NULL;
	long long since = 0, n = 0, changed = 0;
	struct rerender_body b;
	char err[ERR_MAX];
	int opt, rerender = 0;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt == 'w')
			webhook = optarg;
		else if (opt == 's')
			state = optarg;
		else if (opt == 'r')
			rerender = 1;
		else if (opt == 'S') {
			if (timefmt_parse_since(optarg, store_now_ms(), &since, err) < 0)
				return cli_usage(c, "--since \"%s\": %s", optarg, err);
		} else
			return EXIT_USAGE;
	}
	if (webhook || state) {
		if (!webhook || !state || optind < argc)
			return cli_usage(c, "bulk redelivery is --webhook NAME --state dead|failed|dropped [--since TIME] [--rerender], without an ID");
		if (cli_store(c) < 0 || (rerender && cli_catalog(c) < 0))
			return EXIT_REFUSED;
		if (rerender) {
			if (rerender_redeliver_bulk(c->st, c->cat, webhook, state, since, &n, &changed, err) < 0)
				return cli_fail(c, "%s", err);
			printf("%lld deliver%s queued again, %lld with a new body\n", n, n == 1 ? "y" : "ies", changed);
		} else {
			if (history_redeliver_bulk(c->st, webhook, state, since, &n, err) < 0)
				return cli_fail(c, "%s", err);
			printf("%lld deliver%s queued again\n", n, n == 1 ? "y" : "ies");
		}
	} else {
		if (argc - optind != 1)
			return cli_usage(c, "give one delivery ID, or --webhook NAME --state dead|failed|dropped");
		if (cli_store(c) < 0 || (rerender && cli_catalog(c) < 0))
			return EXIT_REFUSED;
		if (rerender) {
			if (rerender_redeliver(c->st, c->cat, argv[optind], NULL, &b, err) < 0)
				return cli_fail(c, "%s", err);
			say_rerendered(argv[optind], &b);
			rerender_body_clear(&b);
		} else {
			if (history_redeliver(c->st, argv[optind], err) < 0)
				return cli_fail(c, "%s", err);
			printf("delivery %s queued again\n", argv[optind]);
		}
		n = 1;
	}
	if (n > 0)
		cli_wake(c);
	return EXIT_OK;
}
