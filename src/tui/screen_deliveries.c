/* Deliveries, newest first, live; one opened with every attempt. */
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

void deliveries_load(struct app *a)
{
	json_t *rows = NULL;
	char err[ERR_MAX];

	if (history_list(a->st, a->dwebhook[0] ? a->dwebhook : NULL, NULL, 500, &rows, err) < 0) {
		app_flash(a, C_BAD, err);
		return;
	}
	json_decref(a->dlv);
	a->dlv = rows;
	if (a->dsel >= json_array_size(rows))
		a->dsel = json_array_size(rows) ? json_array_size(rows) - 1 : 0;
	a->data_version = app_data_version(a);
}

void deliveries_open(struct app *a, const char *webhook)
{
	snprintf(a->dwebhook, sizeof a->dwebhook, "%s", webhook ? webhook : "");
	a->dsel = a->dtop = 0;
	a->screen = S_DELIVERIES;
	a->flash[0] = '\0';
	deliveries_load(a);
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

void deliveries_draw(struct app *a)
{
	int rows = term_rows() - 4, cols = term_cols(), i;
	size_t n = json_array_size(a->dlv);
	char title[512];

	snprintf(title, sizeof title, "Deliveries · %s (%zu shown, newest first)",
		 a->dwebhook[0] ? a->dwebhook : "all webhooks", n);
	draw_header(title, a->sender, a->sender_color);
	draw_text(1, 0, 20, "TIME", C_BAR_KEY, 1);
	draw_text(1, 21, 18, "WEBHOOK", C_BAR_KEY, 1);
	draw_text(1, 40, 20, "EVENT", C_BAR_KEY, 1);
	draw_text(1, 61, 9, "STATE", C_BAR_KEY, 1);
	draw_text(1, 71, cols - 71, "TRY LAST", C_BAR_KEY, 1);
	if (n == 0)
		draw_text(3, 2, cols - 4, "No deliveries yet: fire an event (f in the list) or wait for one.", C_DIM, 0);
	select_move(&a->dsel, &a->dtop, n, A_NONE, (size_t)rows);
	for (i = 0; i < rows && a->dtop + (size_t)i < n; i++) {
		json_t *d = json_array_get(a->dlv, a->dtop + (size_t)i);
		const char *state = jstr(d, "state");
		int sel = a->dtop + (size_t)i == a->dsel, y = 2 + i;
		enum color c = sel ? C_SELECTED : strcmp(state, "delivered") == 0 ? C_OK :
			       strcmp(state, "dead") == 0 ? C_BAD : strcmp(state, "failed") == 0 ? C_WARN : C_NORMAL;
		char when[64], last[64], type[80];
		json_t *ls = json_object_get(d, "last_status");

		app_time(json_integer_value(json_object_get(d, "created_at")), when, sizeof when);
		if (json_is_integer(ls))
			snprintf(last, sizeof last, "%lld %lld", (long long)json_integer_value(json_object_get(d, "attempts")),
				 (long long)json_integer_value(ls));
		else
			snprintf(last, sizeof last, "%lld %s", (long long)json_integer_value(json_object_get(d, "attempts")),
				 json_integer_value(json_object_get(d, "attempts")) ? "error" : "-");
		snprintf(type, sizeof type, "%s%s", jstr(d, "type"), json_is_true(json_object_get(d, "test")) ? " (test)" : "");
		if (sel)
			draw_fill(y, 0, cols, C_SELECTED);
		draw_text(y, 0, 20, when, sel ? c : C_NORMAL, 1);
		draw_text(y, 21, 18, jstr(d, "webhook"), sel ? c : C_NORMAL, 1);
		draw_text(y, 40, 20, type, sel ? c : C_NORMAL, 1);
		draw_text(y, 61, 9, json_is_string(json_object_get(d, "held")) ? "held" : state, c, 1);
		draw_text(y, 71, cols - 71, last, sel ? c : C_NORMAL, 1);
	}
	if (a->flash[0])
		draw_text(term_rows() - 2, 0, cols, a->flash, a->flash_color, 1);
	draw_bar(CTX_DELIVERIES);
}

static void open_delivery(struct app *a)
{
	json_t *row = json_array_get(a->dlv, a->dsel), *d = NULL, *atts, *body;
	char err[ERR_MAX], id[32], title[128], when[64], *pretty = NULL;
	struct sbuf text;
	size_t i;

	if (!row)
		return;
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(row, "id")));
	if (history_get(a->st, id, &d, err) < 0) {
		app_flash(a, C_BAD, err);
		return;
	}
	body = json_loads(jstr(d, "body"), 0, NULL);
	pretty = body ? json_dumps(body, JSON_INDENT(2)) : NULL;
	json_decref(body);
	/* Everything the store holds is shown, whatever its size: the body
	 * and headers are within their limits, a response excerpt is capped
	 * by the sender. */
	sbuf_init(&text);
	sbuf_appendf(&text, "webhook-id %s%s\nwebhook %s · event %s %s\nstate %s after %lld attempt(s)\n",
		     jstr(d, "uid"), json_is_true(json_object_get(d, "test")) ? " (a test)" : "", jstr(d, "webhook"),
		     jstr(d, "type"), jstr(d, "event"), jstr(d, "state"),
		     (long long)json_integer_value(json_object_get(d, "attempts")));
	if (json_is_string(json_object_get(d, "held")))
		sbuf_appendf(&text, "held (%s): nothing is sent until the webhook is enabled\n", jstr(d, "held"));
	sbuf_append(&text, "\nBody:\n");
	sbuf_append(&text, pretty ? pretty : jstr(d, "body"));
	sbuf_append(&text, "\n");
	atts = json_object_get(d, "attempt_log");
	for (i = 0; i < json_array_size(atts); i++) {
		json_t *at = json_array_get(atts, i);
		json_t *st = json_object_get(at, "status");

		app_time(json_integer_value(json_object_get(at, "started_at")), when, sizeof when);
		sbuf_appendf(&text, "\nAttempt %zu at %s, %lld ms: ", i + 1, when,
			     (long long)json_integer_value(json_object_get(at, "duration_ms")));
		if (json_is_integer(st))
			sbuf_appendf(&text, "HTTP %lld ", (long long)json_integer_value(st));
		sbuf_append(&text, strncmp(jstr(at, "error"), "HTTP ", 5) == 0 ? "" : jstr(at, "error"));
		sbuf_append(&text, "\nRequest headers:\n");
		sbuf_append(&text, jstr(at, "request_headers"));
		if (*jstr(at, "response_headers")) {
			sbuf_append(&text, "Response headers:\n");
			sbuf_append(&text, jstr(at, "response_headers"));
		}
		if (*jstr(at, "response_body")) {
			sbuf_append(&text, "Response body:\n");
			sbuf_append(&text, jstr(at, "response_body"));
			sbuf_append(&text, "\n");
		}
	}
	snprintf(title, sizeof title, "Delivery %s (Esc closes, arrows scroll)", id);
	if (text.failed)
		app_flash(a, C_BAD, "out of memory showing the delivery");
	else
		dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, title, sbuf_text(&text));
	sbuf_release(&text);
	free(pretty);
	json_decref(d);
}

