#include "dialog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

void dialog_open(struct dialog *d, enum dialog_kind kind, int tag, const char *title, const char *text)
{
	dialog_close(d);
	d->kind = kind;
	d->tag = tag;
	snprintf(d->title, sizeof d->title, "%s", title);
	d->text = strdup(text ? text : "");
}

void dialog_close(struct dialog *d)
{
	free(d->text);
	memset(d, 0, sizeof *d);
}

size_t dialog_lines(const struct dialog *d)
{
	size_t n = 1;
	const char *p;

	for (p = d->text; p && *p; p++)
		n += *p == '\n';
	return n;
}

int dialog_key(struct dialog *d, int key, size_t page)
{
	enum action act = keys_action(CTX_DIALOG, key);
	size_t lines = dialog_lines(d);

	switch (d->kind) {
	case DIALOG_CONFIRM:
		if (act == A_YES || key == 'Y')
			return 1;
		if (d->extra_key && key == d->extra_key)
			return 2;
		if (act == A_NO || key == 'N' || key == HK_ENTER)
			return 0;
		return -1;
	case DIALOG_CHOICE:
		if (key == HK_UP && d->choice > 0)
			d->choice--;
		else if (key == HK_DOWN && d->choice + 1 < d->nchoices)
			d->choice++;
		else if (key == HK_ENTER)
			return (int)d->choice;
		else if (key == HK_ESC)
			return -2;
		else if (key >= '1' && key < '1' + (int)d->nchoices)
			return key - '1';
		return -1;
	case DIALOG_TEXT:
		switch (act) {
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
		default:
			if (key == HK_ESC || key == HK_ENTER || key == 'q')
				return 0;
			break;
		}
		return -1;
	default:
		return 0;
	}
}
