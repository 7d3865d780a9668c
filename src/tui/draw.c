#include "draw.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sbuf.h"
#include "tui_curses.h"
#include "utf8.h"

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
};

int draw_ascii(const char *text, struct sbuf *out)
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
