/* prune: remove what the store no longer needs (prune.h), by hand; the
 * same as hookmand does each day, with the age the operator chooses. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "duration.h"
#include "prune.h"
#include "sbuf.h"

/* Ten years: a longer age keeps everything, which not pruning says. */
#define OLDER_THAN_MAX_MS (3650LL * 24 * 60 * 60 * 1000)
#define OLDER_THAN_UNITS (DURATION_S | DURATION_M | DURATION_H | DURATION_D)

/* --older-than: a unit is required ("7d", "12h"); 0s prunes every
 * finished delivery. Refused before the store is opened. */
static int parse_age(struct cli *c, const char *arg, long long *ms)
{
	static const struct duration_rule rule = { OLDER_THAN_UNITS, 0, OLDER_THAN_MAX_MS };
	char err[ERR_MAX];
	struct sbuf what;
	int rc;

	sbuf_init(&what);
	sbuf_appendf(&what, "--older-than \"%s\"", arg);
	rc = duration_parse(arg, strlen(arg), &rule, what.failed ? "--older-than" : sbuf_text(&what), ms, err);
	sbuf_release(&what);
	if (rc < 0)
		return cli_usage(c, "%s", err);
	return EXIT_OK;
}

/* "12.5 MiB", "800 KiB", "512 bytes". */
static void size_text(long long bytes, char *out, size_t size)
{
	if (bytes >= 1024LL * 1024)
		snprintf(out, size, "%.1f MiB", bytes / (1024.0 * 1024));
	else if (bytes >= 1024)
		snprintf(out, size, "%.0f KiB", bytes / 1024.0);
	else
		snprintf(out, size, "%lld bytes", bytes);
}

static int print_json(struct cli *c, long long age, long long before, const struct prune_counts *n,
		      const struct store_size *was, const struct store_size *now, int vacuum)
{
	return cli_print_json(c, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b}",
		"older_than_ms", (json_int_t)age, "before", (json_int_t)before,
		"deliveries", (json_int_t)n->deliveries, "tests", (json_int_t)n->tests,
		"attempts", (json_int_t)n->attempts, "events", (json_int_t)n->events,
		"bytes_before", (json_int_t)was->bytes, "bytes_after", (json_int_t)now->bytes,
		"vacuumed", vacuum, "incremental", now->incremental));
}

static const char *plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* "removed 3 deliveries finished more than 7d ago (1 a test send), their
 * 5 attempts and 2 events no delivery refers to any more". */
static void print_counts(long long age, const struct prune_counts *n)
{
	struct sbuf when;

	sbuf_init(&when);
	if (age > 0) {
		sbuf_appendf(&when, "more than ");
		duration_format(&when, age, OLDER_THAN_UNITS);
		sbuf_appendf(&when, " ago");
	} else {
		sbuf_appendf(&when, "at any time");
	}
	if (n->tests == 1)
		sbuf_appendf(&when, " (1 of them a test send)");
	else if (n->tests > 1)
		sbuf_appendf(&when, " (%lld of them test sends)", n->tests);
	if (!n->deliveries && !n->events)
		printf("nothing finished %s to remove\n", when.failed ? "long ago" : sbuf_text(&when));
	else
		printf("removed %lld %s finished %s, their %lld %s and %lld %s no delivery refers to any more\n",
		       n->deliveries, plural(n->deliveries, "delivery", "deliveries"),
		       when.failed ? "long ago" : sbuf_text(&when), n->attempts,
		       plural(n->attempts, "attempt", "attempts"), n->events, plural(n->events, "event", "events"));
	sbuf_release(&when);
}

static void print_text(long long age, const struct prune_counts *n, const struct store_size *was,
		       const struct store_size *now)
{
	char a[32], b[32];

	print_counts(age, n);
	size_text(was->bytes, a, sizeof a);
	size_text(now->bytes, b, sizeof b);
	printf("store file: %s, was %s\n", b, a);
	if (!now->incremental && now->free_bytes > 0) {
		size_text(now->free_bytes, a, sizeof a);
		printf("%s of it is free and reused by new deliveries; this store predates automatic shrinking: "
		       "'hookman prune --vacuum' gives the space back and shrinks it from then on\n", a);
	}
}

int cmd_prune(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "older-than", required_argument, NULL, 'o' },
		{ "vacuum", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct prune_counts n = { 0 };
	struct store_size was, now;
	long long age = PRUNE_KEEP_DEFAULT_MS, before;
	char err[ERR_MAX];
	int opt, vacuum = 0;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt == 'o') {
			if (parse_age(c, optarg, &age) != EXIT_OK)
				return EXIT_USAGE;
		} else if (opt == 'v') {
			vacuum = 1;
		} else {
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument \"%s\"", argv[optind]);
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	before = store_now_ms() - age;
	if (store_size(c->st, &was, err) < 0)
		return cli_fail(c, "%s", err);
	if (prune_run(c->st, before, PRUNE_BATCH, &n, err) < 0)
		return cli_fail(c, "%s (%lld deliveries and %lld events were removed before)", err,
				n.deliveries, n.events);
	if (vacuum && store_vacuum(c->st, err) < 0)
		return cli_fail(c, "%s", err);
	if (store_size(c->st, &now, err) < 0)
		return cli_fail(c, "%s", err);
	if (c->json)
		return print_json(c, age, before, &n, &was, &now, vacuum);
	print_text(age, &n, &was, &now);
	return EXIT_OK;
}
