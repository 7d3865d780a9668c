/* The interface's state machine and its single key loop: the list, the
 * form and a dialog on top, redrawn each turn from plain state. */
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "datadir.h"
#include "dialog.h"
#include "draw.h"
#include "external.h"
#include "fanout.h"
#include "form.h"
#include "history.h"
#include "listview.h"
#include "mask.h"
#include "store.h"
#include "utf8.h"

enum screen { S_LIST, S_FORM, S_DELIVERIES };
enum ask { ASK_DELETE = 1, ASK_DISCARD, ASK_PRESET, ASK_REPLACE, ASK_CONFLICT, ASK_INFO, ASK_TESTING,
	   ASK_FIRE_TYPE, ASK_FIRE };

struct app {
	const char *dir, *hookmand;
	struct store *st;
	struct catalog *cat;
	struct listview lv;
	json_t *latest;             /* webhook id → its newest delivery */
	long long data_version;
	char sender[160];
	enum color sender_color;
	long long status_at;
	enum screen screen;
	struct form form;
	struct dialog dlg;
	int filtering;
	char filter[128];
	char flash[1024];
	enum color flash_color;
	int pending_preset;         /* preset chosen, waiting for "replace?" */
	struct control_pending test;/* a test send waiting for its answer (fd -1: none) */
	json_t *dlv;                /* deliveries shown, newest first */
	size_t dsel, dtop;
	char dwebhook[400];         /* deliveries of this webhook, "" for all */
	long fire_type;             /* catalog index chosen to fire */
	json_t *fire_data;          /* its data, edited or the sample's */
	long long test_started;
	char test_what[400];
	int quit;
};

static long long now_ms(void)
{
	return store_now_ms();
}

static void open_deliveries(struct app *a, const char *webhook);
static void ask_fire_type(struct app *a);

static void flash(struct app *a, enum color c, const char *msg)
{
	snprintf(a->flash, sizeof a->flash, "%s", msg);
	a->flash_color = c;
}

static long long data_version(struct app *a)
{
	sqlite3_stmt *s = store_stmt(a->st, "PRAGMA data_version", NULL);
	long long v = -1;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	if (s)
		sqlite3_reset(s);
	return v;
}

/* The newest delivery of each webhook, for the list's last-result column. */
static void load_latest(struct app *a)
{
	sqlite3_stmt *s = store_stmt(a->st,
		"SELECT d.webhook_id, d.state, d.last_status, d.attempts, d.updated_at FROM deliveries d "
		"WHERE d.id IN (SELECT max(id) FROM deliveries WHERE NOT is_test GROUP BY webhook_id)", NULL);
	json_t *m = json_object();
	char key[32];

	while (s && m && sqlite3_step(s) == SQLITE_ROW) {
		snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(s, 0));
		json_object_set_new(m, key, json_pack("{s:s, s:i, s:i, s:I}", "state",
						      (const char *)sqlite3_column_text(s, 1),
						      "status", sqlite3_column_int(s, 2), "attempts",
						      sqlite3_column_int(s, 3), "at",
						      (json_int_t)sqlite3_column_int64(s, 4)));
	}
	if (s)
		sqlite3_reset(s);
	json_decref(a->latest);
	a->latest = m;
}

static void reload(struct app *a)
{
	struct webhook *list;
	size_t n;
	char err[ERR_MAX];

	if (store_webhook_list(a->st, &list, &n, err) < 0) {
		flash(a, C_BAD, err);
		return;
	}
	if (listview_set(&a->lv, list, n) < 0)
		flash(a, C_BAD, "out of memory loading the list");
	load_latest(a);
	a->data_version = data_version(a);
}

static void refresh_sender(struct app *a)
{
	json_t *req = json_pack("{s:s}", "cmd", "status"), *r = NULL;
	char err[ERR_MAX];

	a->status_at = now_ms();
	if (control_request(a->dir, req, &r, 300, err) < 0) {
		snprintf(a->sender, sizeof a->sender, "sender ○ not running");
		a->sender_color = C_BAD;
	} else {
		json_t *q = json_object_get(r, "queue");
		long long queue = json_integer_value(json_object_get(q, "pending")) +
				  json_integer_value(json_object_get(q, "inflight")) +
				  json_integer_value(json_object_get(q, "failed"));
		size_t failing = json_array_size(json_object_get(r, "failing"));

		snprintf(a->sender, sizeof a->sender, "sender ● running · queue %lld%s", queue,
			 failing ? "" : "");
		if (failing) {
			size_t len = strlen(a->sender);

			snprintf(a->sender + len, sizeof a->sender - len, " · %zu failing", failing);
		}
		a->sender_color = failing ? C_WARN : C_NORMAL;
	}
	json_decref(req);
	json_decref(r);
}

static void cli_time(long long ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || !gmtime_r(&t, &tm))
		snprintf(out, size, "-");
	else
		strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
}

static void age(long long ms, char *out, size_t size)
{
	long long s = (now_ms() - ms) / 1000;

	if (s < 60)
		snprintf(out, size, "%llds ago", s < 0 ? 0 : s);
	else if (s < 3600)
		snprintf(out, size, "%lldm ago", s / 60);
	else if (s < 86400)
		snprintf(out, size, "%lldh ago", s / 3600);
	else
		snprintf(out, size, "%lldd ago", s / 86400);
}

/* "200 · 2m ago", "500 ×3 retrying", "dead", "sending…", "-". */
static enum color last_result(struct app *a, const struct webhook *wh, char *out, size_t size)
{
	char key[32], when[32];
	json_t *d;
	const char *state;
	int status, attempts;

	snprintf(key, sizeof key, "%lld", wh->id);
	d = json_object_get(a->latest, key);
	if (!d) {
		snprintf(out, size, "-");
		return C_DIM;
	}
	state = json_string_value(json_object_get(d, "state"));
	status = (int)json_integer_value(json_object_get(d, "status"));
	attempts = (int)json_integer_value(json_object_get(d, "attempts"));
	age(json_integer_value(json_object_get(d, "at")), when, sizeof when);
	if (strcmp(state, "delivered") == 0) {
		snprintf(out, size, "%d · %s", status, when);
		return C_OK;
	}
	if (strcmp(state, "failed") == 0) {
		if (status)
			snprintf(out, size, "%d ×%d retrying", status, attempts);
		else
			snprintf(out, size, "error ×%d retrying", attempts);
		return C_WARN;
	}
	if (strcmp(state, "dead") == 0) {
		snprintf(out, size, "dead");
		return C_BAD;
	}
	snprintf(out, size, "sending…");
	return C_NORMAL;
}

