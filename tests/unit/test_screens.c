/* The interface's screens driven without a terminal: keys in, reactions,
 * dialogs, messages and the store out. Curses is linked but never
 * started; no hookmand runs (a wake finds none and says nothing). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "fanout.h"
#include "history.h"
#include "screens.h"
#include "testutil.h"
#include "ui.h"
#include "wrap.h"

static char dir[512];   /* hookmand's, where none runs */
static struct ui ui;

static void setup(void)
{
	char err[ERR_MAX];

	/* Display widths (wide characters) as in a UTF-8 terminal. */
	setlocale(LC_ALL, "C.UTF-8");
	snprintf(dir, sizeof dir, "%s", tu_tmpdir());
	ui_init(&ui);
	ui.dir = dir;
	ui.cat = tu_catalog();
	ui.st = tu_store_open(err);
	ck_assert_msg(ui.st != NULL, "%s", err);
}

static void teardown(void)
{
	tu_store_close(ui.st);
	catalog_free(ui.cat);
	ui_free(&ui);
	tu_rmtree(dir);
}

static long long add(const char *name, int enabled)
{
	struct webhook wh;
	char err[ERR_MAX];
	long long id;

	webhook_init(&wh);
	wh.name = strdup(name);
	wh.url = strdup("http://127.0.0.1:9/hook");
	wh.payload = strdup("{\"t\": \"$Title\", \"e\": \"$Event\"}");
	wh.enabled = enabled;
	ck_assert_int_eq(webhook_set_events(&wh, "alarm.high_severity", ui.cat, err), 0);
	ck_assert_msg(store_webhook_insert(ui.st, &wh, err) == 0, "%s", err);
	id = wh.id;
	webhook_clear(&wh);
	return id;
}

static const char *last_message(void)
{
	const struct msglog_entry *m = msglog_get(&ui.log, 0);

	return m ? m->text : "";
}

static struct reaction key(struct screen *s, int k)
{
	return s->ops->key(s, &ui, k);
}

static void type(struct screen *s, const char *text)
{
	ck_assert_int_eq(s->ops->type(s, &ui, text, strlen(text)), 0);
}

/* Answer the open dialog as the loop does: to the screen that asked. */
static struct reaction answer(int value)
{
	struct screen *asker = ui.asker;
	int tag = ui.dlg.tag;

	ck_assert_ptr_nonnull(asker);
	dialog_close(&ui.dlg);
	return asker->ops->answer(asker, &ui, tag, value);
}

START_TEST(list_deletes_the_webhook_it_asked_about)
{
	struct screen *s;
	struct reaction r;
	struct webhook wh;
	char err[ERR_MAX];

	add("alpha", 1);
	add("beta", 1);
	s = screen_list_new(&ui);
	key(s, HK_DOWN);
	key(s, 'd');
	ck_assert_int_eq(ui.dlg.kind, DIALOG_CONFIRM);
	ck_assert_ptr_eq(ui.asker, s);
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "\"beta\""));
	/* The store changes under the question: the answer still deletes
	 * the webhook it asked about, not the row now selected. */
	add("aardvark", 1);
	s->ops->reload(s, &ui);
	r = answer(1);
	ck_assert(r.flags & R_RELOAD);
	ck_assert_int_eq(store_webhook_get(ui.st, "beta", &wh, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_NOT_FOUND);
	ck_assert_int_eq(store_webhook_get(ui.st, "aardvark", &wh, err), 0);
	webhook_clear(&wh);
	ck_assert_ptr_nonnull(strstr(last_message(), "deleted webhook \"beta\""));
	/* No: nothing happens. */
	key(s, 'd');
	answer(0);
	ck_assert_int_eq(store_webhook_get(ui.st, "aardvark", &wh, err), 0);
	webhook_clear(&wh);
	s->ops->free(s);
}
END_TEST

