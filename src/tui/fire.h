/* Firing an event from the interface: pick the type, look at or edit its
 * data in $EDITOR, confirm with the number of webhooks that get it, fire.
 * The screen that starts it passes the answers of its dialogs on. */
#ifndef HOOKMAN_FIRE_H
#define HOOKMAN_FIRE_H

#include <jansson.h>

#include "screen.h"

struct ui;

/* Tags of its dialogs. */
enum { FIRE_ASK_TYPE = 100, FIRE_ASK_GO };

struct fire {
	long type;          /* catalog index chosen */
	json_t *data;       /* its data: the sample's, or edited */
	char *draft;        /* an edit that was not JSON, edited again next (owned) */
};

void fire_init(struct fire *f);
void fire_free(struct fire *f);

/* Ask which event to fire. */
void fire_begin(struct fire *f, struct ui *ui, struct screen *owner);

/* Whether tag is one of fire's. */
int fire_owns(int tag);

/* The answer to one of its dialogs; after firing it opens the
 * deliveries of all webhooks (R_OPEN). */
struct reaction fire_answer(struct fire *f, struct ui *ui, struct screen *owner, int tag, int value);

#endif
