/* hold, release: stop a webhook's (or an event type's) deliveries during
 * an incident, for a while or until released (holds.h); hold alone lists
 * what is held. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "duration.h"
#include "holds.h"
#include "sbuf.h"
#include "table.h"

/* A month: an incident hold longer than that is a disabled webhook. */
#define HOLD_MAX_MS (30LL * 24 * 60 * 60 * 1000)
#define HOLD_UNITS (DURATION_S | DURATION_M | DURATION_H | DURATION_D)

/* NAME or --event TYPE, exactly one; the type must be in the catalog. */
static int parse_target(struct cli *c, int argc, char **argv, const char *type, struct hold_target *t)
{
	memset(t, 0, sizeof *t);
	if (type && optind < argc)
		return cli_usage(c, "give a webhook NAME or --event TYPE, not both");
	if (!type && argc - optind != 1)
		return cli_usage(c, "give one webhook NAME or --event TYPE (see 'hookman list', 'hookman events')");
	if (type) {
		if (cli_catalog(c) < 0)
			return EXIT_REFUSED;
		if (!catalog_find(c->cat, type))
			return cli_usage(c, "unknown event type \"%s\" (see 'hookman events' for the catalog)", type);
		t->event_type = type;
	} else {
		t->webhook = argv[optind];
	}
	return EXIT_OK;
}

/* "webhook \"slack\"" or "event type detection.created". */
static void target_text(struct sbuf *out, const struct hold_target *t)
{
	if (t->webhook)
		sbuf_appendf(out, "webhook \"%s\"", t->webhook);
	else
		sbuf_appendf(out, "event type %s", t->event_type);
}

static const char *plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static int print_holds(struct cli *c)
{
	static const char *const head[] = { "HELD", "UNTIL", "LEFT", "NEW DELIVERIES", "QUEUED" };
	long long now = store_now_ms();
	char err[ERR_MAX], when[64];
	struct table *t;
	json_t *list, *h;
	size_t i;

	if (holds_list(c->st, now, &list, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json)
		return cli_print_json(c, list);
	if (json_array_size(list) == 0) {
		json_decref(list);
		printf("nothing is held; hold a webhook with: hookman hold NAME --for 30m\n");
		return EXIT_OK;
	}
	t = table_new(5, head);
	json_array_foreach(list, i, h) {
		json_t *until = json_object_get(h, "until");
		struct sbuf what, left, queued;
		const char *cells[5];

		sbuf_init(&what);
		sbuf_init(&left);
		sbuf_init(&queued);
		if (json_object_get(h, "webhook"))
			sbuf_appendf(&what, "%s", json_string_value(json_object_get(h, "webhook")));
		else
			sbuf_appendf(&what, "event %s", json_string_value(json_object_get(h, "event")));
		if (json_is_integer(until)) {
			cli_format_time(json_integer_value(until), when, sizeof when);
			duration_span(&left, json_integer_value(until) - now);
		} else {
			sbuf_append(&left, "-");
		}
		sbuf_appendf(&queued, "%lld", (long long)json_integer_value(json_object_get(h, "queued")));
		cells[0] = sbuf_text(&what);
		cells[1] = json_is_integer(until) ? when : "until released";
		cells[2] = sbuf_text(&left);
		cells[3] = json_is_true(json_object_get(h, "drop")) ? "dropped" : "wait";
		cells[4] = sbuf_text(&queued);
		if (t)
			table_add(t, cells);
		sbuf_release(&what);
		sbuf_release(&left);
		sbuf_release(&queued);
	}
	json_decref(list);
	if (!t)
		return cli_fail(c, "out of memory listing the holds");
	table_print_free(t, stdout);
	return EXIT_OK;
}

int cmd_hold(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "for", required_argument, NULL, 'f' },
		{ "drop", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct duration_rule rule = { HOLD_UNITS, 0, HOLD_MAX_MS };
	const char *type = NULL, *span = NULL;
	long long for_ms = 0, now, until = 0;
	struct hold_set_result res;
	struct hold_target t;
	struct sbuf line;
	char err[ERR_MAX], when[64];
	int opt, drop = 0, rc;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt == 'e')
			type = optarg;
		else if (opt == 'f')
			span = optarg;
		else if (opt == 'd')
			drop = 1;
		else
			return EXIT_USAGE;
	}
	if (!type && optind == argc && !span && !drop)
		return cli_store(c) < 0 ? EXIT_REFUSED : print_holds(c);
	if ((rc = parse_target(c, argc, argv, type, &t)) != EXIT_OK)
		return rc;
	if (span) {
		if (duration_parse(span, strlen(span), &rule, "--for", &for_ms, err) < 0)
			return cli_usage(c, "%s (e.g. --for 30m, --for 2h)", err);
		if (for_ms == 0)
			return cli_usage(c, "--for 0 would end the hold at once; give a length such as 30m, "
					 "or leave --for out to hold until 'hookman release'");
	}
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	now = store_now_ms();
	if (for_ms)
		until = now + for_ms;
	if (holds_set(c->st, &t, now, until, drop, &res, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json)
		return cli_print_json(c, json_pack("{s:s?, s:s?, s:o, s:b, s:I, s:b}", "webhook", t.webhook,
						   "event", t.event_type,
						   "until", until ? json_integer(until) : json_null(), "drop", drop,
						   "queued", (json_int_t)res.queued, "replaced", res.replaced));
	sbuf_init(&line);
	sbuf_append(&line, "held ");
	target_text(&line, &t);
	if (until) {
		cli_format_time(until, when, sizeof when);
		sbuf_appendf(&line, " until %s (", when);
		duration_format(&line, for_ms, HOLD_UNITS);
		sbuf_append(&line, ")");
	} else {
		sbuf_append(&line, " until released");
	}
	sbuf_append(&line, drop ? ": new deliveries are dropped (recorded, never sent)" : ": new deliveries wait");
	if (res.queued)
		sbuf_appendf(&line, "; %lld already queued wait%s", res.queued, drop ? "" : " too");
	if (res.replaced) {
		sbuf_appendf(&line, "; this replaces its hold that %s ", res.was_drop ? "dropped them" : "kept them waiting");
		if (res.was_until) {
			cli_format_time(res.was_until, when, sizeof when);
			sbuf_appendf(&line, "until %s", when);
		} else {
			sbuf_append(&line, "until released");
		}
	}
	sbuf_append(&line, t.webhook ? "; run: hookman release " : "; run: hookman release --event ");
	cli_shell_word(&line, t.webhook ? t.webhook : t.event_type);
	sbuf_append(&line, " to end it");
	printf("%s\n", line.failed ? "held" : sbuf_text(&line));
	sbuf_release(&line);
	return EXIT_OK;
}