/* Tell hookmand to look at the queue (after enabling a webhook). */
static void wake(struct app *a)
{
	json_t *req = json_pack("{s:s}", "cmd", "wake"), *r = NULL;
	char err[ERR_MAX];

	control_request(a->dir, req, &r, 300, err);
	json_decref(req);
	json_decref(r);
}

/* ---- test send ---- */

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

static void test_progress(struct app *a)
{
	static const char *const spin[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };
	long long el = now_ms() - a->test_started;
	char text[600];

	snprintf(text, sizeof text, "%s\n\n%s waiting for the answer… %lld.%lld s\n\nEsc stops waiting", a->test_what,
		 spin[(el / 100) % 10], el / 1000, el % 1000 / 100);
	free(a->dlg.text);
	a->dlg.text = strdup(text);
}

static void show_test_result(struct app *a, json_t *r)
{
	json_t *status = json_object_get(r, "status");
	const char *error = json_string_value(json_object_get(r, "error"));
	const char *rh = json_string_value(json_object_get(r, "response_headers"));
	const char *body = json_string_value(json_object_get(r, "response_body"));
	char *text = malloc(16384), reason[64] = "", plain[600];
	size_t len = 0;

	if (!text)
		return;
	if (rh && strncmp(rh, "HTTP/", 5) == 0) {
		const char *sp = strchr(rh, ' ');

		if (sp && (sp = strchr(sp + 1, ' ')))
			snprintf(reason, sizeof reason, " %.*s", (int)strcspn(sp + 1, "\r\n"), sp + 1);
	}
	if (json_is_integer(status))
		len += (size_t)snprintf(text + len, 16384 - len, "%s HTTP %lld%s in %lld ms\n",
					json_integer_value(status) / 100 == 2 ? "✓" : "✗",
					(long long)json_integer_value(status), reason,
					(long long)json_integer_value(json_object_get(r, "duration_ms")));
	if (error) {
		plain_error(error, plain, sizeof plain);
		len += (size_t)snprintf(text + len, 16384 - len, "%s%s\n", json_is_integer(status) ? "" : "✗ ", plain);
	}
	len += (size_t)snprintf(text + len, 16384 - len, "%s\n\nRequest headers sent:\n", a->test_what);
	len += (size_t)snprintf(text + len, 16384 - len, "%s",
				json_string_value(json_object_get(r, "request_headers")) ?: "");
	if (json_is_integer(status))
		snprintf(text + len, 16384 - len, "\nResponse (%lld bytes):\n%.2000s",
			 (long long)json_integer_value(json_object_get(r, "response_size")), body ? body : "");
	dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Test send (Esc closes)", text);
	free(text);
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
	a->test_started = now_ms();
	dialog_open(&a->dlg, DIALOG_TEXT, ASK_TESTING, "Test send", "");
	test_progress(a);
}

static void test_selected(struct app *a, const struct webhook *wh)
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

static void test_form(struct app *a)
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

/* ---- list screen ---- */

static int list_rows(void)
{
	return term_rows() - 4;   /* header, titles, flash/filter line, bar */
}

static void draw_list(struct app *a)
{
	int rows = list_rows(), cols = term_cols(), i;
	int wname = 18 + (cols - 80) / 3, wurl = 24 + (cols - 80) / 3, x;
	char title[512];

	snprintf(title, sizeof title, "hookman · %s", a->dir);
	draw_header(title, a->sender, a->sender_color);
	if (a->lv.n == 0) {
		draw_text(3, 2, cols - 4, "No webhooks yet.", C_BAR_KEY, 0);
		draw_text(5, 2, cols - 4, "Press n (or F2) to add your first one: a name, a URL and one event", C_NORMAL, 0);
		draw_text(6, 2, cols - 4, "are all it needs. The payload starts from the Generic preset.", C_NORMAL, 0);
		draw_text(8, 2, cols - 4, "Press ? (or F1) for every key, q (or F10) to quit.", C_DIM, 0);
	} else {
		x = 2;
		draw_text(1, x, wname, "NAME", C_BAR_KEY, 1);
		x += wname + 1;
		draw_text(1, x, wurl, "URL", C_BAR_KEY, 1);
		x += wurl + 1;
		draw_text(1, x, 12, "EVENTS", C_BAR_KEY, 1);
		x += 13;
		draw_text(1, x, 7, "FORMAT", C_BAR_KEY, 1);
		x += 8;
		draw_text(1, x, cols - x, "LAST", C_BAR_KEY, 1);
		listview_move(&a->lv, A_NONE, (size_t)rows);
		for (i = 0; i < rows && a->lv.top + (size_t)i < a->lv.nshown; i++) {
			size_t idx = a->lv.top + (size_t)i;
			const struct webhook *wh = &a->lv.all[a->lv.shown[idx]];
			int y = 2 + i, sel = idx == a->lv.sel;
			char url[URL_MAX + 64], events[64], last[64];
			enum color lc = last_result(a, wh, last, sizeof last), row = sel ? C_SELECTED : C_NORMAL;
			const char *marker = !wh->enabled ? "○" : lc == C_BAD || lc == C_WARN ? "✗" : "●";

			mask_url(wh->url, url, sizeof url);
			webhook_events_summary(wh, a->cat, events, sizeof events);
			if (sel)
				draw_fill(y, 0, cols, C_SELECTED);
			draw_text(y, 0, 2, marker, sel ? row : !wh->enabled ? C_DIM : lc == C_OK || lc == C_DIM ? C_OK : C_BAD, 1);
			x = 2;
			draw_text(y, x, wname, wh->name, row, 1);
			x += wname + 1;
			draw_text(y, x, wurl, url, sel ? row : wh->verify_tls ? C_NORMAL : C_BAD, 1);
			x += wurl + 1;
			draw_text(y, x, 12, events, row, 1);
			x += 13;
			draw_text(y, x, 7, format_name(wh->format), row, 1);
			x += 8;
			draw_text(y, x, cols - x, wh->enabled ? last : wh->disabled_reason ? "disabled (see e)" : "disabled",
				  sel ? row : wh->enabled ? lc : C_DIM, 1);
		}
		if (a->lv.nshown == 0)
			draw_text(3, 2, cols - 4, "No webhook name matches the filter (Esc clears it).", C_DIM, 0);
	}
	if (a->filtering || (a->filter[0] && !a->flash[0])) {
		char line[200];

		snprintf(line, sizeof line, "Filter: %s%s", a->filter, a->filtering ? "_" : "  (/ to change, Esc to clear)");
		draw_text(term_rows() - 2, 0, cols, line, C_WARN, 1);
	} else if (a->flash[0]) {
		draw_text(term_rows() - 2, 0, cols, a->flash, a->flash_color, 1);
	}
	draw_bar(CTX_LIST);
}

