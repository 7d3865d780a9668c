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

#define BATCH 1000        /* events per transaction */
#define LINE_MAX_BYTES (1024 * 1024)

struct batch {
	size_t events, deliveries, bad, in_tx;
};

/* A write past the file size limit (ulimit -f; main ignores SIGXFSZ so
 * that the write fails instead of killing us) fails with EFBIG, which
 * SQLite reports as a bare "disk I/O error" and keeps no errno for (or as
 * a full disk, when the write was cut short at the limit). After a failed
 * store call: when it was the store's I/O (ERR_IO), the process has such a
 * limit and a store file has come within a megabyte of it (the write that
 * failed was a page or a few), say so, the way a full disk is said
 * (store_sql_error). */
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

/* Commit what is pending and tell hookmand, so a slow stream (tail -F)
 * is delivered as it comes, not a thousand lines later. */
static int flush(struct cli *c, struct batch *b, char *err)
{
	if (b->in_tx == 0)
		return 0;
	b->in_tx = 0;
	if (store_commit(c->st, err) < 0) {
		explain_store_error(c, err);
		return -1;
	}
	cli_wake(c);
	return 0;
}

static int fire_one(struct cli *c, struct batch *b, struct event *ev, char *err)
{
	struct fanout_result res;

	if (b->in_tx == 0 && store_begin(c->st, err) < 0) {
		explain_store_error(c, err);
		return -1;
	}
	if (fanout_fire_in_tx(c->st, ev, &res, err) < 0) {
		explain_store_error(c, err);
		store_rollback(c->st);
		b->in_tx = 0;
		return -1;
	}
	b->events++;
	b->deliveries += res.deliveries;
	if (++b->in_tx == BATCH)
		return flush(c, b, err);
	return 0;
}

/* Read every line; a bad one is reported by number and skipped, or with
 * strict nothing is written unless all are good. */
static int fire_stdin(struct cli *c, int strict)
{
	struct batch b = { 0, 0, 0, 0 };
	struct linereader r;
	struct event *held = NULL, ev;
	size_t nheld = 0, caph = 0, lineno = 0, i, len;
	const char *line;
	char err[ERR_MAX];
	int rc = EXIT_OK, got;

	linereader_init(&r, STDIN_FILENO, LINE_MAX_BYTES);
	while ((got = linereader_next(&r, &line, &len, 0)) > 0) {
		if (got == LINEREADER_WAIT) {
			/* Nothing more waiting: commit what came, then wait. */
			if (!strict && flush(c, &b, err) < 0) {
				rc = cli_fail(c, "%s; the last batch was not queued", err);
				goto out;
			}
			got = linereader_next(&r, &line, &len, 1);
			if (got <= 0)
				break;
		}
		lineno++;
		while (len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if (event_parse_line(&ev, c->cat, line, len, err) < 0)
			goto bad;
		if (!strict) {
			int fired = fire_one(c, &b, &ev, err);

			event_clear(&ev);
			if (fired < 0) {
				cli_fail(c, "line %zu: %s; stopped, earlier batches are queued", lineno, err);
				rc = EXIT_REFUSED;
				goto out;
			}
			continue;
		}
		if (nheld == caph) {
			struct event *grown;

			caph = caph ? caph * 2 : 256;
			grown = realloc(held, caph * sizeof *grown);
			if (!grown) {
				event_clear(&ev);
				rc = cli_fail(c, "out of memory holding %zu events", nheld);
				goto out;
			}
			held = grown;
		}
		held[nheld++] = ev;
		continue;
bad:
		cli_fail(c, "line %zu: %s%s", lineno, err, strict ? "" : "; skipped");
		b.bad++;
	}
	if (got < 0) {
		const char *why = got == LINEREADER_TOO_LONG ? NULL : strerror(errno);

		/* What came before the bad input is kept, as for a bad line. */
		if (!strict && flush(c, &b, err) < 0) {
			rc = cli_fail(c, "%s; the last batch was not queued", err);
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
	if (strict && nheld) {
		/* All or nothing: one transaction. */
		if (store_begin(c->st, err) < 0) {
			explain_store_error(c, err);
			rc = cli_fail(c, "%s", err);
			goto out;
		}
		for (i = 0; i < nheld; i++) {
			struct fanout_result res;

			if (fanout_fire_in_tx(c->st, &held[i], &res, err) < 0) {
				explain_store_error(c, err);
				store_rollback(c->st);
				rc = cli_fail(c, "%s; nothing was fired", err);
				goto out;
			}
			b.events++;
			b.deliveries += res.deliveries;
		}
		if (store_commit(c->st, err) < 0) {
			explain_store_error(c, err);
			rc = cli_fail(c, "%s; nothing was fired", err);
			goto out;
		}
	}
	if (flush(c, &b, err) < 0) {
		rc = cli_fail(c, "%s; the last batch was not queued", err);
		goto out;
	}
	if (c->json)
		cli_print_json(c, json_pack("{s:I, s:I, s:I}", "events", (json_int_t)b.events,
					    "deliveries", (json_int_t)b.deliveries, "skipped", (json_int_t)b.bad));
	else
		printf("fired %zu event%s: %zu deliver%s queued%s\n", b.events, b.events == 1 ? "" : "s",
		       b.deliveries, b.deliveries == 1 ? "y" : "ies", b.bad ? ", bad lines skipped" : "");
	if (b.bad)
		rc = EXIT_REFUSED;
out:
	if (b.in_tx)
		store_rollback(c->st);
	if (strict && b.deliveries)
		cli_wake(c);
	for (i = 0; i < nheld; i++)
		event_clear(&held[i]);
	free(held);
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
	struct fanout_result res = { 0, 0 };
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
		rc = cli_print_json(c, json_pack("{s:s, s:s, s:I}", "event", ev.uid, "type", ev.type,
						 "deliveries", (json_int_t)res.deliveries));
	else {
		printf("fired %s (%s): %zu deliver%s queued\n", ev.uid, ev.type, res.deliveries,
		       res.deliveries == 1 ? "y" : "ies");
		rc = EXIT_OK;
	}
	fflush(stdout);
	if (res.deliveries)
		cli_wake(c);
	event_clear(&ev);
	return rc;
}
