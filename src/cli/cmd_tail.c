/* tail: the last attempts, and with -f every new one as it happens, as
 * journalctl -f does for a log. The store's attempts table is the one
 * source of lines (follow.h), read after the last id printed, so nothing
 * is printed twice or skipped whoever recorded it; a running hookmand's
 * announcements (control.h, "follow") only say when to read, and without
 * one the store is looked at every TAIL_POLL_MS when it changed. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "datadir.h"
#include "follow.h"
#include "sbuf.h"
#include "utf8.h"
#include "webhook.h"

#define TAIL_LINES 10            /* without -n */
#define TAIL_POLL_MS 250         /* the store is looked at this often without news */
#define TAIL_RECONNECT_MS 1000   /* a hookmand that stopped or dropped us: try again this often */
#define TAIL_BATCH 500           /* attempts read at a time */
#define TAIL_WEBHOOK_WIDTH 24    /* the name column grows to the longest name up to this */

static volatile sig_atomic_t stopped;

static void on_stop(int sig)
{
	(void)sig;
	stopped = 1;
}

struct tail {
	struct cli *c;
	struct follow_filter f;
	struct follow_layout lay;
	long long last;          /* the highest attempt id read */
	int reader_gone;         /* standard output's reader went away (SIGPIPE's EPIPE) */
};

/* Print the attempts; 0, or -1 when standard output failed (reader_gone
 * when it was a closed pipe, which ends tail quietly). */
static int print(struct tail *t, const struct follow_attempt *list, size_t n)
{
	long long now = store_now_ms();
	struct sbuf line;
	size_t i;
	int oom = 0;

	sbuf_init(&line);
	for (i = 0; i < n; i++) {
		if (t->c->json) {
			json_t *o = follow_json(&list[i]);
			char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

			json_decref(o);
			if (!text)
				oom = 1;
			else
				sbuf_appendf(&line, "%s\n", text);
			free(text);
		} else {
			/* A webhook added while following widens the column
			 * from its first line on, rather than pushing that
			 * line's later columns out of place. */
			size_t w = utf8_width(list[i].webhook);

			if (w > t->lay.webhook)
				t->lay.webhook = w > TAIL_WEBHOOK_WIDTH ? TAIL_WEBHOOK_WIDTH : w;
			follow_format(&line, &list[i], &t->lay, now);
		}
	}
	if (oom || line.failed) {
		sbuf_release(&line);
		cli_fail(t->c, "out of memory");
		return -1;
	}
	if (line.len)
		fputs(sbuf_text(&line), stdout);
	sbuf_release(&line);
	if (fflush(stdout) == 0)
		return 0;
	if (errno == EPIPE) {
		t->reader_gone = 1;
		/* What is buffered can go nowhere: drop it, so that hookman
		 * does not report a write error on its way out. */
		if (!freopen("/dev/null", "w", stdout))
			clearerr(stdout);
		return -1;
	}
	return -1;
}

/* Read and print everything after t->last. 0 or -1 (reported). */
static int catch_up(struct tail *t)
{
	struct follow_attempt *list;
	size_t n;
	char err[ERR_MAX];
	int rc;

	do {
		if (follow_after(t->c->st, &t->f, t->last, TAIL_BATCH, &t->last, &list, &n, err) < 0) {
			if (err_kind(err) == ERR_BUSY)
				return 0;   /* a writer holds the store: the next turn reads */
			cli_fail(t->c, "%s", err);
			return -1;
		}
		rc = print(t, list, n);
		follow_free(list, n);
		if (rc < 0)
			return -1;
	} while (n == TAIL_BATCH);
	return 0;
}

/* Wait for news from hookmand (or up to TAIL_POLL_MS without one), then
 * read the store when it may have changed. Returns 0 to go on, -1 to
 * stop (an error was reported, or standard output is gone). */
