#include "draw.h"

#include <stdio.h>
#include <string.h>

#include "tui_curses.h"
#include "utf8.h"

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
	size_t len = strlen(text), i = 0, n;
	int used = 0, total = (int)utf8_width(text), cw;
	unsigned cp;

	if (width <= 0)
		return 0;
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
		addstr("…");
		used++;
	}
	while (pad && used < width) {
		addch(' ');
		used++;
	}
	attroff(term_attr(c));
	return used;
}

void draw_fill(int y, int x, int width, enum color c)
{
	draw_text(y, x, width, "", c, 1);
}

void draw_bar(enum context ctx)
{
	size_t n, i;
	const struct binding *t = keys_table(&n);
	int x = 0, y = LINES - 1;

	move(y, 0);
	clrtoeol();
	for (i = 0; i < n && x < COLS; i++) {
		if (t[i].ctx != ctx || !t[i].bar)
			continue;
		x += draw_text(y, x, COLS - x, t[i].keyname, C_BAR_KEY, 0);
		x += draw_text(y, x, COLS - x, t[i].bar, C_BAR_LABEL, 0);
		if (x < COLS)
			x += draw_text(y, x, 1, " ", C_NORMAL, 1);
	}
	if (x < COLS)
		draw_fill(y, x, COLS - x, C_BAR_LABEL);
}

void draw_header(const char *left, const char *right, enum color right_color)
{
	int rw = (int)utf8_width(right);

	draw_fill(0, 0, COLS, C_HEADER);
	draw_text(0, 1, COLS - rw - 3, left, C_HEADER, 0);
	if (rw < COLS - 2)
		draw_text(0, COLS - rw - 1, rw, right, right_color == C_NORMAL ? C_HEADER : right_color, 0);
}

void draw_box(int y, int x, int h, int w, const char *title)
{
	int i;

	for (i = 0; i < h; i++)
		draw_fill(y + i, x, w, C_NORMAL);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	if (title && *title) {
		char t[128];

		snprintf(t, sizeof t, " %s ", title);
		draw_text(y, x + 2, w - 4, t, C_BAR_KEY, 0);
	}
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

void draw_too_small(void)
{
	const char *msg = "terminal too small (need 80x24)";
	int w = (int)strlen(msg);

	erase();
	draw_text(LINES / 2, COLS > w ? (COLS - w) / 2 : 0, COLS, msg, C_WARN, 0);
	curs_set(0);
	refresh();
}
