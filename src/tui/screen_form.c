/* The New/Edit form on screen: its layout for the terminal's size, the
 * editors drawn, and what its keys ask for (save, presets, preview, a
 * test send, $EDITOR). The form's own state and keys are form.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "draw.h"
#include "event.h"
#include "external.h"
#include "fanout.h"
#include "form.h"
#include "mask.h"
#include "sbuf.h"
#include "screens.h"
#include "testsend.h"
#include "timefmt.h"
#include "ui.h"
#include "utf8.h"
#include "wrap.h"

enum { ASK_DISCARD = 1, ASK_PRESET, ASK_REPLACE, ASK_CONFLICT };

struct form_screen {
	struct screen base;
	struct ui *ui;
	struct form form;
	struct testsend test;
	int pending_preset;         /* chosen, waiting for "replace?" */
	int ctrl_x;                 /* Ctrl-X came: the next key completes it */
	int told_elsewhere;         /* said that the webhook changed elsewhere */
	unsigned long payload_said; /* the message about the payload (msglog seq) */
};

#define FORM(s) ((struct form_screen *)(s))

#define VX 14   /* where values start */
/* The timeout's row holds the rate and the retry schedule too. */
#define RATE_LX 22
#define RATE_X 27
#define RATE_W 10
#define RETRY_LX 39
#define RETRY_X 47
#define RETRY_W 13
#define COALESCE_LX 61
#define COALESCE_X 70

struct layout {
	int y[FF_COUNT];
	int events_rows, payload_rows, headers_rows, verdict_y, verdict_rows;
	struct sbuf verdict;        /* the payload's verdict wrapped to the width (owned) */
	int warning_rows;           /* the destination warning's, under the verdict */
	struct sbuf warning;        /* it wrapped to the width (owned) */
};

/* Rows beyond 24 (less the message lines past the first) go to the
 * events box until it shows every row, then to the payload; a long
 * message at 24 rows takes them from the payload first, then the box. */
static void form_layout(struct form_screen *fs, struct layout *l)
{
	int extra = fs->ui->rows - 24 - (draw_message_height(fs->ui) - 1), y = 1, more = 0;
	struct sbuf line;

	/* The verdict is never cut: a long one takes rows from the payload. */
	sbuf_init(&line);
	sbuf_init(&l->verdict);
	template_verdict_summary(&fs->form.verdict, &line);
	l->verdict_rows = (int)wrap_text(sbuf_text(&line), fs->ui->cols - VX - 1, &l->verdict);
	if (l->verdict_rows > 5)
		l->verdict_rows = 5;
	extra -= l->verdict_rows - 1;
	sbuf_release(&line);
	/* A destination warning is advice: two rows at most, from the payload. */
	sbuf_init(&l->warning);
	l->warning_rows = (int)wrap_text(form_destination_warning(&fs->form), fs->ui->cols - VX - 1, &l->warning);
	if (l->warning_rows > 2)
		l->warning_rows = 2;
	extra -= l->warning_rows;

	l->events_rows = 5;
	if (extra < 0) {
		int from_payload = -extra > 5 ? 5 : -extra;

		l->payload_rows = 6 - from_payload;
		l->events_rows -= -extra - from_payload;
	} else {
		more = (int)fs->form.nrows - l->events_rows;
		if (more > extra / 2)
			more = extra / 2;
		if (more < 0)
			more = 0;
		l->events_rows += more;
		l->payload_rows = 6 + extra - more;
	}
	l->headers_rows = 2;
	l->y[FF_NAME] = y++;
	l->y[FF_URL] = y++;
	l->y[FF_EVENTS] = y;
	y += l->events_rows;
	l->y[FF_FORMAT] = y++;
	l->y[FF_PAYLOAD] = y;
	y += l->payload_rows;
	l->verdict_y = y;
	y += l->verdict_rows + l->warning_rows;
	l->y[FF_SECRET] = y++;
	l->y[FF_HEADERS] = y;
	y += l->headers_rows;
	l->y[FF_ENABLED] = l->y[FF_VERIFY] = y++;
	l->y[FF_TIMEOUT] = l->y[FF_RATE] = l->y[FF_RETRY] = l->y[FF_COALESCE] = y++;
	l->y[FF_SAVE] = l->y[FF_TEST] = l->y[FF_CANCEL] = y;
}

