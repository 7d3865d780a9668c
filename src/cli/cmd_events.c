/* events: the catalog, as the operator subscribes to it. */
#include <stdio.h>

#include "cli.h"
#include "table.h"

int cmd_events(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "GROUP", "ID", "TITLE" };
	static const struct option opts[] = { { "ids", no_argument, NULL, 'i' }, { NULL, 0, NULL, 0 } };
	struct table *t;
	json_t *arr;
	size_t i;
	int opt, ids = 0;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt != 'i')
			return EXIT_USAGE;
		ids = 1;
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument \"%s\"", argv[optind]);
	if (cli_catalog(c) < 0)
		return EXIT_REFUSED;
	if (ids) {
		for (i = 0; i < catalog_count(c->cat); i++)
			printf("%s\n", catalog_event(c->cat, i)->id);
		return EXIT_OK;
	}
	if (c->json) {
		arr = json_array();
		for (i = 0; arr && i < catalog_count(c->cat); i++) {
			const struct catalog_event *e = catalog_event(c->cat, i);
			const struct catalog_group *g = catalog_group(c->cat, e->group);

			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "id", e->id, "group",
							     g->name, "title", e->title, "jira", g->jira));
		}
		return cli_print_json(c, arr);
	}
	t = table_new(3, head);
	if (!t)
		return cli_fail(c, "out of memory");
	for (i = 0; i < catalog_count(c->cat); i++) {
		const struct catalog_event *e = catalog_event(c->cat, i);
		const char *row[3] = { catalog_group(c->cat, e->group)->name, e->id, e->title };

		if (table_add(t, row) < 0) {
			table_print_free(t, stdout);
			return cli_fail(c, "out of memory");
		}
	}
	table_print_free(t, stdout);
	return EXIT_OK;
}
