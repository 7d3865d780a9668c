/* sender start|stop|status: hookmand for this store. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "control.h"
#include "duration.h"
#include "sbuf.h"
#include "senders.h"

/* Past this many, the rest of the failing webhooks are counted, not
 * listed: an outage of a shared receiver must not scroll the screen away. */
#define FAILING_SHOWN 10

static void print_failing(const struct control_status *s)
{
	char when[64];
	size_t i;

	if (s->nfailing == 0) {
		printf("failing webhooks: none\n");
		return;
	}
	printf("failing webhooks: %zu\n", s->nfailing);
	for (i = 0; i < s->nfailing && i < FAILING_SHOWN; i++) {
		const struct control_failing *f = &s->failing[i];

		printf("  %s", f->name);
		if (f->since) {
			cli_format_time(f->since, when, sizeof when);
			printf(": failing since %s", when);
		}
		if (f->last_error)
			printf(" (last: %s)", f->last_error);
		if (!f->enabled)
			printf("; DISABLED: %s", f->reason ? f->reason : "by hand");
		printf("\n");
	}
	if (s->nfailing > FAILING_SHOWN)
		printf("  … and %zu more (hookman --json sender status lists them all)\n", s->nfailing - FAILING_SHOWN);
}

static const char *sender_state(const struct senders_row *r)
{
	return r->stopped_at ? "stopped" : r->gone ? "gone" : "running";
}

static json_t *senders_json(const struct senders_row *rows, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list && i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:s}",
			"id", rows[i].id, "host", rows[i].host, "pid", (json_int_t)rows[i].pid,
			"started_at", (json_int_t)rows[i].started_at, "heartbeat_at", (json_int_t)rows[i].heartbeat_at,
			"inflight", (json_int_t)rows[i].inflight, "last_minute", (json_int_t)rows[i].last_minute,
			"stopped_at", rows[i].stopped_at ? json_integer(rows[i].stopped_at) : json_null(),
			"state", sender_state(&rows[i])));
	return list;
}

/* Every sender of a shared store, one line each: which are delivering,
 * which stopped, and which died (their claims are taken over). */
static void print_senders(const struct senders_row *rows, size_t n, long long now)
{
	struct sbuf line;
	size_t i;

	sbuf_init(&line);
	printf("senders sharing this store (the last day): %zu\n", n);
	for (i = 0; i < n; i++) {
		const struct senders_row *r = &rows[i];

		sbuf_release(&line);
		sbuf_appendf(&line, "  %s on %s, pid %lld, up ", r->id, r->host, r->pid);
		duration_span(&line, (r->stopped_at ? r->stopped_at : r->heartbeat_at) - r->started_at);
		if (r->stopped_at) {
			sbuf_append(&line, "; stopped ");
			duration_span(&line, now - r->stopped_at);
			sbuf_append(&line, " ago");
		} else {
			sbuf_appendf(&line, "; %lld in flight, %lld in the last minute; last beat ", r->inflight,
				     r->last_minute);
			duration_span(&line, now - r->heartbeat_at);
			sbuf_append(&line, r->gone ? " ago: GONE (another sender takes its deliveries over)" : " ago");
		}
		printf("%s\n", line.failed ? r->id : sbuf_text(&line));
	}
	sbuf_release(&line);
}

static int print_status(struct cli *c, const struct control_status *s, const struct senders_row *rows, size_t n)
{
	struct sbuf up;

	if (c->json) {
		json_t *out = json_deep_copy(s->raw);

		if (out && store_is_postgresql(c->st))
			json_object_set_new(out, "senders", senders_json(rows, n));
		return cli_print_json(c, out);
	}
	sbuf_init(&up);
	duration_span(&up, s->uptime_s * 1000);
	printf("hookmand running: pid %ld, up %s, store %s\n", s->pid, sbuf_text(&up), cli_store_name(c));
	sbuf_release(&up);
	printf("queue: %lld pending, %lld in flight, %lld failed (retrying), %lld dead, %lld delivered\n",
	       s->pending, s->inflight, s->failed, s->dead, s->delivered);
	printf("test sends (never retried): %lld answered with a 2xx, %lld failed\n", s->tests_delivered,
	       s->tests_failed);
	printf("in flight now: %lld (limits %lld overall, %lld per webhook)\n", s->inflight_now, s->limit_total,
	       s->limit_per_webhook);
	printf("last minute: %lld deliveries\n", s->last_minute);
	if (s->deny_private)
		printf("policy: --deny-private (loopback, private and link-local addresses refused)\n");
	if (s->store_error)
		printf("STORE ERROR: %s\n", s->store_error);
	print_failing(s);
	if (store_is_postgresql(c->st))
		print_senders(rows, n, store_now_ms());
	return EXIT_OK;
}

/* Ask hookmand to stop, then wait until its socket no longer answers (it
 * removes it last). */
static int stop(struct cli *c)
{
	char err[ERR_MAX];
	long pid;
	int i, fd;

	if (control_stop(c->run, 5000, &pid, err) < 0)
		return cli_fail(c, "%s", err);
	for (i = 0; i < 300; i++) {
		fd = control_connect(c->run, NULL, err);
		if (fd < 0) {
			printf("hookmand stopped (pid %ld)\n", pid);
			return EXIT_OK;
		}
		close(fd);
		usleep(50 * 1000);
	}
	return cli_fail(c, "hookmand (pid %ld) is still running after 15 s", pid);
}

int cmd_sender(struct cli *c, int argc, char **argv)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	const char *sub = argc > 1 ? argv[1] : "";
	struct control_status st;
	struct senders_row *rows = NULL;
	size_t n = 0;
	char err[ERR_MAX];
	int rc, started = 0;

	if (strcmp(sub, "start") && strcmp(sub, "stop") && strcmp(sub, "status"))
		return cli_usage(c, "use 'hookman sender start', 'stop' or 'status'");
	c->cmd = strcmp(sub, "start") == 0 ? "sender start" : strcmp(sub, "stop") == 0 ? "sender stop" : "sender status";
	argc--;
	argv++;
	if (cli_getopt(c, argc, argv, "", none) != -1)
		return EXIT_USAGE;
	if (optind < argc)
		return cli_usage(c, "unexpected argument \"%s\"", argv[optind]);
	if (cli_store(c) < 0)
		return EXIT_REFUSED;
	if (strcmp(sub, "start") == 0) {
		if (cli_ensure_sender(c, &started, err) < 0)
			return cli_fail(c, "%s", err);
		printf("hookmand %s for %s (pid %ld)\n", started ? "started" : "already running", cli_store_name(c),
		       control_lock_pid(c->run));
		return EXIT_OK;
	}
	if (strcmp(sub, "stop") == 0)
		return stop(c);
	if (senders_list(c->st, store_now_ms(), &rows, &n, err) < 0)
		return cli_fail(c, "%s", err);
	if (control_status(c->run, 5000, &st, err) < 0) {
		/* The others deliver whether or not this host's does. */
		if (n && !c->json)
			print_senders(rows, n, store_now_ms());
		senders_list_free(rows, n);
		return cli_fail(c, "%s", err);
	}
	rc = print_status(c, &st, rows, n);
	control_status_clear(&st);
	senders_list_free(rows, n);
	return rc;
}
