/* hookman's record of its own changes. Every change to a webhook made
 * through a store an audit is attached to is recorded, and fired as an
 * audit.create / audit.update / audit.delete event to the webhooks
 * subscribed to it, in the transaction of the change: a refused change
 * records and fires nothing. Opening and closing the interface, exports
 * with secrets and schema upgrades are recorded the same way. */
#ifndef HOOKMAN_AUDIT_H
#define HOOKMAN_AUDIT_H

#include <stddef.h>

#include "actor.h"
#include "catalog.h"
#include "store.h"

struct audit {
	struct store *st;
	const char *datadir;    /* where the catalog is read when first needed */
	struct catalog *cat;    /* owned, NULL until then */
	struct actor who;
	size_t queued;          /* deliveries the audit events queued: the front end wakes the sender */
};

/* Attach a to st (both must outlive the attachment) for a front end
 * reached through via ("cli", "tui", "hookmand"; actor.h). Records an
 * upgrade this open of st made (store_upgraded_from), and fires the
 * audit events still waiting to be fired (an upgrade recorded where the
 * catalog could not be read). 0, or -1 with err: a must be detached
 * then too. */
int audit_attach(struct audit *a, struct store *st, const char *datadir, const char *via, char *err);

/* Stop observing st and free the catalog. */
void audit_detach(struct audit *a);

/* Record an action that changes no webhook ("login", "logout",
 * "download"), described by the phrase fmt makes ("opened the
 * interface"), about webhook (NULL: none), in its own transaction. 0 or
 * -1 with err. */
int audit_record(struct audit *a, const char *action, const char *webhook, char *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* One entry of the record. */
struct audit_entry {
	long long id;
	long long at;           /* unix ms */
	char *uid;              /* "aud_…", the events' audit_id */
	char *action;           /* "create", "update", … */
	char *webhook;          /* NULL when about none */
	char *via;
	char *data;             /* the event data, JSON: who, object, changes */
};

/* The entries since since_ms (0: all) about webhook (NULL: all): the
 * webhook of that name now and any webhook that had that name (any
 * case), under each of its names, deleted or not. Oldest first, at
 * most limit of the newest (0: all). *out is an array the caller
 * releases with audit_list_free. 0 or -1 with err. */
int audit_list(struct store *st, long long since_ms, const char *webhook, size_t limit,
	       struct audit_entry **out, size_t *n, char *err);
void audit_list_free(struct audit_entry *list, size_t n);

#endif
