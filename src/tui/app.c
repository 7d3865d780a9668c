/* The interface's single key loop: it draws the current screen and a
 * dialog on top from plain state, hands each key to the dialog or the
 * screen, and once a second refreshes the sender's state and the data. */
#include "tui.h"

#include <limits.h>
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

long long app_now_ms(void)
{
	return store_now_ms();
}



void app_flash(struct app *a, enum color c, const char *msg)
{
	snprintf(a->flash, sizeof a->flash, "%s", msg);
	a->flash_color = c;
}

long long app_data_version(struct app *a)
{
	return store_data_version(a->st);
}

/* The newest delivery of each webhook, for the list's last-result column;
 * on a read error the column shows nothing rather than stale results. */
static void load_latest(struct app *a)
{
	json_t *m = NULL;
	char err[ERR_MAX];

	history_latest(a->st, &m, err);
	json_decref(a->latest);
	a->latest = m;
}

void app_reload(struct app *a)
{
	struct webhook *list;
	size_t n;
	char err[ERR_MAX];

	if (store_webhook_list(a->st, &list, &n, err) < 0) {
		app_flash(a, C_BAD, err);
		return;
	}
	if (listview_set(&a->lv, list, n) < 0)
		app_flash(a, C_BAD, "out of memory loading the list");
	load_latest(a);
	a->data_version = app_data_version(a);
}

static void refresh_sender(struct app *a)
{
	json_t *req = json_pack("{s:s}", "cmd", "status"), *r = NULL;
	char err[ERR_MAX];

	a->status_at = app_now_ms();
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
		if (json_is_string(json_object_get(r, "store_error"))) {
			snprintf(a->sender, sizeof a->sender, "sender ● STORE ERROR · queue %lld", queue);
			a->sender_color = C_BAD;
		}
	}
	json_decref(req);
	json_decref(r);
}

void app_time(long long ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || !gmtime_r(&t, &tm))
		snprintf(out, size, "-");
	else
		strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Tell hookmand to look at the queue (after enabling a webhook). */
const char *app_wake(struct app *a)
{
	json_t *req = json_pack("{s:s}", "cmd", "wake"), *r = NULL;
	const char *found;
	char err[ERR_MAX];

	a->store_error[0] = '\0';
	if (control_request(a->dir, req, &r, 300, err) == 0) {
		found = json_string_value(json_object_get(r, "store_error"));
		if (found)
			snprintf(a->store_error, sizeof a->store_error, "%s", found);
	}
	json_decref(req);
	json_decref(r);
	return a->store_error[0] ? a->store_error : NULL;
}

