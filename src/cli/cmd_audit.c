/* audit: hookman's record of its own changes, oldest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "timefmt.h"

/* The most entries -n takes: more than any terminal shows. */
#define AUDIT_N_MAX 1000000

/* One entry as text: when, who, through what, what; then what changed,
 * one field a line. Everything in data came from the store, so what is
 * printed is escaped like anything received. */
static void print_entry(const struct audit_entry *e, const json_t *data)
{
	const json_t *changes = json_object_get(data, "changes"), *ch;
	struct actor who;
	char when[40], phrase[512];
	size_t i;

	actor_from_json(&who, json_object_get(data, "who"));
	actor_phrase(&who, phrase, sizeof phrase);
	cli_format_time(e->at, when, sizeof when);
	printf("%s  %-8s ", when, e->action);
	cli_put_received(phrase);
	printf(" via %s: ", e->via);
	cli_put_received(json_string_value(json_object_get(data, "object")) ?
			 json_string_value(json_object_get(data, "object")) : "");
	putchar('\n');
	json_array_foreach(changes, i, ch) {
		printf("    %s: ", json_string_value(json_object_get(ch, "field")));
		cli_put_received(json_string_value(json_object_get(ch, "from")));
		printf(" → ");
		cli_put_received(json_string_value(json_object_get(ch, "to")));
		putchar('\n');
	}
}

/* One entry printed as it is read: as text, or as the next element of
 * the --json array. */
struct listing {
	int json;
	size_t shown;
};

static int list_entry(void *ctx, const struct audit_entry *e, char *err)
{
	struct listing *l = ctx;
	json_t *data = json_loads(e->data, 0, NULL);
	char when[40];

	(void)err;
	if (l->json) {
		char *text;

		/* An entry that does not read is said, not skipped. */
		if (!data)
			data = json_pack("{s:s, s:s}", "audit_id", e->uid, "error",
					 "this entry's data does not read as JSON; the store may be damaged");
		text = data ? json_dumps(data, JSON_INDENT(2)) : NULL;
		printf("%s%s", l->shown ? ",\n" : "[\n", text ? text : "null");
		free(text);
	} else if (data) {
		print_entry(e, data);
	} else {
		cli_format_time(e->at, when, sizeof when);
		printf("%s  %-8s entry %s: its data does not read as JSON; the store may be damaged\n", when,
		       e->action, e->uid);
	}
	json_decref(data);
	l->shown++;
	return 0;
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct listing l = { 0, 0 };
	long long since = 0;
	long limit = 0;
	const char *name = NULL;
	char err[ERR_MAX];
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "n:", opts)) != -1) {
		switch (opt) {
		case 's':
			if (timefmt_parse_since(optarg, store_now_ms(), &since, err) < 0)
				return cli_usage(c, "--since %s: %s", optarg, err);
			break;
		case 'n':
			if (cli_parse_count(optarg, 1, AUDIT_N_MAX, &limit) < 0)
				return cli_usage(c, "-n %s: give how many of the latest entries to show, 1 to %d",
						 optarg, AUDIT_N_MAX);
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return cli_usage(c, "give at most one webhook NAME");
	if (optind < argc)
		name = argv[optind];
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	l.json = c->json;
	if (audit_each(c->st, since, name, (size_t)limit, list_entry, &l, err) < 0) {
		if (l.json && l.shown)
			printf("\n]\n");
		return cli_fail(c, "%s", err);
	}
	if (l.json)
		printf("%s]\n", l.shown ? "\n" : "[");
	else if (l.shown == 0)
		printf("No audit entries%s%s%s.\n", name ? " about " : "", name ? name : "",
		       since ? " in that time" : "");
	return EXIT_OK;
}
