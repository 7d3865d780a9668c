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

int cmd_test(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "event", required_argument, NULL, 'e' }, { NULL, 0, NULL, 0 } };
	const char *type = NULL;
	struct webhook wh;
	struct event ev;
	json_t *req, *r = NULL, *status;
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
	req = json_pack("{s:s, s:I}", "cmd", "test", "delivery", (json_int_t)delivery);
	rc = control_request(c->dir, req, &r, wh.timeout * 1000 + 10000, err);
	json_decref(req);
	if (rc < 0) {
		rc = cli_fail(c, "%s", err);
		goto out;
	}
	if (c->json) {
		rc = json_is_integer(json_object_get(r, "status")) &&
		     json_integer_value(json_object_get(r, "status")) / 100 == 2 ? EXIT_OK : EXIT_REFUSED;
		cli_print_json(c, json_incref(r));
		goto out;
	}
	printf("test %s of \"%s\" (%s) to %s\n", json_string_value(json_object_get(r, "id")), wh.name, ev.type, url);
	status = json_object_get(r, "status");
	if (json_is_integer(status))
		printf("HTTP %lld in %lld ms%s", (long long)json_integer_value(status),
		       (long long)json_integer_value(json_object_get(r, "duration_ms")),
		       json_is_string(json_object_get(r, "error")) ? ": " : "");
	else
		printf("failed after %lld ms: ", (long long)json_integer_value(json_object_get(r, "duration_ms")));
	if (json_is_string(json_object_get(r, "error")))
		cli_put_received(json_string_value(json_object_get(r, "error")));
	printf("\nrequest headers:\n");
	cli_print_received(json_string_value(json_object_get(r, "request_headers")), 0);
	if (json_is_integer(status)) {
		printf("response (%lld bytes):\n", (long long)json_integer_value(json_object_get(r, "response_size")));
		cli_print_received(json_string_value(json_object_get(r, "response_body")), RESPONSE_SHOWN);
	}
	rc = json_is_integer(status) && json_integer_value(status) / 100 == 2 ? EXIT_OK : EXIT_REFUSED;
out:
	json_decref(r);
	event_clear(&ev);
	webhook_clear(&wh);
	return rc;
}
