#include "dialog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keys.h"
#include "sbuf.h"
#include "utf8.h"
#include "wrap.h"

void dialog_open(struct dialog *d, enum dialog_kind kind, int tag, const char *title, const char *text)
{
	dialog_close(d);
	d->kind = kind;
	d->tag = tag;
	d->title = strdup(title ? title : "");
	d->text = strdup(text ? text : "");
	d->match = -1;
	editor_init(&d->query, 0, 120);
}

void dialog_close(struct dialog *d)
{
	free(d->title);
	free(d->text);
	free(d->shown);
	free(d->status);
	editor_free(&d->query);
	memset(d, 0, sizeof *d);
}

void dialog_set_text(struct dialog *d, const char *text)
{
	char *copy = strdup(text);

	if (!copy)
		return;
	free(d->text);
	d->text = copy;
}

void dialog_add_choice(struct dialog *d, const char *choice)
{
	if (d->nchoices < DIALOG_CHOICES)
		d->choices[d->nchoices++] = choice;
}

size_t dialog_lines(const struct dialog *d)
{
	size_t n = 1;
	const char *p;

	for (p = d->text; p && *p; p++)
		n += *p == '\n';
	return n;
}

/* The widest line of the text, in cells. */
static int text_width(const char *text)
{
	size_t len, i, w = 0;
	const char *line;

	for (i = 0; (line = wrap_line(text, i, &len)); i++) {
		char *one = strndup(line, len);

		if (one && utf8_width(one) > w)
			w = utf8_width(one);
		free(one);
	}
	return (int)w;
}

void dialog_layout(struct dialog *d, int cols, int rows)
{
	int w = text_width(d->text ? d->text : "") + 4, inner, lines, i;
	struct sbuf wrapped;

	if ((int)utf8_width(d->title) + 6 > w)
		w = (int)utf8_width(d->title) + 6;
	for (i = 0; i < (int)d->nchoices; i++)
		if ((int)utf8_width(d->choices[i]) + 10 > w)
			w = (int)utf8_width(d->choices[i]) + 10;
	if (w < 40)
		w = 40;
	if (w > cols - 4)
		w = cols - 4 < 10 ? cols : cols - 4;
	inner = w - 4 > 1 ? w - 4 : 1;
	sbuf_init(&wrapped);
	d->nshown = wrap_text(d->text ? d->text : "", inner, &wrapped);
	free(d->shown);
	d->shown = sbuf_take(&wrapped);
	lines = d->kind == DIALOG_CHOICE ? (d->text[0] ? (int)d->nshown + 1 : 0) + (int)d->nchoices :
		(int)d->nshown + (d->kind == DIALOG_TEXT && (d->searching || d->status));
	d->height = lines + 2 > rows - 2 ? rows - 2 : lines + 2;
	if (d->height < 3)
		d->height = 3;
	d->width = w;
	if (d->kind == DIALOG_CHOICE) {
		int fixed = d->text[0] ? (int)d->nshown + 1 : 0;

		d->page = (size_t)(d->height - 2 - fixed > 1 ? d->height - 2 - fixed : 1);
		if (d->choice < d->scroll)
			d->scroll = d->choice;
		if (d->choice >= d->scroll + d->page)
			d->scroll = d->choice - d->page + 1;
	} else {
		d->page = (size_t)(d->height - 2 - (d->searching || d->status) > 1 ?
				   d->height - 2 - (d->searching || d->status) : 1);
		if (d->scroll + d->page > d->nshown)
			d->scroll = d->nshown > d->page ? d->nshown - d->page : 0;
	}
}

/* Whether line n of the wrapped text holds the query (ignoring ASCII case). */
static int line_matches(const struct dialog *d, size_t n, const char *q)
{
	size_t len, qlen = strlen(q), i;
	const char *line = wrap_line(d->shown ? d->shown : "", n, &len);

	for (i = 0; line && qlen && i + qlen <= len; i++)
		if (strncasecmp(line + i, q, qlen) == 0)
			return 1;
	return 0;
}

/* A line under the text, or nothing (NULL). */
static void set_note(struct dialog *d, const char *note)
{
	free(d->status);
	d->status = note ? strdup(note) : NULL;
}

/* "no match for QUERY" under the text, or nothing (query NULL). */
static void set_status(struct dialog *d, const char *query)
{
	struct sbuf s;

	set_note(d, NULL);
	if (!query)
		return;
	sbuf_init(&s);
	sbuf_appendf(&s, "no match for \"%s\"", query);
	d->status = sbuf_take(&s);
}

