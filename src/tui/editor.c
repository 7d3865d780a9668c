#include "editor.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "sbuf.h"
#include "utf8.h"

/* A place in the text: a line and a byte offset in it. */
struct pos {
	size_t row, col;
};

/* What a character is to the word keys, ordered so that "at least K_PUNCT"
 * is unix-word-rubout's word (anything but blanks and line breaks) and
 * "at least K_WORD" readline's (letters and digits). */
enum kind { K_NONE, K_BREAK, K_BLANK, K_PUNCT, K_WORD };

void editor_init(struct editor *e, int multiline, size_t limit)
{
	memset(e, 0, sizeof *e);
	e->multiline = multiline;
	e->limit = limit;
}

void editor_free(struct editor *e)
{
	size_t i;

	for (i = 0; i < e->nlines; i++)
		free(e->lines[i]);
	free(e->lines);
	e->lines = NULL;
	e->nlines = e->cap = 0;
	free(e->killed);
	e->killed = NULL;
}

static int reserve(struct editor *e, size_t n)
{
	char **grown;
	size_t cap = e->cap ? e->cap : 8;

	if (n <= e->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	grown = realloc(e->lines, cap * sizeof *grown);
	if (!grown)
		return -1;
	e->lines = grown;
	e->cap = cap;
	return 0;
}

int editor_set(struct editor *e, const char *text)
{
	struct editor fresh;
	const char *p = text ? text : "", *nl;

	editor_init(&fresh, e->multiline, e->limit);
	do {
		size_t n;
		char *line;

		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (reserve(&fresh, fresh.nlines + 1) < 0 || !(line = strndup(p, n))) {
			editor_free(&fresh);
			return -1;
		}
		fresh.lines[fresh.nlines++] = line;
		p = nl ? nl + 1 : NULL;
	} while (p && e->multiline);
	/* What the operator killed may still be wanted in the new text. */
	fresh.killed = e->killed;
	e->killed = NULL;
	editor_free(e);
	*e = fresh;
	/* One-line fields are usually appended to or corrected at the end. */
	if (!e->multiline && e->nlines)
		e->col = strlen(e->lines[0]);
	return 0;
}

size_t editor_size(const struct editor *e)
{
	size_t i, n = 0;

	for (i = 0; i < e->nlines; i++)
		n += strlen(e->lines[i]) + (i ? 1 : 0);
	return n;
}

char *editor_text(const struct editor *e)
{
	size_t n = editor_size(e), i, off = 0;
	char *out = malloc(n + 1);

	if (!out)
		return NULL;
	for (i = 0; i < e->nlines; i++) {
		size_t len = strlen(e->lines[i]);

		if (i)
			out[off++] = '\n';
		memcpy(out + off, e->lines[i], len);
		off += len;
	}
	out[off] = '\0';
	return out;
}

static int ensure_line(struct editor *e)
{
	if (e->nlines)
		return 0;
	if (reserve(e, 1) < 0 || !(e->lines[0] = strdup("")))
		return -1;
	e->nlines = 1;
	return 0;
}

/* Insert s[0..n) (no line breaks) at the cursor. */
static int insert_plain(struct editor *e, const char *s, size_t n)
{
	char *line = e->lines[e->row], *grown;
	size_t len = strlen(line);

	grown = realloc(line, len + n + 1);
	if (!grown)
		return -1;
	memmove(grown + e->col + n, grown + e->col, len - e->col + 1);
	memcpy(grown + e->col, s, n);
	e->lines[e->row] = grown;
	e->col += n;
	return 0;
}

static int break_line(struct editor *e)
{
	char *line = e->lines[e->row], *rest;

	if (reserve(e, e->nlines + 1) < 0 || !(rest = strdup(line + e->col)))
		return -1;
	line[e->col] = '\0';
	memmove(&e->lines[e->row + 2], &e->lines[e->row + 1], (e->nlines - e->row - 1) * sizeof *e->lines);
	e->lines[e->row + 1] = rest;
	e->nlines++;
	e->row++;
	e->col = 0;
	return 0;
}

int editor_insert(struct editor *e, const char *text, size_t n)
{
	size_t i = 0, start;

	if (ensure_line(e) < 0)
		return -1;
	if (e->limit && editor_size(e) + n > e->limit)
		return -1;
	while (i < n) {
		start = i;
		while (i < n && text[i] != '\n' && text[i] != '\r' &&
		       ((unsigned char)text[i] >= 0x20 || text[i] == '\t') && text[i] != 0x7f)
			i++;
		if (i > start && insert_plain(e, text + start, i - start) < 0)
			return -1;
		if (i < n) {
			if (text[i] == '\n' && e->multiline && break_line(e) < 0)
				return -1;
			i++;
		}
	}
	e->changed = 1;
	return 0;
}

/* Byte length of the character before / at the cursor. */
static size_t prev_len(const char *line, size_t col)
{
	size_t k = col;

	if (k == 0)
		return 0;
	k--;
	while (k > 0 && ((unsigned char)line[k] & 0xC0) == 0x80)
		k--;
	return col - k;
}

static size_t next_len(const char *line, size_t col)
{
	size_t k = col;

	if (!line[k])
		return 0;
	k++;
	while (line[k] && ((unsigned char)line[k] & 0xC0) == 0x80)
		k++;
	return k - col;
}

static size_t width_of(const char *s, size_t n)
{
	size_t i = 0, w = 0;
	unsigned cp;

	while (i < n) {
		size_t k = utf8_decode(s + i, n - i, &cp);

		w += cp == '\t' ? 1 : utf8_cp_width(cp);
		i += k;
	}
	return w;
}

size_t editor_cursor_x(const struct editor *e)
{
	return e->nlines ? width_of(e->lines[e->row], e->col) : 0;
}

/* Put the cursor on line row (0-based), at display column col or the
 * nearest character start before it. */
static void editor_goto(struct editor *e, size_t row, size_t col)
{
	const char *line;
	size_t i = 0, w = 0;

	if (e->nlines == 0)
		return;
	if (row >= e->nlines)
		row = e->nlines - 1;
	line = e->lines[row];
	while (line[i]) {
		size_t k = next_len(line, i), cw = width_of(line + i, k);

		if (w + cw > col)
			break;
		w += cw;
		i += k;
	}
	e->row = row;
	e->col = i;
}

static struct pos here(const struct editor *e)
{
	struct pos p = { e->row, e->col };

	return p;
}

/* Put the cursor at p; 1 (a key used), for editor_key to return. */
static int move_to(struct editor *e, struct pos p)
{
	e->row = p.row;
	e->col = p.col;
	return 1;
}

/* Told by a character's first byte: every non-ASCII code point is a word
 * character (é, 日本, an emoji), and steps go by whole characters. */
static enum kind kind_of(unsigned char c)
{
	if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		return K_WORD;
	return c == ' ' || c == '\t' ? K_BLANK : K_PUNCT;
}

/* Step p back over one character (a line break counts as one) and say
 * what it was: K_NONE at the start of the text, p unmoved. */
static enum kind back_char(const struct editor *e, struct pos *p)
{
	if (p->col == 0) {
		if (p->row == 0)
			return K_NONE;
		p->row--;
		p->col = strlen(e->lines[p->row]);
		return K_BREAK;
	}
	p->col -= prev_len(e->lines[p->row], p->col);
	return kind_of((unsigned char)e->lines[p->row][p->col]);
}

/* Step p forward over one character; K_NONE at the end of the text. */
static enum kind fwd_char(const struct editor *e, struct pos *p)
{
	const char *line = e->lines[p->row];
	enum kind k;

	if (!line[p->col]) {
		if (p->row + 1 >= e->nlines)
			return K_NONE;
		p->row++;
		p->col = 0;
		return K_BREAK;
	}
	k = kind_of((unsigned char)line[p->col]);
	p->col += next_len(line, p->col);
	return k;
}

/* The start of the word before the cursor: back over what is not a word
 * (kinds below least), then over the word. */
static struct pos word_back(const struct editor *e, enum kind least)
{
	struct pos p = here(e), q = p;
	enum kind k;

	while ((k = back_char(e, &q)) != K_NONE && k < least)
		p = q;
	q = p;
	while (back_char(e, &q) >= least)
		p = q;
	return p;
}

/* The end of the word after the cursor, likewise forward. */
static struct pos word_fwd(const struct editor *e, enum kind least)
{
	struct pos p = here(e), q = p;
	enum kind k;

	while ((k = fwd_char(e, &q)) != K_NONE && k < least)
		p = q;
	q = p;
	while (fwd_char(e, &q) >= least)
		p = q;
	return p;
}

/* The text from a to b (a first), lines joined by '\n'. Caller frees;
 * NULL when memory runs out. */
static char *span_text(const struct editor *e, struct pos a, struct pos b)
{
	struct sbuf s;
	size_t r;

	sbuf_init(&s);
	for (r = a.row; r <= b.row; r++) {
		const char *line = e->lines[r];
		size_t from = r == a.row ? a.col : 0, to = r == b.row ? b.col : strlen(line);

		if (r > a.row)
			sbuf_append(&s, "\n");
		sbuf_appendn(&s, line + from, to - from);
	}
	return sbuf_take(&s);
}

/* Remove the text from a to b (a first): what precedes a on its line is
 * joined to what follows b on its. -1 when memory runs out, the text then
 * unchanged. */
static int remove_span(struct editor *e, struct pos a, struct pos b)
{
	const char *tail = e->lines[b.row] + b.col;
	char *joined;
	size_t r;

	if (a.row == b.row) {
		memmove(e->lines[a.row] + a.col, tail, strlen(tail) + 1);
		return 0;
	}
	joined = realloc(e->lines[a.row], a.col + strlen(tail) + 1);
	if (!joined)
		return -1;
	strcpy(joined + a.col, tail);
	e->lines[a.row] = joined;
	for (r = a.row + 1; r <= b.row; r++)
		free(e->lines[r]);
	memmove(&e->lines[a.row + 1], &e->lines[b.row + 1], (e->nlines - b.row - 1) * sizeof *e->lines);
	e->nlines -= b.row - a.row;
	return 0;
}

/* Delete the text from a to b (a first) and put the cursor at a; when
 * kill is set the text deleted replaces the kill buffer. Deleting nothing
 * changes nothing. 0, or -1 when memory runs out (text unchanged). */
static int cut(struct editor *e, struct pos a, struct pos b, int kill)
{
	char *killed = NULL;

	if (a.row == b.row && a.col == b.col)
		return 0;
	if (kill && !(killed = span_text(e, a, b)))
		return -1;
	if (remove_span(e, a, b) < 0) {
		free(killed);
		return -1;
	}
	if (kill) {
		free(e->killed);
		e->killed = killed;
	}
	move_to(e, a);
	e->changed = 1;
	return 0;
}

static int delete_back(struct editor *e)
{
	struct pos a = here(e);

	back_char(e, &a);
	return cut(e, a, here(e), 0);
}

static int delete_fwd(struct editor *e)
{
	struct pos b = here(e);

	fwd_char(e, &b);
	return cut(e, here(e), b, 0);
}

/* Ctrl-K: to the end of the line, or the line break when already there
 * (so repeated, it empties a multi-line text line by line, as in Emacs). */
static int kill_line(struct editor *e)
{
	struct pos b = here(e);

	if (e->lines[e->row][e->col])
		b.col = strlen(e->lines[e->row]);
	else
		fwd_char(e, &b);
	return cut(e, here(e), b, 1);
}

static int kill_to_start(struct editor *e)
{
	struct pos a = { e->row, 0 };

	return cut(e, a, here(e), 1);
}

/* Ctrl-Y: the kill buffer at the cursor, refused whole (-1) when it would
 * pass the limit. Nothing killed yet: nothing to do. */
static int yank(struct editor *e)
{
	return e->killed ? editor_insert(e, e->killed, strlen(e->killed)) : 0;
}

static int char_back(struct editor *e)
{
	struct pos p = here(e);

	back_char(e, &p);
	return move_to(e, p);
}

static int char_fwd(struct editor *e)
{
	struct pos p = here(e);

	fwd_char(e, &p);
	return move_to(e, p);
}

/* Up, Down, PgUp, PgDn: to display column x of another line; a one-line
 * editor leaves them to its caller. */
static int vertical(struct editor *e, enum action act, size_t page, size_t x)
{
	if (!e->multiline)
		return 0;
	switch (act) {
	case A_UP:
		if (e->row == 0)
			return 0;
		editor_goto(e, e->row - 1, x);
		return 1;
	case A_DOWN:
		if (e->row + 1 >= e->nlines)
			return 0;
		editor_goto(e, e->row + 1, x);
		return 1;
	case A_PGUP:
		editor_goto(e, e->row > page ? e->row - page : 0, x);
		return 1;
	default:
		editor_goto(e, e->row + page, x);
		return 1;
	}
}

int editor_key(struct editor *e, int key, size_t page)
{
	enum action act;

	if (ensure_line(e) < 0)
		return 0;
	/* Alt with Shift is the same word key. */
	if (key >= HK_ALT('A') && key <= HK_ALT('Z'))
		key += 'a' - 'A';
	act = keys_action(CTX_TEXT, key);
	switch (act) {
	case A_CHAR_LEFT:
		return char_back(e);
	case A_CHAR_RIGHT:
		return char_fwd(e);
	case A_WORD_LEFT:
		return move_to(e, word_back(e, K_WORD));
	case A_WORD_RIGHT:
		return move_to(e, word_fwd(e, K_WORD));
	case A_LINE_START:
		e->col = 0;
		return 1;
	case A_LINE_END:
		e->col = strlen(e->lines[e->row]);
		return 1;
	case A_UP:
	case A_DOWN:
	case A_PGUP:
	case A_PGDN:
		return vertical(e, act, page, editor_cursor_x(e));
	case A_BACKSPACE:
		return delete_back(e) == 0;
	case A_DELETE_CHAR:
		/* Ctrl-D on an empty text is readline's end of input: the caller's. */
		return (key != HK_CTRL('d') || editor_size(e) > 0) && delete_fwd(e) == 0;
	case A_KILL_END:
		return kill_line(e) == 0;
	case A_KILL_START:
		return kill_to_start(e) == 0;
	case A_KILL_WORD:
		return cut(e, word_back(e, K_PUNCT), here(e), 1) == 0;
	case A_KILL_ALNUM_WORD:
		return cut(e, word_back(e, K_WORD), here(e), 1) == 0;
	case A_KILL_NEXT_WORD:
		return cut(e, here(e), word_fwd(e, K_WORD), 1) == 0;
	case A_YANK:
		return yank(e) == 0;
	case A_NEWLINE:
		return e->multiline && editor_insert(e, "\n", 1) == 0;
	default:
		return 0;
	}
}

void editor_scroll(struct editor *e, size_t height, size_t width)
{
	size_t x = editor_cursor_x(e);

	if (height == 0 || width == 0)
		return;
	if (e->row < e->top)
		e->top = e->row;
	if (e->row >= e->top + height)
		e->top = e->row - height + 1;
	if (x < e->left)
		e->left = x;
	if (x >= e->left + width)
		e->left = x - width + 1;
}
