/* add and edit: say, never refuse, when a webhook's URL names a service
 * whose shape its rendered body does not have. */
#ifndef HOOKMAN_DESTWARN_H
#define HOOKMAN_DESTWARN_H

#include "cli.h"
#include "webhook.h"

/* Each destination warning for wh as "hookman: CMD: warning: ..." on
 * standard error (nothing when its URL names no known service). */
void destwarn_webhook(struct cli *c, const struct webhook *wh);

#endif
