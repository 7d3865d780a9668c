#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "duration.h"
#include "holds.h"
#include "keys.h"
#include "sbuf.h"
#include "timefmt.h"

void ui_init(struct ui *ui)
{
	memset(ui, 0, sizeof *ui);
	msglog_init(&ui->log);
	ui->rows = 24;
	ui->cols = 80;
}

void ui_free(struct ui *ui)
{
	dialog_close(&ui->dlg);
	msglog_free(&ui->log);
}

int ui_open(struct ui *ui, const char *dir, const char *run, const char *datadir, const char *hookmand_path, char *err)
{
	const char *autostart = getenv("HOOKMAN_AUTOSTART");
	char why[ERR_MAX];

	ui_init(ui);
	ui->dir = dir;
	ui->run = run;
	ui->hookmand = hookmand_path;
	ui->autostart = !(autostart && strcmp(autostart, "0") == 0);
	ui->cat = catalog_load(datadir, err);
	if (!ui->cat)
		return -1;
	ui->st = store_open(dir, err);
	if (!ui->st) {
		catalog_free(ui->cat);
		return -1;
	}
	ui->opened_at = store_now_ms();
	if (audit_attach(&ui->audit, ui->st, datadir, "tui", why) < 0 ||
	    audit_record(&ui->audit, "login", NULL, why, "opened the interface") < 0)
		ui_say(ui, C_BAD, "the audit record could not note this session: %s", why);
	if (ui->autostart && ui_sender_ready(ui, err) < 0)
		ui_say(ui, C_BAD, "cannot start hookmand: %s", err);
	ui->data_version = store_data_version(ui->st);
	ui_refresh_sender(ui);
	return 0;
}

void ui_close(struct ui *ui)
{
	struct sbuf after;
	char err[ERR_MAX];

	sbuf_init(&after);
	duration_span(&after, store_now_ms() - ui->opened_at);
	/* Nobody is left to read a failure here: the record shows a login
	 * without its logout, as after a crash. */
	if (ui->audit.st && !after.failed && audit_record(&ui->audit, "logout", NULL, err, "closed the interface after %s",
					  sbuf_text(&after)) == 0)
		ui_wake_for_audit(ui);
	sbuf_release(&after);
	audit_detach(&ui->audit);
	store_close(ui->st);
	catalog_free(ui->cat);
	ui_free(ui);
}

long long ui_now_ms(void)
{
	return store_now_ms();
}

void ui_say(struct ui *ui, enum color c, const char *fmt, ...)
{
	struct sbuf text;
	va_list ap;

	sbuf_init(&text);
	va_start(ap, fmt);
	sbuf_vappendf(&text, fmt, ap);
	va_end(ap);
	msglog_add(&ui->log, ui_now_ms(), c, text.failed ? "(out of memory saying something)" : sbuf_text(&text));
	sbuf_release(&text);
}

void ui_ask(struct ui *ui, struct screen *asker, enum dialog_kind kind, int tag, const char *title,
	    const char *text)
{
	dialog_open(&ui->dlg, kind, tag, title, text);
	ui->asker = asker;
}

void ui_show(struct ui *ui, const char *title, const char *text)
{
	ui_ask(ui, NULL, DIALOG_TEXT, 0, title, text);
}

void ui_help(struct ui *ui, enum context first)
{
	struct sbuf text;

	sbuf_init(&text);
	keys_help(&text, first);
	sbuf_append(&text,
		    "\nIn the list: ● last delivery fine, ✗ failing, ○ disabled; a URL with ! before it\n"
		    "does not have its TLS certificate checked. The mouse selects a row or a field\n"
		    "and the wheel scrolls (HOOKMAN_NO_MOUSE=1 leaves the mouse to the terminal).");
	ui_show(ui, "Keys (Esc closes, / searches)", text.failed ? "out of memory listing the keys" : sbuf_text(&text));
	sbuf_release(&text);
}

