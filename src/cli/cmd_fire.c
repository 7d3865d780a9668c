/* fire: record an event and queue one delivery per subscribed webhook;
 * with --stdin, one JSON event per line, fanned out in batches. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fanout.h"
#include "linereader.h"
#include "sbuf.h"

/* Events per transaction: each commit is followed by a wake, and hookmand
 * claims in the moment between two, so a stream is delivered while it is
 * still being read rather than after it. */
#define BATCH 250
#define LINE_MAX_BYTES (1024 * 1024)

/* Events parsed and held until they are fanned out in one transaction;
 * line[i] is ev[i]'s line in the input. */
struct batch {
	struct event *ev;
	size_t *line;
	size_t n, cap;
	size_t events, deliveries, dropped, coalesced, bad;
	size_t failed_line;        /* the line whose fan-out failed, or 0 */
};

static void explain_store_error(struct cli *c, char *err)
{
	static const char *const suffixes[] = { "", "-wal" };
	struct rlimit lim;
	struct sbuf path;
	struct stat sb;
	size_t i;
	int near = 0;

	if (!c->st || err_kind(err) != ERR_IO || getrlimit(RLIMIT_FSIZE, &lim) < 0 ||
	    lim.rlim_cur == RLIM_INFINITY)
		return;
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		sbuf_init(&path);
		sbuf_appendf(&path, "%s%s", store_path(c->st), suffixes[i]);
		if (!path.failed && stat(sbuf_text(&path), &sb) == 0 &&
		    (unsigned long long)sb.st_size + 1024 * 1024 >= (unsigned long long)lim.rlim_cur)
			near = 1;
		sbuf_release(&path);
	}
	if (near)
		err_setk(err, ERR_IO, "cannot write the store: %s would grow past this process's file size limit "
			 "(ulimit -f); raise the limit and retry", store_path(c->st));
}

/* The end of fire's report line: what joined a coalesced delivery that
 * waits for its window's end, what a hold with drop kept from being sent,
 * then `rest`. */
static void print_extra(size_t coalesced, size_t dropped, const char *rest)
{
	if (coalesced)
		printf(", %zu coalesced into %s", coalesced, coalesced == 1 ? "a waiting delivery" : "waiting deliveries");
	if (dropped)
		printf(", %zu dropped (held with --drop)", dropped);
	printf("%s\n", rest);
}

static int batch_hold(struct batch *b, struct event *ev, size_t line)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		struct event *ev_grown = realloc(b->ev, cap * sizeof *ev_grown);
		size_t *line_grown;

		if (!ev_grown)
			return -1;
		b->ev = ev_grown;
		line_grown = realloc(b->line, cap * sizeof *line_grown);
		if (!line_grown)
			return -1;
		b->line = line_grown;
		b->cap = cap;
	}
	b->ev[b->n] = *ev;
	b->line[b->n++] = line;
	return 0;
}

static void batch_drop(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		event_clear(&b->ev[i]);
	b->n = 0;
}

/* Fan out the held events in one transaction, commit and tell hookmand,
 * so a slow stream (tail -F) is delivered as it comes. The events were
 * parsed before the transaction: the store's lock is held for the writes
 * alone, and hookmand gets it between two batches. more: further input is
 * already waiting, so this commit need not wait for the disk (the next
 * one's sync covers it, and nothing was reported yet). The held events are
 * dropped either way; on failure nothing of them is queued. */
