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

enum context { CTX_LIST, CTX_FORM, CTX_DELIVERIES, CTX_DIALOG, CTX_COUNT };

enum action {
	A_NONE,
	/* list */
	A_NEW, A_EDIT, A_DELETE, A_TEST, A_DELIVERIES, A_FIRE, A_TOGGLE, A_FILTER, A_HELP, A_QUIT,
	A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END,
	/* form */
	A_NEXT_FIELD, A_PREV_FIELD, A_SAVE, A_CANCEL, A_PREVIEW, A_PRESET, A_EDITOR,
	/* deliveries */
	A_OPEN, A_REDELIVER, A_ALL, A_BACK,
	/* dialogs */
	A_YES, A_NO,
	/* everywhere */
	A_SUSPEND,
	A_COUNT
};

struct binding {
	enum context ctx;
	int key;
	enum action act;
	const char *keyname;   /* as the help screen shows it */
	const char *bar;       /* label in the function bar, or NULL */
	const char *help;      /* what it does */
};

/* The action for key in ctx, or A_NONE. */
enum action keys_action(enum context ctx, int key);

/* The whole table, for the help screen and the function bar. */
const struct binding *keys_table(size_t *n);

/* The function bar for ctx, htop style: "F1Help  F2New  …" with the key
 * names and labels of the bindings that have a bar label. Caller frees;
 * NULL when memory ran out. */
char *keys_bar(enum context ctx);

#endif