static void open_form(struct app *a, const struct webhook *wh)
{
	char err[ERR_MAX], *payload = NULL;
	enum format f;

	if (!wh && datadir_preset(catalog_datadir(a->cat), "generic", &payload, &f, err) < 0) {
		flash(a, C_BAD, err);
		return;
	}
	if (form_open(&a->form, a->cat, wh, payload ? payload : "", err) < 0) {
		flash(a, C_BAD, err);
		free(payload);
		return;
	}
	free(payload);
	a->screen = S_FORM;
	a->flash[0] = '\0';
}

static void list_key(struct app *a, int key)
{
	const struct webhook *wh = listview_selected(&a->lv);
	enum action act;
	char err[ERR_MAX], msg[ERR_MAX];

	if (a->filtering) {
		size_t n = strlen(a->filter);

		if (key == HK_ENTER) {
			a->filtering = 0;
		} else if (key == HK_ESC) {
			a->filtering = 0;
			a->filter[0] = '\0';
		} else if (key == HK_BACKSPACE) {
			while (n > 0 && ((unsigned char)a->filter[n - 1] & 0xC0) == 0x80)
				n--;
			if (n > 0)
				a->filter[n - 1] = '\0';
			else
				a->filter[0] = '\0';
		} else if (key >= 0x20 && key < 0x110000 && n + 4 < sizeof a->filter) {
			char u[8];
			wchar_t w = (wchar_t)key;
			int len = wctomb(u, w);

			if (len > 0) {
				memcpy(a->filter + n, u, (size_t)len);
				a->filter[n + (size_t)len] = '\0';
			}
		}
		listview_filter(&a->lv, a->filter);
		return;
	}
	if (key == HK_ESC && a->filter[0]) {
		a->filter[0] = '\0';
		listview_filter(&a->lv, "");
		return;
	}
	act = keys_action(CTX_LIST, key);
	switch (act) {
	case A_QUIT:
		a->quit = 1;
		break;
	case A_NEW:
		open_form(a, NULL);
		break;
	case A_EDIT:
		if (wh)
			open_form(a, wh);
		break;
	case A_DELETE:
		if (wh) {
			long long pending = 0;

			store_webhook_pending(a->st, wh->id, &pending, err);
			snprintf(msg, sizeof msg, "Delete webhook \"%s\"?\n\n%lld of its deliveries %s still pending and will be cancelled;\nits delivery history is removed with it.\n\ny  delete       n  keep it (default)",
				 wh->name, pending, pending == 1 ? "is" : "are");
			dialog_open(&a->dlg, DIALOG_CONFIRM, ASK_DELETE, "Delete", msg);
		}
		break;
	case A_TOGGLE:
		if (wh) {
			struct webhook copy;

			if (webhook_copy(&copy, wh, err) == 0) {
				copy.enabled = !copy.enabled;
				if (store_webhook_update(a->st, &copy, err) < 0) {
					flash(a, C_BAD, err);
				} else {
					snprintf(msg, sizeof msg, "webhook \"%s\" %s", copy.name, copy.enabled ? "enabled" : "disabled");
					flash(a, C_OK, msg);
					if (copy.enabled)
						wake(a);
				}
				webhook_clear(&copy);
				reload(a);
			}
		}
		break;
	case A_TEST:
		if (wh)
			test_selected(a, wh);
		break;
	case A_DELIVERIES:
		open_deliveries(a, wh ? wh->name : NULL);
		break;
	case A_FIRE:
		ask_fire_type(a);
		break;
	case A_FILTER:
		a->filtering = 1;
		a->flash[0] = '\0';
		break;
	case A_HELP: {
		size_t n, i;
		const struct binding *t = keys_table(&n);
		char *text = malloc(16384);
		size_t len = 0;
		static const char *const names[CTX_COUNT] = { "In the list", "In the form", "In the deliveries",
							      "In dialogs" };
		int ctx;

		if (!text)
			break;
		text[0] = '\0';
		for (ctx = 0; ctx < CTX_COUNT; ctx++) {
			len += (size_t)snprintf(text + len, 16384 - len, "%s%s\n", ctx ? "\n" : "", names[ctx]);
			/* Keys for the same action share a line: "F2, n  add a webhook". */
			for (i = 0; i < n && len < 16000; i++) {
				char keysbuf[64];
				size_t kl = 0, j;

				if ((int)t[i].ctx != ctx || (i > 0 && t[i - 1].ctx == t[i].ctx && t[i - 1].act == t[i].act))
					continue;
				for (j = i; j < n && t[j].ctx == t[i].ctx && t[j].act == t[i].act && kl + 12 < sizeof keysbuf; j++)
					kl += (size_t)snprintf(keysbuf + kl, sizeof keysbuf - kl, "%s%s", j > i ? ", " : "", t[j].keyname);
				len += (size_t)snprintf(text + len, 16384 - len, "  %-16s %s\n", keysbuf, t[i].help);
			}
		}
		len += (size_t)snprintf(text + len, 16384 - len,
			"\nIn the form: Up/Down move between fields (inside the payload and\n"
			"headers boxes they move the cursor; Tab leaves). Events: Space toggles,\n"
			"a toggles all. Formatting: Space or Left/Right. Secret: g generates,\n"
			"r reveals, x removes. Enabled, Verify TLS: Space.");
		dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Keys (Esc closes)", text);
		free(text);
		break;
	}
	default:
		if (act >= A_UP && act <= A_END)
			listview_move(&a->lv, act, (size_t)list_rows());
		break;
	}
}

/* ---- deliveries screen ---- */

static void load_deliveries(struct app *a)
{
	json_t *rows = NULL;
	char err[ERR_MAX];

	if (history_list(a->st, a->dwebhook[0] ? a->dwebhook : NULL, NULL, 500, &rows, err) < 0) {
		flash(a, C_BAD, err);
		return;
	}
	json_decref(a->dlv);
	a->dlv = rows;
	if (a->dsel >= json_array_size(rows))
		a->dsel = json_array_size(rows) ? json_array_size(rows) - 1 : 0;
	a->data_version = data_version(a);
}

