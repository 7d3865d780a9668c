/* Pasted text, gathered whole and typed all or nothing: a paste that
 * would pass a field's limit leaves the field exactly as it was. */
#ifndef HOOKMAN_PASTE_H
#define HOOKMAN_PASTE_H

#include <stddef.h>

struct screen;
struct ui;

struct paste {
	size_t refused;                 /* bytes of a paste refused so far */
	long long refused_until;        /* until then, what follows belongs to it */
};

/* A paste the terminal marked (bracketed paste): read everything up to
 * its end mark, however it arrives, and type it into the screen's field. */
void paste_marked(struct paste *p, struct screen *s, struct ui *ui);

/* Keys that arrive together (key first) are a paste the terminal did not
 * mark: gather them until the input pauses and type them as one text. A
 * paste that was refused refuses what follows it closely too, so no piece
 * of it is inserted after a piece that was not. Returns the key that
 * ended it (to be handled next), 0 when none did, -1 when a terminating
 * signal came. */
int paste_burst(struct paste *p, struct screen *s, struct ui *ui, int key);

#endif
