/* events: the catalog, as the operator subscribes to it. The group ids
 * are shown too: --events takes them for whole groups. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "table.h"

int cmd_events(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "GROUP ID", "GROUP", "ID", "TITLE" };
	static const struct option opts[] = {
		{ "ids", no_argument, NULL, 'i' },
		{ "groups", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	struct table *t;
	json_t *arr;
	size_t i;
	int opt, ids = 0, groups = 0;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt == 'i')
			ids = 1;
		else if (opt == 'g')
			groups = 1;
		else
			return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument \"%s\"", argv[optind]);
	if (ids && groups)
		return cli_usage(c, "--ids and --groups cannot be combined; give one");
	if (cli_catalog(c) < 0)
		return EXIT_REFUSED;
	if (ids) {
		for (i = 0; i < catalog_count(c->cat); i++)
			printf("%s\n", catalog_event(c->cat, i)->id);
		return EXIT_OK;
	}
	if (groups) {
		/* One per line, for scripts and completion. */
		char *list = catalog_group_ids(c->cat, "\n");

		if (!list)
			return cli_fail(c, "out of memory");
		printf("%s\n", list);
		free(list);
		return EXIT_OK;
	}
	if (c->json) {
		arr = json_array();
		for (i = 0; arr && i < catalog_count(c->cat); i++) {
			const struct catalog_event *e = catalog_event(c->cat, i);
			const struct catalog_group *g = catalog_group(c->cat, e->group);

			if (json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", e->id,
								 "group", g->name, "group_id", g->id,
								 "title", e->title, "jira", g->jira)) < 0) {
				json_decref(arr);
				arr = NULL;
			}
		}
		return cli_print_json(c, arr);
	}
	t = table_new(4, head);
	if (!t)
		return cli_fail(c, "out of memory");
	for (i = 0; i < catalog_count(c->cat); i++) {
		const struct catalog_event *e = catalog_event(c->cat, i);
		const struct catalog_group *g = catalog_group(c->cat, e->group);
		const char *row[4] = { g->id, g->name, e->id, e->title };

		if (table_add(t, row) < 0) {
			table_print_free(t, stdout);
			return cli_fail(c, "out of memory");
		}
	}
	table_print_free(t, stdout);
	return EXIT_OK;
}