static void dialog_done(struct app *a, int tag, int answer)
{
	const struct webhook *wh = listview_selected(&a->lv);
	char err[ERR_MAX], msg[ERR_MAX + 100];
	struct store_backlog backlog;
	char *what;

	switch (tag) {
	case ASK_DELETE:
		if (answer == 1 && wh) {
			char *name = strdup(wh->name);

			if (name && store_webhook_delete(a->st, name, &backlog, err) == 0) {
				what = store_backlog_text(&backlog);
				snprintf(msg, sizeof msg, "deleted webhook \"%s\"; %s", name, what ? what : "");
				free(what);
				app_flash(a, C_OK, msg);
			} else {
				app_flash(a, C_BAD, name ? err : "out of memory");
			}
			free(name);
			app_reload(a);
		}
		break;
	case ASK_DISCARD:
		if (answer == 1)
			form_screen_leave(a, "changes discarded");
		break;
	case ASK_PRESET:
		if (answer >= 0) {
			if (a->form.payload.changed) {
				a->pending_preset = answer;
				dialog_open(&a->dlg, DIALOG_CONFIRM, ASK_REPLACE, "Replace the payload",
					    "You edited the payload. Replace it with the preset?\n\ny  replace       n  keep mine (default)");
				return;
			}
			form_screen_preset(a, answer);
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
				app_flash(a, C_BAD, err);
				break;
			}
			a->fire_type = answer;
			fire_ask(a);
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
				app_flash(a, C_BAD, err);
				break;
			}
			j = json_loads(edited, 0, &jerr);
			free(edited);
			if (!json_is_object(j)) {
				snprintf(msg, sizeof msg, "the data must be a JSON object (line %d: %s); nothing fired", jerr.line,
					 j ? "not an object" : jerr.text);
				json_decref(j);
				app_flash(a, C_BAD, msg);
				break;
			}
			json_decref(a->fire_data);
			a->fire_data = j;
			fire_ask(a);
		}
		break;
	case ASK_REPLACE:
		if (answer == 1)
			form_screen_preset(a, a->pending_preset);
		break;
	case ASK_CONFLICT:
		if (answer == 0) {
			struct webhook cur;

			if (store_webhook_get_id(a->st, a->form.base.id, &cur, err) == 0) {
				form_close(&a->form);
				if (form_open(&a->form, a->cat, &cur, "", err) < 0) {
					a->screen = S_LIST;
					app_flash(a, C_BAD, err);
				} else {
					snprintf(a->form.note, sizeof a->form.note, "reloaded: this is the version saved elsewhere");
				}
			} else {
				form_screen_leave(a, NULL);
				app_flash(a, C_BAD, "the webhook was deleted elsewhere");
			}
			webhook_clear(&cur);
		} else if (answer == 1) {
			form_screen_save(a, 1);
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

/* Pasted text is gathered whole and typed all or nothing: a paste that
 * would pass a field's limit leaves the field exactly as it was. */
#define PASTE_GAP_MS 50                 /* ends a paste the terminal did not mark */
#define PASTE_MAX (16 * 1024 * 1024)    /* past this a paste is only counted */

/* Add a pasted key to the text; 0 when it is not text (the paste ends). */
static int paste_add(struct sbuf *text, size_t *total, int key, int multiline)
{
	char mb[MB_LEN_MAX];
	int len;

	if ((key == HK_ENTER || key == HK_TAB) && multiline) {
		mb[0] = key == HK_ENTER ? '\n' : '\t';
		len = 1;
	} else if (key >= 0x20 && key < 0x110000)
		len = wctomb(mb, (wchar_t)key);
	else
		return 0;
	if (len <= 0)
		return 1;
	*total += (size_t)len;
	if (*total <= PASTE_MAX)
		sbuf_appendn(text, mb, (size_t)len);
	return 1;
}

static void paste_type(struct app *a, struct sbuf *text, size_t total)
{
	if (a->screen != S_FORM || a->dlg.kind || !form_is_text(&a->form))
		return;
	if (total > PASTE_MAX || text->failed)
		form_refuse_paste(&a->form, total);
	else
		form_type(&a->form, sbuf_text(text), text->len);
}

/* A paste the terminal marked (bracketed paste): everything up to its end
 * mark, however it arrived. */
static void paste_marked(struct app *a)
{
	struct sbuf text;
	size_t total = 0;
	int key;

	sbuf_init(&text);
	while ((key = term_key(1000)) > 0 && key != HK_PASTE_END)
		paste_add(&text, &total, key, 1);
	paste_type(a, &text, total);
	sbuf_release(&text);
}

/* Keys that arrive together are a paste the terminal did not mark: gather
 * them until the input pauses, then type them as one text. A paste that
 * was refused refuses what follows it closely too, so no piece of it is
 * inserted after a piece that was not. Returns the key that ended it (to
 * be handled next), or 0. */
static int paste_burst(struct app *a, int key)
{
	int multi = a->form.focus == FF_PAYLOAD || a->form.focus == FF_HEADERS, keys = 0;
	long long now;
	struct sbuf text;
	size_t total = 0;

	sbuf_init(&text);
	do {
		paste_add(&text, &total, key, multi);
		keys++;
		key = term_key(keys > 1 ? PASTE_GAP_MS : 0);
	} while (key > 0 && (key == HK_ENTER || key == HK_TAB ? multi : key >= 0x20 && key < 0x110000));
	now = app_now_ms();
	if (keys > 1 && now < a->paste_refused_until) {
		a->paste_refused += total;
		form_refuse_paste(&a->form, a->paste_refused);
	} else if (total > PASTE_MAX || text.failed || form_type(&a->form, sbuf_text(&text), text.len) < 0) {
		if (total > PASTE_MAX || text.failed)
			form_refuse_paste(&a->form, total);
		a->paste_refused = keys > 1 ? total : 0;
	} else {
		a->paste_refused = 0;
	}
	if (a->paste_refused)
		a->paste_refused_until = now + 4 * PASTE_GAP_MS;
	sbuf_release(&text);
	return key;
}

int tui_run(const char *dir, const char *datadir, const char *hookmand_path, char *err)
{
	struct app a;
	const char *autostart = getenv("HOOKMAN_AUTOSTART");
	int key = HK_RESIZE, held = 0;

	int no_tty;

	if (term_usable(&no_tty, err) < 0)
		return no_tty ? 2 : 1;
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
		app_flash(&a, C_BAD, note);
	}
	app_reload(&a);
	refresh_sender(&a);
	draw_init_charset();
	if (term_start() < 0) {
		err_set(err, "curses could not start on this terminal; use the commands instead: hookman list, hookman --help");
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
					list_draw(&a);
				else if (a.screen == S_FORM)
					form_screen_draw(&a);
				else
					deliveries_draw(&a);
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
		if (key == HK_CTRL('z')) {
			term_stop_job();
			key = HK_RESIZE;
			continue;
		}
		if (key == HK_PASTE_BEGIN) {
			paste_marked(&a);
			key = HK_RESIZE;
			continue;
		}
		if (a.screen == S_FORM && !a.dlg.kind && key >= 0x20 && key < 0x110000 && form_is_text(&a.form)) {
			held = paste_burst(&a, key);
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
				testsend_result(&a, r);
			else if (rc < 0)
				dialog_open(&a.dlg, DIALOG_TEXT, ASK_INFO, "Test send", why);
			else if (a.dlg.tag == ASK_TESTING)
				testsend_progress(&a);
			json_decref(r);
			if (key == 0) {
				key = HK_RESIZE;
				continue;
			}
		}
		if (key == 0) {
			/* Once a second: the sender's state, and the list if another
			 * process changed the store. */
			long long v = app_data_version(&a);

			refresh_sender(&a);
			if (v != a.data_version && a.screen == S_LIST)
				app_reload(&a);
			else if (v != a.data_version && a.screen == S_DELIVERIES)
				deliveries_load(&a);
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
