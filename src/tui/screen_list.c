/* The webhook list: rows, filter, and the keys that act on a webhook. */
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

static void age(long long ms, char *out, size_t size)
{
	long long s = (app_now_ms() - ms) / 1000;

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




static int list_rows(void)
{
	return term_rows() - 4;   /* header, titles, flash/filter line, bar */
}

void list_draw(struct app *a)
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

			/* An unchecked certificate is marked in the text too, so it
			 * shows without colour (NO_COLOR, the selected row). */
			if (wh->verify_tls)
				mask_url(wh->url, url, sizeof url);
			else {
				memcpy(url, "! ", 2);
				mask_url(wh->url, url + 2, sizeof url - 2);
			}
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

void form_screen_open(struct app *a, const struct webhook *wh)
{
	char err[ERR_MAX], *payload = NULL;
	enum format f;

	if (!wh && datadir_preset(catalog_datadir(a->cat), "generic", &payload, &f, err) < 0) {
		app_flash(a, C_BAD, err);
		return;
	}
	if (form_open(&a->form, a->cat, wh, payload ? payload : "", err) < 0) {
		app_flash(a, C_BAD, err);
		free(payload);
		return;
	}
	free(payload);
	a->screen = S_FORM;
	a->flash[0] = '\0';
}

void list_key(struct app *a, int key)
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
		form_screen_open(a, NULL);
		break;
	case A_EDIT:
		if (wh)
			form_screen_open(a, wh);
		break;
	case A_DELETE:
		if (wh) {
			struct store_backlog b = { 0, 0 };
			long long pending;

			store_webhook_pending(a->st, wh->id, &b, err);
			pending = b.waiting + b.inflight;
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
					app_flash(a, C_BAD, err);
				} else {
					snprintf(msg, sizeof msg, "webhook \"%s\" %s", copy.name, copy.enabled ? "enabled" : "disabled");
					app_flash(a, C_OK, msg);
					if (copy.enabled)
						app_wake(a);
				}
				webhook_clear(&copy);
				app_reload(a);
			}
		}
		break;
	case A_TEST:
		if (wh)
			testsend_list(a, wh);
		break;
	case A_DELIVERIES:
		deliveries_open(a, wh ? wh->name : NULL);
		break;
	case A_FIRE:
		fire_ask_type(a);
		break;
	case A_FILTER:
		a->filtering = 1;
		a->flash[0] = '\0';
		break;
	case A_HELP: {
		size_t n, i;
		const struct binding *t = keys_table(&n);
		struct sbuf text, keynames;
		static const char *const names[CTX_COUNT] = { "In the list", "In the form", "In the deliveries",
							      "In dialogs" };
		int ctx;

		sbuf_init(&text);
		for (ctx = 0; ctx < CTX_COUNT; ctx++) {
			sbuf_appendf(&text, "%s%s\n", ctx ? "\n" : "", names[ctx]);
			/* Keys for the same action share a line: "F2, n  add a webhook". */
			for (i = 0; i < n; i++) {
				size_t j;

				if ((int)t[i].ctx != ctx || (i > 0 && t[i - 1].ctx == t[i].ctx && t[i - 1].act == t[i].act))
					continue;
				sbuf_init(&keynames);
				for (j = i; j < n && t[j].ctx == t[i].ctx && t[j].act == t[i].act; j++)
					sbuf_appendf(&keynames, "%s%s", j > i ? ", " : "", t[j].keyname);
				sbuf_appendf(&text, "  %-16s %s\n", sbuf_text(&keynames), t[i].help);
				sbuf_release(&keynames);
			}
		}
		sbuf_append(&text,
			"\nIn the form: Up/Down move between fields (inside the payload and\n"
			"headers boxes they move the cursor; Tab leaves). Events: Space toggles,\n"
			"a toggles all. Formatting: Space or Left/Right. Secret: g generates,\n"
			"r reveals, x removes. Enabled, Verify TLS: Space.\n\n"
			"In the list: ● last delivery fine, ✗ failing, ○ disabled; a URL in red\n"
			"with ! before it does not have its TLS certificate checked.");
		dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Keys (Esc closes)",
			    text.failed ? "out of memory listing the keys" : sbuf_text(&text));
		sbuf_release(&text);
		break;
	}
	default:
		if (act >= A_UP && act <= A_END)
			listview_move(&a->lv, act, (size_t)list_rows());
		break;
	}
}