void deliveries_key(struct app *a, int key)
{
	enum action act = keys_action(CTX_DELIVERIES, key);
	json_t *row = json_array_get(a->dlv, a->dsel);
	char err[ERR_MAX], id[32], msg[ERR_MAX + 64];

	switch (act) {
	case A_BACK:
		a->screen = S_LIST;
		a->flash[0] = '\0';
		app_reload(a);
		break;
	case A_OPEN:
		open_delivery(a);
		break;
	case A_REDELIVER:
		if (!row)
			break;
		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(row, "id")));
		if (history_redeliver(a->st, id, err) < 0) {
			snprintf(msg, sizeof msg, "%s", err);
			app_flash(a, C_BAD, msg);
		} else {
			const char *store_error = app_wake(a);
			struct sbuf text;

			sbuf_init(&text);
			sbuf_appendf(&text, "delivery %s queued again", id);
			if (store_error)
				sbuf_appendf(&text, ", but the sender reports a STORE ERROR: %s", store_error);
			app_flash(a, store_error ? C_BAD : C_OK, text.failed ? "queued again" : sbuf_text(&text));
			sbuf_release(&text);
		}
		deliveries_load(a);
		break;
	case A_ALL: {
		const struct webhook *wh = listview_selected(&a->lv);

		deliveries_open(a, a->dwebhook[0] || !wh ? NULL : wh->name);
		break;
	}
	default:
		if (act >= A_UP && act <= A_END)
			select_move(&a->dsel, &a->dtop, json_array_size(a->dlv), act, (size_t)term_rows() - 4);
		break;
	}
}
