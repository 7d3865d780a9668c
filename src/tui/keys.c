#include "keys.h"

#include "sbuf.h"

#include <stdio.h>
#include <string.h>

/* What each action does, once per context, in the order help and the
 * function bar show them. */
static const struct action_help actions[] = {
	{ CTX_LIST, A_HELP, "Help", "show every key" },
	{ CTX_LIST, A_NEW, "New", "add a webhook" },
	{ CTX_LIST, A_EDIT, "Edit", "edit the selected webhook" },
	{ CTX_LIST, A_TEST, "Test", "send the sample event to the selected webhook now" },
	{ CTX_LIST, A_DELIVERIES, "Log", "deliveries of the selected webhook" },
	{ CTX_LIST, A_FIRE, "Fire", "fire an event to every subscribed webhook" },
	{ CTX_LIST, A_DELETE, "Delete", "delete the selected webhook (asks first)" },
	{ CTX_LIST, A_FILTER, "Filter", "filter: text in the name or URL host; is:failing, is:disabled, is:held, "
					 "is:enabled, event:NAME (Esc clears)" },
	{ CTX_LIST, A_SORT, "Sort", "sort by name, last activity, failures (in turn)" },
	{ CTX_LIST, A_QUIT, "Quit", "quit" },
	{ CTX_LIST, A_TOGGLE, NULL, "enable or disable the selected webhook" },
	{ CTX_LIST, A_HOLD, NULL, "hold the selected webhook's deliveries for a while (asks how long), "
	  "or end its hold" },
	{ CTX_LIST, A_MESSAGES, NULL, "the last 200 messages, with their times" },
	{ CTX_LIST, A_SUSPEND, NULL, "suspend to the shell ('fg' comes back)" },
	{ CTX_LIST, A_UP, NULL, "previous webhook" },
	{ CTX_LIST, A_DOWN, NULL, "next webhook" },
	{ CTX_LIST, A_PGUP, NULL, "a page up" },
	{ CTX_LIST, A_PGDN, NULL, "a page down" },
	{ CTX_LIST, A_HOME, NULL, "first webhook" },
	{ CTX_LIST, A_END, NULL, "last webhook" },

	{ CTX_FORM, A_HELP, "Help", "show every key" },
	{ CTX_FORM, A_SAVE, "Save", "check every field and save" },
	{ CTX_FORM, A_NEXT_FIELD, "Next", "next field (also leaves the payload and headers boxes)" },
	{ CTX_FORM, A_TEST, "Test", "send the sample event with the form's values (not saved)" },
	{ CTX_FORM, A_PREVIEW, "Preview", "the body the receiver gets for the sample event" },
	{ CTX_FORM, A_PRESET, "Preset", "fill the payload from a preset (Slack, Teams, Jira, ServiceNow, Generic)" },
	{ CTX_FORM, A_EDITOR, "Editor", "edit the payload in $EDITOR (vi if unset)" },
	{ CTX_FORM, A_CANCEL, "Cancel", "leave the form (asks if you changed something)" },
	{ CTX_FORM, A_PREV_FIELD, NULL, "previous field" },
	{ CTX_FORM, A_MESSAGES, NULL, "the last 200 messages, with their times" },
	{ CTX_FORM, A_SUSPEND, NULL, "suspend to the shell ('fg' comes back)" },

	{ CTX_FORM_EVENTS, A_UP, NULL, "previous row (at the top: the field above)" },
	{ CTX_FORM_EVENTS, A_DOWN, NULL, "next row (at the bottom: the field below)" },
	{ CTX_FORM_EVENTS, A_CHECK, NULL, "choose or drop the event (a group: all of it)" },
	{ CTX_FORM_EVENTS, A_CHECK_ALL, NULL, "choose every event, or none" },
	{ CTX_FORM_CHOICE, A_NEXT_CHOICE, NULL, "next formatting" },
	{ CTX_FORM_CHOICE, A_PREV_CHOICE, NULL, "previous formatting" },
	{ CTX_FORM_SECRET, A_GENERATE, NULL, "generate a new whsec_ signing secret (shown until you leave)" },
	{ CTX_FORM_SECRET, A_ROTATE, NULL, "rotate: a new secret; the saved one keeps signing for 24h after Save" },
	{ CTX_FORM_SECRET, A_REVEAL, NULL, "show or hide the secret" },
	{ CTX_FORM_SECRET, A_REMOVE, NULL, "remove the secret (requests are then not signed)" },
	{ CTX_FORM_HEADERS, A_REVEAL, NULL, "reveal headers that hold a credential, to edit them" },
	{ CTX_FORM_CHECK, A_CHECK, NULL, "tick or untick (Enabled, Verify TLS)" },
	{ CTX_FORM_BUTTON, A_PRESS, NULL, "press the button (Save, Test send, Cancel)" },

	{ CTX_TEXT, A_LINE_START, NULL, "start of the line" },
	{ CTX_TEXT, A_LINE_END, NULL, "end of the line" },
	{ CTX_TEXT, A_CHAR_LEFT, NULL, "a character back (at a line's start: the line above)" },
	{ CTX_TEXT, A_CHAR_RIGHT, NULL, "a character forward" },
	{ CTX_TEXT, A_WORD_LEFT, NULL, "a word back" },
	{ CTX_TEXT, A_WORD_RIGHT, NULL, "a word forward" },
	{ CTX_TEXT, A_BACKSPACE, NULL, "delete the character before the cursor" },
	{ CTX_TEXT, A_DELETE_CHAR, NULL, "delete the character under the cursor" },
	{ CTX_TEXT, A_KILL_END, NULL, "cut to the end of the line (at its end: join the next)" },
	{ CTX_TEXT, A_KILL_START, NULL, "cut to the start of the line" },
	{ CTX_TEXT, A_KILL_WORD, NULL, "cut the word before the cursor (up to a space)" },
	{ CTX_TEXT, A_KILL_ALNUM_WORD, NULL, "cut the word before the cursor (letters and digits)" },
	{ CTX_TEXT, A_KILL_NEXT_WORD, NULL, "cut the word after the cursor" },
	{ CTX_TEXT, A_YANK, NULL, "paste what was cut last" },
	{ CTX_TEXT, A_UP, NULL, "line above (payload and headers)" },
	{ CTX_TEXT, A_DOWN, NULL, "line below (payload and headers)" },
	{ CTX_TEXT, A_PGUP, NULL, "a page up (payload)" },
	{ CTX_TEXT, A_PGDN, NULL, "a page down (payload)" },
	{ CTX_TEXT, A_NEWLINE, NULL, "a new line (payload and headers); the next field elsewhere" },

	{ CTX_DELIVERIES, A_OPEN, "Open", "the delivery: headers, body, every attempt" },
	{ CTX_DELIVERIES, A_REDELIVER, "Redeliver", "send the selected delivery again (same body and webhook-id)" },
	{ CTX_DELIVERIES, A_RERENDER, NULL, "the selected delivery's body with its webhook's current payload, as a "
					   "diff; send that (asks first)" },
	{ CTX_DELIVERIES, A_ALL, "All", "all webhooks / only the selected one" },
	{ CTX_DELIVERIES, A_BACK, "Back", "back to the webhook list" },
	{ CTX_DELIVERIES, A_HELP, NULL, "show every key" },
	{ CTX_DELIVERIES, A_MESSAGES, NULL, "the last 200 messages, with their times" },
	{ CTX_DELIVERIES, A_SUSPEND, NULL, "suspend to the shell ('fg' comes back)" },
	{ CTX_DELIVERIES, A_UP, NULL, "newer delivery" },
	{ CTX_DELIVERIES, A_DOWN, NULL, "older delivery" },
	{ CTX_DELIVERIES, A_PGUP, NULL, "a page up" },
	{ CTX_DELIVERIES, A_PGDN, NULL, "a page down" },
	{ CTX_DELIVERIES, A_HOME, NULL, "newest" },
	{ CTX_DELIVERIES, A_END, NULL, "oldest shown" },

	{ CTX_CONFIRM, A_YES, "Yes", "answer yes" },
	{ CTX_CONFIRM, A_NO, "No", "answer no (the default)" },
	{ CTX_CHOICE, A_UP, NULL, "previous choice" },
	{ CTX_CHOICE, A_DOWN, NULL, "next choice" },
	{ CTX_CHOICE, A_HOME, NULL, "the first choice" },
	{ CTX_CHOICE, A_END, NULL, "the last choice" },
	{ CTX_CHOICE, A_PICK, NULL, "take the choice (or its number, 1 to 9)" },
	{ CTX_CHOICE, A_NO, NULL, "cancel" },
	{ CTX_VIEW, A_UP, NULL, "scroll up" },
	{ CTX_VIEW, A_DOWN, NULL, "scroll down" },
	{ CTX_VIEW, A_PGUP, NULL, "a page up" },
	{ CTX_VIEW, A_PGDN, NULL, "a page down" },
	{ CTX_VIEW, A_HOME, NULL, "the top" },
	{ CTX_VIEW, A_END, NULL, "the bottom" },
	{ CTX_VIEW, A_SEARCH, NULL, "search the text" },
	{ CTX_VIEW, A_NEXT_MATCH, NULL, "next match" },
	{ CTX_VIEW, A_PREV_MATCH, NULL, "previous match" },
	{ CTX_VIEW, A_CLOSE, NULL, "close" },
};