/* The character at display column col (1-based) of line, redrawn in the
 * error colour: the verdict marks it without hiding it. */
static void mark_column(int y, int x, int width, const char *line, size_t left, int col)
{
	size_t len = strlen(line), b = 0, cells = 0, n;
	unsigned cp;
	char ch[8];

	while (b < len) {
		n = utf8_decode(line + b, len - b, &cp);
		if (cells + utf8_cp_width(cp) >= (size_t)col)
			break;
		cells += utf8_cp_width(cp);
		b += n ? n : 1;
	}
	if (cells < left || (int)(cells - left) >= width)
		return;
	n = b < len ? utf8_decode(line + b, len - b, &cp) : 0;
	snprintf(ch, sizeof ch, "%.*s", (int)(n ? n : 1), n ? line + b : " ");
	draw_text(y, x + (int)(cells - left), 2, ch, C_MARK, 0);
}

/* Draw an editor's visible part; returns the cursor position if focused. */
static void draw_editor(struct editor *e, int y, int x, int h, int w, int numbers, int focused,
			int err_line, int err_col, int *cy, int *cx)
{
	int i, tx = x + (numbers ? 5 : 0), tw = w - (numbers ? 5 : 0);

	editor_scroll(e, (size_t)h, (size_t)(tw > 1 ? tw - 1 : 1));
	for (i = 0; i < h; i++) {
		size_t row = e->top + (size_t)i;
		char num[24];

		draw_fill(y + i, x, w, C_NORMAL);
		if (row >= e->nlines)
			continue;
		if (numbers) {
			snprintf(num, sizeof num, "%4zu", row + 1);
			draw_text(y + i, x, 4, num, C_DIM, 1);
		}
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
		if (err_line > 0 && (size_t)err_line == row + 1)
			mark_column(y + i, tx, tw, line, e->left, err_col);
	}
	if (focused) {
		*cy = y + (int)(e->row - e->top);
		*cx = tx + (int)(editor_cursor_x(e) - e->left);
	}
}

/* The URL in full while it is being edited; masked as everywhere else
 * (a password, a token in the query) when the focus is elsewhere. */
static void draw_url(struct form_screen *fs, const struct layout *l, int w, int *cy, int *cx)
{
	struct form *f = &fs->form;
	char masked[URL_MAX + 64], *url;

	if (f->focus == FF_URL) {
		draw_editor(&f->url, l->y[FF_URL], VX, 1, w, 0, 1, 0, 0, cy, cx);
		return;
	}
	url = editor_text(&f->url);
	mask_url(url ? url : "", masked, sizeof masked);
	draw_text(l->y[FF_URL], VX, w, masked, C_NORMAL, 1);
	free(url);
}

static void draw_events(struct form_screen *fs, const struct layout *l, int w)
{
	struct form *f = &fs->form;
	const struct catalog *cat = fs->ui->cat;
	size_t top = f->row >= (size_t)l->events_rows ? f->row - (size_t)l->events_rows + 1 : 0, chosen = 0, i;
	int cols = fs->ui->cols;
	struct sbuf buf;

	for (i = 0; i < catalog_count(cat); i++)
		chosen += f->chosen[i] != 0;
	for (i = 0; i < (size_t)l->events_rows && top + i < f->nrows; i++) {
		const struct form_row *r = &f->rows[top + i];
		int st = form_row_state(f, r), cur = f->focus == FF_EVENTS && top + i == f->row;
		const struct catalog_group *g = catalog_group(cat, r->group);

		sbuf_init(&buf);
		if (r->event < 0 || g->count == 1)
			sbuf_appendf(&buf, "[%s] %s", st == 2 ? "x" : st == 1 ? "-" : " ", g->name);
		else
			sbuf_appendf(&buf, "    [%s] %s", st ? "x" : " ", catalog_event(cat, (size_t)r->event)->label);
		draw_text(l->y[FF_EVENTS] + (int)i, VX, w - 14, sbuf_text(&buf), cur ? C_SELECTED : C_NORMAL, 1);
		sbuf_release(&buf);
	}
	sbuf_init(&buf);
	sbuf_appendf(&buf, "%zu of %zu", chosen, catalog_count(cat));
	draw_text(l->y[FF_EVENTS], cols - 13, 12, sbuf_text(&buf), C_DIM, 0);
	sbuf_release(&buf);
	if (f->focus == FF_EVENTS)
		draw_text(l->y[FF_EVENTS] + 1, cols - 13, 12, "Space, a", C_DIM, 0);
}