static void open_deliveries(struct app *a, const char *webhook)
{
	snprintf(a->dwebhook, sizeof a->dwebhook, "%s", webhook ? webhook : "");
	a->dsel = a->dtop = 0;
	a->screen = S_DELIVERIES;
	a->flash[0] = '\0';
	load_deliveries(a);
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void draw_deliveries(struct app *a)
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

		cli_time(json_integer_value(json_object_get(d, "created_at")), when, sizeof when);
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
		draw_text(y, 61, 9, state, c, 1);
		draw_text(y, 71, cols - 71, last, sel ? c : C_NORMAL, 1);
	}
	if (a->flash[0])
		draw_text(term_rows() - 2, 0, cols, a->flash, a->flash_color, 1);
	draw_bar(CTX_DELIVERIES);
}

static void open_delivery(struct app *a)
{
	json_t *row = json_array_get(a->dlv, a->dsel), *d = NULL, *atts, *body;
	char err[ERR_MAX], id[32], title[128], when[64], *pretty = NULL, *text;
	size_t len = 0, i, cap = 256 * 1024;

	if (!row)
		return;
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(row, "id")));
	if (history_get(a->st, id, &d, err) < 0 || !(text = malloc(cap))) {
		flash(a, C_BAD, err);
		json_decref(d);
		return;
	}
	body = json_loads(jstr(d, "body"), 0, NULL);
	pretty = body ? json_dumps(body, JSON_INDENT(2)) : NULL;
	json_decref(body);
	len += (size_t)snprintf(text + len, cap - len, "webhook-id %s%s\nwebhook %s · event %s %s\nstate %s after %lld attempt(s)\n\nBody:\n%s\n",
				jstr(d, "uid"), json_is_true(json_object_get(d, "test")) ? " (a test)" : "", jstr(d, "webhook"), jstr(d, "type"),
				jstr(d, "event"), jstr(d, "state"),
				(long long)json_integer_value(json_object_get(d, "attempts")),
				pretty ? pretty : jstr(d, "body"));
	atts = json_object_get(d, "attempt_log");
	for (i = 0; i < json_array_size(atts) && len < cap - 2048; i++) {
		json_t *at = json_array_get(atts, i);
		json_t *st = json_object_get(at, "status");

		cli_time(json_integer_value(json_object_get(at, "started_at")), when, sizeof when);
		len += (size_t)snprintf(text + len, cap - len, "\nAttempt %zu at %s, %lld ms: ", i + 1, when,
					(long long)json_integer_value(json_object_get(at, "duration_ms")));
		if (json_is_integer(st))
			len += (size_t)snprintf(text + len, cap - len, "HTTP %lld ", (long long)json_integer_value(st));
		len += (size_t)snprintf(text + len, cap - len, "%s\nRequest headers:\n%s",
					strncmp(jstr(at, "error"), "HTTP ", 5) == 0 ? "" : jstr(at, "error"),
					jstr(at, "request_headers"));
		if (*jstr(at, "response_headers"))
			len += (size_t)snprintf(text + len, cap - len, "Response headers:\n%s", jstr(at, "response_headers"));
		if (*jstr(at, "response_body"))
			len += (size_t)snprintf(text + len, cap - len, "Response body:\n%.4000s\n", jstr(at, "response_body"));
	}
	snprintf(title, sizeof title, "Delivery %s (Esc closes, arrows scroll)", id);
	dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, title, text);
	free(text);
	free(pretty);
	json_decref(d);
}

static void deliveries_key(struct app *a, int key)
{
	enum action act = keys_action(CTX_DELIVERIES, key);
	json_t *row = json_array_get(a->dlv, a->dsel);
	char err[ERR_MAX], id[32], msg[ERR_MAX + 64];

	switch (act) {
	case A_BACK:
		a->screen = S_LIST;
		a->flash[0] = '\0';
		reload(a);
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
			flash(a, C_BAD, msg);
		} else {
			snprintf(msg, sizeof msg, "delivery %s queued again", id);
			flash(a, C_OK, msg);
			wake(a);
		}
		load_deliveries(a);
		break;
	case A_ALL: {
		const struct webhook *wh = listview_selected(&a->lv);

		open_deliveries(a, a->dwebhook[0] || !wh ? NULL : wh->name);
		break;
	}
	default:
		if (act >= A_UP && act <= A_END)
			select_move(&a->dsel, &a->dtop, json_array_size(a->dlv), act, (size_t)term_rows() - 4);
		break;
	}
}

/* ---- fire ---- */

static void ask_fire_type(struct app *a)
{
	size_t i;

	dialog_open(&a->dlg, DIALOG_CHOICE, ASK_FIRE_TYPE, "Fire which event? (Enter picks, Esc cancels)", "");
	for (i = 0; i < catalog_count(a->cat) && i < DIALOG_CHOICES; i++)
		a->dlg.choices[i] = catalog_event(a->cat, i)->title;
	a->dlg.nchoices = i;
}

static void ask_fire(struct app *a)
{
	const struct catalog_event *ce = catalog_event(a->cat, (size_t)a->fire_type);
	char *data = json_dumps(a->fire_data, JSON_INDENT(2)), text[8192];

	snprintf(text, sizeof text, "Fire %s (%s) to every enabled webhook subscribed to it?\n\nData:\n%.6000s\n\ny  fire       e  edit the data in $EDITOR       n  cancel (default)",
		 ce->title, ce->id, data ? data : "{}");
	free(data);
	dialog_open(&a->dlg, DIALOG_CONFIRM, ASK_FIRE, "Fire an event", text);
	a->dlg.extra_key = 'e';
}

static void fire_now(struct app *a)
{
	const struct catalog_event *ce = catalog_event(a->cat, (size_t)a->fire_type);
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX], msg[ERR_MAX + 100];

	if (event_init(&ev, a->cat, ce->id, NULL, json_incref(a->fire_data), err) < 0 ||
	    fanout_fire(a->st, &ev, &res, err) < 0) {
		flash(a, C_BAD, err);
		return;
	}
	snprintf(msg, sizeof msg, "fired %s (%s): %zu deliver%s queued", ev.uid, ev.type, res.deliveries,
		 res.deliveries == 1 ? "y" : "ies");
	event_clear(&ev);
	wake(a);
	open_deliveries(a, NULL);
	flash(a, C_OK, msg);
}

/* ---- form screen ---- */

struct layout {
	int y[FF_COUNT];
	int events_rows, payload_rows, headers_rows, verdict_y, note_y;
};