/* The keys; an action's first key is the one its bar entry shows. */
static const struct binding bindings[] = {
	{ CTX_LIST, A_HELP, HK_F(1), "F1" },
	{ CTX_LIST, A_HELP, '?', "?" },
	{ CTX_LIST, A_NEW, HK_F(2), "F2" },
	{ CTX_LIST, A_NEW, 'n', "n" },
	{ CTX_LIST, A_EDIT, HK_F(4), "F4" },
	{ CTX_LIST, A_EDIT, 'e', "e" },
	{ CTX_LIST, A_EDIT, HK_ENTER, "Enter" },
	{ CTX_LIST, A_TEST, HK_F(5), "F5" },
	{ CTX_LIST, A_TEST, 't', "t" },
	{ CTX_LIST, A_DELIVERIES, HK_F(6), "F6" },
	{ CTX_LIST, A_DELIVERIES, 'l', "l" },
	{ CTX_LIST, A_FIRE, HK_F(7), "F7" },
	{ CTX_LIST, A_FIRE, 'f', "f" },
	{ CTX_LIST, A_DELETE, HK_F(8), "F8" },
	{ CTX_LIST, A_DELETE, 'd', "d" },
	{ CTX_LIST, A_DELETE, HK_DELETE, "Delete" },
	{ CTX_LIST, A_FILTER, '/', "/" },
	{ CTX_LIST, A_SORT, 's', "s" },
	{ CTX_LIST, A_QUIT, HK_F(10), "F10" },
	{ CTX_LIST, A_QUIT, 'q', "q" },
	{ CTX_LIST, A_QUIT, HK_CTRL('c'), "^C" },
	{ CTX_LIST, A_TOGGLE, ' ', "Space" },
	{ CTX_LIST, A_HOLD, 'H', "H" },
	{ CTX_LIST, A_MESSAGES, 'm', "m" },
	{ CTX_LIST, A_SUSPEND, HK_CTRL('z'), "^Z" },
	{ CTX_LIST, A_UP, HK_UP, "Up" },
	{ CTX_LIST, A_UP, 'k', "k" },
	{ CTX_LIST, A_UP, HK_WHEEL_UP, "wheel" },
	{ CTX_LIST, A_DOWN, HK_DOWN, "Down" },
	{ CTX_LIST, A_DOWN, 'j', "j" },
	{ CTX_LIST, A_DOWN, HK_WHEEL_DOWN, "wheel" },
	{ CTX_LIST, A_PGUP, HK_PGUP, "PgUp" },
	{ CTX_LIST, A_PGDN, HK_PGDN, "PgDn" },
	{ CTX_LIST, A_HOME, HK_HOME, "Home" },
	{ CTX_LIST, A_HOME, 'g', "g" },
	{ CTX_LIST, A_END, HK_END, "End" },
	{ CTX_LIST, A_END, 'G', "G" },

	{ CTX_FORM, A_HELP, HK_F(1), "F1" },
	{ CTX_FORM, A_SAVE, HK_CTRL('s'), "^S" },
	{ CTX_FORM, A_NEXT_FIELD, HK_TAB, "Tab" },
	{ CTX_FORM, A_TEST, HK_CTRL('t'), "^T" },
	{ CTX_FORM, A_PREVIEW, HK_CTRL('p'), "^P" },
	{ CTX_FORM, A_PRESET, HK_CTRL('r'), "^R" },
	{ CTX_FORM, A_EDITOR, HK_AFTER_CTRL_X(HK_CTRL('e')), "^X^E" },
	{ CTX_FORM, A_EDITOR, HK_F(4), "F4" },
	{ CTX_FORM, A_CANCEL, HK_ESC, "Esc" },
	{ CTX_FORM, A_CANCEL, HK_CTRL('c'), "^C" },
	{ CTX_FORM, A_PREV_FIELD, HK_BTAB, "S-Tab" },
	{ CTX_FORM, A_MESSAGES, HK_F(9), "F9" },
	{ CTX_FORM, A_SUSPEND, HK_CTRL('z'), "^Z" },

	{ CTX_FORM_EVENTS, A_UP, HK_UP, "Up" },
	{ CTX_FORM_EVENTS, A_DOWN, HK_DOWN, "Down" },
	{ CTX_FORM_EVENTS, A_CHECK, ' ', "Space" },
	{ CTX_FORM_EVENTS, A_CHECK_ALL, 'a', "a" },
	{ CTX_FORM_CHOICE, A_NEXT_CHOICE, ' ', "Space" },
	{ CTX_FORM_CHOICE, A_NEXT_CHOICE, HK_RIGHT, "Right" },
	{ CTX_FORM_CHOICE, A_PREV_CHOICE, HK_LEFT, "Left" },
	{ CTX_FORM_SECRET, A_GENERATE, 'g', "g" },
	{ CTX_FORM_SECRET, A_ROTATE, 'R', "R" },
	{ CTX_FORM_SECRET, A_REVEAL, 'r', "r" },
	{ CTX_FORM_SECRET, A_REMOVE, 'x', "x" },
	{ CTX_FORM_SECRET, A_REMOVE, HK_DELETE, "Delete" },
	{ CTX_FORM_SECRET, A_REMOVE, HK_BACKSPACE, "Backspace" },
	{ CTX_FORM_HEADERS, A_REVEAL, 'r', "r" },
	{ CTX_FORM_CHECK, A_CHECK, ' ', "Space" },
	{ CTX_FORM_BUTTON, A_PRESS, HK_ENTER, "Enter" },
	{ CTX_FORM_BUTTON, A_PRESS, ' ', "Space" },

	{ CTX_TEXT, A_LINE_START, HK_CTRL('a'), "^A" },
	{ CTX_TEXT, A_LINE_START, HK_HOME, "Home" },
	{ CTX_TEXT, A_LINE_END, HK_CTRL('e'), "^E" },
	{ CTX_TEXT, A_LINE_END, HK_END, "End" },
	{ CTX_TEXT, A_CHAR_LEFT, HK_CTRL('b'), "^B" },
	{ CTX_TEXT, A_CHAR_LEFT, HK_LEFT, "Left" },
	{ CTX_TEXT, A_CHAR_RIGHT, HK_CTRL('f'), "^F" },
	{ CTX_TEXT, A_CHAR_RIGHT, HK_RIGHT, "Right" },
	{ CTX_TEXT, A_WORD_LEFT, HK_ALT('b'), "Alt-B" },
	{ CTX_TEXT, A_WORD_RIGHT, HK_ALT('f'), "Alt-F" },
	{ CTX_TEXT, A_BACKSPACE, HK_BACKSPACE, "Backspace" },
	{ CTX_TEXT, A_DELETE_CHAR, HK_DELETE, "Delete" },
	{ CTX_TEXT, A_DELETE_CHAR, HK_CTRL('d'), "^D" },
	{ CTX_TEXT, A_KILL_END, HK_CTRL('k'), "^K" },
	{ CTX_TEXT, A_KILL_START, HK_CTRL('u'), "^U" },
	{ CTX_TEXT, A_KILL_WORD, HK_CTRL('w'), "^W" },
	{ CTX_TEXT, A_KILL_ALNUM_WORD, HK_ALT_BACKSPACE, "Alt-Backspace" },
	{ CTX_TEXT, A_KILL_NEXT_WORD, HK_ALT('d'), "Alt-D" },
	{ CTX_TEXT, A_YANK, HK_CTRL('y'), "^Y" },
	{ CTX_TEXT, A_UP, HK_UP, "Up" },
	{ CTX_TEXT, A_DOWN, HK_DOWN, "Down" },
	{ CTX_TEXT, A_PGUP, HK_PGUP, "PgUp" },
	{ CTX_TEXT, A_PGDN, HK_PGDN, "PgDn" },
	{ CTX_TEXT, A_NEWLINE, HK_ENTER, "Enter" },

	{ CTX_DELIVERIES, A_OPEN, HK_ENTER, "Enter" },
	{ CTX_DELIVERIES, A_REDELIVER, 'r', "r" },
	{ CTX_DELIVERIES, A_RERENDER, 'R', "R" },
	{ CTX_DELIVERIES, A_ALL, 'a', "a" },
	{ CTX_DELIVERIES, A_BACK, HK_ESC, "Esc" },
	{ CTX_DELIVERIES, A_BACK, 'q', "q" },
	{ CTX_DELIVERIES, A_BACK, HK_CTRL('c'), "^C" },
	{ CTX_DELIVERIES, A_HELP, HK_F(1), "F1" },
	{ CTX_DELIVERIES, A_HELP, '?', "?" },
	{ CTX_DELIVERIES, A_MESSAGES, 'm', "m" },
	{ CTX_DELIVERIES, A_SUSPEND, HK_CTRL('z'), "^Z" },
	{ CTX_DELIVERIES, A_UP, HK_UP, "Up" },
	{ CTX_DELIVERIES, A_UP, 'k', "k" },
	{ CTX_DELIVERIES, A_UP, HK_WHEEL_UP, "wheel" },
	{ CTX_DELIVERIES, A_DOWN, HK_DOWN, "Down" },
	{ CTX_DELIVERIES, A_DOWN, 'j', "j" },
	{ CTX_DELIVERIES, A_DOWN, HK_WHEEL_DOWN, "wheel" },
	{ CTX_DELIVERIES, A_PGUP, HK_PGUP, "PgUp" },
	{ CTX_DELIVERIES, A_PGDN, HK_PGDN, "PgDn" },
	{ CTX_DELIVERIES, A_HOME, HK_HOME, "Home" },
	{ CTX_DELIVERIES, A_HOME, 'g', "g" },
	{ CTX_DELIVERIES, A_END, HK_END, "End" },
	{ CTX_DELIVERIES, A_END, 'G', "G" },

	{ CTX_CONFIRM, A_YES, 'y', "y" },
	{ CTX_CONFIRM, A_YES, 'Y', "Y" },
	{ CTX_CONFIRM, A_NO, 'n', "n" },
	{ CTX_CONFIRM, A_NO, 'N', "N" },
	{ CTX_CONFIRM, A_NO, HK_ENTER, "Enter" },
	{ CTX_CONFIRM, A_NO, HK_ESC, "Esc" },
	{ CTX_CONFIRM, A_NO, HK_CTRL('c'), "^C" },
	{ CTX_CHOICE, A_UP, HK_UP, "Up" },
	{ CTX_CHOICE, A_UP, 'k', "k" },
	{ CTX_CHOICE, A_UP, HK_WHEEL_UP, "wheel" },
	{ CTX_CHOICE, A_DOWN, HK_DOWN, "Down" },
	{ CTX_CHOICE, A_DOWN, 'j', "j" },
	{ CTX_CHOICE, A_DOWN, HK_WHEEL_DOWN, "wheel" },
	{ CTX_CHOICE, A_HOME, HK_HOME, "Home" },
	{ CTX_CHOICE, A_HOME, 'g', "g" },
	{ CTX_CHOICE, A_END, HK_END, "End" },
	{ CTX_CHOICE, A_END, 'G', "G" },
	{ CTX_CHOICE, A_PICK, HK_ENTER, "Enter" },
	{ CTX_CHOICE, A_NO, HK_ESC, "Esc" },
	{ CTX_CHOICE, A_NO, HK_CTRL('c'), "^C" },
	{ CTX_VIEW, A_UP, HK_UP, "Up" },
	{ CTX_VIEW, A_UP, 'k', "k" },
	{ CTX_VIEW, A_UP, HK_WHEEL_UP, "wheel" },
	{ CTX_VIEW, A_DOWN, HK_DOWN, "Down" },
	{ CTX_VIEW, A_DOWN, 'j', "j" },
	{ CTX_VIEW, A_DOWN, HK_WHEEL_DOWN, "wheel" },
	{ CTX_VIEW, A_PGUP, HK_PGUP, "PgUp" },
	{ CTX_VIEW, A_PGUP, 'b', "b" },
	{ CTX_VIEW, A_PGDN, HK_PGDN, "PgDn" },
	{ CTX_VIEW, A_PGDN, ' ', "Space" },
	{ CTX_VIEW, A_HOME, HK_HOME, "Home" },
	{ CTX_VIEW, A_HOME, 'g', "g" },
	{ CTX_VIEW, A_END, HK_END, "End" },
	{ CTX_VIEW, A_END, 'G', "G" },
	{ CTX_VIEW, A_SEARCH, '/', "/" },
	{ CTX_VIEW, A_NEXT_MATCH, 'n', "n" },
	{ CTX_VIEW, A_PREV_MATCH, 'N', "N" },
	{ CTX_VIEW, A_CLOSE, HK_ESC, "Esc" },
	{ CTX_VIEW, A_CLOSE, 'q', "q" },
	{ CTX_VIEW, A_CLOSE, HK_ENTER, "Enter" },
	{ CTX_VIEW, A_CLOSE, HK_CTRL('c'), "^C" },
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

enum action keys_action(enum context ctx, int key)
{
	size_t i;

	for (i = 0; i < COUNT(bindings); i++)
		if (bindings[i].ctx == ctx && bindings[i].key == key)
			return bindings[i].act;
	return A_NONE;
}

const struct binding *keys_bindings(size_t *n)
{
	*n = COUNT(bindings);
	return bindings;
}

const struct action_help *keys_actions(size_t *n)
{
	*n = COUNT(actions);
	return actions;
}

size_t keys_bar(enum context ctx, struct bar_item *out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < COUNT(actions) && n < max; i++) {
		if (actions[i].ctx != ctx || !actions[i].bar)
			continue;
		for (j = 0; j < COUNT(bindings); j++)
			if (bindings[j].ctx == ctx && bindings[j].act == actions[i].act)
				break;
		if (j < COUNT(bindings))
			out[n++] = (struct bar_item){ bindings[j].keyname, actions[i].bar };
	}
	return n;
}