static void draw_secret(struct form_screen *fs, const struct layout *l, int w)
{
	struct form *f = &fs->form;
	char masked[256];
	const char *shown = "none";
	int used;

	if (f->secret && f->secret_shown)
		shown = f->secret;
	else if (f->secret) {
		mask_secret(f->secret, masked, sizeof masked);
		shown = masked;
	}
	used = draw_text(l->y[FF_SECRET], VX, w, shown, f->focus == FF_SECRET ? C_SELECTED : C_NORMAL, 0);
	if (f->focus == FF_SECRET)
		draw_text(l->y[FF_SECRET], VX + used + 2, w - used - 2,
			  !f->secret ? "g generate a whsec_ secret" :
			  f->base.secret ? "g new · R rotate · r reveal · x remove" : "g new · r reveal · x remove", C_DIM, 0);
}

static void draw_headers(struct form_screen *fs, const struct layout *l, int w, int *cy, int *cx)
{
	struct form *f = &fs->form;
	char *shown, *line, *nl;
	int row;

	if (!form_headers_masked(f)) {
		draw_editor(&f->headers, l->y[FF_HEADERS], VX, l->headers_rows, w, 0, f->focus == FF_HEADERS, 0, 0, cy,
			    cx);
		if (f->focus != FF_HEADERS && editor_size(&f->headers) == 0)
			draw_text(l->y[FF_HEADERS], VX, w, "none (one 'Name: value' per line)", C_DIM, 0);
		return;
	}
	shown = form_headers_masked_text(f);
	for (row = 0, line = shown; row < l->headers_rows && line && *line; row++, line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		draw_text(l->y[FF_HEADERS] + row, VX, w, line, f->focus == FF_HEADERS ? C_SELECTED : C_NORMAL, 0);
	}
	if (f->focus == FF_HEADERS && row < l->headers_rows)
		draw_text(l->y[FF_HEADERS] + row, VX, w, "r reveal to edit", C_DIM, 0);
	free(shown);
}

static void draw_switches(struct form_screen *fs, const struct layout *l)
{
	struct form *f = &fs->form;
	int cols = fs->ui->cols;

	draw_text(l->y[FF_ENABLED], VX, 3, f->enabled ? "[x]" : "[ ]", f->focus == FF_ENABLED ? C_SELECTED : C_NORMAL, 0);
	draw_text(l->y[FF_VERIFY], 30, 11, "Verify TLS", f->focus == FF_VERIFY ? C_BAR_KEY : C_NORMAL, 0);
	draw_text(l->y[FF_VERIFY], 42, 3, f->verify_tls ? "[x]" : "[ ]",
		  f->focus == FF_VERIFY ? C_SELECTED : f->verify_tls ? C_NORMAL : C_BAD, 0);
	if (!f->verify_tls)
		draw_text(l->y[FF_VERIFY], 47, cols - 48, "certificates NOT checked", C_BAD, 0);
	draw_text(l->y[FF_SAVE], VX, 8, "[ Save ]", f->focus == FF_SAVE ? C_SELECTED : C_BAR_KEY, 0);
	draw_text(l->y[FF_TEST], VX + 10, 13, "[ Test send ]", f->focus == FF_TEST ? C_SELECTED : C_NORMAL, 0);
	draw_text(l->y[FF_CANCEL], VX + 25, 10, "[ Cancel ]", f->focus == FF_CANCEL ? C_SELECTED : C_NORMAL, 0);
}

