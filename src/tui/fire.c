/* Firing an event from the interface: pick, look at or edit the data, fire. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "control.h"
#include "datadir.h"
#include "external.h"
#include "fanout.h"
#include "history.h"
#include "mask.h"
#include "sbuf.h"
#include "utf8.h"

void fire_ask_type(struct app *a)
{
	size_t i;

	dialog_open(&a->dlg, DIALOG_CHOICE, ASK_FIRE_TYPE, "Fire which event? (Enter picks, Esc cancels)", "");
	for (i = 0; i < catalog_count(a->cat) && i < DIALOG_CHOICES; i++)
		a->dlg.choices[i] = catalog_event(a->cat, i)->title;
	a->dlg.nchoices = i;
}

void fire_ask(struct app *a)
{
	const struct catalog_event *ce = catalog_event(a->cat, (size_t)a->fire_type);
	char *data = json_dumps(a->fire_data, JSON_INDENT(2)), err[ERR_MAX];
	long long n = 0;
	struct sbuf text;

	sbuf_init(&text);
	sbuf_appendf(&text, "Fire %s (%s)?\n", ce->title, ce->id);
	if (fanout_subscribers(a->st, ce->id, &n, err) < 0)
		sbuf_appendf(&text, "(%s)\n", err);
	else if (n == 0)
		sbuf_append(&text, "No enabled webhook is subscribed to it: it is recorded, nothing is sent.\n");
	else
		sbuf_appendf(&text, "It goes to the %lld enabled webhook%s subscribed to it.\n", n, n == 1 ? "" : "s");
	sbuf_appendf(&text, "\nData:\n%s\n\ny  fire       e  edit the data in $EDITOR       n  cancel (default)",
		     data ? data : "{}");
	free(data);
	dialog_open(&a->dlg, DIALOG_CONFIRM, ASK_FIRE, "Fire an event",
		    text.failed ? "Fire it? (out of memory describing it)" : sbuf_text(&text));
	sbuf_release(&text);
	a->dlg.extra_key = 'e';
}

void fire_now(struct app *a)
{
	const struct catalog_event *ce = catalog_event(a->cat, (size_t)a->fire_type);
	struct fanout_result res;
	struct event ev;
	struct sbuf msg;
	const char *store_error;
	char err[ERR_MAX];

	if (event_init(&ev, a->cat, ce->id, NULL, json_incref(a->fire_data), err) < 0 ||
	    fanout_fire(a->st, &ev, &res, err) < 0) {
		app_flash(a, C_BAD, err);
		return;
	}
	sbuf_init(&msg);
	sbuf_appendf(&msg, "fired %s (%s): %zu deliver%s queued", ev.uid, ev.type, res.deliveries,
		     res.deliveries == 1 ? "y" : "ies");
	event_clear(&ev);
	store_error = app_wake(a);
	deliveries_open(a, NULL);
	if (store_error)
		sbuf_appendf(&msg, ", but the sender reports a STORE ERROR: %s", store_error);
	app_flash(a, store_error ? C_BAD : C_OK, msg.failed ? "fired; out of memory describing it" : sbuf_text(&msg));
	sbuf_release(&msg);
}