void ui_messages(struct ui *ui)
{
	const struct msglog_entry *e;
	struct sbuf text;
	char when[32];
	size_t i;

	sbuf_init(&text);
	for (i = 0; (e = msglog_get(&ui->log, i)); i++) {
		timefmt_utc(e->at, TIMEFMT_CLOCK, when, sizeof when);
		sbuf_appendf(&text, "%s%s  %s", i ? "\n" : "", when, e->text);
	}
	if (i == 0)
		sbuf_append(&text, "No messages yet.");
	ui_show(ui, "Messages, newest first (times UTC; Esc closes, / searches)",
		text.failed ? "out of memory listing the messages" : sbuf_text(&text));
	sbuf_release(&text);
}

const char *ui_wake(struct ui *ui)
{
	char err[ERR_MAX];

	ui->store_error[0] = '\0';
	if (control_wake(ui->run, 300, ui->store_error, err) < 0)
		ui->store_error[0] = '\0';
	return ui->store_error[0] ? ui->store_error : NULL;
}

void ui_wake_for_audit(struct ui *ui)
{
	if (ui->audit.queued == ui->audit_woken)
		return;
	ui->audit_woken = ui->audit.queued;
	ui_wake(ui);
}

int ui_sender_ready(struct ui *ui, char *err)
{
	int fd;

	if (ui->autostart)
		return control_ensure(ui->run, ui->dir, ui->hookmand, 3000, NULL, err);
	fd = control_connect(ui->run, NULL, err);
	if (fd < 0) {
		err_setk(err, ERR_UNAVAILABLE, "hookmand is not running for this store (HOOKMAN_AUTOSTART=0): start it "
			 "with 'hookman sender start'");
		return -1;
	}
	close(fd);
	return 0;
}

/* " · held: slack 12m", " · 3 holds, next ends in 4m": what is held
 * must stay in sight on every screen. Nothing when nothing is. */
static void holds_summary(struct ui *ui, struct sbuf *out)
{
	long long now = ui_now_ms(), next = -1;
	json_t *list, *h;
	char err[ERR_MAX];
	size_t i;

	if (holds_list(ui->st, now, &list, err) < 0)
		return;
	json_array_foreach(list, i, h) {
		json_t *until = json_object_get(h, "until");

		if (json_is_integer(until) && (next < 0 || json_integer_value(until) < next))
			next = json_integer_value(until);
	}
	if (json_array_size(list) == 1) {
		h = json_array_get(list, 0);
		if (json_object_get(h, "webhook"))
			sbuf_appendf(out, " · held: %s", json_string_value(json_object_get(h, "webhook")));
		else
			sbuf_appendf(out, " · held: %s", json_string_value(json_object_get(h, "event")));
		if (next >= 0) {
			sbuf_append(out, " ");
			duration_span(out, next - now);
		}
	} else if (json_array_size(list) > 1) {
		sbuf_appendf(out, " · %zu holds", json_array_size(list));
		if (next >= 0) {
			sbuf_append(out, ", next ends in ");
			duration_span(out, next - now);
		}
	}
	json_decref(list);
}

void ui_refresh_sender(struct ui *ui)
{
	struct control_status st;
	struct sbuf text;
	long long queue;
	size_t failing = 0, i;
	char err[ERR_MAX];
	int running = control_status(ui->run, 300, &st, err) == 0;

	sbuf_init(&text);
	ui->sender_color = C_NORMAL;
	if (!running) {
		sbuf_append(&text, "sender ○ not running");
		ui->sender_color = C_BAD;
	} else {
		queue = st.pending + st.inflight + st.failed;
		/* A disabled webhook is not failing: it waits for the operator. */
		for (i = 0; i < st.nfailing; i++)
			failing += st.failing[i].enabled != 0;
		if (st.store_error) {
			sbuf_appendf(&text, "sender ● STORE ERROR · queue %lld", queue);
			ui->sender_color = C_BAD;
		} else if (failing) {
			sbuf_appendf(&text, "sender ● running · queue %lld · %zu failing", queue, failing);
			ui->sender_color = C_WARN;
		} else {
			sbuf_appendf(&text, "sender ● running · queue %lld", queue);
		}
		control_status_clear(&st);
	}
	i = text.len;
	holds_summary(ui, &text);
	if (text.len > i && ui->sender_color == C_NORMAL)
		ui->sender_color = C_WARN;
	snprintf(ui->sender, sizeof ui->sender, "%s", text.failed ? "sender ?" : sbuf_text(&text));
	sbuf_release(&text);
}