static void form_draw(struct screen *s, struct ui *ui)
{
	struct form_screen *fs = FORM(s);
	struct form *f = &fs->form;
	struct layout l;
	int w = ui->cols - VX - 1, cy = -1, cx = -1, i;
	struct sbuf buf;
	enum form_field ff;
	const char *line;
	size_t len;

	form_layout(fs, &l);
	f->page = (size_t)l.payload_rows;
	sbuf_init(&buf);
	if (f->is_new)
		sbuf_appendf(&buf, "New webhook%s", f->dirty ? " *" : "");
	else
		sbuf_appendf(&buf, "Edit webhook: %s%s", f->base.name, f->dirty ? " *" : "");
	draw_header(sbuf_text(&buf), ui->sender, ui->sender_color);
	sbuf_release(&buf);
	for (ff = 0; ff < FF_SAVE; ff++)
		if (ff != FF_VERIFY && ff != FF_RATE && ff != FF_RETRY && ff != FF_COALESCE)
			draw_text(l.y[ff], 1, VX - 2, form_label(ff), f->focus == ff ? C_BAR_KEY : C_NORMAL, 1);
	if (f->focus < FF_SAVE && f->focus != FF_VERIFY)
		draw_text(l.y[f->focus], f->focus == FF_RATE ? RATE_LX - 1 : f->focus == FF_RETRY ? RETRY_LX - 1 :
			  f->focus == FF_COALESCE ? COALESCE_LX - 1 : 0, 1,
			  "▸", C_WARN, 0);
	draw_editor(&f->name, l.y[FF_NAME], VX, 1, w, 0, f->focus == FF_NAME, 0, 0, &cy, &cx);
	draw_url(fs, &l, w, &cy, &cx);
	draw_events(fs, &l, w);
	sbuf_init(&buf);
	sbuf_appendf(&buf, "(%s) Default   (%s) Slack   (%s) Jira", f->format == FORMAT_DEFAULT ? "•" : " ",
		     f->format == FORMAT_SLACK ? "•" : " ", f->format == FORMAT_JIRA ? "•" : " ");
	draw_text(l.y[FF_FORMAT], VX, w, sbuf_text(&buf), f->focus == FF_FORMAT ? C_SELECTED : C_NORMAL, 0);
	sbuf_release(&buf);
	draw_editor(&f->payload, l.y[FF_PAYLOAD], VX - 5, l.payload_rows, w + 5, 1, f->focus == FF_PAYLOAD,
		    f->verdict.line, f->verdict.display_column, &cy, &cx);
	for (i = 0; i < l.verdict_rows && (line = wrap_line(sbuf_text(&l.verdict), (size_t)i, &len)); i++) {
		char *one = strndup(line, len);

		draw_text(l.verdict_y + i, VX, w, one ? one : "", f->verdict.ok ? C_OK : C_BAD, 1);
		free(one);
	}
	for (i = 0; i < l.warning_rows && (line = wrap_line(sbuf_text(&l.warning), (size_t)i, &len)); i++) {
		char *one = strndup(line, len);

		draw_text(l.verdict_y + l.verdict_rows + i, VX, w, one ? one : "", C_WARN, 1);
		free(one);
	}
	draw_secret(fs, &l, w);
	draw_headers(fs, &l, w, &cy, &cx);
	draw_editor(&f->timeout, l.y[FF_TIMEOUT], VX, 1, 6, 0, f->focus == FF_TIMEOUT, 0, 0, &cy, &cx);
	draw_text(l.y[FF_RATE], RATE_LX, RATE_X - RATE_LX - 1, form_label(FF_RATE),
		  f->focus == FF_RATE ? C_BAR_KEY : C_NORMAL, 1);
	draw_editor(&f->rate, l.y[FF_RATE], RATE_X, 1, RATE_W, 0, f->focus == FF_RATE, 0, 0, &cy, &cx);
	draw_text(l.y[FF_RETRY], RETRY_LX, RETRY_X - RETRY_LX - 1, form_label(FF_RETRY),
		  f->focus == FF_RETRY ? C_BAR_KEY : C_NORMAL, 1);
	draw_editor(&f->retry, l.y[FF_RETRY], RETRY_X, 1, RETRY_W, 0, f->focus == FF_RETRY, 0, 0, &cy, &cx);
	draw_text(l.y[FF_COALESCE], COALESCE_LX, COALESCE_X - COALESCE_LX - 1, form_label(FF_COALESCE),
		  f->focus == FF_COALESCE ? C_BAR_KEY : C_NORMAL, 1);
	draw_editor(&f->coalesce, l.y[FF_COALESCE], COALESCE_X, 1, ui->cols - COALESCE_X - 1, 0,
		    f->focus == FF_COALESCE, 0, 0, &cy, &cx);
	draw_switches(fs, &l);
	draw_messages(ui);
	draw_bar(CTX_FORM);
	if (!ui->dlg.kind && cy >= 0)
		draw_cursor(cy, cx);
	sbuf_release(&l.verdict);
	sbuf_release(&l.warning);
}

