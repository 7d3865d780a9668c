/* Modal dialogs as plain state: a yes/no question (default No), a
 * scrollable text, or a choice among a few options. The app's single key
 * loop hands them keys while one is open. */
#ifndef HOOKMAN_DIALOG_H
#define HOOKMAN_DIALOG_H

#include <stddef.h>

enum dialog_kind { DIALOG_NONE, DIALOG_CONFIRM, DIALOG_TEXT, DIALOG_CHOICE };

#define DIALOG_CHOICES 24

struct dialog {
	enum dialog_kind kind;
	char title[96];
	char *text;                 /* owned; lines separated by '\n' */
	size_t scroll;
	const char *choices[DIALOG_CHOICES];
	size_t nchoices, choice;
	int tag;                    /* what the question was about, for the app */
	int extra_key;              /* CONFIRM: a third answer (returns 2), or 0 */
};

/* Open a dialog (text is copied). */
void dialog_open(struct dialog *d, enum dialog_kind kind, int tag, const char *title, const char *text);
void dialog_close(struct dialog *d);

/* Feed a key. Returns -1 while the dialog stays open; otherwise it closed
 * with an answer: for CONFIRM 1 yes / 0 no / 2 the extra key, for CHOICE the index or -2 when
 * cancelled, for TEXT 0. */
int dialog_key(struct dialog *d, int key, size_t page);

/* Lines of the text, for drawing. */
size_t dialog_lines(const struct dialog *d);

#endif