static void form_layout(struct layout *l)
{
	int y = 1;

	l->events_rows = 5;
	l->headers_rows = 2;
	l->payload_rows = term_rows() - 18;
	l->y[FF_NAME] = y++;
	l->y[FF_URL] = y++;
	l->y[FF_EVENTS] = y;
	y += l->events_rows;
	l->y[FF_FORMAT] = y++;
	l->y[FF_PAYLOAD] = y;
	y += l->payload_rows;
	l->verdict_y = y++;
	l->y[FF_SECRET] = y++;
	l->y[FF_HEADERS] = y;
	y += l->headers_rows;
	l->y[FF_ENABLED] = l->y[FF_VERIFY] = y++;
	l->y[FF_TIMEOUT] = y++;
	l->y[FF_SAVE] = l->y[FF_TEST] = l->y[FF_CANCEL] = y++;
	l->note_y = y;
}

#define VX 14   /* where values start */

/* Draw an editor's visible part; returns the cursor position if focused. */
static void draw_editor(struct editor *e, int y, int x, int h, int w, int numbers, int focused,
			int err_line, int err_col, int *cy, int *cx)
{
	int i, tx = x + (numbers ? 5 : 0), tw = w - (numbers ? 5 : 0);

	editor_scroll(e, (size_t)h, (size_t)(tw > 1 ? tw - 1 : 1));
	for (i = 0; i < h; i++) {
		size_t row = e->top + (size_t)i;
		char num[24];

		draw_fill(y + i, x, w, focused ? C_NORMAL : C_NORMAL);
		if (row >= e->nlines && !(row == 0))
			continue;
		if (numbers) {
			snprintf(num, sizeof num, "%4zu", row + 1);
			draw_text(y + i, x, 4, row < e->nlines ? num : "", C_DIM, 1);
		}
		if (row < e->nlines) {
			/* Skip e->left display columns. */
			const char *line = e->lines[row];
			size_t skip = e->left, b = 0, len = strlen(line);

			while (b < len && skip > 0) {
				unsigned cp;
				size_t k = utf8_decode(line + b, len - b, &cp);

				skip -= skip >= utf8_cp_width(cp) ? utf8_cp_width(cp) : skip;
				b += k;
			}
			draw_text(y + i, tx, tw, line + b, C_NORMAL, 0);
			if (err_line > 0 && (size_t)err_line == row + 1) {
				int col = err_col - 1 - (int)e->left;

				if (col >= 0 && col < tw)
					draw_text(y + i, tx + col, 1, "◆", C_BAD, 0);
			}
		}
	}
	if (focused) {
		*cy = y + (int)(e->row - e->top);
		*cx = tx + (int)(editor_cursor_x(e) - e->left);
	}
}

static void draw_form(struct app *a)
{
	struct form *f = &a->form;
	struct layout l;
	int cols = term_cols(), w = cols - VX - 1, i, cy = -1, cx = -1;
	char title[300], buf[512];
	enum form_field ff;

	form_layout(&l);
	if (f->is_new)
		snprintf(title, sizeof title, "New webhook%s", f->dirty ? " *" : "");
	else
		snprintf(title, sizeof title, "Edit webhook: %s%s", f->base.name, f->dirty ? " *" : "");
	draw_header(title, a->sender, a->sender_color);
	for (ff = 0; ff < FF_SAVE; ff++) {
		if (ff == FF_VERIFY)
			continue;
		draw_text(l.y[ff], 1, VX - 2, form_label(ff), f->focus == ff ? C_BAR_KEY : C_NORMAL, 1);
	}
	if (f->focus <= FF_TIMEOUT && f->focus != FF_VERIFY)
		draw_text(l.y[f->focus], 0, 1, "▸", C_WARN, 0);
	draw_editor(&f->name, l.y[FF_NAME], VX, 1, w, 0, f->focus == FF_NAME, 0, 0, &cy, &cx);
	draw_editor(&f->url, l.y[FF_URL], VX, 1, w, 0, f->focus == FF_URL, 0, 0, &cy, &cx);

	/* Events checklist: a window of rows around the cursor. */
	{
		size_t top = f->row >= (size_t)l.events_rows ? f->row - (size_t)l.events_rows + 1 : 0;
		size_t chosen = 0;

		for (i = 0; i < (int)catalog_count(a->cat); i++)
			chosen += f->chosen[i] != 0;
		for (i = 0; i < l.events_rows && top + (size_t)i < f->nrows; i++) {
			const struct form_row *r = &f->rows[top + (size_t)i];
			int st = form_row_state(f, r), cur = f->focus == FF_EVENTS && top + (size_t)i == f->row;
			const struct catalog_group *g = catalog_group(a->cat, r->group);

			if (r->event < 0 || g->count == 1)
				snprintf(buf, sizeof buf, "[%s] %s", st == 2 ? "x" : st == 1 ? "-" : " ", g->name);
			else
				snprintf(buf, sizeof buf, "    [%s] %s", st ? "x" : " ", catalog_event(a->cat, (size_t)r->event)->title);
			draw_text(l.y[FF_EVENTS] + i, VX, w - 14, buf, cur ? C_SELECTED : C_NORMAL, 1);
		}
		snprintf(buf, sizeof buf, "%zu of %zu", chosen, catalog_count(a->cat));
		draw_text(l.y[FF_EVENTS], cols - 13, 12, buf, C_DIM, 0);
		if (f->focus == FF_EVENTS)
			draw_text(l.y[FF_EVENTS] + 1, cols - 13, 12, "Space, a", C_DIM, 0);
	}
	snprintf(buf, sizeof buf, "(%s) Default   (%s) Slack   (%s) Jira", f->format == FORMAT_DEFAULT ? "•" : " ",
		 f->format == FORMAT_SLACK ? "•" : " ", f->format == FORMAT_JIRA ? "•" : " ");
	draw_text(l.y[FF_FORMAT], VX, w, buf, f->focus == FF_FORMAT ? C_SELECTED : C_NORMAL, 0);
	draw_editor(&f->payload, l.y[FF_PAYLOAD], VX - 5, l.payload_rows, w + 5, 1, f->focus == FF_PAYLOAD,
		    f->verdict.line, f->verdict.column, &cy, &cx);
	form_verdict_text(f, buf, sizeof buf);
	draw_text(l.verdict_y, VX, w, buf, f->verdict.ok ? C_OK : C_BAD, 1);
	if (f->secret && f->secret_shown)
		snprintf(buf, sizeof buf, "%s", f->secret);
	else if (f->secret)
		mask_secret(f->secret, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "none");
	i = draw_text(l.y[FF_SECRET], VX, w, buf, f->focus == FF_SECRET ? C_SELECTED : C_NORMAL, 0);
	if (f->focus == FF_SECRET)
		draw_text(l.y[FF_SECRET], VX + i + 2, w - i - 2, f->secret ? "g new · r reveal · x remove" : "g generate a whsec_ secret", C_DIM, 0);
	draw_editor(&f->headers, l.y[FF_HEADERS], VX, l.headers_rows, w, 0, f->focus == FF_HEADERS, 0, 0, &cy, &cx);
	if (f->focus != FF_HEADERS && editor_size(&f->headers) == 0)
		draw_text(l.y[FF_HEADERS], VX, w, "none (one 'Name: value' per line)", C_DIM, 0);
	draw_text(l.y[FF_ENABLED], VX, 3, f->enabled ? "[x]" : "[ ]", f->focus == FF_ENABLED ? C_SELECTED : C_NORMAL, 0);
	draw_text(l.y[FF_VERIFY], 30, 11, "Verify TLS", f->focus == FF_VERIFY ? C_BAR_KEY : C_NORMAL, 0);
	draw_text(l.y[FF_VERIFY], 42, 3, f->verify_tls ? "[x]" : "[ ]", f->focus == FF_VERIFY ? C_SELECTED : f->verify_tls ? C_NORMAL : C_BAD, 0);
	if (!f->verify_tls)
		draw_text(l.y[FF_VERIFY], 47, cols - 48, "certificates NOT checked", C_BAD, 0);
	draw_editor(&f->timeout, l.y[FF_TIMEOUT], VX, 1, 6, 0, f->focus == FF_TIMEOUT, 0, 0, &cy, &cx);
	draw_text(l.y[FF_SAVE], VX, 8, "[ Save ]", f->focus == FF_SAVE ? C_SELECTED : C_BAR_KEY, 0);
	draw_text(l.y[FF_TEST], VX + 10, 13, "[ Test send ]", f->focus == FF_TEST ? C_SELECTED : C_NORMAL, 0);
	draw_text(l.y[FF_CANCEL], VX + 25, 10, "[ Cancel ]", f->focus == FF_CANCEL ? C_SELECTED : C_NORMAL, 0);
	if (f->note[0]) {
		draw_text(l.note_y, 0, cols, f->note, strstr(f->note, "✗") ? C_BAD : C_WARN, 1);
	} else if (f->nproblems) {
		char more[32] = "";

		if (f->nproblems > 1)
			snprintf(more, sizeof more, "  (+%zu more)", f->nproblems - 1);
		snprintf(buf, sizeof buf, "✗ %s: %.440s%s", form_label(form_field_of(f->problems[0].field)),
			 f->problems[0].msg, more);
		draw_text(l.note_y, 0, cols, buf, C_BAD, 1);
	}
	draw_bar(CTX_FORM);
	if (!a->dlg.kind && cy >= 0)
		draw_cursor(cy, cx);
}