/* The form's note (set by its model) goes to the message line, where it
 * is wrapped and kept in the log. */
static void pass_note(struct form_screen *fs)
{
	if (!fs->form.note[0])
		return;
	ui_say(fs->ui, C_WARN, "%s", fs->form.note);
	fs->form.note[0] = '\0';
}

/* Every problem on the message line (wrapped, kept in the log); several
 * also in a dialog, one a line, in the form's order. what: "saved", "sent". */
static void say_problems(struct form_screen *fs, const char *what)
{
	struct form *f = &fs->form;
	struct sbuf lines, one;
	size_t i;

	sbuf_init(&lines);
	sbuf_init(&one);
	for (i = 0; i < f->nproblems; i++) {
		const char *label = form_label(form_field_of(f->problems[i].field));

		sbuf_appendf(&lines, "%s%s: %s", i ? "\n" : "", label, f->problems[i].msg);
		sbuf_appendf(&one, "%s%s: %s", i ? "; " : "", label, f->problems[i].msg);
	}
	ui_say(fs->ui, C_BAD, "✗ not %s: %s", what, one.failed ? "out of memory listing the problems" : sbuf_text(&one));
	if (f->nproblems > 1) {
		struct sbuf title;

		sbuf_init(&title);
		sbuf_appendf(&title, "Nothing was %s: fix these", what);
		ui_show(fs->ui, sbuf_text(&title), lines.failed ? "out of memory listing the problems" : sbuf_text(&lines));
		sbuf_release(&title);
	}
	sbuf_release(&lines);
	sbuf_release(&one);
}

static void ask_conflict(struct form_screen *fs)
{
	ui_ask(fs->ui, &fs->base, DIALOG_CHOICE, ASK_CONFLICT, "Changed elsewhere",
	       "This webhook was saved by someone else since you opened it.");
	dialog_add_choice(&fs->ui->dlg, "Reload: see their version (your edits are dropped)");
	dialog_add_choice(&fs->ui->dlg, "Overwrite: save yours over theirs");
	dialog_add_choice(&fs->ui->dlg, "Cancel: keep editing");
}

static struct reaction save(struct form_screen *fs, int overwrite)
{
	struct ui *ui = fs->ui;
	struct webhook wh, cur;
	char err[ERR_MAX];
	int rc;

	if (form_build(&fs->form, &wh) > 0) {
		say_problems(fs, "saved");
		webhook_clear(&wh);
		return REACT(R_REDRAW);
	}
	if (overwrite && store_webhook_get_id(ui->st, wh.id, &cur, err) == 0) {
		wh.version = cur.version;
		webhook_clear(&cur);
	}
	rc = fs->form.is_new ? store_webhook_insert(ui->st, &wh, err) : store_webhook_update(ui->st, &wh, err);
	if (rc < 0) {
		if (err_kind(err) == ERR_CONFLICT) {
			ask_conflict(fs);
		} else {
			ui_say(ui, C_BAD, "✗ not saved: %s", err);
			if (err_kind(err) == ERR_EXISTS)
				fs->form.focus = FF_NAME;
		}
		webhook_clear(&wh);
		return REACT(R_REDRAW);
	}
	if (fs->form.rotated) {
		char when[32];

		timefmt_utc(wh.secret_previous_until, TIMEFMT_FULL, when, sizeof when);
		ui_say(ui, C_OK, "saved webhook \"%s\" with its new secret; the old one also signs until %s UTC",
		       wh.name, when);
	} else {
		ui_say(ui, C_OK, "saved webhook \"%s\"", wh.name);
	}
	ui->focus_id = wh.id;
	webhook_clear(&wh);
	return REACT(R_CLOSE);
}

static void reload_theirs(struct form_screen *fs)
{
	struct ui *ui = fs->ui;
	struct webhook cur;
	char err[ERR_MAX];

	if (store_webhook_get_id(ui->st, fs->form.base.id, &cur, err) < 0) {
		ui_say(ui, C_BAD, "cannot reload the webhook: %s", err);
		return;
	}
	form_close(&fs->form);
	if (form_open(&fs->form, ui->cat, &cur, "", err) < 0)
		ui_say(ui, C_BAD, "%s", err);
	else
		ui_say(ui, C_WARN, "reloaded: this is the version saved elsewhere");
	webhook_clear(&cur);
}