/* Find the query from the line after (or before) the last match. */
static void search(struct dialog *d, int backwards)
{
	char *q = editor_text(&d->query);
	size_t n = d->nshown, i, from = d->match >= 0 ? (size_t)d->match : d->scroll;

	set_status(d, NULL);
	if (!q || !*q) {
		free(q);
		return;
	}
	/* A new search starts at the first line shown; n and N go on from
	 * the last match. */
	for (i = 1; i <= n; i++) {
		size_t line = backwards ? (from + n - (i % n)) % n : d->match < 0 ? (from + i - 1) % n : (from + i) % n;

		if (line_matches(d, line, q)) {
			if (d->match >= 0 && (backwards ? line > (size_t)d->match : line < (size_t)d->match))
				set_note(d, backwards ? "search went round to the bottom" : "search went round to the top");
			d->match = (long)line;
			d->scroll = line;
			if (d->scroll + d->page > d->nshown)
				d->scroll = d->nshown > d->page ? d->nshown - d->page : 0;
			free(q);
			return;
		}
	}
	set_status(d, q);
	d->match = -1;
	free(q);
}

static int search_key(struct dialog *d, int key)
{
	char u[8];
	int len;

	if (key == HK_ESC || key == HK_CTRL('c')) {
		d->searching = 0;
	} else if (key == HK_ENTER) {
		d->searching = 0;
		d->match = -1;
		search(d, 0);
	} else if (key >= 0x20 && key < 0x110000) {
		len = wctomb(u, (wchar_t)key);
		if (len > 0)
			editor_insert(&d->query, u, (size_t)len);
	} else {
		editor_key(&d->query, key, 1);
	}
	return DIALOG_OPEN;
}

static int view_key(struct dialog *d, int key)
{
	size_t lines = d->nshown, page = d->page ? d->page : 1;

	if (d->searching)
		return search_key(d, key);
	switch (keys_action(CTX_VIEW, key)) {
	case A_DOWN:
		if (d->scroll + page < lines)
			d->scroll++;
		break;
	case A_UP:
		if (d->scroll > 0)
			d->scroll--;
		break;
	case A_PGDN:
		d->scroll = d->scroll + 2 * page < lines ? d->scroll + page : (lines > page ? lines - page : 0);
		break;
	case A_PGUP:
		d->scroll = d->scroll > page ? d->scroll - page : 0;
		break;
	case A_HOME:
		d->scroll = 0;
		break;
	case A_END:
		d->scroll = lines > page ? lines - page : 0;
		break;
	case A_SEARCH:
		d->searching = 1;
		set_status(d, NULL);
		editor_set(&d->query, "");
		break;
	case A_NEXT_MATCH:
		search(d, 0);
		break;
	case A_PREV_MATCH:
		search(d, 1);
		break;
	case A_CLOSE:
		return 0;
	default:
		break;
	}
	return DIALOG_OPEN;
}

static int choice_key(struct dialog *d, int key)
{
	switch (keys_action(CTX_CHOICE, key)) {
	case A_UP:
		if (d->choice > 0)
			d->choice--;
		break;
	case A_DOWN:
		if (d->choice + 1 < d->nchoices)
			d->choice++;
		break;
	case A_HOME:
		d->choice = 0;
		break;
	case A_END:
		d->choice = d->nchoices ? d->nchoices - 1 : 0;
		break;
	case A_PICK:
		return (int)d->choice;
	case A_NO:
		return DIALOG_CANCEL;
	default:
		if (key >= '1' && key <= '9' && key - '1' < (int)d->nchoices)
			return key - '1';
		break;
	}
	if (d->choice < d->scroll)
		d->scroll = d->choice;
	if (d->page && d->choice >= d->scroll + d->page)
		d->scroll = d->choice - d->page + 1;
	return DIALOG_OPEN;
}

int dialog_key(struct dialog *d, int key)
{
	switch (d->kind) {
	case DIALOG_CONFIRM:
		if (d->extra_key && key == d->extra_key)
			return 2;
		switch (keys_action(CTX_CONFIRM, key)) {
		case A_YES: return 1;
		case A_NO: return 0;
		default: return DIALOG_OPEN;
		}
	case DIALOG_CHOICE:
		return choice_key(d, key);
	case DIALOG_TEXT:
		return view_key(d, key);
	default:
		return 0;
	}
}