static void back_to_list(struct app *a, const char *msg)
{
	form_close(&a->form);
	a->screen = S_LIST;
	reload(a);
	if (msg)
		flash(a, C_OK, msg);
}

static void save(struct app *a, int overwrite)
{
	struct webhook wh;
	char err[ERR_MAX], msg[ERR_MAX + 64];
	size_t n, i, len = 0;
	int rc;

	a->form.note[0] = '\0';
	n = form_build(&a->form, &wh);
	if (n > 0) {
		char text[WF_COUNT * (ERR_MAX + 32)];

		for (i = 0; i < a->form.nproblems; i++)
			len += (size_t)snprintf(text + len, sizeof text - len, "%s%s: %s", i ? "\n" : "",
						form_label(form_field_of(a->form.problems[i].field)), a->form.problems[i].msg);
		if (n > 1)
			dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Nothing was saved: fix these", text);
		webhook_clear(&wh);
		return;
	}
	if (overwrite) {
		struct webhook cur;

		if (store_webhook_get_id(a->st, wh.id, &cur, err) == 0)
			wh.version = cur.version;
		webhook_clear(&cur);
	}
	rc = a->form.is_new ? store_webhook_insert(a->st, &wh, err) : store_webhook_update(a->st, &wh, err);
	if (rc < 0) {
		if (strstr(err, "changed elsewhere")) {
			dialog_open(&a->dlg, DIALOG_CHOICE, ASK_CONFLICT, "Changed elsewhere",
				    "This webhook was saved by someone else since you opened it.");
			a->dlg.choices[0] = "Reload: see their version (your edits are dropped)";
			a->dlg.choices[1] = "Overwrite: save yours over theirs";
			a->dlg.choices[2] = "Cancel: keep editing";
			a->dlg.nchoices = 3;
		} else {
			snprintf(a->form.note, sizeof a->form.note, "✗ not saved: %.480s", err);
			if (strstr(err, "already exists"))
				a->form.focus = FF_NAME;
		}
		webhook_clear(&wh);
		return;
	}
	snprintf(msg, sizeof msg, "saved webhook \"%s\"", wh.name);
	webhook_clear(&wh);
	back_to_list(a, msg);
}

static void preview(struct app *a)
{
	struct form *f = &a->form;
	struct event ev;
	char err[ERR_MAX], *payload = editor_text(&f->payload), *body = NULL, *pretty = NULL, title[128];
	const char *type = "alarm.high_severity";
	json_t *j;
	size_t i;

	for (i = 0; i < catalog_count(a->cat); i++)
		if (f->chosen[i]) {
			type = catalog_event(a->cat, i)->id;
			break;
		}
	if (payload && event_init(&ev, a->cat, type, NULL, NULL, err) == 0) {
		body = fanout_render(payload, f->format, &ev, err);
		event_clear(&ev);
	}
	snprintf(title, sizeof title, "Preview: %s, %s formatting (Esc closes)", type, format_name(f->format));
	if (body) {
		j = json_loads(body, 0, NULL);
		pretty = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
		json_decref(j);
	}
	dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, title, pretty ? pretty : body ? body : err);
	free(pretty);
	free(body);
	free(payload);
}

static void apply_preset(struct app *a, int which)
{
	char err[ERR_MAX], *payload;
	enum format fmt;

	if (datadir_preset(catalog_datadir(a->cat), datadir_presets[which], &payload, &fmt, err) < 0) {
		snprintf(a->form.note, sizeof a->form.note, "%.500s", err);
		return;
	}
	/* Slack's preset sets its formatting; the others keep the operator's. */
	form_set_payload(&a->form, payload, fmt == FORMAT_SLACK ? &fmt : NULL);
	a->form.payload.changed = 0;
	snprintf(a->form.note, sizeof a->form.note, "payload filled from the %s preset", datadir_presets[which]);
	free(payload);
}

