#include "editor.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "utf8.h"

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

void editor_goto(struct editor *e, size_t row, size_t col)
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

static void delete_back(struct editor *e)
{
	char *line = e->lines[e->row];
	size_t k = prev_len(line, e->col), len;

	if (k) {
		memmove(line + e->col - k, line + e->col, strlen(line + e->col) + 1);
		e->col -= k;
	} else if (e->row > 0) {
		char *prev = e->lines[e->row - 1], *joined;

		len = strlen(prev);
		joined = realloc(prev, len + strlen(line) + 1);
		if (!joined)
			return;
		strcpy(joined + len, line);
		free(line);
		e->lines[e->row - 1] = joined;
		memmove(&e->lines[e->row], &e->lines[e->row + 1], (e->nlines - e->row - 1) * sizeof *e->lines);
		e->nlines--;
		e->row--;
		e->col = len;
	} else {
		return;
	}
	e->changed = 1;
}

static void delete_fwd(struct editor *e)
{
	char *line = e->lines[e->row];
	size_t k = next_len(line, e->col);

	if (k) {
		memmove(line + e->col, line + e->col + k, strlen(line + e->col + k) + 1);
		e->changed = 1;
	} else if (e->row + 1 < e->nlines) {
		e->row++;
		e->col = 0;
		delete_back(e);
	}
}

int editor_key(struct editor *e, int key, size_t page)
{
	size_t x;

	if (ensure_line(e) < 0)
		return 0;
	x = editor_cursor_x(e);
	switch (key) {
	case HK_LEFT:
		if (e->col > 0)
			e->col -= prev_len(e->lines[e->row], e->col);
		else if (e->row > 0) {
			e->row--;
			e->col = strlen(e->lines[e->row]);
		}
		return 1;
	case HK_RIGHT:
		if (e->lines[e->row][e->col])
			e->col += next_len(e->lines[e->row], e->col);
		else if (e->row + 1 < e->nlines) {
			e->row++;
			e->col = 0;
		}
		return 1;
	case HK_UP:
		if (!e->multiline || e->row == 0)
			return 0;
		editor_goto(e, e->row - 1, x);
		return 1;
	case HK_DOWN:
		if (!e->multiline || e->row + 1 >= e->nlines)
			return 0;
		editor_goto(e, e->row + 1, x);
		return 1;
	case HK_PGUP:
		if (!e->multiline)
			return 0;
		editor_goto(e, e->row > page ? e->row - page : 0, x);
		return 1;
	case HK_PGDN:
		if (!e->multiline)
			return 0;
		editor_goto(e, e->row + page, x);
		return 1;
	case HK_HOME:
		e->col = 0;
		return 1;
	case HK_END:
		e->col = strlen(e->lines[e->row]);
		return 1;
	case HK_BACKSPACE:
		delete_back(e);
		return 1;
	case HK_DELETE:
		delete_fwd(e);
		return 1;
	case HK_ENTER:
		if (!e->multiline)
			return 0;
		return editor_insert(e, "\n", 1) == 0;
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
