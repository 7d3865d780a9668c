/* Test sends through hookmand without blocking the screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "control.h"
#include "datadir.h"
#include "external.h"
#include "fanout.h"
#include "history.h"
#include "mask.h"
#include "sbuf.h"
#include "utf8.h"

/* curl's words for the usual failures, in the operator's words. */
static void plain_error(const char *e, char *out, size_t size)
{
	char host[256];
	int port;
	long ms;

	if (sscanf(e, "Failed to connect to %255s port %d", host, &port) == 2)
		snprintf(out, size, "connection refused by %s:%d (nothing listens there, or a firewall)", host, port);
	else if (sscanf(e, "Operation timed out after %ld milliseconds", &ms) == 1)
		snprintf(out, size, "no answer within %ld ms (timed out)", ms);
	else if (sscanf(e, "Could not resolve host: %255s", host) == 1)
		snprintf(out, size, "cannot resolve the host name %s", host);
	else
		snprintf(out, size, "%s", e);
}

void testsend_progress(struct app *a)
{
	static const char *const spin[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };
	long long el = app_now_ms() - a->test_started;
	char text[600];

	snprintf(text, sizeof text, "%s\n\n%s waiting for the answer… %lld.%lld s\n\nEsc stops waiting", a->test_what,
		 spin[(el / 100) % 10], el / 1000, el % 1000 / 100);
	free(a->dlg.text);
	a->dlg.text = strdup(text);
}

void testsend_result(struct app *a, json_t *r)
{
	json_t *status = json_object_get(r, "status");
	const char *error = json_string_value(json_object_get(r, "error"));
	const char *rh = json_string_value(json_object_get(r, "response_headers"));
	const char *body = json_string_value(json_object_get(r, "response_body"));
	char reason[64] = "", plain[600];
	struct sbuf text;

	if (rh && strncmp(rh, "HTTP/", 5) == 0) {
		const char *sp = strchr(rh, ' ');

		if (sp && (sp = strchr(sp + 1, ' ')))
			snprintf(reason, sizeof reason, " %.*s", (int)strcspn(sp + 1, "\r\n"), sp + 1);
	}
	sbuf_init(&text);
	if (json_is_integer(status))
		sbuf_appendf(&text, "%s HTTP %lld%s in %lld ms\n", json_integer_value(status) / 100 == 2 ? "✓" : "✗",
			     (long long)json_integer_value(status), reason,
			     (long long)json_integer_value(json_object_get(r, "duration_ms")));
	if (error) {
		plain_error(error, plain, sizeof plain);
		sbuf_appendf(&text, "%s%s\n", json_is_integer(status) ? "" : "✗ ", plain);
	}
	sbuf_appendf(&text, "%s\n\nRequest headers sent:\n", a->test_what);
	sbuf_append(&text, json_string_value(json_object_get(r, "request_headers")) ?: "");
	/* hookmand sends the first 4 KiB of the response: shown whole. */
	if (json_is_integer(status))
		sbuf_appendf(&text, "\nResponse (%lld bytes):\n%s",
			     (long long)json_integer_value(json_object_get(r, "response_size")), body ? body : "");
	dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Test send (Esc closes)",
		    text.failed ? "out of memory showing the result" : sbuf_text(&text));
	sbuf_release(&text);
}

static int sender_ready(struct app *a)
{
	const char *autostart = getenv("HOOKMAN_AUTOSTART");
	char err[ERR_MAX];
	int fd;

	if (autostart && strcmp(autostart, "0") == 0) {
		fd = control_connect(a->dir, NULL, err);
		if (fd < 0) {
			dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Test send",
				    "hookmand is not running for this store (HOOKMAN_AUTOSTART=0):\nstart it with 'hookman sender start'.");
			return 0;
		}
		close(fd);
		return 1;
	}
	if (control_ensure(a->dir, a->hookmand, 3000, NULL, err) < 0) {
		dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Test send", err);
		return 0;
	}
	return 1;
}

static void begin_test(struct app *a, json_t *req)
{
	char err[ERR_MAX];

	if (control_start(a->dir, req, &a->test, err) < 0) {
		dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Test send", err);
		return;
	}
	a->test_started = app_now_ms();
	dialog_open(&a->dlg, DIALOG_TEXT, ASK_TESTING, "Test send", "");
	testsend_progress(a);
}

void testsend_list(struct app *a, const struct webhook *wh)
{
	struct event ev;
	char err[ERR_MAX], url[300];
	long long id;
	json_t *req;

	if (!sender_ready(a))
		return;
	if (event_init(&ev, a->cat, wh->events[0], NULL, NULL, err) < 0 ||
	    fanout_test(a->st, wh, &ev, &id, err) < 0) {
		dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Test send", err);
		return;
	}
	mask_url(wh->url, url, sizeof url);
	snprintf(a->test_what, sizeof a->test_what, "The sample %s event to \"%.100s\"\n%.200s", ev.type, wh->name, url);
	event_clear(&ev);
	req = json_pack("{s:s, s:I}", "cmd", "test", "delivery", (json_int_t)id);
	begin_test(a, req);
	json_decref(req);
}

void testsend_form(struct app *a)
{
	struct webhook wh;
	struct event ev;
	char err[ERR_MAX], url[300], *body;
	json_t *req, *headers;
	size_t i;

	if (form_build(&a->form, &wh) > 0) {
		webhook_clear(&wh);
		return;
	}
	if (!sender_ready(a)) {
		webhook_clear(&wh);
		return;
	}
	if (event_init(&ev, a->cat, wh.events[0], NULL, NULL, err) < 0 ||
	    !(body = fanout_render(wh.payload, wh.format, &ev, err))) {
		dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Test send", err);
		webhook_clear(&wh);
		return;
	}
	headers = json_array();
	for (i = 0; i < wh.nheaders; i++)
		json_array_append_new(headers, json_string(wh.headers[i]));
	req = json_pack("{s:s, s:{s:s, s:s, s:o, s:b, s:i}}", "cmd", "test", "spec", "url", wh.url, "body", body,
			"headers", headers, "verify_tls", wh.verify_tls, "timeout", wh.timeout);
	if (req && wh.secret)
		json_object_set_new(json_object_get(req, "spec"), "secret", json_string(wh.secret));
	mask_url(wh.url, url, sizeof url);
	snprintf(a->test_what, sizeof a->test_what, "The sample %s event with the form's values (not saved)\n%.200s",
		 ev.type, url);
	begin_test(a, req);
	json_decref(req);
	free(body);
	event_clear(&ev);
	webhook_clear(&wh);
}
