/* fire: record an event and queue one delivery per subscribed webhook. */
#include <stdio.h>

#include "cli.h"
#include "fanout.h"

int cmd_fire(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "data", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *title = NULL, *datapath = NULL;
	struct fanout_result res = { 0, 0 };
	struct event ev;
	json_t *data = NULL;
	char err[ERR_MAX];
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt == 't')
			title = optarg;
		else if (opt == 'd')
			datapath = optarg;
		else
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage(c, "give exactly one event TYPE (see 'hookman events')");
	if (cli_catalog(c) < 0)
		return EXIT_REFUSED;
	if (datapath && !(data = cli_read_data(c, datapath)))
		return EXIT_REFUSED;
	if (event_init(&ev, c->cat, argv[optind], title, data, err) < 0)
		return cli_fail(c, "%s", err);
	if (cli_store(c) < 0) {
		event_clear(&ev);
		return EXIT_REFUSED;
	}
	if (fanout_fire(c->st, &ev, &res, err) < 0) {
		event_clear(&ev);
		return cli_fail(c, "%s", err);
	}
	if (c->json)
		rc = cli_print_json(c, json_pack("{s:s, s:s, s:I}", "event", ev.uid, "type", ev.type,
						 "deliveries", (json_int_t)res.deliveries));
	else {
		printf("fired %s (%s): %zu deliver%s queued\n", ev.uid, ev.type, res.deliveries,
		       res.deliveries == 1 ? "y" : "ies");
		rc = EXIT_OK;
	}
	event_clear(&ev);
	return rc;
}
