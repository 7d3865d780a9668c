/* The webhook list: rows, sorting, the filter, and the keys that act on
 * a webhook (delete, enable and hold here; edit, deliveries and fire open
 * their screens or flows). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "draw.h"
#include "duration.h"
#include "editor.h"
#include "fire.h"
#include "history.h"
#include "holds.h"
#include "listview.h"
#include "mask.h"
#include "sbuf.h"
#include "screens.h"
#include "spark.h"
#include "testsend.h"
#include "ui.h"

enum { ASK_DELETE = 1, ASK_HOLD, ASK_RELEASE };

/* What H offers: how long, and whether new deliveries wait or are dropped. */
static const struct {
	const char *label;
	long long ms;              /* 0: until released */
	int drop;
} hold_choices[] = {
	{ "wait 15 minutes", 15LL * 60 * 1000, 0 },
	{ "wait 1 hour", 60LL * 60 * 1000, 0 },
	{ "wait 4 hours", 4LL * 60 * 60 * 1000, 0 },
	{ "wait until released (H again)", 0, 0 },
	{ "drop new deliveries for 1 hour (recorded, never sent)", 60LL * 60 * 1000, 1 },
	{ "drop new deliveries until released", 0, 1 },
};

struct list_screen {
	struct screen base;
	struct ui *ui;
	struct listview lv;
	json_t *latest;             /* webhook id → its newest delivery */
	struct activity_webhook *acts;  /* by webhook id: attempts lately */
	size_t nacts;
	int filtering;              /* the filter line takes keys */
	struct editor filter;
	char filter_err[ERR_MAX];   /* the filter's words are wrong: why ("" when fine) */
	struct fire fire;
	struct testsend test;
	long long delete_id;        /* the webhook the delete question is about */
	long long hold_id;          /* the webhook the hold question is about */
	json_t *holds;              /* in force (holds_list), for the rows' marks */
};

#define LIST(s) ((struct list_screen *)(s))

/* "200 · 2m05s ago", "500 ×3 retrying", "dead", "sending…", "-". */
static enum color last_result(const struct list_screen *l, const struct webhook *wh, struct sbuf *out)
{
	char key[32];
	json_t *d;
	const char *state;
	long long status, attempts;

	snprintf(key, sizeof key, "%lld", wh->id);
	d = json_object_get(l->latest, key);
	if (!d) {
		sbuf_append(out, "-");
		return C_DIM;
	}
	state = json_string_value(json_object_get(d, "state"));
	status = json_integer_value(json_object_get(d, "status"));
	attempts = json_integer_value(json_object_get(d, "attempts"));
	if (strcmp(state, "delivered") == 0) {
		sbuf_appendf(out, "%lld · ", status);
		duration_span(out, ui_now_ms() - json_integer_value(json_object_get(d, "at")));
		sbuf_append(out, " ago");
		return C_OK;
	}
	if (strcmp(state, "failed") == 0) {
		if (status)
			sbuf_appendf(out, "%lld ×%lld, retry", status, attempts);
		else
			sbuf_appendf(out, "error ×%lld, retry", attempts);
		return C_WARN;
	}
	if (strcmp(state, "dead") == 0) {
		sbuf_append(out, "dead");
		return C_BAD;
	}
	sbuf_append(out, "sending…");
	return C_NORMAL;
}

/* The hold on a webhook (an object of holds_list), or NULL. */
static json_t *hold_of(const struct list_screen *l, const char *name)
{
	json_t *h;
	size_t i;

	json_array_foreach(l->holds, i, h) {
		const char *held = json_string_value(json_object_get(h, "webhook"));

		if (held && strcmp(held, name) == 0)
			return h;
	}
	return NULL;
}

/* "held 12m05s" (time left), "dropping" (until released): short enough
 * for the LAST column at 80 columns. */
static void hold_text(const json_t *h, struct sbuf *out)
{
	json_t *until = json_object_get(h, "until");

	sbuf_append(out, json_is_true(json_object_get(h, "drop")) ? "dropping" : "held");
	if (json_is_integer(until)) {
		sbuf_append(out, " ");
		duration_span(out, json_integer_value(until) - ui_now_ms());
	}
}

/* What the list sorts and filters by: each webhook's newest delivery
 * (failing or not), its attempts lately, and its hold. */
static struct list_stat *stats_of(const struct list_screen *l, const struct webhook *list, size_t n)
{
	struct list_stat *st = calloc(n ? n : 1, sizeof *st);
	size_t i;

