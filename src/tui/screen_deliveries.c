/* Deliveries, newest first, live: of one webhook or of all, new ones
 * arriving at the top with the selection kept on its delivery; Enter
 * opens one with every attempt, r sends it again, R sends it with the
 * body its webhook's current payload gives (after showing the
 * difference). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "draw.h"
#include "duration.h"
#include "history.h"
#include "listview.h"
#include "rerender.h"
#include "sbuf.h"
#include "screens.h"
#include "spark.h"
#include "textdiff.h"
#include "timefmt.h"
#include "ui.h"

#define SHOWN_MAX 500

struct deliveries_screen {
	struct screen base;
	struct ui *ui;
	char *webhook;              /* deliveries of this webhook; NULL: of all */
	json_t *rows;               /* shown, newest first */
	size_t sel, top;
	struct activity_bucket hours[ACTIVITY_HOURS];   /* the strip: attempts per hour */
	struct activity_latency latency;                /* of the last LATENCY_OF answers */
	long long redeliver_id;     /* the delivery the question is about */
	char *rerender_now;         /* R: the body shown as what would be sent (owned) */
	char *rerender_diff;        /* R: the whole diff, for v (owned) */
};

enum { ASK_REDELIVER = 1, ASK_RERENDER };

#define LATENCY_OF 100
#define TOP 3                       /* the first row of deliveries */

#define DLV(s) ((struct deliveries_screen *)(s))

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static long long jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* The strip and the latency; on a read error they show nothing. */
static void load_activity(struct deliveries_screen *d, struct ui *ui)
{
	struct webhook wh;
	long long id = 0;
	char err[ERR_MAX];

	memset(d->hours, 0, sizeof d->hours);
	memset(&d->latency, 0, sizeof d->latency);
	if (d->webhook) {
		if (store_webhook_get(ui->st, d->webhook, &wh, err) < 0)
			return;
		id = wh.id;
		webhook_clear(&wh);
	}
	activity_hourly(ui->st, id, ui_now_ms(), d->hours, err);
	activity_latency(ui->st, id, LATENCY_OF, &d->latency, err);
}

/* New deliveries arrive at the top while the screen follows: the
 * selection stays on the delivery it was on (by id), and on the same line
 * of the screen, so that the row under the cursor is the one r and Enter
 * act on. One that is gone (pruned) leaves the selection at its place. */
static void keep_selection(struct deliveries_screen *d, json_t *rows)
{
	long long id = jint(json_array_get(d->rows, d->sel), "id");
	size_t i;

	if (!id)
		return;
	for (i = 0; i < json_array_size(rows); i++)
		if (jint(json_array_get(rows, i), "id") == id) {
			if (i >= d->sel)
				d->top += i - d->sel;
			else
				d->top -= d->sel - i < d->top ? d->sel - i : d->top;
			d->sel = i;
			return;
		}
}