static void form_screen_key(struct app *a, int key)
{
	struct form *f = &a->form;

	if (key >= 0x20 && key < 0x110000 && form_is_text(f)) {
		char u[8];
		int len = wctomb(u, (wchar_t)key);

		if (len > 0)
			form_type(f, u, (size_t)len);
		return;
	}
	switch (form_key(f, key)) {
	case FORM_SAVE:
		save(a, 0);
		break;
	case FORM_CANCEL:
		if (f->dirty)
			dialog_open(&a->dlg, DIALOG_CONFIRM, ASK_DISCARD, "Discard changes",
				    "Leave the form and discard your changes?\n\ny  discard       n  keep editing (default)");
		else
			back_to_list(a, NULL);
		break;
	case FORM_PREVIEW:
		preview(a);
		break;
	case FORM_PRESET:
		dialog_open(&a->dlg, DIALOG_CHOICE, ASK_PRESET, "Fill the payload from a preset", "");
		a->dlg.choices[0] = "Slack (sets Slack formatting)";
		a->dlg.choices[1] = "Microsoft Teams";
		a->dlg.choices[2] = "Jira (automation incoming webhook)";
		a->dlg.choices[3] = "ServiceNow";
		a->dlg.choices[4] = "Generic";
		a->dlg.nchoices = 5;
		break;
	case FORM_HELP:
		list_key(a, '?');
		break;
	case FORM_TEST:
		test_form(a);
		break;
	case FORM_EDITOR: {
		char err[ERR_MAX], *text = editor_text(&f->payload), *edited;

		edited = text ? external_edit(text, ".json", err) : NULL;
		if (edited) {
			if (strcmp(edited, text) != 0) {
				form_set_payload(f, edited, NULL);
				f->focus = FF_PAYLOAD;
			}
			snprintf(f->note, sizeof f->note, "payload back from the editor: %s",
				 f->verdict.ok ? "valid" : "see the check under it");
		} else {
			snprintf(f->note, sizeof f->note, "%.500s", text ? err : "out of memory");
		}
		free(text);
		free(edited);
		break;
	}
	default:
		break;
	}
}

static void dialog_done(struct app *a, int tag, int answer)
{
	const struct webhook *wh = listview_selected(&a->lv);
	char err[ERR_MAX], msg[ERR_MAX + 100];
	long long pending = 0;

	switch (tag) {
	case ASK_DELETE:
		if (answer == 1 && wh) {
			char *name = strdup(wh->name);

			if (name && store_webhook_delete(a->st, name, &pending, err) == 0) {
				snprintf(msg, sizeof msg, "deleted webhook \"%s\"; %lld pending deliver%s cancelled", name,
					 pending, pending == 1 ? "y" : "ies");
				flash(a, C_OK, msg);
			} else {
				flash(a, C_BAD, name ? err : "out of memory");
			}
			free(name);
			reload(a);
		}
		break;
	case ASK_DISCARD:
		if (answer == 1)
			back_to_list(a, "changes discarded");
		break;
	case ASK_PRESET:
		if (answer >= 0) {
			if (a->form.payload.changed) {
				a->pending_preset = answer;
				dialog_open(&a->dlg, DIALOG_CONFIRM, ASK_REPLACE, "Replace the payload",
					    "You edited the payload. Replace it with the preset?\n\ny  replace       n  keep mine (default)");
				return;
			}
			apply_preset(a, answer);
		}
		break;
	case ASK_TESTING:
		control_cancel(&a->test);
		break;
	case ASK_FIRE_TYPE:
		if (answer >= 0) {
			json_t *sample = catalog_sample(a->cat, catalog_event(a->cat, (size_t)answer)->id, err);

			json_decref(a->fire_data);
			a->fire_data = sample ? json_deep_copy(json_object_get(sample, "data")) : NULL;
			json_decref(sample);
			if (!a->fire_data) {
				flash(a, C_BAD, err);
				break;
			}
			a->fire_type = answer;
			ask_fire(a);
		}
		break;
	case ASK_FIRE:
		if (answer == 1)
			fire_now(a);
		else if (answer == 2) {
			char *text = json_dumps(a->fire_data, JSON_INDENT(2)), *edited;
			json_error_t jerr;
			json_t *j;

			edited = text ? external_edit(text, ".json", err) : NULL;
			free(text);
			if (!edited) {
				flash(a, C_BAD, err);
				break;
			}
			j = json_loads(edited, 0, &jerr);
			free(edited);
			if (!json_is_object(j)) {
				snprintf(msg, sizeof msg, "the data must be a JSON object (line %d: %s); nothing fired", jerr.line,
					 j ? "not an object" : jerr.text);
				json_decref(j);
				flash(a, C_BAD, msg);
				break;
			}
			json_decref(a->fire_data);
			a->fire_data = j;
			ask_fire(a);
		}
		break;
	case ASK_REPLACE:
		if (answer == 1)
			apply_preset(a, a->pending_preset);
		break;
	case ASK_CONFLICT:
		if (answer == 0) {
			struct webhook cur;

			if (store_webhook_get_id(a->st, a->form.base.id, &cur, err) == 0) {
				form_close(&a->form);
				if (form_open(&a->form, a->cat, &cur, "", err) < 0) {
					a->screen = S_LIST;
					flash(a, C_BAD, err);
				} else {
					snprintf(a->form.note, sizeof a->form.note, "reloaded: this is the version saved elsewhere");
				}
			} else {
				back_to_list(a, NULL);
				flash(a, C_BAD, "the webhook was deleted elsewhere");
			}
			webhook_clear(&cur);
		} else if (answer == 1) {
			save(a, 1);
		}
		break;
	default:
		break;
	}
}

