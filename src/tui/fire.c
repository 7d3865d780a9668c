#include "fire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "event.h"
#include "external.h"
#include "fanout.h"
#include "jsonsyntax.h"
#include "utf8.h"
#include "sbuf.h"
#include "screens.h"
#include "ui.h"

void fire_init(struct fire *f)
{
	f->type = -1;
	f->data = NULL;
	f->draft = NULL;
}

void fire_free(struct fire *f)
{
	json_decref(f->data);
	free(f->draft);
	fire_init(f);
}

int fire_owns(int tag)
{
	return tag == FIRE_ASK_TYPE || tag == FIRE_ASK_GO;
}

void fire_begin(struct fire *f, struct ui *ui, struct screen *owner)
{
	size_t i;

	(void)f;
	ui_ask(ui, owner, DIALOG_CHOICE, FIRE_ASK_TYPE, "Fire which event? (Enter picks, Esc cancels)", "");
	for (i = 0; i < catalog_count(ui->cat); i++)
		dialog_add_choice(&ui->dlg, catalog_event(ui->cat, i)->label);
}

static void confirm(struct fire *f, struct ui *ui, struct screen *owner)
{
	const struct catalog_event *ce = catalog_event(ui->cat, (size_t)f->type);
	char *data = json_dumps(f->data, JSON_INDENT(2)), err[ERR_MAX];
	long long n = 0;
	struct sbuf text;

	sbuf_init(&text);
	sbuf_appendf(&text, "Fire %s (%s)?\n", ce->label, ce->id);
	if (fanout_subscribers(ui->st, ce->id, &n, err) < 0)
		sbuf_appendf(&text, "(%s)\n", err);
	else if (n == 0)
		sbuf_append(&text, "No enabled webhook is subscribed to it: it is recorded, nothing is sent.\n");
	else
		sbuf_appendf(&text, "It goes to the %lld enabled webhook%s subscribed to it.\n", n, n == 1 ? "" : "s");
	sbuf_appendf(&text, "\nData:\n%s\n\ny  fire       e  edit the data in $EDITOR       n  cancel (default)",
		     data ? data : "{}");
	free(data);
	ui_ask(ui, owner, DIALOG_CONFIRM, FIRE_ASK_GO, "Fire an event",
	       text.failed ? "Fire it? (out of memory describing it)" : sbuf_text(&text));
	ui->dlg.extra_key = 'e';
	sbuf_release(&text);
}

static void pick(struct fire *f, struct ui *ui, struct screen *owner, long index)
{
	char err[ERR_MAX];
	json_t *sample = catalog_sample(ui->cat, catalog_event(ui->cat, (size_t)index)->id, err);

	json_decref(f->data);
	f->data = sample ? json_deep_copy(json_object_get(sample, "data")) : NULL;
	json_decref(sample);
	free(f->draft);
	f->draft = NULL;
	if (!f->data) {
		ui_say(ui, C_BAD, "%s", err);
		return;
	}
	f->type = index;
	confirm(f, ui, owner);
}

/* Why edited data cannot be fired, in the payload check's words. */
static void say_not_object(struct ui *ui, const char *text, json_t *j)
{
	struct jsonsyntax_error e;
	struct jsonsyntax_pos at;
	size_t bad;

	e.at_end = 0;
	if (j)
		ui_say(ui, C_BAD, "the data must be a JSON object ({…}), not %s; nothing fired (e edits your text again)",
		       json_is_array(j) ? "an array" : "a single value");
	else if (utf8_check(text, strlen(text), &bad) < 0)
		ui_say(ui, C_BAD, "the data is not UTF-8 (byte %zu); nothing fired (e edits your text again)", bad);
	else if (jsonsyntax_check(text, strlen(text), &e) < 0 && !e.at_end) {
		jsonsyntax_position(text, e.offset, &at);
		ui_say(ui, C_BAD, "the data is not JSON: %s on line %d, column %d%s%s; nothing fired (e edits your text "
		       "again)", e.head, at.line, at.column, e.tail[0] ? " " : "", e.tail);
	} else if (e.at_end) {
		ui_say(ui, C_BAD, "the data is not JSON: %s%s%s; nothing fired (e edits your text again)", e.head,
		       e.tail[0] ? " " : "", e.tail);
	} else {
		ui_say(ui, C_BAD, "the data is not JSON (or not UTF-8); nothing fired (e edits your text again)");
	}
}

static void edit(struct fire *f, struct ui *ui, struct screen *owner)
{
	char err[ERR_MAX], *text = f->draft ? strdup(f->draft) : json_dumps(f->data, JSON_INDENT(2)), *edited;
	json_t *j;

	if (!text) {
		ui_say(ui, C_BAD, "out of memory editing the data");
		return;
	}
	edited = external_edit(text, ".json", err);
	free(text);
	if (!edited) {
		ui_say(ui, C_BAD, "%s", err);
		return;
	}
	j = json_loads(edited, 0, NULL);
	if (!json_is_object(j)) {
		say_not_object(ui, edited, j);
		json_decref(j);
		free(f->draft);
		f->draft = edited;
		confirm(f, ui, owner);
		return;
	}
	free(edited);
	free(f->draft);
	f->draft = NULL;
	json_decref(f->data);
	f->data = j;
	confirm(f, ui, owner);
}

static struct reaction fire_now(struct fire *f, struct ui *ui)
{
	const struct catalog_event *ce = catalog_event(ui->cat, (size_t)f->type);
	struct fanout_result res;
	struct event ev;
	const char *store_error;
	char err[ERR_MAX];
	struct reaction r = REACT(R_RELOAD);

	if (audit_check_fire(ce->id, err) < 0 ||
	    event_init(&ev, ui->cat, ce->id, NULL, json_incref(f->data), err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		return r;
	}
	if (fanout_fire(ui->st, &ev, &res, err) < 0) {
		event_clear(&ev);
		ui_say(ui, C_BAD, "%s", err);
		return r;
	}
	store_error = ui_wake(ui);
	if (store_error)
		ui_say(ui, C_BAD, "fired %s (%s): %zu deliver%s queued, but the sender reports a STORE ERROR: %s",
		       ev.uid, ev.type, res.deliveries, res.deliveries == 1 ? "y" : "ies", store_error);
	else if (res.dropped)
		ui_say(ui, C_WARN, "fired %s (%s): %zu deliver%s queued, %zu dropped (held with drop)", ev.uid,
		       ev.type, res.deliveries, res.deliveries == 1 ? "y" : "ies", res.dropped);
	else
		ui_say(ui, C_OK, "fired %s (%s): %zu deliver%s queued", ev.uid, ev.type, res.deliveries,
		       res.deliveries == 1 ? "y" : "ies");
	event_clear(&ev);
	r.open = screen_deliveries_new(ui, NULL);
	if (r.open)
		r.flags |= R_OPEN;
	return r;
}

struct reaction fire_answer(struct fire *f, struct ui *ui, struct screen *owner, int tag, int value)
{
	if (tag == FIRE_ASK_TYPE && value >= 0)
		pick(f, ui, owner, value);
	else if (tag == FIRE_ASK_GO && value == 1)
		return fire_now(f, ui);
	else if (tag == FIRE_ASK_GO && value == 2)
		edit(f, ui, owner);
	return REACT(R_REDRAW);
}
