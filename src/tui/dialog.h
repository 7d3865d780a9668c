/* Modal dialogs as plain state: a yes/no question (default No), a
 * scrollable text view with search, or a choice among a few options.
 * The loop hands them keys while one is open and gives the answer to the
 * screen that opened it. No curses: the loop lays a dialog out for the
 * terminal's size (dialog_layout) and draw.c draws what it holds. */
#ifndef HOOKMAN_DIALOG_H
#define HOOKMAN_DIALOG_H

#include <stddef.h>

#include "editor.h"

enum dialog_kind { DIALOG_NONE, DIALOG_CONFIRM, DIALOG_TEXT, DIALOG_CHOICE };

#define DIALOG_CHOICES 64

/* Answers besides a choice's index: */
enum { DIALOG_OPEN = -1, DIALOG_CANCEL = -2 };

struct dialog {
	enum dialog_kind kind;
	char *title, *text;         /* owned; lines of text separated by '\n' */
	const char *choices[DIALOG_CHOICES];   /* not owned: they outlive the dialog */
	size_t nchoices, choice;
	int tag;                    /* what the question was about, for the screen */
	int extra_key;              /* CONFIRM: a third answer (returns 2), or 0 */
	/* Laid out by dialog_layout: */
	int width, height;          /* the box, borders included */
	char *shown;                /* the text wrapped to the box (owned) */
	size_t nshown, page;        /* its lines, and how many fit */
	size_t scroll;              /* first line shown (of text, or of choices) */
	/* Search in a text view: */
	int searching;              /* the query is being typed */
	struct editor query;
	long match;                 /* line of the last match, -1 none */
	char *status;               /* "no match for …", "search went round to the
				     * top", NULL when none (owned) */
};

/* Open a dialog (title and text are copied); an open one is replaced. */
void dialog_open(struct dialog *d, enum dialog_kind kind, int tag, const char *title, const char *text);
void dialog_close(struct dialog *d);

/* Replace the text of an open dialog (a progress notice), keeping its
 * scroll as far as the new text allows. */
void dialog_set_text(struct dialog *d, const char *text);

/* Add a choice (not copied); ignored past DIALOG_CHOICES. */
void dialog_add_choice(struct dialog *d, const char *choice);

/* Size the box for a cols x rows terminal and wrap the text to it (long
 * lines wrap, nothing is cut). Call before dialog_key and drawing. */
void dialog_layout(struct dialog *d, int cols, int rows);

/* Feed a key. Returns DIALOG_OPEN while the dialog stays open; otherwise
 * it closed with an answer: for CONFIRM 1 yes / 0 no / 2 the extra key,
 * for CHOICE the index or DIALOG_CANCEL, for TEXT 0. */
int dialog_key(struct dialog *d, int key);

/* Lines of the text as given (before wrapping). */
size_t dialog_lines(const struct dialog *d);

#endif
