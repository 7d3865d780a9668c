#include "keys.h"

#include "sbuf.h"

#include <stdio.h>
#include <string.h>

static const struct binding table[] = {
	{ CTX_LIST, HK_F(1), A_HELP, "F1", "Help", "show every key" },
	{ CTX_LIST, '?', A_HELP, "?", NULL, "show every key" },
	{ CTX_LIST, HK_F(2), A_NEW, "F2", "New", "add a webhook" },
	{ CTX_LIST, 'n', A_NEW, "n", NULL, "add a webhook" },
	{ CTX_LIST, HK_F(4), A_EDIT, "F4", "Edit", "edit the selected webhook" },
	{ CTX_LIST, 'e', A_EDIT, "e", NULL, "edit the selected webhook" },
	{ CTX_LIST, HK_ENTER, A_EDIT, "Enter", NULL, "edit the selected webhook" },
	{ CTX_LIST, HK_F(5), A_TEST, "F5", "Test", "send the sample event to the selected webhook now" },
	{ CTX_LIST, 't', A_TEST, "t", NULL, "send the sample event to the selected webhook now" },
	{ CTX_LIST, HK_F(6), A_DELIVERIES, "F6", "Log", "deliveries of the selected webhook" },
	{ CTX_LIST, 'l', A_DELIVERIES, "l", NULL, "deliveries of the selected webhook" },
	{ CTX_LIST, HK_F(7), A_FIRE, "F7", "Fire", "fire an event to every subscribed webhook" },
	{ CTX_LIST, 'f', A_FIRE, "f", NULL, "fire an event to every subscribed webhook" },
	{ CTX_LIST, HK_F(8), A_DELETE, "F8", "Delete", "delete the selected webhook (asks first)" },
	{ CTX_LIST, 'd', A_DELETE, "d", NULL, "delete the selected webhook (asks first)" },
	{ CTX_LIST, HK_DELETE, A_DELETE, "Delete", NULL, "delete the selected webhook (asks first)" },
	{ CTX_LIST, ' ', A_TOGGLE, "Space", NULL, "enable or disable the selected webhook" },
	{ CTX_LIST, '/', A_FILTER, "/", "Filter", "filter the list by name (Esc clears)" },
	{ CTX_LIST, HK_F(10), A_QUIT, "F10", "Quit", "quit" },
	{ CTX_LIST, 'q', A_QUIT, "q", NULL, "quit" },
	{ CTX_LIST, HK_CTRL('c'), A_QUIT, "^C", NULL, "quit" },
	{ CTX_LIST, HK_CTRL('z'), A_SUSPEND, "^Z", NULL, "suspend to the shell ('fg' comes back)" },
	{ CTX_LIST, HK_UP, A_UP, "Up", NULL, "previous webhook" },
	{ CTX_LIST, 'k', A_UP, "k", NULL, "previous webhook" },
	{ CTX_LIST, HK_DOWN, A_DOWN, "Down", NULL, "next webhook" },
	{ CTX_LIST, 'j', A_DOWN, "j", NULL, "next webhook" },
	{ CTX_LIST, HK_PGUP, A_PGUP, "PgUp", NULL, "a page up" },
	{ CTX_LIST, HK_PGDN, A_PGDN, "PgDn", NULL, "a page down" },
	{ CTX_LIST, HK_HOME, A_HOME, "Home", NULL, "first webhook" },
	{ CTX_LIST, HK_END, A_END, "End", NULL, "last webhook" },

	{ CTX_FORM, HK_CTRL('s'), A_SAVE, "^S", "Save", "check every field and save" },
	{ CTX_FORM, HK_ESC, A_CANCEL, "Esc", "Cancel", "leave the form (asks if you changed something)" },
	{ CTX_FORM, HK_CTRL('c'), A_CANCEL, "^C", NULL, "leave the form (asks if you changed something)" },
	{ CTX_FORM, HK_CTRL('z'), A_SUSPEND, "^Z", NULL, "suspend to the shell ('fg' comes back)" },
	{ CTX_FORM, HK_TAB, A_NEXT_FIELD, "Tab", "Next", "next field (also leaves the payload editor)" },
	{ CTX_FORM, HK_BTAB, A_PREV_FIELD, "S-Tab", NULL, "previous field" },
	{ CTX_FORM, HK_CTRL('t'), A_TEST, "^T", "Test", "send the sample event with the form's values (not saved)" },
	{ CTX_FORM, HK_CTRL('p'), A_PREVIEW, "^P", "Preview", "the body the receiver gets for the sample event" },
	{ CTX_FORM, HK_CTRL('r'), A_PRESET, "^R", "Preset", "fill the payload from a preset (Slack, Teams, …)" },
	{ CTX_FORM, HK_CTRL('e'), A_EDITOR, "^E", "Editor", "edit the payload in $EDITOR (vi if unset)" },
	{ CTX_FORM, HK_F(1), A_HELP, "F1", "Help", "show every key" },

	{ CTX_DELIVERIES, HK_ENTER, A_OPEN, "Enter", "Open", "the delivery: headers, body, every attempt" },
	{ CTX_DELIVERIES, 'r', A_REDELIVER, "r", "Redeliver", "send the selected delivery again (same body and webhook-id)" },
	{ CTX_DELIVERIES, 'a', A_ALL, "a", "All", "all webhooks / only the selected one" },
	{ CTX_DELIVERIES, HK_ESC, A_BACK, "Esc", "Back", "back to the webhook list" },
	{ CTX_DELIVERIES, 'q', A_BACK, "q", NULL, "back to the webhook list" },
	{ CTX_DELIVERIES, HK_CTRL('c'), A_BACK, "^C", NULL, "back to the webhook list" },
	{ CTX_DELIVERIES, HK_CTRL('z'), A_SUSPEND, "^Z", NULL, "suspend to the shell ('fg' comes back)" },
	{ CTX_DELIVERIES, HK_UP, A_UP, "Up", NULL, "newer delivery" },
	{ CTX_DELIVERIES, 'k', A_UP, "k", NULL, "newer delivery" },
	{ CTX_DELIVERIES, HK_DOWN, A_DOWN, "Down", NULL, "older delivery" },
	{ CTX_DELIVERIES, 'j', A_DOWN, "j", NULL, "older delivery" },
	{ CTX_DELIVERIES, HK_PGUP, A_PGUP, "PgUp", NULL, "a page up" },
	{ CTX_DELIVERIES, HK_PGDN, A_PGDN, "PgDn", NULL, "a page down" },
	{ CTX_DELIVERIES, HK_HOME, A_HOME, "Home", NULL, "newest" },
	{ CTX_DELIVERIES, HK_END, A_END, "End", NULL, "oldest shown" },
	{ CTX_DIALOG, 'y', A_YES, "y", "Yes", "answer yes" },
	{ CTX_DIALOG, 'n', A_NO, "n", "No", "answer no (the default)" },
	{ CTX_DIALOG, HK_ESC, A_NO, "Esc", NULL, "answer no" },
	{ CTX_DIALOG, HK_CTRL('c'), A_NO, "^C", NULL, "answer no" },
	{ CTX_DIALOG, HK_CTRL('z'), A_SUSPEND, "^Z", NULL, "suspend to the shell ('fg' comes back)" },
	{ CTX_DIALOG, HK_UP, A_UP, "Up", NULL, "scroll a text up" },
	{ CTX_DIALOG, 'k', A_UP, "k", NULL, "scroll a text up" },
	{ CTX_DIALOG, HK_DOWN, A_DOWN, "Down", NULL, "scroll a text down" },
	{ CTX_DIALOG, 'j', A_DOWN, "j", NULL, "scroll a text down" },
	{ CTX_DIALOG, HK_PGUP, A_PGUP, "PgUp", NULL, "a page up" },
	{ CTX_DIALOG, HK_PGDN, A_PGDN, "PgDn", NULL, "a page down" },
	{ CTX_DIALOG, ' ', A_PGDN, "Space", NULL, "a page down" },
	{ CTX_DIALOG, HK_HOME, A_HOME, "Home", NULL, "the top" },
	{ CTX_DIALOG, 'g', A_HOME, "g", NULL, "the top" },
	{ CTX_DIALOG, HK_END, A_END, "End", NULL, "the bottom" },
	{ CTX_DIALOG, 'G', A_END, "G", NULL, "the bottom" },
};

enum action keys_action(enum context ctx, int key)
{
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].ctx == ctx && table[i].key == key)
			return table[i].act;
	return A_NONE;
}

const struct binding *keys_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}

char *keys_bar(enum context ctx)
{
	struct sbuf out;
	size_t i;

	sbuf_init(&out);
	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].ctx == ctx && table[i].bar)
			sbuf_appendf(&out, "%s%s%s", out.len ? "  " : "", table[i].keyname, table[i].bar);
	return sbuf_take(&out);
}
