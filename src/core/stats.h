/* What the store says about the queue, for status displays. */
#ifndef HOOKMAN_STATS_H
#define HOOKMAN_STATS_H

#include <jansson.h>

#include "store.h"

/* Add to obj, as status's reply has them (control_proto.h): "queue" and
 * "tests": {pending, inflight, failed, dead, delivered}, and "failing":
 * [{name, since, enabled, reason, last_error}] for webhooks whose
 * deliveries fail or that the sender disabled. 0 or -1 with err. */
int stats_queue(struct store *st, json_t *obj, char *err);

#endif
