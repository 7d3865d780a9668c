/* The New/Edit form on screen: layout, the editors drawn, saving. */
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

void form_screen_draw(struct app *a)
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
	if (form_headers_masked(f)) {
		char *shown = form_headers_masked_text(f), *line = shown, *nl;
		int row;

		for (row = 0; row < l.headers_rows && line && *line; row++, line = nl ? nl + 1 : line + strlen(line)) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			draw_text(l.y[FF_HEADERS] + row, VX, w, line, f->focus == FF_HEADERS ? C_SELECTED : C_NORMAL, 0);
		}
		if (f->focus == FF_HEADERS && row < l.headers_rows)
			draw_text(l.y[FF_HEADERS] + row, VX, w, "r reveal to edit", C_DIM, 0);
		free(shown);
	} else {
		draw_editor(&f->headers, l.y[FF_HEADERS], VX, l.headers_rows, w, 0, f->focus == FF_HEADERS, 0, 0,
			    &cy, &cx);
	}
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

void form_screen_leave(struct app *a, const char *msg)
{
	form_close(&a->form);
	a->screen = S_LIST;
	app_reload(a);
	if (msg)
		app_flash(a, C_OK, msg);
}

void form_screen_save(struct app *a, int overwrite)
{
	struct webhook wh;
	char err[ERR_MAX], msg[ERR_MAX + 64];
	size_t n, i;
	int rc;

	a->form.note[0] = '\0';
	n = form_build(&a->form, &wh);
	if (n > 0) {
		struct sbuf text;

		sbuf_init(&text);
		for (i = 0; i < a->form.nproblems; i++)
			sbuf_appendf(&text, "%s%s: %s", i ? "\n" : "", form_label(form_field_of(a->form.problems[i].field)),
				     a->form.problems[i].msg);
		if (n > 1)
			dialog_open(&a->dlg, DIALOG_TEXT, ASK_INFO, "Nothing was saved: fix these",
				    text.failed ? "out of memory listing the problems" : sbuf_text(&text));
		sbuf_release(&text);
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
		enum store_fault fault = store_last_fault(a->st);

		if (fault == STORE_FAULT_CONFLICT) {
			dialog_open(&a->dlg, DIALOG_CHOICE, ASK_CONFLICT, "Changed elsewhere",
				    "This webhook was saved by someone else since you opened it.");
			a->dlg.choices[0] = "Reload: see their version (your edits are dropped)";
			a->dlg.choices[1] = "Overwrite: save yours over theirs";
			a->dlg.choices[2] = "Cancel: keep editing";
			a->dlg.nchoices = 3;
		} else {
			snprintf(a->form.note, sizeof a->form.note, "✗ not saved: %.480s", err);
			if (fault == STORE_FAULT_EXISTS)
				a->form.focus = FF_NAME;
		}
		webhook_clear(&wh);
		return;
	}
	snprintf(msg, sizeof msg, "saved webhook \"%s\"", wh.name);
	webhook_clear(&wh);
	form_screen_leave(a, msg);
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

void form_screen_preset(struct app *a, int which)
{
	char err[ERR_MAX], *payload;
	enum format fmt;

	if (datadir_preset(catalog_datadir(a->cat), datadir_presets[which], &payload, &fmt, err) < 0) {
		snprintf(a->form.note, sizeof a->form.note, "%.500s", err);
		return;
	}
	form_apply_preset(&a->form, datadir_presets[which], payload, fmt);
	free(payload);
}

void form_screen_key(struct app *a, int key)
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
		form_screen_save(a, 0);
		break;
	case FORM_CANCEL:
		if (f->dirty)
			dialog_open(&a->dlg, DIALOG_CONFIRM, ASK_DISCARD, "Discard changes",
				    "Leave the form and discard your changes?\n\ny  discard       n  keep editing (default)");
		else
			form_screen_leave(a, NULL);
		break;
	case FORM_PREVIEW:
		preview(a);
		break;
	case FORM_PRESET:
		dialog_open(&a->dlg, DIALOG_CHOICE, ASK_PRESET, "Fill the payload from a preset", "");
		a->dlg.choices[0] = "Slack (sets Slack formatting)";
		a->dlg.choices[1] = "Microsoft Teams (Workflows: Adaptive Card)";
		a->dlg.choices[2] = "Teams, old Office 365 connector (retired; older tenants only)";
		a->dlg.choices[3] = "Jira (automation incoming webhook)";
		a->dlg.choices[4] = "ServiceNow";
		a->dlg.choices[5] = "Generic";
		a->dlg.nchoices = 6;
		break;
	case FORM_HELP:
		list_key(a, '?');
		break;
	case FORM_TEST:
		testsend_form(a);
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
