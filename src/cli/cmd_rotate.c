/* rotate-secret: a new signing secret for a webhook, the old one still
 * signing for a grace period (rotate.h), so the receiver can switch
 * without a delivery failing verification. */
#include <stdio.h>

#include "cli.h"
#include "duration.h"
#include "rotate.h"
#include "sbuf.h"

int cmd_rotate_secret(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "grace", required_argument, NULL, 'g' }, { NULL, 0, NULL, 0 } };
	long long grace = ROTATE_GRACE_DEFAULT_MS;
	struct rotation r;
	struct sbuf span;
	char err[ERR_MAX], when[64];
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt != 'g')
			return EXIT_USAGE;
		if (rotate_parse_grace(optarg, &grace, err) < 0)
			return cli_usage(c, "%s (e.g. --grace 24h, --grace 0s to drop the old secret at once)", err);
	}
	if (argc - optind != 1)
		return cli_usage(c, "give exactly one webhook NAME (see 'hookman list')");
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (rotate_secret(c->st, argv[optind], grace, store_now_ms(), &r, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json)
		return cli_print_json(c, json_pack("{s:s, s:s, s:o, s:b}", "name", argv[optind], "secret", r.secret,
						   "previous_until", r.previous_until ?
						   json_integer(r.previous_until) : json_null(),
						   "dropped_previous", r.dropped_previous));
	/* Shown once in full, as --gen-secret does: the receiver needs it. */
	printf("signing secret: %s\n", r.secret);
	if (!r.had_secret) {
		printf("\"%s\" had no secret: its requests are signed from now on\n", argv[optind]);
		return EXIT_OK;
	}
	if (!r.previous_until) {
		printf("the old secret no longer signs (--grace 0)\n");
	} else {
		sbuf_init(&span);
		duration_span(&span, grace);
		cli_format_time(r.previous_until, when, sizeof when);
		printf("the old secret also signs until %s (%s): switch the receiver before then\n", when,
		       span.failed ? "?" : sbuf_text(&span));
		sbuf_release(&span);
	}
	if (r.dropped_previous)
		printf("the secret before it, still in its grace, no longer signs: only two secrets sign at once\n");
	return EXIT_OK;
}
