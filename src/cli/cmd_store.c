/* store init|copy: the store itself, whatever its engine (issue 15). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "schema.h"
#include "storecopy.h"
#include "storedir.h"

/* Open the store named by arg (a directory or a URI, as --store). */
static struct store *open_named(struct cli *c, const char *arg, char *where, size_t size)
{
	char err[ERR_MAX];
	struct store *st;

	if (storedir_resolve(arg, where, size, err) < 0) {
		cli_fail(c, "%s", err);
		return NULL;
	}
	st = store_open(where, err);
	if (!st)
		cli_fail(c, "%s", err);
	return st;
}

static const char *engine(const struct store *st)
{
	return store_is_postgresql(st) ? "PostgreSQL" : "SQLite";
}

static int init(struct cli *c)
{
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (c->json)
		return cli_print_json(c, json_pack("{s:s, s:s, s:i}", "store", cli_store_name(c), "engine",
						   engine(c->st), "schema_version", SCHEMA_VERSION));
	printf("store %s ready (%s, schema version %d)\n", cli_store_name(c), engine(c->st), SCHEMA_VERSION);
	return EXIT_OK;
}

static int copy(struct cli *c, const char *from, const char *to)
{
	static const char *const nouns[STORECOPY_TABLES][2] = {
		{ "webhook", "webhooks" }, { "subscription", "subscriptions" }, { "event", "events" },
		{ "hold", "holds" }, { "delivery", "deliveries" }, { "body", "bodies" },
		{ "attempt", "attempts" }, { "audit entry", "audit entries" },
	};
	char src_where[4096], dst_where[4096], err[ERR_MAX];
	struct store *src, *dst = NULL;
	struct storecopy_counts n;
	int rc = EXIT_REFUSED, t;

	src = open_named(c, from, src_where, sizeof src_where);
	if (!src)
		return EXIT_REFUSED;
	if (storedir_resolve(to, dst_where, sizeof dst_where, err) < 0) {
		cli_fail(c, "%s", err);
		goto out;
	}
	if (strcmp(src_where, dst_where) == 0) {
		cli_fail(c, "the source and the destination are the same store; name another destination");
		goto out;
	}
	dst = open_named(c, to, dst_where, sizeof dst_where);
	if (!dst)
		goto out;
	if (storecopy_run(src, dst, &n, err) < 0) {
		cli_fail(c, "%s; nothing was copied", err);
		goto out;
	}
	if (c->json) {
		json_t *rows = json_object();

		for (t = 0; t < STORECOPY_TABLES; t++)
			json_object_set_new(rows, storecopy_table_name(t), json_integer(n.rows[t]));
		rc = cli_print_json(c, json_pack("{s:s, s:s, s:o}", "from", store_path(src), "to", store_path(dst),
						 "rows", rows));
		goto out;
	}
	printf("copied %s (%s) to %s (%s), secrets included:\n", store_is_postgresql(src) ? store_path(src) : src_where,
	       engine(src), store_is_postgresql(dst) ? store_path(dst) : dst_where, engine(dst));
	for (t = 0; t < STORECOPY_TABLES; t++)
		printf("  %lld %s\n", n.rows[t], nouns[t][n.rows[t] != 1]);
	rc = EXIT_OK;
out:
	store_close(dst);
	store_close(src);
	return rc;
}

int cmd_store(struct cli *c, int argc, char **argv)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "init") && strcmp(sub, "copy"))
		return cli_usage(c, "use 'hookman store init' or 'hookman store copy SRC DST'");
	c->cmd = strcmp(sub, "init") == 0 ? "store init" : "store copy";
	argc--;
	argv++;
	if (cli_getopt(c, argc, argv, "", none) != -1)
		return EXIT_USAGE;
	if (strcmp(sub, "init") == 0) {
		if (optind < argc)
			return cli_usage(c, "unexpected argument \"%s\" (the store is --store's)", argv[optind]);
		return init(c);
	}
	if (argc - optind != 2)
		return cli_usage(c, "copy takes two stores, SRC and DST (a directory or a postgresql:// URI each)");
	return copy(c, argv[optind], argv[optind + 1]);
}