static void preview(struct form_screen *fs)
{
	struct form *f = &fs->form;
	struct ui *ui = fs->ui;
	struct event ev;
	char err[ERR_MAX] = "out of memory", *payload = editor_text(&f->payload), *body = NULL, *pretty = NULL;
	const char *type = "alarm.high_severity";
	struct sbuf title;
	json_t *j;
	size_t i;

	for (i = 0; i < catalog_count(ui->cat); i++)
		if (f->chosen[i]) {
			type = catalog_event(ui->cat, i)->id;
			break;
		}
	if (payload && event_init(&ev, ui->cat, type, NULL, NULL, err) == 0) {
		body = fanout_render(payload, f->format, &ev, err);
		event_clear(&ev);
	}
	if (body) {
		j = json_loads(body, 0, NULL);
		pretty = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
		json_decref(j);
	}
	sbuf_init(&title);
	sbuf_appendf(&title, "Preview: %s, %s formatting (Esc closes)", type, format_name(f->format));
	ui_show(ui, sbuf_text(&title), pretty ? pretty : body ? body : err);
	sbuf_release(&title);
	free(pretty);
	free(body);
	free(payload);
}

static void apply_preset(struct form_screen *fs, int which)
{
	char err[ERR_MAX], *payload;
	enum format fmt;

	if (datadir_preset(catalog_datadir(fs->ui->cat), datadir_presets[which], &payload, &fmt, err) < 0) {
		ui_say(fs->ui, C_BAD, "%s", err);
		return;
	}
	form_apply_preset(&fs->form, datadir_presets[which], payload, fmt);
	free(payload);
}

static void ask_preset(struct form_screen *fs)
{
	struct dialog *d = &fs->ui->dlg;

	ui_ask(fs->ui, &fs->base, DIALOG_CHOICE, ASK_PRESET, "Fill the payload from a preset", "");
	dialog_add_choice(d, "Slack (sets Slack formatting)");
	dialog_add_choice(d, "Microsoft Teams (Workflows: Adaptive Card)");
	dialog_add_choice(d, "Teams, old Office 365 connector (retired; older tenants only)");
	dialog_add_choice(d, "Jira (automation incoming webhook)");
	dialog_add_choice(d, "ServiceNow");
	dialog_add_choice(d, "Generic");
}

static void edit_outside(struct form_screen *fs)
{
	struct form *f = &fs->form;
	char err[ERR_MAX], *text = editor_text(&f->payload), *edited;

	if (!text) {
		ui_say(fs->ui, C_BAD, "out of memory reading the payload");
		return;
	}
	edited = external_edit(text, ".json", err);
	if (edited) {
		if (strcmp(edited, text) != 0) {
			form_set_payload(f, edited, NULL);
			f->focus = FF_PAYLOAD;
		}
		ui_say(fs->ui, f->verdict.ok ? C_OK : C_WARN, "payload back from the editor: %s",
		       f->verdict.ok ? "valid" : "see the check under it");
		fs->payload_said = fs->ui->log.seq;
	} else {
		ui_say(fs->ui, C_BAD, "%s", err);
	}
	free(text);
	free(edited);
}

static struct reaction test_values(struct form_screen *fs)
{
	struct webhook wh;

	if (form_build(&fs->form, &wh) > 0)
		say_problems(fs, "sent");
	else
		testsend_values(&fs->test, fs->ui, &fs->base, &wh);
	webhook_clear(&wh);
	return REACT(R_REDRAW);
}

static struct reaction leave(struct form_screen *fs)
{
	if (!fs->form.dirty)
		return REACT(R_CLOSE);
	ui_ask(fs->ui, &fs->base, DIALOG_CONFIRM, ASK_DISCARD, "Discard changes",
	       "Leave the form and discard your changes?\n\ny  discard       n  keep editing (default)");
	return REACT(R_REDRAW);
}

/* A click focuses the field on that row (the left one of a shared row
 * by its column), and in the events box the row clicked. */
static struct reaction click(struct form_screen *fs)
{
	struct form *f = &fs->form;
	struct layout l;
	enum form_field ff;
	int y, x;