int cmd_release(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char *type = NULL;
	long long queued, dropped;
	struct hold_target t;
	struct sbuf line;
	char err[ERR_MAX];
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt == 'e')
			type = optarg;
		else
			return EXIT_USAGE;
	}
	if ((rc = parse_target(c, argc, argv, type, &t)) != EXIT_OK)
		return rc;
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (holds_release(c->st, &t, store_now_ms(), &queued, &dropped, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json)
		rc = cli_print_json(c, json_pack("{s:s?, s:s?, s:I, s:I}", "webhook", t.webhook, "event", t.event_type,
						 "queued", (json_int_t)queued, "dropped", (json_int_t)dropped));
	else {
		sbuf_init(&line);
		sbuf_append(&line, "released ");
		target_text(&line, &t);
		if (queued)
			sbuf_appendf(&line, ": %lld queued deliver%s no longer held by it (each goes at its due time)",
				     queued, plural(queued, "y is", "ies are"));
		else
			sbuf_append(&line, ": nothing was waiting");
		if (dropped && t.webhook) {
			sbuf_appendf(&line, "; %lld dropped while held stay%s dropped (hookman redeliver --webhook ",
				     dropped, plural(dropped, "s", ""));
			cli_shell_word(&line, t.webhook);
			sbuf_append(&line, " --state dropped sends them)");
		}
		else if (dropped)
			sbuf_appendf(&line, "; %lld dropped while held stay%s dropped ('hookman redeliver ID' sends one)",
				     dropped, plural(dropped, "s", ""));
		printf("%s\n", line.failed ? "released" : sbuf_text(&line));
		sbuf_release(&line);
		rc = EXIT_OK;
	}
	fflush(stdout);
	if (queued)
		cli_wake(c);
	return rc;
}