static int follow_turn(struct tail *t, struct control_follower *hm, long long *retry_at, long long *version)
{
	struct pollfd pfd[2] = { { hm->fd, POLLIN, 0 }, { STDOUT_FILENO, 0, 0 } };
	struct control_attempt a;
	char err[ERR_MAX];
	long long now = store_now_ms(), v;
	int news = 0, rc;

	if (hm->fd < 0 && now >= *retry_at) {
		if (control_follow(t->c->run, hm, 2000, err) < 0)
			*retry_at = now + TAIL_RECONNECT_MS;
		else
			news = 1;   /* attempts may have come while none ran */
	}
	pfd[0].fd = hm->fd;
	/* POLLERR on standard output: a pipe whose reader is gone, noticed
	 * even while nothing is printed (POLLNVAL: no output at all). */
	if (poll(pfd, 2, news ? 0 : TAIL_POLL_MS) < 0 && errno != EINTR) {
		cli_fail(t->c, "cannot wait for attempts: %s", strerror(errno));
		return -1;
	}
	if (pfd[1].revents & (POLLERR | POLLHUP | POLLNVAL)) {
		t->reader_gone = 1;
		return -1;
	}
	while (hm->fd >= 0 && (rc = control_follow_read(hm, &a, err)) != 0) {
		if (rc < 0) {
			*retry_at = now + TAIL_RECONNECT_MS;
			news = 1;   /* read once more: its last attempts may be unannounced */
			break;
		}
		control_attempt_clear(&a);
		news = 1;
	}
	v = store_data_version(t->c->st);
	if (!news && v == *version)
		return 0;
	*version = v;
	return catch_up(t);
}

/* The widths that keep the lines aligned: the longest webhook name shown
 * (up to TAIL_WEBHOOK_WIDTH) and the catalog's longest event type. */
static void layout(struct tail *t)
{
	struct webhook *list;
	struct catalog *cat;
	char err[ERR_MAX];
	size_t n, i, w;

	memset(&t->lay, 0, sizeof t->lay);
	if (t->f.nwebhooks) {
		for (i = 0; i < t->f.nwebhooks; i++)
			if ((w = utf8_width(t->f.webhooks[i])) > t->lay.webhook)
				t->lay.webhook = w;
	} else if (store_webhook_list(t->c->st, &list, &n, err) == 0) {
		for (i = 0; i < n; i++)
			if ((w = utf8_width(list[i].name)) > t->lay.webhook)
				t->lay.webhook = w;
		store_webhook_list_free(list, n);
	}
	if (t->lay.webhook > TAIL_WEBHOOK_WIDTH)
		t->lay.webhook = TAIL_WEBHOOK_WIDTH;
	/* Without the catalog (a datadir missing) the lines only align less. */
	cat = catalog_load(datadir_resolve(t->c->datadir_opt), err);
	for (i = 0; cat && i < catalog_count(cat); i++)
		if ((w = strlen(catalog_event(cat, i)->id)) > t->lay.event)
			t->lay.event = w;
	catalog_free(cat);
}

static int run_follow(struct tail *t)
{
	struct control_follower hm = { -1, NULL };
	struct sigaction sa;
	long long retry_at = 0, version = store_data_version(t->c->st);
	int rc = 0;

	/* Ctrl-C and SIGTERM end the loop, not the process, which then
	 * closes the store and exits 0 as journalctl -f does; a closed pipe
	 * is an EPIPE to handle, not a death. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (!stopped && rc == 0)
		rc = follow_turn(t, &hm, &retry_at, &version);
	control_follow_close(&hm);
	return rc;
}

int cmd_tail(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "lines", required_argument, NULL, 'n' },
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct tail t;
	struct follow_attempt *list;
	size_t n;
	long lines = TAIL_LINES;
	char err[ERR_MAX];
	int opt, follow = 0, rc;

	memset(&t, 0, sizeof t);
	t.c = c;
	t.f.state = FOLLOW_ANY;
	while ((opt = cli_getopt(c, argc, argv, "fn:", opts)) != -1) {
		if (opt == 'f') {
			follow = 1;
		} else if (opt == 'n') {
			if (cli_parse_count(optarg, 0, INT_MAX, &lines) < 0)
				return cli_usage(c, "-n \"%s\" is not a count of lines (0 or more)", optarg);
		} else if (opt == 's') {
			if (follow_state_parse(optarg, &t.f.state, err) < 0)
				return cli_usage(c, "--state: %s", err);
		} else {
			return EXIT_USAGE;
		}
	}
	t.f.webhooks = (const char *const *)argv + optind;
	t.f.nwebhooks = (size_t)(argc - optind);
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (follow_filter_check(c->st, &t.f, err) < 0)
		return cli_fail(c, "%s", err);
	layout(&t);
	if (follow_last(c->st, &t.f, lines, &t.last, &list, &n, err) < 0) {
		follow_filter_clear(&t.f);
		return cli_fail(c, "%s", err);
	}
	rc = print(&t, list, n);
	follow_free(list, n);
	if (rc == 0 && follow)
		rc = run_follow(&t);
	follow_filter_clear(&t.f);
	if (rc < 0 && !t.reader_gone)
		return EXIT_REFUSED;
	return EXIT_OK;
}