START_TEST(list_opens_screens_and_quits)
{
	struct screen *s, *o;
	struct reaction r;

	add("alpha", 1);
	s = screen_list_new(&ui);
	r = key(s, 'n');
	ck_assert(r.flags & R_OPEN);
	ck_assert_str_eq(r.open->ops->name, "the form");
	r.open->ops->free(r.open);
	r = key(s, HK_ENTER);
	ck_assert(r.flags & R_OPEN);
	ck_assert_str_eq(r.open->ops->name, "the form");
	r.open->ops->free(r.open);
	r = key(s, 'l');
	ck_assert(r.flags & R_OPEN);
	o = r.open;
	ck_assert_str_eq(o->ops->name, "the deliveries");
	ck_assert(key(o, HK_ESC).flags & R_CLOSE);
	o->ops->free(o);
	ck_assert(key(s, 'q').flags & R_QUIT);
	ck_assert(key(s, HK_CTRL('c')).flags & R_QUIT);
	s->ops->free(s);
}
END_TEST

START_TEST(list_filters_by_state_and_host_and_sorts)
{
	struct screen *s;

	add("alpha", 1);
	add("beta", 0);
	add("gamma", 1);
	s = screen_list_new(&ui);
	key(s, '/');
	ck_assert_int_eq(s->ops->text_mode(s), 1);
	type(s, "is:disabled");
	key(s, HK_ENTER);
	ck_assert_int_eq(s->ops->text_mode(s), 0);
	key(s, 'd');
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "\"beta\""));
	answer(0);
	/* A token it does not know: said, and every row shows. */
	key(s, '/');
	key(s, HK_CTRL('u'));
	type(s, "is:broken");
	key(s, HK_ENTER);
	key(s, HK_END);
	key(s, 'd');
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "\"gamma\""));
	answer(0);
	/* Text matches the URL's host too. */
	key(s, '/');
	key(s, HK_CTRL('u'));
	type(s, "127.0.0");
	key(s, HK_ENTER);
	key(s, HK_END);
	key(s, 'd');
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "\"gamma\""));
	answer(0);
	key(s, HK_ESC);
	key(s, 's');
	ck_assert_str_eq(last_message(), "sorted by last activity");
	key(s, 's');
	ck_assert_str_eq(last_message(), "sorted by failures");
	key(s, 's');
	ck_assert_str_eq(last_message(), "sorted by name");
	s->ops->free(s);
}
END_TEST

START_TEST(form_saves_new_and_the_list_selects_it)
{
	struct screen *list, *form;
	struct reaction r;
	struct webhook wh;
	char err[ERR_MAX];

	add("zeta", 1);
	list = screen_list_new(&ui);
	form = key(list, 'n').open;
	ck_assert_ptr_nonnull(form);
	type(form, "alpha");
	key(form, HK_TAB);
	type(form, "http://127.0.0.1:9/new");
	key(form, HK_TAB);
	key(form, ' ');                 /* the first event */
	r = key(form, HK_CTRL('s'));
	ck_assert_msg(r.flags & R_CLOSE, "not closed: %s", last_message());
	ck_assert_str_eq(last_message(), "saved webhook \"alpha\"");
	ck_assert_int_eq(store_webhook_get(ui.st, "alpha", &wh, err), 0);
	ck_assert_int_eq(ui.focus_id, wh.id);
	webhook_clear(&wh);
	form->ops->free(form);
	list->ops->reload(list, &ui);
	ck_assert_int_eq(ui.focus_id, 0);
	key(list, 'd');
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "\"alpha\""));
	answer(0);
	list->ops->free(list);
}
END_TEST

START_TEST(form_refuses_and_asks_on_conflict)
{
	struct screen *form;
	struct webhook wh, other;
	struct reaction r;
	char err[ERR_MAX];

	add("alpha", 1);
	add("beta", 1);
	ck_assert_int_eq(store_webhook_get(ui.st, "alpha", &wh, err), 0);
	form = screen_form_new(&ui, &wh);
	/* Renamed to a name taken: not saved, focus on the name. */
	key(form, HK_CTRL('u'));
	type(form, "beta");
	r = key(form, HK_CTRL('s'));
	ck_assert(!(r.flags & R_CLOSE));
	ck_assert_ptr_nonnull(strstr(last_message(), "not saved"));
	key(form, HK_CTRL('u'));
	type(form, "alpha2");
	/* Saved elsewhere meanwhile: the form asks what to do. */
	ck_assert_int_eq(webhook_copy(&other, &wh, err), 0);
	other.timeout = 30;
	ck_assert_int_eq(store_webhook_update(ui.st, &other, err), 0);
	webhook_clear(&other);
	r = key(form, HK_CTRL('s'));
	ck_assert_int_eq(ui.dlg.kind, DIALOG_CHOICE);
	ck_assert_str_eq(ui.dlg.title, "Changed elsewhere");
	r = answer(1);                 /* overwrite */
	ck_assert(r.flags & R_CLOSE);
	webhook_clear(&wh);
	ck_assert_int_eq(store_webhook_get(ui.st, "alpha2", &wh, err), 0);
	webhook_clear(&wh);
	form->ops->free(form);
}
END_TEST