static int batch_fire(struct cli *c, struct batch *b, int more, char *err)
{
	struct fanout_result res;
	size_t i, deliveries = 0, dropped = 0, coalesced = 0;
	char restore_err[ERR_MAX];
	int rc = -1;

	b->failed_line = 0;
	if (b->n == 0)
		return 0;
	if (more && store_sync_each_commit(c->st, 0, err) < 0)
		goto out;
	if (store_begin(c->st, err) < 0)
		goto out;
	for (i = 0; i < b->n; i++) {
		if (fanout_fire_in_tx(c->st, &b->ev[i], &res, err) < 0) {
			b->failed_line = b->line[i];
			store_rollback(c->st);
			goto out;
		}
		deliveries += res.deliveries;
		dropped += res.dropped;
		coalesced += res.coalesced;
	}
	if (store_commit(c->st, err) < 0)
		goto out;
	b->events += b->n;
	b->deliveries += deliveries;
	b->dropped += dropped;
	b->coalesced += coalesced;
	rc = 0;
	if (deliveries)
		cli_wake(c);
out:
	if (rc < 0)
		explain_store_error(c, err);
	/* A failure to restore the sync is told only when nothing failed
	 * before it, whose sentence err holds. */
	if (more && store_sync_each_commit(c->st, 1, rc < 0 ? restore_err : err) < 0)
		rc = -1;
	batch_drop(b);
	return rc;
}

/* Say why a batch was not queued, and what of the input was. */
static int batch_failed(struct cli *c, const struct batch *b, size_t first, int strict, const char *err)
{
	if (strict)
		return cli_fail(c, "%s; nothing was fired", err);
	if (b->failed_line)
		cli_fail(c, "line %zu: %s; stopped, %s", b->failed_line, err,
			  first > 1 ? "the lines before the batch it was in are queued" : "nothing was queued");
	else
		cli_fail(c, "%s; %s", err, first > 1 ? "the lines before the last batch are queued" :
			 "nothing was queued");
	return EXIT_REFUSED;
}

/* One line of --stdin as an event, refused as fire refuses one by hand. */
static int parse_line(struct cli *c, const char *line, size_t len, struct event *ev, char *err)
{
	if (event_parse_line(ev, c->cat, line, len, err) < 0)
		return -1;
	if (audit_check_fire(ev->type, err) < 0) {
		event_clear(ev);
		return -1;
	}
	return 0;
}

/* Read every line; a bad one is reported by number and skipped, or with
 * strict nothing is written unless all are good. */
