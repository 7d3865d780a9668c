/* test: send the sample event to one webhook now, through hookmand, and
 * show what happened. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "fanout.h"
#include "format.h"
#include "mask.h"

#define RESPONSE_SHOWN 1024

/* An event type the webhook's formatting fits: one of its own, else the
 * first such type in the catalog. */
static const char *fitting_event(const struct cli *c, const struct webhook *wh)
{
	size_t i;

	for (i = 0; i < wh->nevents; i++)
		if (format_fits(wh->format, c->cat, wh->events[i], NULL) == 0)
			return wh->events[i];
	for (i = 0; i < catalog_count(c->cat); i++)
		if (format_fits(wh->format, c->cat, catalog_event(c->cat, i)->id, NULL) == 0)
			return catalog_event(c->cat, i)->id;
	return "TYPE";
}

static void print_result(const struct control_test_result *r, const struct webhook *wh, const char *type,
			 const char *url)
{
	printf("test %s of \"%s\" (%s) to %s\n", r->id ? r->id : "", wh->name, type, url);
	if (r->has_status)
		printf("HTTP %ld in %lld ms%s", r->status, r->duration_ms, r->error ? ": " : "");
	else
		printf("failed after %lld ms: ", r->duration_ms);
	if (r->error)
		cli_put_received(r->error);
	printf("\nrequest headers:\n");
	cli_print_received(r->request_headers ? r->request_headers : "", 0);
	if (r->has_status) {
		printf("response (%lld bytes):\n", r->response_size);
		cli_print_received(r->response_body ? r->response_body : "", RESPONSE_SHOWN);
	}
}

int cmd_test(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "event", required_argument, NULL, 'e' }, { NULL, 0, NULL, 0 } };
	const char *type = NULL;
	struct webhook wh;
	struct event ev;
	struct control_pending p;
	struct control_test_result r;
	char err[ERR_MAX], url[URL_MAX + 64];
	long long delivery;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt != 'e')
			return EXIT_USAGE;
		type = optarg;
	}
	if (argc - optind != 1)
		return cli_usage(c, "give exactly one webhook NAME");
	if (cli_catalog(c) < 0 || cli_store(c) < 0)
		return EXIT_REFUSED;
	if (store_webhook_get(c->st, argv[optind], &wh, err) < 0) {
		webhook_clear(&wh);
		return cli_fail(c, "%s", err);
	}
	if (event_init(&ev, c->cat, type ? type : wh.events[0], NULL, NULL, err) < 0) {
		webhook_clear(&wh);
		return cli_fail(c, "%s", err);
	}
	/* A test shows what delivery would send, so it refuses what delivery
	 * never would, before anything is recorded or the sender is asked.
	 * The webhook's own events all fit (saving enforces it): suggest one. */
	if (format_fits(wh.format, c->cat, ev.type, err) < 0) {
		rc = cli_fail(c, "nothing sent: %s, so \"%s\" would never get it; test it with --event %s, "
			      "or change its formatting with 'hookman edit \"%s\" --format default'",
			      err, wh.name, fitting_event(c, &wh), wh.name);
		event_clear(&ev);
		webhook_clear(&wh);
		return rc;
	}
	/* The daemon first, so the test is not left waiting in the store. */
	if (cli_ensure_sender(c, NULL, err) < 0 || fanout_test(c->st, &wh, &ev, &delivery, err) < 0) {
		event_clear(&ev);
		webhook_clear(&wh);
		return cli_fail(c, "%s", err);
	}
	mask_url(wh.url, url, sizeof url);
	memset(&r, 0, sizeof r);
	if (control_test_delivery(c->run, delivery, &p, err) < 0 ||
	    control_test_wait(&p, wh.timeout * 1000 + 10000, &r, err) < 0) {
		rc = cli_fail(c, "%s", err);
		goto out;
	}
	rc = r.has_status && r.status / 100 == 2 ? EXIT_OK : EXIT_REFUSED;
	if (c->json) {
		cli_print_json(c, json_incref(r.raw));
		goto out;
	}
	print_result(&r, &wh, ev.type, url);
out:
	control_test_result_clear(&r);
	event_clear(&ev);
	webhook_clear(&wh);
	return rc;
}