START_TEST(form_sets_rate_and_retry_schedule)
{
	struct screen *form;
	struct webhook wh;
	struct reaction r;
	char err[ERR_MAX];
	int i;

	add("alpha", 1);
	ck_assert_int_eq(store_webhook_get(ui.st, "alpha", &wh, err), 0);
	form = screen_form_new(&ui, &wh);
	webhook_clear(&wh);
	/* Name, URL, Events, Formatting, Payload, Secret, Headers, Enabled,
	 * Verify TLS, Timeout: then Rate and Retries. */
	for (i = 0; i < 10; i++)
		key(form, HK_TAB);
	key(form, HK_CTRL('u'));
	type(form, "10");
	key(form, HK_TAB);
	key(form, HK_CTRL('u'));
	type(form, "1s,2s");
	r = key(form, HK_CTRL('s'));
	ck_assert(!(r.flags & R_CLOSE));
	ck_assert_ptr_nonnull(strstr(last_message(), "Rate: rate \"10\" has no '/'; write requests per period"));
	ck_assert_int_eq(store_webhook_get(ui.st, "alpha", &wh, err), 0);
	ck_assert_int_eq(wh.rate_n, 0);
	webhook_clear(&wh);
	/* The focus went to the bad field: Rate. */
	key(form, HK_CTRL('u'));
	type(form, "10/m");
	r = key(form, HK_CTRL('s'));
	ck_assert_msg(r.flags & R_CLOSE, "not closed: %s", last_message());
	ck_assert_int_eq(store_webhook_get(ui.st, "alpha", &wh, err), 0);
	ck_assert_int_eq(wh.rate_n, 10);
	ck_assert_int_eq(wh.rate_ms, 60000);
	ck_assert_uint_eq(wh.nretry, 2);
	ck_assert_int_eq(wh.retry_ms[1], 2000);
	form->ops->free(form);
	/* An edit that leaves them alone keeps them. */
	form = screen_form_new(&ui, &wh);
	webhook_clear(&wh);
	r = key(form, HK_CTRL('s'));
	ck_assert(r.flags & R_CLOSE);
	ck_assert_int_eq(store_webhook_get(ui.st, "alpha", &wh, err), 0);
	ck_assert_int_eq(wh.rate_n, 10);
	ck_assert_uint_eq(wh.nretry, 2);
	webhook_clear(&wh);
	form->ops->free(form);
}
END_TEST

START_TEST(form_asks_before_discarding)
{
	struct screen *form = screen_form_new(&ui, NULL);

	ck_assert(key(form, HK_ESC).flags & R_CLOSE);   /* nothing typed: leaves */
	form->ops->free(form);
	form = screen_form_new(&ui, NULL);
	type(form, "x");
	ck_assert(!(key(form, HK_CTRL('c')).flags & R_CLOSE));
	ck_assert_int_eq(ui.dlg.kind, DIALOG_CONFIRM);
	ck_assert(!(answer(0).flags & R_CLOSE));
	key(form, HK_ESC);
	ck_assert(answer(1).flags & R_CLOSE);
	form->ops->free(form);
}
END_TEST