	term_mouse_at(&y, &x);
	form_layout(fs, &l);
	sbuf_release(&l.verdict);
	sbuf_release(&l.warning);
	if (y >= l.y[FF_EVENTS] && y < l.y[FF_EVENTS] + l.events_rows) {
		size_t top = f->row >= (size_t)l.events_rows ? f->row - (size_t)l.events_rows + 1 : 0;

		form_focus(f, FF_EVENTS);
		if (top + (size_t)(y - l.y[FF_EVENTS]) < f->nrows)
			f->row = top + (size_t)(y - l.y[FF_EVENTS]);
		return REACT(R_REDRAW);
	}
	for (ff = 0; ff < FF_COUNT; ff++) {
		int rows = ff == FF_PAYLOAD ? l.payload_rows : ff == FF_HEADERS ? l.headers_rows : 1;

		if (y < l.y[ff] || y >= l.y[ff] + rows)
			continue;
		if ((ff == FF_ENABLED && x >= 30) || (ff == FF_SAVE && x >= VX + 10))
			continue;
		if ((ff == FF_TIMEOUT && x >= RATE_LX) || (ff == FF_RATE && x >= RETRY_LX) ||
		    (ff == FF_RETRY && x >= COALESCE_LX))
			continue;
		if (ff == FF_TEST && x >= VX + 25)
			continue;
		form_focus(f, ff);
		break;
	}
	return REACT(R_REDRAW);
}

/* The message about the payload goes stale once the payload is fixed. */
static void drop_stale(struct form_screen *fs, int was_ok)
{
	const struct msglog_entry *m = msglog_current(&fs->ui->log);

	if (!was_ok && fs->form.verdict.ok && m && m->seq == fs->payload_said)
		msglog_clear(&fs->ui->log);
}

/* A saved webhook's secret or credential headers shown in the clear (r)
 * are in the audit record, as 'hookman show --reveal' is; what cannot be
 * recorded is hidden again. A secret just generated is the operator's
 * own and not yet stored: it is not a reveal. */
static void record_reveal(struct form_screen *fs, int was_shown)
{
	struct form *f = &fs->form;
	struct ui *ui = fs->ui;
	char err[ERR_MAX], name[128];
	int secret = f->secret_shown && f->secret && f->base.secret && strcmp(f->secret, f->base.secret) == 0;
	int creds = 0;
	size_t i;

	for (i = 0; f->headers_shown && i < f->base.nheaders; i++) {
		size_t n = strcspn(f->base.headers[i], ":");

		snprintf(name, sizeof name, "%.*s", (int)n, f->base.headers[i]);
		creds |= mask_header_sensitive(name);
	}
	if (was_shown || f->is_new || !ui->audit.st || !(secret || creds))
		return;
	if (audit_record(&ui->audit, "download", &f->base, err, "revealed the %s of webhook \"%s\" in the form",
			 secret ? "secret" : "credential headers", f->base.name) < 0) {
		f->secret_shown = f->headers_shown = 0;
		ui_say(ui, C_BAD, "not shown: the audit record could not note it: %s", err);
	}
}

static struct reaction form_screen_key(struct screen *s, struct ui *ui, int key)
{
	struct form_screen *fs = FORM(s);
	struct reaction r = REACT(R_REDRAW);
	int was_ok = fs->form.verdict.ok, shown;

	if (fs->ctrl_x) {
		fs->ctrl_x = 0;
		key = HK_AFTER_CTRL_X(key);
	} else if (key == HK_CTRL('x')) {
		fs->ctrl_x = 1;
		return r;
	}
	shown = fs->form.secret_shown || fs->form.headers_shown;
	if (key == HK_CLICK)
		return click(fs);
	switch (form_key(&fs->form, key)) {
	case FORM_SAVE:
		r = save(fs, 0);
		break;
	case FORM_CANCEL:
		r = leave(fs);
		break;
	case FORM_PREVIEW:
		preview(fs);
		break;
	case FORM_PRESET:
		ask_preset(fs);
		break;
	case FORM_HELP:
		ui_help(ui, CTX_FORM);
		break;
	case FORM_MESSAGES:
		ui_messages(ui);
		break;
	case FORM_TEST:
		r = test_values(fs);
		break;
	case FORM_EDITOR:
		edit_outside(fs);
		break;
	default:
		break;
	}
	record_reveal(fs, shown);
	drop_stale(fs, was_ok);
	pass_note(fs);
	return r;
}

static struct reaction form_answer(struct screen *s, struct ui *ui, int tag, int value)
{
	struct form_screen *fs = FORM(s);

