/* sender start|stop|status: hookmand for this store. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "control.h"
#include "duration.h"
#include "sbuf.h"

static long long jint(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static int print_status(struct cli *c, json_t *r)
{
	json_t *q = json_object_get(r, "queue"), *f;
	struct sbuf up;
	char when[64];
	size_t i;

	if (c->json)
		return cli_print_json(c, json_incref(r));
	sbuf_init(&up);
	duration_span(&up, jint(r, "uptime_s") * 1000);
	printf("hookmand running: pid %lld, up %s, store %s\n", jint(r, "pid"), sbuf_text(&up), c->dir);
	sbuf_release(&up);
	printf("queue: %lld pending, %lld in flight, %lld failed (retrying), %lld dead, %lld delivered\n",
	       jint(q, "pending"), jint(q, "inflight"), jint(q, "failed"), jint(q, "dead"), jint(q, "delivered"));
	q = json_object_get(r, "tests");
	printf("test sends (never retried): %lld answered with a 2xx, %lld failed\n", jint(q, "delivered"),
	       jint(q, "dead") + jint(q, "failed"));
	printf("in flight now: %lld (limits %lld overall, %lld per webhook)\n", jint(r, "inflight"),
	       jint(json_object_get(r, "limits"), "total"), jint(json_object_get(r, "limits"), "per_webhook"));
	printf("last minute: %lld deliveries\n", jint(r, "last_minute"));
	if (json_is_true(json_object_get(r, "deny_private")))
		printf("policy: --deny-private (loopback, private and link-local addresses refused)\n");
	if (json_is_string(json_object_get(r, "store_error")))
		printf("STORE ERROR: %s\n", json_string_value(json_object_get(r, "store_error")));
	f = json_object_get(r, "failing");
	if (json_array_size(f) == 0) {
		printf("failing webhooks: none\n");
		return EXIT_OK;
	}
	printf("failing webhooks:\n");
	for (i = 0; i < json_array_size(f); i++) {
		json_t *w = json_array_get(f, i);
		const char *reason = json_string_value(json_object_get(w, "reason"));
		const char *last = json_string_value(json_object_get(w, "last_error"));

		printf("  %s", json_string_value(json_object_get(w, "name")));
		if (json_object_get(w, "since")) {
			cli_format_time(jint(w, "since"), when, sizeof when);
			printf(": failing since %s", when);
		}
		if (last)
			printf(" (last: %s)", last);
		if (!json_is_true(json_object_get(w, "enabled")))
			printf("; DISABLED: %s", reason ? reason : "by hand");
		printf("\n");
	}
	return EXIT_OK;
}

int cmd_sender(struct cli *c, int argc, char **argv)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	const char *sub = argc > 1 ? argv[1] : "";
	char err[ERR_MAX];
	json_t *req, *reply = NULL;
	int rc, started = 0;
	long pid;

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
		printf("hookmand %s for %s (pid %ld)\n", started ? "started" : "already running", c->dir,
		       control_lock_pid(c->dir));
		return EXIT_OK;
	}
	req = json_pack("{s:s}", "cmd", strcmp(sub, "stop") == 0 ? "stop" : "status");
	rc = control_request(c->dir, req, &reply, 5000, err);
	json_decref(req);
	if (rc < 0) {
		json_decref(reply);
		return cli_fail(c, "%s", err);
	}
	if (strcmp(sub, "status") == 0) {
		rc = print_status(c, reply);
		json_decref(reply);
		return rc;
	}
	pid = (long)jint(reply, "pid");
	json_decref(reply);
	/* Gone when its socket no longer answers (it removes it last). */
	for (int i = 0; i < 300; i++) {
		int fd = control_connect(c->dir, NULL, err);

		if (fd < 0) {
			printf("hookmand stopped (pid %ld)\n", pid);
			return EXIT_OK;
		}
		close(fd);
		usleep(50 * 1000);
	}
	return cli_fail(c, "hookmand (pid %ld) is still running after 15 s", pid);
}