static void draw_dialog(struct app *a)
{
	struct dialog *d = &a->dlg;
	size_t lines = dialog_lines(d), i, maxw = strlen(d->title) + 6;
	int rows = term_rows(), cols = term_cols(), h, w, y, x;
	const char *p = d->text;

	for (i = 0; p && i < lines; i++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len + 4 > maxw)
			maxw = len + 4;
		p = nl ? nl + 1 : NULL;
	}
	for (i = 0; i < d->nchoices; i++)
		if (strlen(d->choices[i]) + 10 > maxw)
			maxw = strlen(d->choices[i]) + 10;
	w = (int)maxw > cols - 4 ? cols - 4 : (int)maxw;
	if (w < 40)
		w = 40;
	h = (int)(d->kind == DIALOG_CHOICE ? (d->text[0] ? lines + 1 : 0) + d->nchoices : lines) + 2;
	if (h > rows - 2)
		h = rows - 2;
	y = (rows - h) / 2;
	x = (cols - w) / 2;
	draw_box(y, x, h, w, d->title);
	p = d->text;
	for (i = 0; p && i < d->scroll; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	for (i = 0; p && (int)i < h - 2 && d->kind != DIALOG_CHOICE; i++) {
		const char *nl = strchr(p, '\n');
		char line[1024];
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line - 1 ? len : sizeof line - 1), p);
		draw_text(y + 1 + (int)i, x + 2, w - 4, line, C_NORMAL, 0);
		p = nl ? nl + 1 : NULL;
	}
	if (d->kind == DIALOG_CHOICE) {
		int yy = y + 1;

		if (d->text[0]) {
			draw_text(yy, x + 2, w - 4, d->text, C_NORMAL, 0);
			yy += 2;
		}
		for (i = 0; i < d->nchoices && yy < y + h - 1; i++, yy++) {
			char line[256];

			snprintf(line, sizeof line, "%zu  %s", i + 1, d->choices[i]);
			draw_text(yy, x + 2, w - 4, line, i == d->choice ? C_SELECTED : C_NORMAL, 1);
		}
	}
	draw_cursor(-1, 0);
}

int tui_run(const char *dir, const char *datadir, const char *hookmand_path, char *err)
{
	struct app a;
	const char *autostart = getenv("HOOKMAN_AUTOSTART");
	static char paste[256 * 1024 + 16];
	int key = HK_RESIZE, held = 0;

	memset(&a, 0, sizeof a);
	a.test.fd = -1;
	a.dir = dir;
	a.hookmand = hookmand_path;
	a.cat = catalog_load(datadir, err);
	if (!a.cat)
		return 1;
	a.st = store_open(dir, err);
	if (!a.st) {
		catalog_free(a.cat);
		return 1;
	}
	listview_init(&a.lv);
	if (!(autostart && strcmp(autostart, "0") == 0) && control_ensure(dir, hookmand_path, 3000, NULL, err) < 0) {
		char note[ERR_MAX + 64];

		snprintf(note, sizeof note, "cannot start hookmand: %s", err);
		flash(&a, C_BAD, note);
	}
	reload(&a);
	refresh_sender(&a);
	if (term_start() < 0) {
		err_set(err, "hookman needs a terminal (stdin and stdout); use the commands for scripts (hookman --help)");
		listview_free(&a.lv);
		store_close(a.st);
		catalog_free(a.cat);
		return 2;
	}
	while (!a.quit) {
		if (key != 0 || a.dlg.kind) {
			if (term_cols() < 80 || term_rows() < 24) {
				draw_too_small();
			} else {
				draw_begin();
				draw_cursor(-1, 0);
				if (a.screen == S_LIST)
					draw_list(&a);
				else if (a.screen == S_FORM)
					draw_form(&a);
				else
					draw_deliveries(&a);
				if (a.dlg.kind)
					draw_dialog(&a);
				draw_end();
			}
		}
		if (held) {
			key = held;
			held = 0;
		} else {
			key = term_key(a.test.fd >= 0 ? 100 : 1000);
		}
		if (key < 0)
			break;
		if (a.screen == S_FORM && !a.dlg.kind && key >= 0x20 && key < 0x110000 && form_is_text(&a.form)) {
			/* Keys that arrive together (a paste) are typed as one text, so
			 * a 64 KiB paste is checked once, not once per character. */
			int multi = a.form.focus == FF_PAYLOAD || a.form.focus == FF_HEADERS, next;
			size_t n = 0;

			do {
				if (key == HK_ENTER)
					paste[n++] = '\n';
				else if (key == HK_TAB)
					paste[n++] = '\t';
				else {
					int len = wctomb(paste + n, (wchar_t)key);

					n += len > 0 ? (size_t)len : 0;
				}
				next = n + 8 < sizeof paste ? term_key(0) : 0;
				key = next;
			} while (next > 0 && ((next >= 0x20 && next < 0x110000) || (multi && (next == HK_ENTER || next == HK_TAB))));
			held = next;
			form_type(&a.form, paste, n);
			key = HK_RESIZE;
			continue;
		}
		if (a.test.fd >= 0) {
			json_t *r = NULL;
			char why[ERR_MAX];
			int rc = control_check(&a.test, &r, why);

			if (rc != 0 && a.dlg.kind && a.dlg.tag == ASK_TESTING)
				dialog_close(&a.dlg);
			if (rc > 0)
				show_test_result(&a, r);
			else if (rc < 0)
				dialog_open(&a.dlg, DIALOG_TEXT, ASK_INFO, "Test send", why);
			else if (a.dlg.tag == ASK_TESTING)
				test_progress(&a);
			json_decref(r);
			if (key == 0) {
				key = HK_RESIZE;
				continue;
			}
		}
		if (key == 0) {
			/* Once a second: the sender's state, and the list if another
			 * process changed the store. */
			long long v = data_version(&a);

			refresh_sender(&a);
			if (v != a.data_version && a.screen == S_LIST)
				reload(&a);
			else if (v != a.data_version && a.screen == S_DELIVERIES)
				load_deliveries(&a);
			key = HK_RESIZE;
			continue;
		}
		if (key == HK_RESIZE || term_cols() < 80 || term_rows() < 24)
			continue;
		if (a.dlg.kind) {
			int tag = a.dlg.tag, answer = dialog_key(&a.dlg, key, (size_t)term_rows() - 6);

			if (answer != -1) {
				dialog_close(&a.dlg);
				dialog_done(&a, tag, answer);
			}
			continue;
		}
		if (a.screen == S_LIST)
			list_key(&a, key);
		else if (a.screen == S_FORM)
			form_screen_key(&a, key);
		else
			deliveries_key(&a, key);
	}
	term_stop();
	control_cancel(&a.test);
	if (a.screen == S_FORM)
		form_close(&a.form);
	dialog_close(&a.dlg);
	json_decref(a.latest);
	json_decref(a.dlv);
	json_decref(a.fire_data);
	listview_free(&a.lv);
	store_close(a.st);
	catalog_free(a.cat);
	return 0;
}