static void deliveries_reload(struct screen *s, struct ui *ui)
{
	struct deliveries_screen *d = DLV(s);
	json_t *rows = NULL;
	char err[ERR_MAX];

	if (history_list(ui->st, d->webhook, NULL, SHOWN_MAX, &rows, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		return;
	}
	keep_selection(d, rows);
	json_decref(d->rows);
	d->rows = rows;
	if (d->sel >= json_array_size(rows))
		d->sel = json_array_size(rows) ? json_array_size(rows) - 1 : 0;
	load_activity(d, ui);
}

/* The state as the operator reads it: "held" for a disabled webhook. */
static const char *state_of(json_t *row)
{
	return json_is_string(json_object_get(row, "held")) ? "held" : jstr(row, "state");
}

static enum color state_color(const char *state)
{
	if (strcmp(state, "delivered") == 0)
		return C_OK;
	if (strcmp(state, "dead") == 0)
		return C_BAD;
	if (strcmp(state, "failed") == 0 || strcmp(state, "held") == 0)
		return C_WARN;
	return C_NORMAL;
}

/* "×3 500, retry in 4m12s", "×1 200", "×8 error, gave up", "due now";
 * a test send says so first. */
static void progress_text(json_t *row, long long now, struct sbuf *out)
{
	const char *state = state_of(row);
	json_t *ls = json_object_get(row, "last_status");
	long long attempts = jint(row, "attempts"), next = jint(row, "next_attempt_at");

	if (json_is_true(json_object_get(row, "test")))
		sbuf_append(out, "test ");
	if (attempts) {
		sbuf_appendf(out, "×%lld ", attempts);
		if (json_is_integer(ls))
			sbuf_appendf(out, "%lld", (long long)json_integer_value(ls));
		else
			sbuf_append(out, "error");
	}
	if (strcmp(state, "held") == 0) {
		sbuf_append(out, attempts ? "" : strcmp(jstr(row, "held_by"), "hold") == 0 ? "waits for release" :
			    "waits for enable");
	} else if (strcmp(state, "failed") == 0 || strcmp(state, "pending") == 0) {
		sbuf_append(out, attempts ? ", " : "");
		if (next > now) {
			sbuf_append(out, attempts ? "retry in " : "due in ");
			duration_span(out, next - now);
		} else {
			sbuf_append(out, "due now");
		}
	} else if (strcmp(state, "inflight") == 0) {
		sbuf_append(out, attempts ? ", sending…" : "sending…");
	} else if (strcmp(state, "dead") == 0) {
		sbuf_append(out, ", gave up");
	}
}

/* Widths: TIME, WEBHOOK, EVENT, STATE; the rest is the progress. Extra
 * width goes to the webhook and the event. */
struct dcols {
	int time, webhook, event, state;
};

static struct dcols dlayout(int cols)
{
	struct dcols c = { 14, 13, 16, 9 };
	int extra = cols - 80;

	if (extra < 0) {
		c.webhook = 10 + extra / 4 > 6 ? 10 + extra / 4 : 6;
		c.event = 14 + extra / 4 > 8 ? 14 + extra / 4 : 8;
		return c;
	}
	c.webhook += extra / 3 > 16 ? 16 : extra / 3;
	c.event += extra / 3 > 16 ? 16 : extra / 3;
	return c;
}

static int shown_rows(const struct deliveries_screen *d)
{
	int rows = d->ui->rows - TOP - 1 - draw_message_height(d->ui);

	return rows > 1 ? rows : 1;
}

static void draw_drow(struct deliveries_screen *d, int y, size_t i, struct dcols c, long long now)
{
	json_t *row = json_array_get(d->rows, i);
	const char *state = state_of(row);
	int sel = i == d->sel, x = 0, cols = d->ui->cols;
	enum color sc = sel ? C_SELECTED : state_color(state), plain = sel ? C_SELECTED : C_NORMAL;
	char when[32];
	struct sbuf type, prog;

	sbuf_init(&type);
	sbuf_init(&prog);
	timefmt_utc(jint(row, "created_at"), TIMEFMT_DAY, when, sizeof when);
	sbuf_append(&type, jstr(row, "type"));
	progress_text(row, now, &prog);
	if (sel)
		draw_fill(y, 0, cols, C_SELECTED);
	draw_text(y, x, c.time, when, plain, 1);
	x += c.time + 1;
	draw_text(y, x, c.webhook, jstr(row, "webhook"), plain, 1);
	x += c.webhook + 1;
	draw_text(y, x, c.event, sbuf_text(&type), plain, 1);
	x += c.event + 1;
	draw_text(y, x, c.state, state, sc, 1);
	x += c.state + 1;
	draw_text(y, x, cols - x, sbuf_text(&prog), plain, 1);
	sbuf_release(&type);
	sbuf_release(&prog);
}

/* "24h ▁▂ █▅▁ now  1204 ok · 3 failed · p50 120 · p95 840 ms": the
 * attempts of the last day (test sends aside), one cell an hour, as high
 * as its attempts next to the busiest hour, green when all were answered
 * 2xx, red when none was, yellow between; then the answers' latency of
 * the last LATENCY_OF. */
static void draw_strip(struct deliveries_screen *d, int y)
{
	long long max = spark_max(d->hours, ACTIVITY_HOURS), ok = 0, failed = 0;
	struct sbuf text;
	int i, x = 4;

	draw_text(y, 0, 4, "24h", C_DIM, 1);
	for (i = 0; i < ACTIVITY_HOURS; i++, x++) {
		struct spark_cell cell = spark_volume(&d->hours[i], max);

		draw_text(y, x, 1, cell.glyph, cell.color, 0);
		ok += d->hours[i].ok;
		failed += d->hours[i].failed;
	}
	sbuf_init(&text);
	sbuf_appendf(&text, " now  %lld ok · %lld failed", ok, failed);
	if (d->latency.count)
		sbuf_appendf(&text, " · p50 %lld · p95 %lld ms", d->latency.p50_ms, d->latency.p95_ms);
	draw_text(y, x, d->ui->cols - x, sbuf_text(&text), failed ? C_WARN : C_DIM, 1);
	sbuf_release(&text);
}

static void deliveries_draw(struct screen *s, struct ui *ui)
{
	struct deliveries_screen *d = DLV(s);
	int rows = shown_rows(d), i, x = 0;
	size_t n = json_array_size(d->rows);
	struct dcols c = dlayout(ui->cols);
	long long now = ui_now_ms();
	struct sbuf title;

	sbuf_init(&title);
	/* It reloads whenever the store changes (app.c, once a second). */
	sbuf_appendf(&title, "Deliveries of %s · following · %zu/%zu%s", d->webhook ? d->webhook : "all webhooks",
		     n ? d->sel + 1 : 0, n, n == SHOWN_MAX ? " newest" : "");
	draw_header(sbuf_text(&title), ui->sender, ui->sender_color);
	sbuf_release(&title);
	draw_strip(d, 1);
	draw_text(TOP - 1, x, c.time, "TIME (UTC)", C_BAR_KEY, 1);
	x += c.time + 1;
	draw_text(TOP - 1, x, c.webhook, "WEBHOOK", C_BAR_KEY, 1);
	x += c.webhook + 1;
	draw_text(TOP - 1, x, c.event, "EVENT", C_BAR_KEY, 1);
	x += c.event + 1;
	draw_text(TOP - 1, x, c.state, "STATE", C_BAR_KEY, 1);
	x += c.state + 1;
	draw_text(TOP - 1, x, ui->cols - x, "TRIES, NEXT", C_BAR_KEY, 1);
	if (n == 0)
		draw_text(TOP + 1, 2, ui->cols - 4, "No deliveries yet: fire an event (f in the list) or wait for one.", C_DIM, 0);
	select_move(&d->sel, &d->top, n, A_NONE, (size_t)rows);
	for (i = 0; i < rows && d->top + (size_t)i < n; i++)
		draw_drow(d, TOP + i, d->top + (size_t)i, c, now);
	draw_messages(ui);
	draw_bar(CTX_DELIVERIES);
}

static void append_attempts(json_t *atts, struct sbuf *text)
{
	char when[32];
	size_t i;

	for (i = 0; i < json_array_size(atts); i++) {
		json_t *at = json_array_get(atts, i), *st = json_object_get(at, "status");

		timefmt_utc(jint(at, "started_at"), TIMEFMT_FULL, when, sizeof when);
		sbuf_appendf(text, "\nAttempt %zu at %s, %lld ms: ", i + 1, when, jint(at, "duration_ms"));
		if (json_is_integer(st))
			sbuf_appendf(text, "HTTP %lld ", (long long)json_integer_value(st));
		sbuf_append(text, strncmp(jstr(at, "error"), "HTTP ", 5) == 0 ? "" : jstr(at, "error"));
		sbuf_appendf(text, "\nRequest headers:\n%s", jstr(at, "request_headers"));
		if (*jstr(at, "response_headers"))
			sbuf_appendf(text, "Response headers:\n%s", jstr(at, "response_headers"));
		if (*jstr(at, "response_body"))
			sbuf_appendf(text, "Response body:\n%s\n", jstr(at, "response_body"));
	}
}

static void open_delivery(struct deliveries_screen *d, struct ui *ui)
{
	json_t *row = json_array_get(d->rows, d->sel), *full = NULL, *body;
	char err[ERR_MAX], id[32], *pretty;
	struct sbuf text, title;

	if (!row)
		return;
	snprintf(id, sizeof id, "%lld", jint(row, "id"));
	if (history_get(ui->st, id, &full, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		return;
	}
	body = json_loads(jstr(full, "body"), 0, NULL);
	pretty = body ? json_dumps(body, JSON_INDENT(2)) : NULL;
	json_decref(body);
	/* Everything the store holds is shown, whatever its size: the body
	 * and headers are within their limits, a response excerpt is capped
	 * by the sender. */
	sbuf_init(&text);
	sbuf_appendf(&text, "webhook-id %s%s\nwebhook %s · event %s %s\nstate %s after %lld attempt%s",
		     jstr(full, "uid"), json_is_true(json_object_get(full, "test")) ? " (a test)" : "",
		     jstr(full, "webhook"), jstr(full, "type"), jstr(full, "event"), state_of(full),
		     jint(full, "attempts"), jint(full, "attempts") == 1 ? "" : "s");
	if (strcmp(state_of(full), "delivered") != 0) {
		sbuf_append(&text, "; ");
		progress_text(full, ui_now_ms(), &text);
	}
	if (json_is_string(json_object_get(full, "held")))
		sbuf_appendf(&text, "\nheld (%s): nothing is sent until %s", jstr(full, "held"),
			     strcmp(jstr(full, "held_by"), "hold") == 0 ? "the hold ends" : "the webhook is enabled");
	sbuf_appendf(&text, "\n\nBody:\n%s\n", pretty ? pretty : jstr(full, "body"));
	append_attempts(json_object_get(full, "attempt_log"), &text);
	sbuf_init(&title);
	sbuf_appendf(&title, "Delivery %s (Esc closes, / searches)", id);
	if (text.failed)
		ui_say(ui, C_BAD, "out of memory showing the delivery");
	else
		ui_show(ui, sbuf_text(&title), sbuf_text(&text));
	sbuf_release(&title);
	sbuf_release(&text);
	free(pretty);
	json_decref(full);
}

/* Sending again is asked: it reaches the receiver once more, and a
 * failing delivery starts its retries over. */
static void ask_redeliver(struct deliveries_screen *d, struct ui *ui)
{
	json_t *row = json_array_get(d->rows, d->sel);
	struct sbuf text;

	if (!row)
		return;
	d->redeliver_id = jint(row, "id");
	sbuf_init(&text);
	sbuf_appendf(&text, "Send delivery %lld (%s to \"%s\") again now, with the same body and webhook-id?\n", d->redeliver_id,
		     jstr(row, "type"), jstr(row, "webhook"));
	if (strcmp(state_of(row), "delivered") == 0)
		sbuf_append(&text, "The receiver got it already and gets it once more.\n");
	else if (strcmp(state_of(row), "dead") != 0)
		sbuf_append(&text, "It is still being retried: its retries start over.\n");
	sbuf_append(&text, "\ny  send again       n  keep it as it is (default)");
	ui_ask(ui, &d->base, DIALOG_CONFIRM, ASK_REDELIVER, "Redeliver",
	       text.failed ? "Send it again? (out of memory describing it)" : sbuf_text(&text));
	sbuf_release(&text);
}

static void redeliver(struct deliveries_screen *d, struct ui *ui)
{
	const char *store_error;
	char err[ERR_MAX], id[32];

	snprintf(id, sizeof id, "%lld", d->redeliver_id);
	if (history_redeliver(ui->st, id, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		return;
	}
	store_error = ui_wake(ui);
	if (store_error)
		ui_say(ui, C_BAD, "delivery %s queued again, but the sender reports a STORE ERROR: %s", id, store_error);
	else
		ui_say(ui, C_OK, "delivery %s queued again", id);
}

/* R: the delivery's body as its webhook's payload renders the event now,
 * shown as a diff against the stored one; sending that is asked. When
 * nothing differs, plain redelivery is offered. The question comes first
 * and the diff under it, cut to the screen (v shows it whole). */
static void ask_rerender(struct deliveries_screen *d, struct ui *ui)
{
	json_t *row = json_array_get(d->rows, d->sel);
	struct textdiff_stats stats = { 0, 0 };
	struct rerender_body b;
	struct sbuf text, diff;
	char err[ERR_MAX], id[32];
	size_t shown = 0, room = ui->rows > 16 ? (size_t)ui->rows - 12 : 4;
	const char *line;

	if (!row)
		return;
	snprintf(id, sizeof id, "%lld", jint(row, "id"));
	if (rerender_for_delivery(ui->st, ui->cat, id, &b, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		return;
	}
	d->redeliver_id = b.delivery;
	sbuf_init(&text);
	sbuf_init(&diff);
	if (strcmp(b.stored, b.now) == 0) {
		sbuf_appendf(&text, "Webhook \"%s\"'s current payload gives delivery %s the body it has.\n"
			     "Send it again now as it is, with the same webhook-id?\n\n"
			     "y  send again       n  keep it as it is (default)", b.webhook, id);
		ui_ask(ui, &d->base, DIALOG_CONFIRM, ASK_REDELIVER, "Redeliver: the body is the same",
		       text.failed ? "Send it again? (out of memory describing it)" : sbuf_text(&text));
	} else if (textdiff_json(b.stored, b.now, "stored", "now", 1, &diff, &stats) < 0) {
		ui_say(ui, C_BAD, "out of memory comparing the bodies of delivery %s", id);
	} else {
		sbuf_appendf(&text, "Send delivery %s to \"%s\" again now with the body its payload gives today "
			     "(%zu line%s removed, %zu added) and the same webhook-id?\n"
			     "y  send the new body    v  the whole diff    n  keep it (default)\n\n",
			     id, b.webhook, stats.removed, stats.removed == 1 ? "" : "s", stats.added);
		for (line = sbuf_text(&diff); *line && shown < room; shown++) {
			const char *nl = strchr(line, '\n');

			sbuf_appendn(&text, line, (size_t)(nl - line) + 1);
			line = nl + 1;
		}
		if (*line)
			sbuf_append(&text, "… (v shows the rest)");
		free(d->rerender_now);
		free(d->rerender_diff);
		d->rerender_now = b.now;
		b.now = NULL;
		d->rerender_diff = sbuf_take(&diff);
		ui_ask(ui, &d->base, DIALOG_CONFIRM, ASK_RERENDER, "Redeliver with the current payload",
		       text.failed ? "Send the new body? (out of memory describing it)" : sbuf_text(&text));
		ui->dlg.extra_key = 'v';
	}
	sbuf_release(&text);
	sbuf_release(&diff);
	rerender_body_clear(&b);
}

/* The answer to R: send the body that was shown (refused if the webhook
 * changed since), or show the whole diff. */
static struct reaction rerender_answer(struct deliveries_screen *d, struct ui *ui, int value)
{
	struct rerender_body b;
	const char *store_error;
	char err[ERR_MAX], id[32];

	if (value == 2) {
		ui_show(ui, "Stored body against now (Esc closes, R asks again)", d->rerender_diff ? d->rerender_diff : "");
		return REACT(R_REDRAW);
	}
	if (value != 1)
		return REACT(R_REDRAW);
	snprintf(id, sizeof id, "%lld", d->redeliver_id);
	if (rerender_redeliver(ui->st, ui->cat, id, d->rerender_now, &b, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		return REACT(R_REDRAW);
	}
	rerender_body_clear(&b);
	store_error = ui_wake(ui);
	if (store_error)
		ui_say(ui, C_BAD, "delivery %s queued again with the new body, but the sender reports a STORE ERROR: %s", id,
		       store_error);
	else
		ui_say(ui, C_OK, "delivery %s queued again with the new body", id);
	return REACT(R_RELOAD);
}

static struct reaction deliveries_key(struct screen *s, struct ui *ui, int key)
{
	struct deliveries_screen *d = DLV(s);
	enum action act = keys_action(CTX_DELIVERIES, key);
	struct reaction r = REACT(R_REDRAW);
	int y, x;

	if (key == HK_CLICK) {
		term_mouse_at(&y, &x);
		if (y >= TOP && y < TOP + shown_rows(d) && d->top + (size_t)(y - TOP) < json_array_size(d->rows))
			d->sel = d->top + (size_t)(y - TOP);
		return r;
	}
	switch (act) {
	case A_BACK:
		return REACT(R_CLOSE);
	case A_OPEN:
		open_delivery(d, ui);
		break;
	case A_REDELIVER:
		ask_redeliver(d, ui);
		break;
	case A_RERENDER:
		ask_rerender(d, ui);
		break;
	case A_ALL: {
		json_t *row = json_array_get(d->rows, d->sel);
		const char *name = d->webhook || !row ? NULL : jstr(row, "webhook");

		r.open = screen_deliveries_new(ui, name);
		if (r.open)
			r.flags |= R_OPEN | R_CLOSE;
		return r;
	}
	case A_HELP:
		ui_help(ui, CTX_DELIVERIES);
		break;
	case A_MESSAGES:
		ui_messages(ui);
		break;
	default:
		if (act >= A_UP && act <= A_END)
			select_move(&d->sel, &d->top, json_array_size(d->rows), act, (size_t)shown_rows(d));
		break;
	}
	return r;
}

static struct reaction deliveries_answer(struct screen *s, struct ui *ui, int tag, int value)
{
	if (tag == ASK_RERENDER)
		return rerender_answer(DLV(s), ui, value);
	if (tag != ASK_REDELIVER || value != 1)
		return REACT(R_REDRAW);
	redeliver(DLV(s), ui);
	return REACT(R_RELOAD);
}

static void deliveries_free(struct screen *s)
{
	struct deliveries_screen *d = DLV(s);

	free(d->webhook);
	free(d->rerender_now);
	free(d->rerender_diff);
	json_decref(d->rows);
	free(d);
}

static const struct screen_ops deliveries_ops = {
	.name = "the deliveries",
	.min_cols = 60,
	.min_rows = 16,
	.draw = deliveries_draw,
	.key = deliveries_key,
	.answer = deliveries_answer,
	.reload = deliveries_reload,
	.free = deliveries_free,
};

struct screen *screen_deliveries_new(struct ui *ui, const char *webhook)
{
	struct deliveries_screen *d = calloc(1, sizeof *d);

	if (!d || (webhook && !(d->webhook = strdup(webhook)))) {
		free(d);
		ui_say(ui, C_BAD, "out of memory opening the deliveries");
		return NULL;
	}
	d->base.ops = &deliveries_ops;
	d->ui = ui;
	deliveries_reload(&d->base, ui);
	return &d->base;
}
