#include "draw.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sbuf.h"
#include "tui_curses.h"
#include "ui.h"
#include "utf8.h"
#include "wrap.h"

static int ascii_only;

void draw_init_charset(void)
{
	const char *cs = nl_langinfo(CODESET);

	ascii_only = !cs || (strcasecmp(cs, "UTF-8") != 0 && strcasecmp(cs, "UTF8") != 0);
}

/* The interface's own marks and their ASCII stand-ins. */
static const struct {
	unsigned cp;
	const char *ascii;
} stand_ins[] = {
	{ 0x25CF, "*" }, { 0x25CB, "o" }, { 0x2717, "x" }, { 0x2713, "ok" }, { 0x25B8, ">" },
	{ 0x2022, "*" }, { 0x00B7, "-" }, { 0x00D7, "x" }, { 0x2026, "..." }, { 0x25C6, "#" },
	{ 0x2192, "->" }, { 0x2190, "<-" }, { 0x2014, "--" }, { 0x2013, "-" },
	{ 0x280B, "|" }, { 0x2819, "/" }, { 0x2839, "-" }, { 0x2838, "\\" }, { 0x283C, "|" },
	{ 0x2834, "/" }, { 0x2826, "-" }, { 0x2827, "\\" }, { 0x2807, "|" }, { 0x280F, "/" },
	{ 0x2581, "_" }, { 0x2582, "." }, { 0x2583, "." }, { 0x2584, "-" }, { 0x2585, "=" },
	{ 0x2586, "=" }, { 0x2587, "#" }, { 0x2588, "#" }, { 0x2016, "|" },
};

/* The text as drawn without UTF-8: the interface's marks by their stand-ins,
 * anything else not ASCII as ?. */
static int draw_ascii(const char *text, struct sbuf *out)
{
	size_t len = strlen(text), i = 0, n, k;
	unsigned cp;

	while (i < len) {
		n = utf8_decode(text + i, len - i, &cp);
		if (cp < 0x80) {
			sbuf_appendn(out, text + i, n);
		} else {
			for (k = 0; k < sizeof stand_ins / sizeof stand_ins[0] && stand_ins[k].cp != cp; k++)
				;
			sbuf_append(out, k < sizeof stand_ins / sizeof stand_ins[0] ? stand_ins[k].ascii : "?");
		}
		i += n ? n : 1;
	}
	return out->failed ? -1 : 0;
}

void draw_begin(void)
{
	erase();
}

void draw_end(void)
{
	refresh();
}

int draw_text(int y, int x, int width, const char *text, enum color c, int pad)
{
	struct sbuf ascii;
	size_t len, i = 0, n;
	int used = 0, total, cw;
	unsigned cp;

	if (width <= 0)
		return 0;
	sbuf_init(&ascii);
	if (ascii_only) {
		draw_ascii(text, &ascii);
		text = ascii.failed ? "?" : sbuf_text(&ascii);
	}
	len = strlen(text);
	total = (int)utf8_width(text);
	attron(term_attr(c));
	move(y, x);
	while (i < len) {
		n = utf8_decode(text + i, len - i, &cp);
		cw = cp == '\t' ? 1 : (int)utf8_cp_width(cp);
		if (total > width && used + cw > width - 1)
			break;
		if (used + cw > width)
			break;
		/* C1 too: a receiver's text must not drive the terminal. */
		if (utf8_is_control(cp))
			addch(cp == '\t' ? ' ' : '?');
		else
			addnstr(text + i, (int)n);
		used += cw;
		i += n;
	}
	if (i < len && used < width) {
		addstr(ascii_only ? ">" : "…");
		used++;
	}
	while (pad && used < width) {
		addch(' ');
		used++;
	}
	attroff(term_attr(c));
	sbuf_release(&ascii);
	return used;
}

void draw_fill(int y, int x, int width, enum color c)
{
	draw_text(y, x, width, "", c, 1);
}