START_TEST(deliveries_show_and_redeliver)
{
	struct screen *s;
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];
	json_t *rows = NULL;

	add("alpha", 1);
	ck_assert_int_eq(event_init(&ev, ui.cat, "alarm.high_severity", NULL, NULL, err), 0);
	ck_assert_int_eq(fanout_fire(ui.st, &ev, &res, err), 0);
	event_clear(&ev);
	s = screen_deliveries_new(&ui, "alpha");
	key(s, HK_ENTER);
	ck_assert_int_eq(ui.dlg.kind, DIALOG_TEXT);
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "webhook alpha"));
	dialog_close(&ui.dlg);
	/* Still queued: nothing to do, and it says so. */
	key(s, 'r');
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "its retries start over"));
	answer(1);
	ck_assert_ptr_nonnull(strstr(last_message(), "already queued"));
	tu_exec(ui.st, "UPDATE deliveries SET state = 'dead'");
	s->ops->reload(s, &ui);
	key(s, 'r');
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "Send delivery"));
	ck_assert(!(answer(0).flags & R_RELOAD));     /* No: nothing sent */
	key(s, 'r');
	ck_assert(answer(1).flags & R_RELOAD);
	ck_assert_ptr_nonnull(strstr(last_message(), "queued again"));
	ck_assert_int_eq(history_list(ui.st, "alpha", NULL, 10, &rows, err), 0);
	ck_assert_uint_eq(json_array_size(rows), 1);
	json_decref(rows);
	s->ops->free(s);
}
END_TEST

static void set_payload(const char *payload)
{
	tu_exec_text(ui.st, "UPDATE webhooks SET payload = ?", payload);
}

START_TEST(deliveries_rerender_shows_the_diff_and_sends_it)
{
	struct screen *s;
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];

	add("alpha", 1);
	ck_assert_int_eq(event_init(&ev, ui.cat, "alarm.high_severity", "Disk full", NULL, err), 0);
	ck_assert_int_eq(fanout_fire(ui.st, &ev, &res, err), 0);
	event_clear(&ev);
	tu_exec(ui.st, "UPDATE deliveries SET state = 'dead'");
	s = screen_deliveries_new(&ui, "alpha");
	/* The same payload: plain redelivery is offered. */
	key(s, 'R');
	ck_assert_int_eq(ui.dlg.kind, DIALOG_CONFIRM);
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "gives delivery 1 the body it has"));
	ck_assert(!(answer(0).flags & R_RELOAD));
	/* A new payload: the diff, v shows it whole. */
	set_payload("{\"headline\": \"$Title\", \"e\": \"$Event\"}");
	key(s, 'R');
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "(1 line removed, 1 added)"));
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "-  \"t\": \"Disk full\""));
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "+  \"headline\": \"Disk full\""));
	ck_assert_int_eq(ui.dlg.extra_key, 'v');
	answer(2);
	ck_assert_int_eq(ui.dlg.kind, DIALOG_TEXT);
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "+++ now"));
	dialog_close(&ui.dlg);
	/* The payload changes again while the question is open: what was
	 * shown is not sent. */
	key(s, 'R');
	set_payload("{\"other\": \"$Title\", \"e\": \"$Event\"}");
	ck_assert(!(answer(1).flags & R_RELOAD));
	ck_assert_ptr_nonnull(strstr(last_message(), "changed since its new body was shown"));
	ck_assert_int_eq(tu_count(ui.st, "SELECT count(*) FROM deliveries WHERE state = 'dead'"), 1);
	key(s, 'R');
	ck_assert(answer(1).flags & R_RELOAD);
	ck_assert_str_eq(last_message(), "delivery 1 queued again with the new body");
	ck_assert_int_eq(tu_count(ui.st, "SELECT count(*) FROM bodies WHERE body LIKE '%\"other\": \"Disk full\"%'"), 1);
	ck_assert_int_eq(tu_count(ui.st, "SELECT count(*) FROM deliveries WHERE state = 'pending'"), 1);
	s->ops->free(s);
}
END_TEST

