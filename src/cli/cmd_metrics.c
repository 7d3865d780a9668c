/* metrics: the store's state in Prometheus's text format (metrics.h), for
 * a scrape through a wrapper or a one-off look; hookmand --metrics-file
 * keeps the same text in a file. */
#include <stdio.h>

#include "cli.h"
#include "metrics.h"
#include "sbuf.h"

/* How long hookmand may take to answer before it counts as not serving
 * the store: a sender that cannot answer a status in that time is not
 * delivering either. */
#define SENDER_ANSWER_MS 2000

int cmd_metrics(struct cli *c, int argc, char **argv)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	struct control_status status;
	struct sbuf text;
	char err[ERR_MAX];
	int senders;

	if (cli_getopt(c, argc, argv, "", none) != -1)
		return EXIT_USAGE;
	if (optind < argc)
		return cli_usage(c, "unexpected argument \"%s\"", argv[optind]);
	if (c->json)
		return cli_usage(c, "--json does not apply: the metrics are Prometheus's text format already");
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	/* Anything but silence is a sender: one that refuses the request
	 * still runs for this store. */
	senders = control_status(c->run, SENDER_ANSWER_MS, &status, err) == 0 || err_kind(err) != ERR_UNAVAILABLE;
	control_status_clear(&status);
	sbuf_init(&text);
	if (metrics_expose(c->st, senders, store_now_ms(), &text, err) < 0) {
		sbuf_release(&text);
		return cli_fail(c, "%s", err);
	}
	fputs(sbuf_text(&text), stdout);
	sbuf_release(&text);
	return EXIT_OK;
}
