/* Wrapping text to a width in terminal cells, so nothing the interface
 * shows is cut: messages, dialogs, help, a delivery's body. No curses. */
#ifndef HOOKMAN_WRAP_H
#define HOOKMAN_WRAP_H

#include "sbuf.h"

/* Append text to out wrapped to width cells (at least 1): each line of
 * text is broken at the last space that fits, a word longer than the
 * width is broken inside it (never inside a character), and the lines
 * are joined by '\n'. Returns the number of lines. */
size_t wrap_text(const char *text, int width, struct sbuf *out);

/* The start of line n (0-based) of a text whose lines are joined by '\n',
 * or NULL past the last; *len receives the line's length. */
const char *wrap_line(const char *text, size_t n, size_t *len);

#endif
