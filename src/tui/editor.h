/* A text editor buffer: lines, a cursor, scrolling. The payload editor,
 * the headers box and every one-line field use it; no curses here. */
#ifndef HOOKMAN_EDITOR_H
#define HOOKMAN_EDITOR_H

#include <stddef.h>

struct editor {
	char **lines;         /* each NUL-terminated UTF-8, no newline */
	size_t nlines, cap;
	size_t row, col;      /* cursor: line, byte offset in it */
	size_t top, left;     /* first visible line, first visible display column */
	int multiline;        /* Enter inserts a line break */
	size_t limit;         /* most bytes the text may hold (0: no limit) */
	int changed;          /* set by any edit */
	char *killed;         /* the last text killed, for Ctrl-Y (NULL: none yet) */
};

/* An empty editor. */
void editor_init(struct editor *e, int multiline, size_t limit);

/* Free the text and the kill buffer; the editor is empty again. */
void editor_free(struct editor *e);

/* Replace the text (line breaks split lines when multiline; a one-line
 * editor keeps what precedes the first). The cursor goes to the start of a
 * multi-line text and the end of a one-line one. 0 or -1
 * when out of memory. Does not mark the editor changed; the kill buffer
 * is kept. */
int editor_set(struct editor *e, const char *text);

/* The text, lines joined by '\n'. Caller frees; NULL when out of memory. */
char *editor_text(const struct editor *e);

/* Total bytes of the text. */
size_t editor_size(const struct editor *e);

/* Insert UTF-8 text at the cursor ('\n' breaks the line in a multi-line
 * editor and is dropped in a one-line one; other control characters but
 * tab are dropped). Refused (-1) when it would pass the limit or memory
 * runs out; the text is then unchanged. */
int editor_insert(struct editor *e, const char *text, size_t n);

/* Apply an editing or movement key (keys.h codes): the actions keys.c
 * binds in CTX_TEXT, as readline and Emacs do them — characters, words
 * and line ends; Backspace, Delete (Ctrl-D is not used, 0, when the text
 * is empty); kills to the line's end (at its end, the line break: the
 * next line joins), to its start, of the word before the cursor (up to a
 * blank, or letters and digits only) and after it; yank; and in a
 * multi-line editor Up, Down, PgUp, PgDn (by page lines) and Enter.
 * A word is a run of ASCII letters and digits and non-ASCII characters
 * (so é and 日本 are words and punctuation is not); the word keys cross
 * line breaks. Each kill replaces the kill buffer (a kill of nothing keeps
 * it). Alt keys are accepted in either case. Returns 1 when the key was
 * used; 0 for a key the editor does not take and for an edit refused, the
 * text then unchanged: a yank that would pass the limit, memory running
 * out. */
int editor_key(struct editor *e, int key, size_t page);

/* Scroll so the cursor is inside a view of height lines and width
 * display columns. */
void editor_scroll(struct editor *e, size_t height, size_t width);

/* Display column of the cursor in its line. */
size_t editor_cursor_x(const struct editor *e);

#endif