	for (i = 0; st && i < n; i++) {
		const struct activity_webhook *a = activity_find(l->acts, l->nacts, list[i].id);
		char key[32];
		json_t *d;
		const char *state;

		snprintf(key, sizeof key, "%lld", list[i].id);
		d = json_object_get(l->latest, key);
		state = json_string_value(json_object_get(d, "state"));
		st[i].last_at = json_integer_value(json_object_get(d, "at"));
		if (a && a->last_attempt_ms > st[i].last_at)
			st[i].last_at = a->last_attempt_ms;
		st[i].failing = state && (strcmp(state, "failed") == 0 || strcmp(state, "dead") == 0);
		st[i].failures = a ? a->failed_24h : 0;
		st[i].held = hold_of(l, list[i].name) != NULL;
	}
	return st;
}

static void list_reload(struct screen *s, struct ui *ui)
{
	struct list_screen *l = LIST(s);
	struct webhook *list;
	json_t *latest = NULL;
	size_t n;
	char err[ERR_MAX];

	if (store_webhook_list(ui->st, &list, &n, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		return;
	}
	/* On a read error the last-result and activity columns show nothing
	 * rather than stale results. */
	history_latest(ui->st, &latest, err);
	json_decref(l->latest);
	l->latest = latest;
	free(l->acts);
	l->acts = NULL;
	l->nacts = 0;
	activity_webhooks(ui->st, ui_now_ms(), &l->acts, &l->nacts, err);
	json_decref(l->holds);
	l->holds = NULL;
	holds_list(ui->st, ui_now_ms(), &l->holds, err);
	if (ui->focus_id) {
		l->lv.sel_id = ui->focus_id;
		ui->focus_id = 0;
	}
	if (listview_set(&l->lv, list, stats_of(l, list, n), n) < 0)
		ui_say(ui, C_BAD, "out of memory loading the list");
}

/* Column widths: extra width goes to EVENTS and URL first; below 80
 * columns FORMAT goes and the others shrink; from 120 a spark line of
 * the last 24 hours shows. */
struct columns {
	int name, url, events, format, spark;
};

#define WIDE 120

static struct columns layout(int cols)
{
	struct columns c = { 16, 23, 13, 7, 0 };
	int extra = cols - 80, ev;

	if (extra < 0)
		return (struct columns){ 14, 15 + (cols - 60) / 2, 13, 0, 0 };
	if (cols >= WIDE) {
		c.spark = ACTIVITY_SPARKS;
		extra -= c.spark + 1;
	}
	ev = extra / 3 > 16 ? 16 : extra / 3;
	c.events += ev;
	c.url += (extra - ev) / 2;
	c.name += (extra - ev) / 4;
	return c;
}

static int filter_shown(const struct list_screen *l)
{
	return l->filtering || l->lv.filter[0] || l->filter_err[0];
}

/* Rows of webhooks that fit: header, titles, the filter and message
 * lines and the bar take the rest. */
static int list_rows(const struct list_screen *l)
{
	int rows = l->ui->rows - 3 - draw_message_height(l->ui) - filter_shown(l);

	return rows > 1 ? rows : 1;
}

/* Two-hourly buckets of the last day, each as high as its share of
 * successes. */
static void draw_spark(const struct list_screen *l, const struct webhook *wh, int y, int x, int sel)
{
	const struct activity_webhook *a = activity_find(l->acts, l->nacts, wh->id);
	int i;

	for (i = 0; a && i < ACTIVITY_SPARKS; i++) {
		struct spark_cell cell = spark_success(&a->spark[i]);

		draw_text(y, x + i, 1, cell.glyph, sel ? C_SELECTED : cell.color, 0);
	}
}

static void draw_row(struct list_screen *l, int y, size_t idx, struct columns c)
{
	const struct webhook *wh = &l->lv.all[l->lv.shown[idx]];
	int sel = idx == l->lv.sel, x = 2, cols = l->ui->cols;
	char masked[URL_MAX + 64], events[64];
	struct sbuf last, url;
	enum color lc, row = sel ? C_SELECTED : C_NORMAL;
	const char *marker;
	json_t *hold = hold_of(l, wh->name);

	sbuf_init(&last);
	lc = last_result(l, wh, &last);
	/* A failing webhook keeps its mark when held (the header counts it
	 * among the failing); the hold shows in place of the last result,
	 * as what the operator must not forget. */
	marker = !wh->enabled ? "○" : lc == C_BAD || lc == C_WARN ? "✗" : hold ? "‖" : "●";
	if (hold) {
		sbuf_release(&last);
		hold_text(hold, &last);
		lc = C_WARN;
	}
	/* An unchecked certificate is marked in the text too, so it shows
	 * without colour (NO_COLOR, the selected row). */
	mask_url(wh->url, masked, sizeof masked);
	sbuf_init(&url);
	sbuf_appendf(&url, "%s%s", wh->verify_tls ? "" : "! ", masked);
	webhook_events_summary(wh, l->ui->cat, events, sizeof events);
	if (sel)
		draw_fill(y, 0, cols, C_SELECTED);
	draw_text(y, 0, 2, marker, sel ? row : !wh->enabled ? C_DIM : lc == C_OK || lc == C_DIM ? C_OK : C_BAD, 1);
	draw_text(y, x, c.name, wh->name, row, 1);
	x += c.name + 1;
	draw_text(y, x, c.url, sbuf_text(&url), sel ? row : wh->verify_tls ? C_NORMAL : C_BAD, 1);
	x += c.url + 1;
	draw_text(y, x, c.events, events, row, 1);
	x += c.events + 1;
	if (c.format) {
		draw_text(y, x, c.format, format_name(wh->format), row, 1);
		x += c.format + 1;
	}
	if (c.spark) {
		draw_spark(l, wh, y, x, sel);
		x += c.spark + 1;
	}
	draw_text(y, x, cols - x, wh->enabled ? sbuf_text(&last) : wh->disabled_reason ? "disabled (see e)" : "disabled",
		  sel ? row : wh->enabled ? lc : C_DIM, 1);
	sbuf_release(&last);
	sbuf_release(&url);
}

static void draw_titles(int cols, struct columns c)
{
	int x = 2;

	draw_text(1, x, c.name, "NAME", C_BAR_KEY, 1);
	x += c.name + 1;
	draw_text(1, x, c.url, "URL", C_BAR_KEY, 1);
	x += c.url + 1;
	draw_text(1, x, c.events, "EVENTS", C_BAR_KEY, 1);
	x += c.events + 1;
	if (c.format) {
		draw_text(1, x, c.format, "FORMAT", C_BAR_KEY, 1);
		x += c.format + 1;
	}
	if (c.spark) {
		draw_text(1, x, c.spark, "LAST 24H", C_BAR_KEY, 1);
		x += c.spark + 1;
	}
	draw_text(1, x, cols - x, "LAST", C_BAR_KEY, 1);
}

static void draw_empty(int cols)
{
	draw_text(3, 2, cols - 4, "No webhooks yet.", C_BAR_KEY, 0);
	draw_text(5, 2, cols - 4, "Press n (or F2) to add your first one: a name, a URL and one event", C_NORMAL, 0);
	draw_text(6, 2, cols - 4, "are all it needs. The payload starts from the Generic preset.", C_NORMAL, 0);
	draw_text(8, 2, cols - 4, "Press ? (or F1) for every key, q (or F10) to quit.", C_DIM, 0);
}

static void draw_filter(struct list_screen *l, int y)
{
	char *text = editor_text(&l->filter);
	struct sbuf line;
	int used;

	sbuf_init(&line);
	sbuf_appendf(&line, "Filter: %s", text ? text : "");
	used = draw_text(y, 0, l->ui->cols, sbuf_text(&line), C_WARN, 0);
	draw_fill(y, used, l->ui->cols - used, C_WARN);
	/* What is wrong goes to the message line (wrapped, kept in the log)
	 * on Enter; here only a mark that something is. */
	if (l->filter_err[0] && used < l->ui->cols - 30)
		draw_text(y, used + 2, 28, "✗ not a filter word (Enter)", C_BAD, 0);
	else if (!l->filtering && !l->filter_err[0])
		draw_text(y, l->ui->cols - 28, 28, "(/ to change, Esc to clear)", C_DIM, 0);
	if (l->filtering)
		draw_cursor(y, 8 + (int)editor_cursor_x(&l->filter));
	sbuf_release(&line);
	free(text);
}

static void list_draw(struct screen *s, struct ui *ui)
{
	struct list_screen *l = LIST(s);
	int rows = list_rows(l), i;
	struct columns c = layout(ui->cols);
	struct sbuf title;

	sbuf_init(&title);
	sbuf_append(&title, "hookman");
	if (l->lv.n)
		sbuf_appendf(&title, " · %zu/%zu · by %s", l->lv.nshown ? l->lv.sel + 1 : 0, l->lv.nshown,
			     listview_sort_name(l->lv.sort));
	if (l->lv.nshown != l->lv.n)
		sbuf_appendf(&title, " (%zu in all)", l->lv.n);
	sbuf_appendf(&title, " · %s", store_is_postgresql(ui->st) ? store_path(ui->st) : ui->dir);
	draw_header(sbuf_text(&title), ui->sender, ui->sender_color);
	sbuf_release(&title);
	if (l->lv.n == 0) {
		draw_empty(ui->cols);
	} else {
		draw_titles(ui->cols, c);
		listview_move(&l->lv, A_NONE, (size_t)rows);
		for (i = 0; i < rows && l->lv.top + (size_t)i < l->lv.nshown; i++)
			draw_row(l, 2 + i, l->lv.top + (size_t)i, c);
		if (l->lv.nshown == 0)
			draw_text(3, 2, ui->cols - 4, "No webhook matches the filter (Esc clears it).", C_DIM, 0);
	}
	draw_messages(ui);
	if (filter_shown(l))
		draw_filter(l, ui->rows - 2 - draw_message_height(ui));
	draw_bar(CTX_LIST);
}

static void apply_filter(struct list_screen *l)
{
	char *text = editor_text(&l->filter);

	l->filter_err[0] = '\0';
	if (listview_filter(&l->lv, text ? text : "", l->filter_err) == 0)
		l->filter_err[0] = '\0';
	free(text);
}

static struct reaction filter_key(struct list_screen *l, int key)
{
	if (key == HK_ENTER) {
		l->filtering = 0;
		if (l->filter_err[0])
			ui_say(l->ui, C_BAD, "%s", l->filter_err);
	} else if (key == HK_ESC || key == HK_CTRL('c')) {
		l->filtering = 0;
		editor_set(&l->filter, "");
		apply_filter(l);
	} else if (editor_key(&l->filter, key, 1)) {
		apply_filter(l);
	}
	return REACT(R_REDRAW);
}

static void ask_delete(struct list_screen *l, struct ui *ui, const struct webhook *wh)
{
	struct store_backlog b = { 0, 0 };
	long long pending;
	char err[ERR_MAX];
	struct sbuf text;

	store_webhook_pending(ui->st, wh->id, &b, err);
	pending = b.waiting + b.inflight;
	sbuf_init(&text);
	sbuf_appendf(&text, "Delete webhook \"%s\"?\n\n%lld of its deliveries %s still pending and will be cancelled;\n"
		     "its delivery history is removed with it.\n\ny  delete       n  keep it (default)",
		     wh->name, pending, pending == 1 ? "is" : "are");
	l->delete_id = wh->id;
	ui_ask(ui, &l->base, DIALOG_CONFIRM, ASK_DELETE, "Delete",
	       text.failed ? "Delete the webhook? (out of memory describing it)" : sbuf_text(&text));
	sbuf_release(&text);
}

static void delete_now(struct list_screen *l, struct ui *ui)
{
	struct store_backlog backlog;
	struct webhook wh;
	char err[ERR_MAX], *what;

	if (store_webhook_get_id(ui->st, l->delete_id, &wh, err) < 0) {
		ui_say(ui, C_BAD, "not deleted: %s", err);
		return;
	}
	if (store_webhook_delete(ui->st, wh.name, &backlog, err) < 0) {
		ui_say(ui, C_BAD, "not deleted: %s", err);
	} else {
		what = store_backlog_text(&backlog);
		ui_say(ui, C_OK, "deleted webhook \"%s\"; %s", wh.name, what ? what : "");
		free(what);
	}
	webhook_clear(&wh);
}

/* H: a webhook with a hold is asked about ending it; one without is
 * offered how long to hold it. */
static void ask_hold(struct list_screen *l, struct ui *ui, const struct webhook *wh)
{
	json_t *hold = hold_of(l, wh->name);
	struct sbuf text;
	size_t i;

	l->hold_id = wh->id;
	sbuf_init(&text);
	if (hold) {
		sbuf_appendf(&text, "End the hold on \"%s\" (", wh->name);
		hold_text(hold, &text);
		sbuf_append(&text, json_is_integer(json_object_get(hold, "until")) ? " left" : ", until released");
		sbuf_appendf(&text, ")?\n\n%lld queued deliver%s will no longer be held by it; each goes at its\n"
			     "due time.\n\ny  end the hold       n  keep it (default)",
			     (long long)json_integer_value(json_object_get(hold, "queued")),
			     json_integer_value(json_object_get(hold, "queued")) == 1 ? "y" : "ies");
		ui_ask(ui, &l->base, DIALOG_CONFIRM, ASK_RELEASE, "Release",
		       text.failed ? "End the hold? (out of memory describing it)" : sbuf_text(&text));
	} else {
		sbuf_appendf(&text, "Hold \"%s\"? Enter picks, Esc cancels", wh->name);
		ui_ask(ui, &l->base, DIALOG_CHOICE, ASK_HOLD,
		       text.failed ? "Hold the webhook?" : sbuf_text(&text), "");
		for (i = 0; i < sizeof hold_choices / sizeof hold_choices[0]; i++)
			dialog_add_choice(&ui->dlg, hold_choices[i].label);
	}
	sbuf_release(&text);
}

/* The answer to ask_hold, for the webhook it asked about. */
static void hold_now(struct list_screen *l, struct ui *ui, int tag, int choice)
{
	struct hold_target t = { NULL, NULL };
	long long now = ui_now_ms(), queued, dropped;
	struct hold_set_result res;
	struct webhook wh;
	struct sbuf said;
	char err[ERR_MAX];
	int rc;

	if (store_webhook_get_id(ui->st, l->hold_id, &wh, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		webhook_clear(&wh);
		return;
	}
	t.webhook = wh.name;
	sbuf_init(&said);
	if (tag == ASK_RELEASE) {
		rc = holds_release(ui->st, &t, now, &queued, &dropped, err);
		if (queued)
			sbuf_appendf(&said, "released \"%s\": %lld queued deliver%s no longer held by it", wh.name,
				     queued, queued == 1 ? "y is" : "ies are");
		else
			sbuf_appendf(&said, "released \"%s\": nothing was waiting", wh.name);
		if (rc == 0 && dropped)
			sbuf_appendf(&said, "; %lld dropped while held stay%s dropped", dropped, dropped == 1 ? "s" : "");
		if (rc == 0 && queued)
			ui_wake(ui);
	} else {
		long long ms = hold_choices[choice].ms;

		rc = holds_set(ui->st, &t, now, ms ? now + ms : 0, hold_choices[choice].drop, &res, err);
		sbuf_appendf(&said, "held \"%s\": %s", wh.name, hold_choices[choice].label);
		if (rc == 0 && res.queued)
			sbuf_appendf(&said, "; %lld already queued wait", res.queued);
	}
	if (rc < 0)
		ui_say(ui, C_BAD, "%s", err);
	else
		ui_say(ui, C_OK, "%s", said.failed ? "done" : sbuf_text(&said));
	sbuf_release(&said);
	webhook_clear(&wh);
}

static void toggle(struct ui *ui, const struct webhook *wh)
{
	struct webhook copy;
	char err[ERR_MAX];

	if (webhook_copy(&copy, wh, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
		return;
	}
	copy.enabled = !copy.enabled;
	if (store_webhook_update(ui->st, &copy, err) < 0) {
		ui_say(ui, C_BAD, "%s", err);
	} else {
		ui_say(ui, C_OK, "webhook \"%s\" %s", copy.name, copy.enabled ? "enabled" : "disabled");
		if (copy.enabled)
			ui_wake(ui);
	}
	webhook_clear(&copy);
}

static struct reaction open_screen(struct screen *next)
{
	struct reaction r = REACT(R_REDRAW);

	if (next) {
		r.flags |= R_OPEN;
		r.open = next;
	}
	return r;
}

static struct reaction click(struct list_screen *l)
{
	int y, x;

	term_mouse_at(&y, &x);
	if (y >= 2 && y < 2 + list_rows(l))
		listview_pick(&l->lv, l->lv.top + (size_t)(y - 2));
	return REACT(R_REDRAW);
}

static struct reaction list_key(struct screen *s, struct ui *ui, int key)
{
	struct list_screen *l = LIST(s);
	const struct webhook *wh = listview_selected(&l->lv);
	enum action act;

	if (l->filtering)
		return filter_key(l, key);
	if (key == HK_ESC && (l->lv.filter[0] || l->filter_err[0])) {
		editor_set(&l->filter, "");
		apply_filter(l);
		return REACT(R_REDRAW);
	}
	if (key == HK_CLICK)
		return click(l);
	act = keys_action(CTX_LIST, key);
	switch (act) {
	case A_QUIT:
		return REACT(R_QUIT);
	case A_NEW:
		return open_screen(screen_form_new(ui, NULL));
	case A_EDIT:
		return wh ? open_screen(screen_form_new(ui, wh)) : REACT(0);
	case A_DELETE:
		if (wh)
			ask_delete(l, ui, wh);
		break;
	case A_TOGGLE:
		if (wh)
			toggle(ui, wh);
		return REACT(R_RELOAD);
	case A_HOLD:
		if (wh)
			ask_hold(l, ui, wh);
		break;
	case A_TEST:
		if (wh)
			testsend_webhook(&l->test, ui, s, wh);
		break;
	case A_DELIVERIES:
		msglog_clear(&ui->log);
		return open_screen(screen_deliveries_new(ui, wh ? wh->name : NULL));
	case A_FIRE:
		fire_begin(&l->fire, ui, s);
		break;
	case A_FILTER:
		l->filtering = 1;
		msglog_clear(&ui->log);
		break;
	case A_SORT:
		listview_sort(&l->lv, (enum list_sort)((l->lv.sort + 1) % SORT_COUNT));
		ui_say(ui, C_NORMAL, "sorted by %s", listview_sort_name(l->lv.sort));
		break;
	case A_HELP:
		ui_help(ui, CTX_LIST);
		break;
	case A_MESSAGES:
		ui_messages(ui);
		break;
	default:
		if (act >= A_UP && act <= A_END)
			listview_move(&l->lv, act, (size_t)list_rows(l));
		break;
	}
	return REACT(R_REDRAW);
}

static struct reaction list_answer(struct screen *s, struct ui *ui, int tag, int value)
{
	struct list_screen *l = LIST(s);

	if (fire_owns(tag))
		return fire_answer(&l->fire, ui, s, tag, value);
	if (tag == TESTSEND_ASK_WAIT)
		testsend_cancel(&l->test, ui);
	else if (tag == ASK_DELETE && value == 1) {
		delete_now(l, ui);
		return REACT(R_RELOAD);
	} else if ((tag == ASK_RELEASE && value == 1) ||
		   (tag == ASK_HOLD && value >= 0 && (size_t)value < sizeof hold_choices / sizeof hold_choices[0])) {
		hold_now(l, ui, tag, value);
		ui_refresh_sender(ui);
		return REACT(R_RELOAD);
	}
	return REACT(R_REDRAW);
}

static struct reaction list_tick(struct screen *s, struct ui *ui)
{
	testsend_tick(&LIST(s)->test, ui, s);
	return REACT(R_REDRAW);
}

static int list_text_mode(struct screen *s)
{
	return LIST(s)->filtering ? 1 : 0;
}

static int list_type(struct screen *s, struct ui *ui, const char *text, size_t n)
{
	struct list_screen *l = LIST(s);

	if (editor_insert(&l->filter, text, n) < 0) {
		ui_say(ui, C_BAD, "the filter holds at most %zu bytes; nothing was added", l->filter.limit);
		return -1;
	}
	apply_filter(l);
	return 0;
}

static void list_refuse(struct screen *s, struct ui *ui, size_t total)
{
	(void)s;
	ui_say(ui, C_BAD, "a %zu-byte paste does not fit the filter; nothing was inserted", total);
}

static void list_free(struct screen *s)
{
	struct list_screen *l = LIST(s);

	listview_free(&l->lv);
	editor_free(&l->filter);
	json_decref(l->latest);
	json_decref(l->holds);
	free(l->acts);
	fire_free(&l->fire);
	testsend_free(&l->test);
	free(l);
}

static const struct screen_ops list_ops = {
	.name = "the list",
	.min_cols = 60,
	.min_rows = 16,
	.draw = list_draw,
	.key = list_key,
	.answer = list_answer,
	.reload = list_reload,
	.tick = list_tick,
	.text_mode = list_text_mode,
	.type = list_type,
	.refuse_paste = list_refuse,
	.free = list_free,
};

struct screen *screen_list_new(struct ui *ui)
{
	struct list_screen *l = calloc(1, sizeof *l);

	if (!l) {
		ui_say(ui, C_BAD, "out of memory opening the list");
		return NULL;
	}
	l->base.ops = &list_ops;
	l->ui = ui;
	listview_init(&l->lv);
	editor_init(&l->filter, 0, sizeof l->lv.filter - 1);
	fire_init(&l->fire);
	testsend_init(&l->test);
	list_reload(&l->base, ui);
	return &l->base;
}