void draw_bar(enum context ctx)
{
	struct bar_item items[16];
	size_t n = keys_bar(ctx, items, 16), i;
	int x = 0, y = LINES - 1;

	move(y, 0);
	clrtoeol();
	for (i = 0; i < n && x < COLS; i++) {
		x += draw_text(y, x, COLS - x, items[i].keyname, C_BAR_KEY, 0);
		x += draw_text(y, x, COLS - x, items[i].label, C_BAR_LABEL, 0);
		if (x < COLS)
			x += draw_text(y, x, 1, " ", C_NORMAL, 1);
	}
	if (x < COLS)
		draw_fill(y, x, COLS - x, C_BAR_LABEL);
}

/* The current message wrapped to the screen, and its line count. */
static size_t wrapped_message(const struct ui *ui, struct sbuf *out)
{
	const struct msglog_entry *m = msglog_current(&ui->log);

	return m ? wrap_text(m->text, ui->cols, out) : 0;
}

int draw_message_height(const struct ui *ui)
{
	struct sbuf text;
	int n, most = ui->rows / 3;

	sbuf_init(&text);
	n = (int)wrapped_message(ui, &text);
	sbuf_release(&text);
	if (n > most)
		n = most;
	return n < 1 ? 1 : n;
}

void draw_messages(const struct ui *ui)
{
	const struct msglog_entry *m = msglog_current(&ui->log);
	int h = draw_message_height(ui), total, i, y = ui->rows - 1 - h;
	struct sbuf text;
	const char *line;
	size_t len;

	if (!m)
		return;
	sbuf_init(&text);
	total = (int)wrapped_message(ui, &text);
	for (i = 0; i < h && (line = wrap_line(sbuf_text(&text), (size_t)i, &len)); i++) {
		char *one = strndup(line, len);

		if (i == h - 1 && total > h)
			draw_text(y + i, 0, ui->cols, "… (m shows the whole message)", C_DIM, 1);
		else
			draw_text(y + i, 0, ui->cols, one ? one : "", m->color, 1);
		free(one);
	}
	sbuf_release(&text);
}

/* A box with a title. */
static void draw_box(int y, int x, int h, int w, const char *title)
{
	int i;

	for (i = 0; i < h; i++)
		draw_fill(y + i, x, w, C_NORMAL);
	/* The line-drawing set is not to be trusted without UTF-8: a
	 * terminal that does not switch to it shows "lqk". */
	mvhline(y, x + 1, ascii_only ? '-' : ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ascii_only ? '-' : ACS_HLINE, w - 2);
	mvvline(y + 1, x, ascii_only ? '|' : ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ascii_only ? '|' : ACS_VLINE, h - 2);
	mvaddch(y, x, ascii_only ? '+' : ACS_ULCORNER);
	mvaddch(y, x + w - 1, ascii_only ? '+' : ACS_URCORNER);
	mvaddch(y + h - 1, x, ascii_only ? '+' : ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ascii_only ? '+' : ACS_LRCORNER);
	if (title && *title) {
		struct sbuf t;

		sbuf_init(&t);
		sbuf_appendf(&t, " %s ", title);
		draw_text(y, x + 2, w - 4, sbuf_text(&t), C_BAR_KEY, 0);
		sbuf_release(&t);
	}
}

static void draw_choices(const struct dialog *d, int y, int x, int bottom)
{
	size_t i;
	int wide = d->nchoices >= 10;

	for (i = d->scroll; i < d->nchoices && y < bottom; i++, y++) {
		struct sbuf line;

		sbuf_init(&line);
		/* Numbers aligned; only the first nine have a key. */
		if (i < 9)
			sbuf_appendf(&line, wide ? " %zu  %s" : "%zu  %s", i + 1, d->choices[i]);
		else
			sbuf_appendf(&line, "    %s", d->choices[i]);
		draw_text(y, x, d->width - 4, sbuf_text(&line), i == d->choice ? C_SELECTED : C_NORMAL, 1);
		sbuf_release(&line);
	}
}

