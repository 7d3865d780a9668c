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
		printf(" -> ");
		cli_put_received(json_string_value(json_object_get(ch, "to")));
		putchar('\n');
	}
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct audit_entry *list;
	long long since = 0;
	size_t n, i, shown = 0, limit = 0;
	const char *name = NULL;
	char err[ERR_MAX], *end;
	json_t *out = NULL;
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "n:", opts)) != -1) {
		switch (opt) {
		case 's':
			if (timefmt_parse_since(optarg, store_now_ms(), &since, err) < 0)
				return cli_usage(c, "--since %s: %s", optarg, err);
			break;
		case 'n':
			limit = (size_t)strtoull(optarg, &end, 10);
			if (!*optarg || *end || optarg[0] == '-' || limit == 0 || limit > AUDIT_N_MAX)
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
	if (audit_list(c->st, since, name, limit, &list, &n, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json)
		out = json_array();
	for (i = 0; i < n; i++) {
		json_t *data = json_loads(list[i].data, 0, NULL);

		if (!data)
			continue;
		if (out)
			json_array_append_new(out, data);
		else {
			print_entry(&list[i], data);
			json_decref(data);
		}
		shown++;
	}
	audit_list_free(list, n);
	if (out)
		return cli_print_json(c, out);
	if (shown == 0)
		printf("No audit entries%s%s%s.\n", name ? " for " : "", name ? name : "",
		       since ? " in that time" : "");
	return EXIT_OK;
}
