/* Drawing primitives for the screens: text cut to a width in terminal
 * cells, the header and function bar, the message lines, the dialog.
 * Screens call these, never curses directly. */
#ifndef HOOKMAN_DRAW_H
#define HOOKMAN_DRAW_H

#include "keys.h"
#include "term.h"

/* Decide, from the locale's codeset, whether the terminal shows UTF-8.
 * When it does not (LANG=C, no locale at all: common over SSH), every
 * text is drawn in ASCII — the interface's marks by their ASCII
 * stand-ins (● *, ○ o, ✗ x, ✓ ok, ▸ >, · -, … ..., the blocks of a
 * strip as _ . - = #), anything else not ASCII as ? — and boxes with
 * + - |. Call once, after setlocale. */
void draw_init_charset(void);

/* Clear the screen for a new frame / show it. */
void draw_begin(void);
void draw_end(void);

/* Text at (y, x) in at most width cells: cut with "…" when longer, and
 * with pad the rest filled with spaces. Returns the cells used. */
int draw_text(int y, int x, int width, const char *text, enum color c, int pad);

/* A row filled with spaces in colour c. */
void draw_fill(int y, int x, int width, enum color c);

/* The function bar of ctx on the last row. */
void draw_bar(enum context ctx);

struct ui;

/* Rows the message line needs now: the current message wrapped to the
 * width, at least 1, at most a third of the screen. No curses. */
int draw_message_height(const struct ui *ui);

/* The current message, wrapped, just above the bar; when it needs more
 * than a third of the screen its last row says m shows it whole. */
void draw_messages(const struct ui *ui);

/* The open dialog, laid out for the screen, centred. */
void draw_dialog(struct ui *ui);

/* The header row: left text and right text. */
void draw_header(const char *left, const char *right, enum color right_color);

/* Place the visible cursor, or hide it (y < 0). */
void draw_cursor(int y, int x);

/* "the terminal is too small for WHAT: it needs COLSxROWS, it has …",
 * wrapped and centred, for any size. */
void draw_too_small(const char *what, int need_cols, int need_rows);

#endif
