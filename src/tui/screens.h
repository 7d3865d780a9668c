/* The screens a screen may open: their constructors and nothing else.
 * Each returns a new screen (the loop owns and frees it), or NULL with
 * a message said through ui when it cannot open. */
#ifndef HOOKMAN_SCREENS_H
#define HOOKMAN_SCREENS_H

#include "screen.h"

struct webhook;

/* The webhook list. */
struct screen *screen_list_new(struct ui *ui);

/* The New (wh NULL) or Edit form. */
struct screen *screen_form_new(struct ui *ui, const struct webhook *wh);

/* Deliveries of the webhook named webhook (NULL: of all), newest first. */
struct screen *screen_deliveries_new(struct ui *ui, const char *webhook);

#endif