START_TEST(messages_are_kept_and_wrapped)
{
	struct sbuf out;
	int i;

	for (i = 0; i < MSGLOG_MAX + 5; i++)
		ui_say(&ui, C_NORMAL, "message %d", i);
	ck_assert_str_eq(msglog_get(&ui.log, 0)->text, "message 204");
	ck_assert_str_eq(msglog_get(&ui.log, MSGLOG_MAX - 1)->text, "message 5");
	ck_assert_ptr_null(msglog_get(&ui.log, MSGLOG_MAX));
	ui_messages(&ui);
	ck_assert_int_eq(ui.dlg.kind, DIALOG_TEXT);
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "message 204"));
	ck_assert(strstr(ui.dlg.text, "message 204") < strstr(ui.dlg.text, "message 203"));
	dialog_close(&ui.dlg);

	sbuf_init(&out);
	ck_assert_uint_eq(wrap_text("Jira formatting is only for Detection and Detection Group events", 20, &out), 4);
	ck_assert_str_eq(sbuf_text(&out), "Jira formatting is\nonly for Detection\nand Detection Group\nevents");
	sbuf_release(&out);
	sbuf_init(&out);
	ck_assert_uint_eq(wrap_text("日本語のテキスト", 6, &out), 3);   /* wide characters, never split */
	ck_assert_str_eq(sbuf_text(&out), "日本語\nのテキ\nスト");
	sbuf_release(&out);
	sbuf_init(&out);
	ck_assert_uint_eq(wrap_text("ab cde fg", 6, &out), 2);   /* a space at the edge breaks */
	ck_assert_str_eq(sbuf_text(&out), "ab cde\nfg");
	sbuf_release(&out);
	sbuf_init(&out);
	ck_assert_uint_eq(wrap_text("abcde fgh", 5, &out), 2);   /* no line starts with it */
	ck_assert_str_eq(sbuf_text(&out), "abcde\nfgh");
	sbuf_release(&out);
	sbuf_init(&out);
	ck_assert_uint_eq(wrap_text("a\n\nb", 10, &out), 3);
	ck_assert_str_eq(sbuf_text(&out), "a\n\nb");
	sbuf_release(&out);
}
END_TEST

/* Fire one alarm to every subscribed webhook. */
static void fire_alarm(void)
{
	struct fanout_result res;
	struct event ev;
	char err[ERR_MAX];

	ck_assert_int_eq(event_init(&ev, ui.cat, "alarm.high_severity", NULL, NULL, err), 0);
	ck_assert_int_eq(fanout_fire(ui.st, &ev, &res, err), 0);
	event_clear(&ev);
}

START_TEST(deliveries_follow_keeps_the_selection)
{
	struct screen *s;
	char err[ERR_MAX], want[64];
	json_t *rows = NULL;
	long long chosen;

	add("alpha", 1);
	add("beta", 1);
	fire_alarm();
	fire_alarm();
	s = screen_deliveries_new(&ui, NULL);
	key(s, HK_DOWN);
	ck_assert_int_eq(history_list(ui.st, NULL, NULL, 10, &rows, err), 0);
	chosen = json_integer_value(json_object_get(json_array_get(rows, 1), "id"));
	json_decref(rows);
	/* Two more arrive at the top, as a sender's deliveries do. */
	fire_alarm();
	s->ops->reload(s, &ui);
	key(s, 'r');
	snprintf(want, sizeof want, "Send delivery %lld (", chosen);
	ck_assert_msg(strstr(ui.dlg.text, want), "r asks about another delivery: %s", ui.dlg.text);
	answer(0);
	tu_exec(ui.st, "DELETE FROM deliveries WHERE id > 2");
	s->ops->reload(s, &ui);
	key(s, 'r');
	ck_assert_ptr_nonnull(strstr(ui.dlg.text, "Send delivery 1 ("));
	answer(0);
	s->ops->free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("screens");
	TCase *tc = tcase_create("screens");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, list_deletes_the_webhook_it_asked_about);
	tcase_add_test(tc, list_opens_screens_and_quits);
	tcase_add_test(tc, list_filters_by_state_and_host_and_sorts);
	tcase_add_test(tc, form_saves_new_and_the_list_selects_it);
	tcase_add_test(tc, form_refuses_and_asks_on_conflict);
	tcase_add_test(tc, form_sets_rate_and_retry_schedule);
	tcase_add_test(tc, form_asks_before_discarding);
	tcase_add_test(tc, deliveries_show_and_redeliver);
	tcase_add_test(tc, deliveries_rerender_shows_the_diff_and_sends_it);
	tcase_add_test(tc, deliveries_follow_keeps_the_selection);
	tcase_add_test(tc, messages_are_kept_and_wrapped);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
