/* hookman's record of its own changes. Every change to a webhook made
 * through a store an audit is attached to is recorded, and fired as an
 * audit.create / audit.update / audit.delete event to the webhooks
 * subscribed to it, in the transaction of the change: a refused change
 * records and fires nothing. Holds set and ended (audit.update), opening
 * and closing the interface, secrets shown or exported (show --reveal,
 * r in the form, export --with-secrets: audit.download) and schema
 * upgrades are recorded the same way. */
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
 * "download", a hold), described by the phrase fmt makes ("opened the
 * interface"), about wh (NULL: none; its name and id are kept), in its
 * own transaction. 0 or -1 with err. */
int audit_record(struct audit *a, const char *action, const struct webhook *wh, char *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Refuse to fire by hand an event type hookman fires itself for its
 * record (audit.create, update, delete, login, logout, download,
 * upgrade): a receiver could not tell such a forgery from the real one.
 * 0 for any other type; -1 with err (ERR_INVALID) saying what to use
 * instead ('hookman test NAME --event TYPE'). */
int audit_check_fire(const char *type, char *err);

/* One entry of the record. */
struct audit_entry {
	long long id;
	long long at;           /* unix ms */
	const char *uid;        /* "aud_…", the events' audit_id */
	const char *action;     /* "create", "update", … */
	const char *webhook;    /* NULL when about none */
	const char *via;
	const char *data;       /* the event data, JSON: who, object, changes */
};

/* Called for each entry; its texts are valid during the call only. A -1
 * stops the walk (audit_each then returns -1, err as fn left it). */
typedef int (*audit_entry_fn)(void *ctx, const struct audit_entry *e, char *err);

/* The entries since since_ms (0: all) about webhook (NULL: all): the
 * webhook of that name now and any webhook that had that name (any
 * case), under each of its names, deleted or not. Oldest first, at most
 * limit of the newest (0: all), one at a time, so that a long record is
 * listed in constant memory. 0 or -1 with err. */
int audit_each(struct store *st, long long since_ms, const char *webhook, size_t limit, audit_entry_fn fn,
	       void *ctx, char *err);

#endif
