/* A screen of the interface (the list, a form, the deliveries), after
 * tig's view_ops and htop's HandlerResult: each screen owns its state
 * and draws itself; a key handler says what the loop should do next by
 * reaction flags, and a dialog's answer goes back to the screen that
 * asked. Screens are stacked: the list at the bottom, what it opened on
 * top. The loop (app.c) is the only code that walks the stack. */
#ifndef HOOKMAN_SCREEN_H
#define HOOKMAN_SCREEN_H

#include <stddef.h>

#include "keys.h"

struct ui;
struct screen;

enum {
	R_REDRAW = 1,    /* draw again (the loop draws after every key anyway) */
	R_RELOAD = 2,    /* read the store again, then draw */
	R_QUIT = 4,      /* leave the interface */
	R_OPEN = 8,      /* put the reaction's screen on top */
	R_CLOSE = 16     /* take this screen off; the one below reloads */
};

struct reaction {
	unsigned flags;
	struct screen *open;   /* with R_OPEN: the new screen (the loop owns it) */
};

#define REACT(f) ((struct reaction){ (f), NULL })

struct screen_ops {
	const char *name;
	int min_cols, min_rows;     /* below this the loop says the terminal is too small */
	/* Draw the whole screen (the loop draws the dialog on top). */
	void (*draw)(struct screen *s, struct ui *ui);
	/* A key (keys.h code) while no dialog is open. */
	struct reaction (*key)(struct screen *s, struct ui *ui, int key);
	/* The answer to a dialog this screen opened (dialog.h values). */
	struct reaction (*answer)(struct screen *s, struct ui *ui, int tag, int value);
	/* Read the store again: another process changed it, or a screen
	 * above closed. May be NULL. */
	void (*reload)(struct screen *s, struct ui *ui);
	/* Called when no key came (every 100 ms while ui->busy, else once a
	 * second): background work such as a test send's answer. May be NULL. */
	struct reaction (*tick)(struct screen *s, struct ui *ui);
	/* The text field that takes typed text now: 0 none, 1 one line, 2
	 * several lines (a paste keeps its line breaks). May be NULL. */
	int (*text_mode)(struct screen *s);
	/* Type or paste text into that field, all or nothing; 0, or -1 when
	 * refused (the screen says why). */
	int (*type)(struct screen *s, struct ui *ui, const char *text, size_t n);
	/* A paste of total bytes was refused as a whole. */
	void (*refuse_paste)(struct screen *s, struct ui *ui, size_t total);
	void (*free)(struct screen *s);
};

struct screen {
	const struct screen_ops *ops;
	struct screen *below;     /* the stack, kept by the loop */
};

#endif