static int fire_stdin(struct cli *c, int strict)
{
	struct batch b;
	struct linereader r;
	struct event ev;
	size_t lineno = 0, first = 1, len;
	const char *line;
	char err[ERR_MAX];
	int rc = EXIT_OK, got;

	memset(&b, 0, sizeof b);
	linereader_init(&r, STDIN_FILENO, LINE_MAX_BYTES);
	while ((got = linereader_next(&r, &line, &len, 0)) > 0) {
		if (got == LINEREADER_WAIT) {
			/* Nothing more waiting: commit what came, then wait. */
			if (!strict && batch_fire(c, &b, 0, err) < 0) {
				rc = batch_failed(c, &b, first, strict, err);
				goto out;
			}
			first = lineno + 1;
			got = linereader_next(&r, &line, &len, 1);
			if (got <= 0)
				break;
		}
		lineno++;
		while (len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if (parse_line(c, line, len, &ev, err) < 0) {
			cli_fail(c, "line %zu: %s%s", lineno, err, strict ? "" : "; skipped");
			b.bad++;
			continue;
		}
		if (batch_hold(&b, &ev, lineno) < 0) {
			event_clear(&ev);
			rc = cli_fail(c, "out of memory holding %zu events; %s", b.n,
				      strict ? "nothing was fired" : "the lines before the last batch are queued");
			goto out;
		}
		if (!strict && b.n == BATCH) {
			if (batch_fire(c, &b, 1, err) < 0) {
				rc = batch_failed(c, &b, first, strict, err);
				goto out;
			}
			first = lineno + 1;
		}
	}
	if (got < 0) {
		const char *why = got == LINEREADER_TOO_LONG ? NULL : strerror(errno);

		/* What came before the bad input is kept, as for a bad line. */
		if (!strict && batch_fire(c, &b, 0, err) < 0) {
			rc = batch_failed(c, &b, first, strict, err);
			goto out;
		}
		if (why)
			rc = cli_fail(c, "cannot read standard input after line %zu: %s; %s", lineno, why,
				      strict ? "nothing was fired" : "the lines before are queued");
		else
			rc = cli_fail(c, "line %zu is longer than %d bytes; stopped there, %s", lineno + 1,
				      LINE_MAX_BYTES, strict ? "nothing was fired" : "the lines before it are queued");
		goto out;
	}
	if (strict && b.bad) {
		rc = cli_fail(c, "%zu bad line%s: nothing was fired (--strict)", b.bad, b.bad == 1 ? "" : "s");
		goto out;
	}
	/* The last batch, or with strict all of them: all or nothing. */
	if (batch_fire(c, &b, 0, err) < 0) {
		rc = batch_failed(c, &b, first, strict, err);
		goto out;
	}
	if (c->json)
		cli_print_json(c, json_pack("{s:I, s:I, s:I, s:I, s:I}", "events", (json_int_t)b.events,
					    "deliveries", (json_int_t)b.deliveries, "coalesced", (json_int_t)b.coalesced,
					    "dropped", (json_int_t)b.dropped, "skipped", (json_int_t)b.bad));
	else
	{
		printf("fired %zu event%s: %zu deliver%s queued", b.events, b.events == 1 ? "" : "s",
		       b.deliveries, b.deliveries == 1 ? "y" : "ies");
		print_extra(b.coalesced, b.dropped, b.bad ? ", bad lines skipped" : "");
	}
	if (b.bad)
		rc = EXIT_REFUSED;
out:
	batch_drop(&b);
	free(b.ev);
	free(b.line);
	linereader_free(&r);
	return rc;
}

int cmd_fire(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "data", required_argument, NULL, 'd' },
		{ "stdin", no_argument, NULL, 'i' },
		{ "strict", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *title = NULL, *datapath = NULL;
	struct fanout_result res = { 0, 0, 0, 0 };
	struct event ev;
	json_t *data = NULL;
	char err[ERR_MAX];
	int opt, rc, from_stdin = 0, strict = 0;

	while ((opt = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (opt == 't')
			title = optarg;
		else if (opt == 'd')
			datapath = optarg;
		else if (opt == 'i')
			from_stdin = 1;
		else if (opt == 's')
			strict = 1;
		else
			return EXIT_USAGE;
	}
	if (from_stdin) {
		if (optind < argc || title || datapath)
			return cli_usage(c, "--stdin reads the events (type, title, data) from standard input: give no TYPE, --title or --data");
		if (cli_catalog(c) < 0 || cli_store(c) < 0)
			return EXIT_REFUSED;
		return fire_stdin(c, strict);
	}
	if (strict)
		return cli_usage(c, "--strict goes with --stdin");
	if (argc - optind != 1)
		return cli_usage(c, "give exactly one event TYPE (see 'hookman events'), or --stdin");
	if (cli_catalog(c) < 0)
		return EXIT_REFUSED;
	if (audit_check_fire(argv[optind], err) < 0)
		return cli_fail(c, "%s", err);
	if (datapath && !(data = cli_read_data(c, datapath)))
		return EXIT_REFUSED;
	if (event_init(&ev, c->cat, argv[optind], title, data, err) < 0)
		return cli_fail(c, "%s", err);
	if (cli_store(c) < 0) {
		event_clear(&ev);
		return EXIT_REFUSED;
	}
	if (fanout_fire(c->st, &ev, &res, err) < 0) {
		explain_store_error(c, err);
		event_clear(&ev);
		return cli_fail(c, "%s", err);
	}
	if (c->json)
		rc = cli_print_json(c, json_pack("{s:s, s:s, s:I, s:I, s:I}", "event", ev.uid, "type", ev.type,
						 "deliveries", (json_int_t)res.deliveries,
						 "coalesced", (json_int_t)res.coalesced,
						 "dropped", (json_int_t)res.dropped));
	else {
		printf("fired %s (%s): %zu deliver%s queued", ev.uid, ev.type, res.deliveries,
		       res.deliveries == 1 ? "y" : "ies");
		print_extra(res.coalesced, res.dropped, "");
		rc = EXIT_OK;
	}
	fflush(stdout);
	if (res.deliveries || res.coalesced)
		cli_wake(c);
	event_clear(&ev);
	return rc;
}