static const char *const context_names[CTX_COUNT] = {
	[CTX_LIST] = "In the list",
	[CTX_FORM] = "In the form",
	[CTX_FORM_EVENTS] = "In the form's Events",
	[CTX_FORM_CHOICE] = "In the form's Formatting",
	[CTX_FORM_SECRET] = "In the form's Secret",
	[CTX_FORM_HEADERS] = "In the form's Headers",
	[CTX_FORM_CHECK] = "On a check box",
	[CTX_FORM_BUTTON] = "On a button",
	[CTX_TEXT] = "In a text field (Name, URL, Payload, Headers, Timeout, Rate, Retries, Coalesce, the list's filter)",
	[CTX_DELIVERIES] = "In the deliveries",
	[CTX_CONFIRM] = "In a question",
	[CTX_CHOICE] = "In a choice",
	[CTX_VIEW] = "In a text view (a delivery, a preview, this help)",
};

void keys_help(struct sbuf *out, enum context first)
{
	struct sbuf names;
	size_t i, j;
	int k, ctx;

	/* The screen's own keys first, then the others in table order. */
	for (k = 0; k < CTX_COUNT; k++) {
		ctx = ((int)first + k) % CTX_COUNT;
		sbuf_appendf(out, "%s%s\n", k ? "\n" : "", context_names[ctx]);
		for (i = 0; i < COUNT(actions); i++) {
			if ((int)actions[i].ctx != ctx)
				continue;
			sbuf_init(&names);
			for (j = 0; j < COUNT(bindings); j++)
				if (bindings[j].ctx == actions[i].ctx && bindings[j].act == actions[i].act)
					sbuf_appendf(&names, "%s%s", names.len ? ", " : "", bindings[j].keyname);
			sbuf_appendf(out, "  %-16s %s\n", sbuf_text(&names), actions[i].help);
			sbuf_release(&names);
		}
	}
}

/* Text as a man page line: a backslash escaped, a leading dot or quote
 * kept from being read as a request. */
static void troff(struct sbuf *out, const char *text)
{
	if (*text == '.' || *text == '\'')
		sbuf_append(out, "\\&");
	for (; *text; text++)
		if (*text == '\\')
			sbuf_append(out, "\\e");
		else
			sbuf_appendn(out, text, 1);
}

void keys_man(struct sbuf *out)
{
	size_t i, j;
	int ctx, n;

	for (ctx = 0; ctx < CTX_COUNT; ctx++) {
		sbuf_append(out, ".SS ");
		troff(out, context_names[ctx]);
		sbuf_append(out, "\n");
		for (i = 0; i < COUNT(actions); i++) {
			if ((int)actions[i].ctx != ctx)
				continue;
			sbuf_append(out, ".TP\n.B ");
			for (j = 0, n = 0; j < COUNT(bindings); j++)
				if (bindings[j].ctx == actions[i].ctx && bindings[j].act == actions[i].act) {
					sbuf_append(out, n++ ? ", " : "");
					troff(out, bindings[j].keyname);
				}
			sbuf_append(out, "\n");
			troff(out, actions[i].help);
			sbuf_append(out, "\n");
		}
	}
}
