/* Keys and actions: one table maps keys to actions per context and feeds
 * the function bar and the help screen. No curses here: the terminal
 * layer turns its key codes into these. */
#ifndef HOOKMAN_KEYS_H
#define HOOKMAN_KEYS_H

#include <stddef.h>

/* Key codes: printable code points as themselves, the rest from here. */
enum {
	HK_ENTER = 0x110000, HK_ESC, HK_TAB, HK_BTAB, HK_UP, HK_DOWN, HK_LEFT, HK_RIGHT,
	HK_HOME, HK_END, HK_PGUP, HK_PGDN, HK_BACKSPACE, HK_DELETE, HK_RESIZE,
	HK_PASTE_BEGIN, HK_PASTE_END,   /* a bracketed paste's marks (ESC [200~, ESC [201~) */
	HK_CLICK,                       /* mouse button 1; term_mouse_at tells where */
	HK_WHEEL_UP, HK_WHEEL_DOWN,     /* the mouse wheel */
	HK_F0 = 0x110100,
	HK_ALT0 = 0x110200              /* Alt (or Esc then quickly) + an ASCII key */
};
#define HK_F(n) (HK_F0 + (n))
#define HK_CTRL(c) ((c) & 0x1f)
#define HK_ALT(c) (HK_ALT0 + (c))
#define HK_ALT_BACKSPACE HK_ALT(127)    /* ESC DEL (or ESC ^H) */

/* Ctrl-X then k: the second key of a two-key binding (bash's Ctrl-X
 * Ctrl-E). A screen that reads Ctrl-X combines it with the next key. */
#define HK_AFTER_CTRL_X(k) (HK_CX0 + (k))
enum { HK_CX0 = 0x120000 };

/* Where a key is read: each context has its own bindings. The form's
 * fields each have one; CTX_TEXT is every text field (and the list's
 * filter); a dialog is a question, a choice or a text view. */
enum context {
	CTX_LIST, CTX_FORM, CTX_FORM_EVENTS, CTX_FORM_CHOICE, CTX_FORM_SECRET, CTX_FORM_HEADERS,
	CTX_FORM_CHECK, CTX_FORM_BUTTON, CTX_TEXT, CTX_DELIVERIES, CTX_CONFIRM, CTX_CHOICE, CTX_VIEW,
	CTX_COUNT
};

enum action {
	A_NONE,
	/* list */
	A_NEW, A_EDIT, A_DELETE, A_TEST, A_DELIVERIES, A_FIRE, A_TOGGLE, A_HOLD, A_FILTER, A_SORT, A_QUIT,
	/* everywhere */
	A_HELP, A_MESSAGES, A_SUSPEND,
	A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END,
	/* form */
	A_NEXT_FIELD, A_PREV_FIELD, A_SAVE, A_CANCEL, A_PREVIEW, A_PRESET, A_EDITOR,
	A_CHECK, A_CHECK_ALL, A_NEXT_CHOICE, A_PREV_CHOICE, A_GENERATE, A_REVEAL, A_REMOVE, A_PRESS,
	A_ROTATE,
	/* text fields, as readline */
	A_LINE_START, A_LINE_END, A_CHAR_LEFT, A_CHAR_RIGHT, A_WORD_LEFT, A_WORD_RIGHT,
	A_KILL_END, A_KILL_START, A_KILL_WORD, A_KILL_ALNUM_WORD, A_KILL_NEXT_WORD, A_YANK,
	A_DELETE_CHAR, A_BACKSPACE, A_NEWLINE,
	/* deliveries */
	A_OPEN, A_REDELIVER, A_ALL, A_BACK,
	A_RERENDER,
	/* dialogs */
	A_YES, A_NO, A_PICK, A_SEARCH, A_NEXT_MATCH, A_PREV_MATCH, A_CLOSE,
	A_COUNT
};

/* A key bound to an action in a context, with its name as help shows it. */
struct binding {
	enum context ctx;
	enum action act;
	int key;
	const char *keyname;
};

/* What an action does in a context: said once, whatever its keys. */
struct action_help {
	enum context ctx;
	enum action act;
	const char *bar;       /* label in the function bar, or NULL */
	const char *help;
};

/* The action for key in ctx, or A_NONE. */
enum action keys_action(enum context ctx, int key);

/* The whole tables, for tests. */
const struct binding *keys_bindings(size_t *n);
const struct action_help *keys_actions(size_t *n);

/* One entry of the function bar: the first key of an action that has a
 * bar label. */
struct bar_item {
	const char *keyname, *label;
};

/* The function bar of ctx, htop style, in the table's order: at most max
 * items into out; returns how many. */
size_t keys_bar(enum context ctx, struct bar_item *out, size_t max);

/* The help screen: every context with each action on one line, its keys
 * joined ("F2, n  add a webhook"), appended to out, from context first
 * on (the screen's own keys at the top). */
struct sbuf;
void keys_help(struct sbuf *out, enum context first);

/* The same as man page text (.SS a context, .TP an action), which
 * doc/hookman.1's KEYS section holds verbatim (a test checks it). */
void keys_man(struct sbuf *out);

#endif