void draw_dialog(struct ui *ui)
{
	struct dialog *d = &ui->dlg;
	int y, x, i, bottom;
	const char *line;
	size_t len;

	dialog_layout(d, ui->cols, ui->rows);
	y = (ui->rows - d->height) / 2;
	x = (ui->cols - d->width) / 2;
	bottom = y + d->height - 1;
	draw_box(y, x, d->height, d->width, d->title);
	if (d->kind == DIALOG_CHOICE) {
		for (i = 0; d->text[0] && (line = wrap_line(d->shown, (size_t)i, &len)) && y + 1 + i < bottom; i++) {
			char *one = strndup(line, len);

			draw_text(y + 1 + i, x + 2, d->width - 4, one ? one : "", C_NORMAL, 0);
			free(one);
		}
		draw_choices(d, y + 1 + (d->text[0] ? i + 1 : 0), x + 2, bottom);
		draw_cursor(-1, 0);
		return;
	}
	for (i = 0; i < (int)d->page && (line = wrap_line(d->shown, d->scroll + (size_t)i, &len)); i++) {
		char *one = strndup(line, len);

		draw_text(y + 1 + i, x + 2, d->width - 4, one ? one : "",
			  d->match == (long)(d->scroll + (size_t)i) ? C_WARN : C_NORMAL, 0);
		free(one);
	}
	if (d->searching) {
		char *q = editor_text(&d->query);
		struct sbuf line2;

		sbuf_init(&line2);
		sbuf_appendf(&line2, "/%s", q ? q : "");
		draw_text(bottom - 1, x + 2, d->width - 4, sbuf_text(&line2), C_WARN, 1);
		draw_cursor(bottom - 1, x + 3 + (int)editor_cursor_x(&d->query));
		sbuf_release(&line2);
		free(q);
		return;
	}
	if (d->status)
		draw_text(bottom - 1, x + 2, d->width - 4, d->status, d->match < 0 ? C_BAD : C_WARN, 1);
	if (d->nshown > d->page) {
		char where[48];

		snprintf(where, sizeof where, " %zu-%zu/%zu ", d->scroll + 1, d->scroll + d->page, d->nshown);
		draw_text(bottom, x + d->width - 2 - (int)strlen(where), (int)strlen(where), where, C_DIM, 0);
	}
	draw_cursor(-1, 0);
}

void draw_header(const char *left, const char *right, enum color right_color)
{
	int rw = (int)utf8_width(right);

	draw_fill(0, 0, COLS, C_HEADER);
	draw_text(0, 1, COLS - rw - 3, left, C_HEADER, 0);
	if (rw < COLS - 2)
		draw_text(0, COLS - rw - 1, rw, right, right_color == C_NORMAL ? C_HEADER : right_color, 0);
}


void draw_cursor(int y, int x)
{
	if (y < 0) {
		curs_set(0);
		return;
	}
	curs_set(1);
	move(y, x);
}

void draw_too_small(const char *what, int need_cols, int need_rows)
{
	struct sbuf msg, wrapped;
	const char *line;
	size_t n, i, len;

	sbuf_init(&msg);
	sbuf_init(&wrapped);
	sbuf_appendf(&msg, "The terminal is too small for %s: it needs %dx%d and has %dx%d: make it "
		     "larger, or leave with Esc or q.", what, need_cols, need_rows, COLS, LINES);
	n = wrap_text(sbuf_text(&msg), COLS > 4 ? COLS - 2 : COLS, &wrapped);
	erase();
	for (i = 0; (line = wrap_line(sbuf_text(&wrapped), i, &len)); i++) {
		char *one = strndup(line, len);

		draw_text(LINES / 2 - (int)n / 2 + (int)i, 1, COLS - 1, one ? one : "", C_WARN, 0);
		free(one);
	}
	curs_set(0);
	refresh();
	sbuf_release(&msg);
	sbuf_release(&wrapped);
}