	switch (tag) {
	case ASK_DISCARD:
		if (value == 1) {
			ui_say(ui, C_NORMAL, "changes discarded");
			return REACT(R_CLOSE);
		}
		break;
	case ASK_PRESET:
		if (value < 0)
			break;
		if (fs->form.payload.changed) {
			fs->pending_preset = value;
			ui_ask(ui, s, DIALOG_CONFIRM, ASK_REPLACE, "Replace the payload",
			       "You edited the payload. Replace it with the preset?\n\ny  replace       n  keep mine (default)");
		} else {
			apply_preset(fs, value);
		}
		break;
	case ASK_REPLACE:
		if (value == 1)
			apply_preset(fs, fs->pending_preset);
		break;
	case ASK_CONFLICT:
		if (value == 0)
			reload_theirs(fs);
		else if (value == 1)
			return save(fs, 1);
		break;
	case TESTSEND_ASK_WAIT:
		testsend_cancel(&fs->test, ui);
		break;
	default:
		break;
	}
	pass_note(fs);
	return REACT(R_REDRAW);
}

/* Another process wrote the store: when it was this webhook, say so
 * once, before the save has to ask. */
static void form_reload(struct screen *s, struct ui *ui)
{
	struct form_screen *fs = FORM(s);
	struct webhook cur;
	char err[ERR_MAX];

	if (fs->form.is_new || fs->told_elsewhere)
		return;
	if (store_webhook_get_id(ui->st, fs->form.base.id, &cur, err) < 0) {
		if (err_kind(err) == ERR_NOT_FOUND) {
			ui_say(ui, C_BAD, "this webhook was deleted elsewhere; saving will ask what to do");
			fs->told_elsewhere = 1;
		}
		return;
	}
	if (cur.version != fs->form.base.version) {
		ui_say(ui, C_WARN, "this webhook was changed elsewhere since you opened it; saving will ask whether "
		       "to keep yours or theirs");
		fs->told_elsewhere = 1;
	}
	webhook_clear(&cur);
}

static struct reaction form_tick(struct screen *s, struct ui *ui)
{
	testsend_tick(&FORM(s)->test, ui, s);
	return REACT(R_REDRAW);
}

static int form_text_mode(struct screen *s)
{
	struct form *f = &FORM(s)->form;

	if (!form_is_text(f))
		return 0;
	return f->focus == FF_PAYLOAD || f->focus == FF_HEADERS ? 2 : 1;
}

static int form_screen_type(struct screen *s, struct ui *ui, const char *text, size_t n)
{
	struct form_screen *fs = FORM(s);
	int rc;

	fs->ctrl_x = 0;
	/* Typing answers the last message: it goes (a refusal says anew). */
	msglog_clear(&ui->log);
	rc = form_type(&fs->form, text, n);
	pass_note(fs);
	return rc;
}

static void form_refuse(struct screen *s, struct ui *ui, size_t total)
{
	(void)ui;
	form_refuse_paste(&FORM(s)->form, total);
	pass_note(FORM(s));
}

static void form_free(struct screen *s)
{
	struct form_screen *fs = FORM(s);

	form_close(&fs->form);
	testsend_free(&fs->test);
	free(fs);
}

static const struct screen_ops form_ops = {
	.name = "the form",
	.min_cols = 80,
	.min_rows = 24,
	.draw = form_draw,
	.key = form_screen_key,
	.answer = form_answer,
	.reload = form_reload,
	.tick = form_tick,
	.text_mode = form_text_mode,
	.type = form_screen_type,
	.refuse_paste = form_refuse,
	.free = form_free,
};

struct screen *screen_form_new(struct ui *ui, const struct webhook *wh)
{
	struct form_screen *fs = calloc(1, sizeof *fs);
	char err[ERR_MAX], *payload = NULL;
	enum format f;

	if (!fs) {
		ui_say(ui, C_BAD, "out of memory opening the form");
		return NULL;
	}
	if (!wh && datadir_preset(catalog_datadir(ui->cat), "generic", &payload, &f, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		free(fs);
		return NULL;
	}
	if (form_open(&fs->form, ui->cat, wh, payload ? payload : "", err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		free(payload);
		free(fs);
		return NULL;
	}
	free(payload);
	fs->base.ops = &form_ops;
	fs->ui = ui;
	testsend_init(&fs->test);
	msglog_clear(&ui->log);
	return &fs->base;
}
