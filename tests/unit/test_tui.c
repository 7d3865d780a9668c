/* The terminal UI's models, driven without a terminal: key table, editor
 * buffer, form, list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "editor.h"
#include "form.h"
#include "keys.h"
#include "listview.h"
#include "rotate.h"
#include "sbuf.h"
#include "testutil.h"

START_TEST(key_table)
{
	struct bar_item bar[16];
	size_t n, na, i, j, nb;
	const struct binding *t = keys_bindings(&n);
	const struct action_help *a = keys_actions(&na);
	struct sbuf help, line;

	ck_assert_int_eq(keys_action(CTX_LIST, 'n'), A_NEW);
	ck_assert_int_eq(keys_action(CTX_LIST, HK_F(2)), A_NEW);
	ck_assert_int_eq(keys_action(CTX_LIST, HK_ENTER), A_EDIT);
	ck_assert_int_eq(keys_action(CTX_LIST, 'j'), A_DOWN);
	ck_assert_int_eq(keys_action(CTX_LIST, HK_F(10)), A_QUIT);
	ck_assert_int_eq(keys_action(CTX_LIST, 's'), A_SORT);
	ck_assert_int_eq(keys_action(CTX_FORM, HK_CTRL('s')), A_SAVE);
	ck_assert_int_eq(keys_action(CTX_FORM, 'n'), A_NONE);
	ck_assert_int_eq(keys_action(CTX_FORM, HK_AFTER_CTRL_X(HK_CTRL('e'))), A_EDITOR);
	ck_assert_int_eq(keys_action(CTX_FORM, HK_F(4)), A_EDITOR);
	ck_assert_int_eq(keys_action(CTX_FORM_SECRET, 'g'), A_GENERATE);
	ck_assert_int_eq(keys_action(CTX_FORM_EVENTS, 'a'), A_CHECK_ALL);
	ck_assert_int_eq(keys_action(CTX_TEXT, HK_ALT_BACKSPACE), A_KILL_ALNUM_WORD);
	ck_assert_int_eq(keys_action(CTX_CONFIRM, HK_ESC), A_NO);
	nb = keys_bar(CTX_LIST, bar, 16);
	sbuf_init(&line);
	for (i = 0; i < nb; i++)
		sbuf_appendf(&line, "%s%s%s", i ? "  " : "", bar[i].keyname, bar[i].label);
	ck_assert_str_eq(sbuf_text(&line), "F1Help  F2New  F4Edit  F5Test  F6Log  F7Fire  F8Delete  /Filter  sSort  F10Quit");
	sbuf_release(&line);
	/* Every binding's action is described once in its context, and no key
	 * is bound twice in one context. */
	for (i = 0; i < n; i++) {
		size_t described = 0;

		for (j = 0; j < na; j++)
			described += a[j].ctx == t[i].ctx && a[j].act == t[i].act;
		ck_assert_msg(described == 1, "binding %s in context %d is described %zu times", t[i].keyname,
			      (int)t[i].ctx, described);
		for (j = i + 1; j < n; j++)
			ck_assert(!(t[i].ctx == t[j].ctx && t[i].key == t[j].key));
	}
	/* Every action described has a key. */
	for (j = 0; j < na; j++) {
		size_t keys = 0;

		for (i = 0; i < n; i++)
			keys += a[j].ctx == t[i].ctx && a[j].act == t[i].act;
		ck_assert_msg(keys > 0, "action %d in context %d has no key", (int)a[j].act, (int)a[j].ctx);
	}
	sbuf_init(&help);
	keys_help(&help, CTX_LIST);
	ck_assert_ptr_nonnull(strstr(sbuf_text(&help), "F2, n"));
	ck_assert_ptr_nonnull(strstr(sbuf_text(&help), "^X^E, F4"));
	ck_assert_ptr_nonnull(strstr(sbuf_text(&help), "Alt-Backspace"));
	sbuf_release(&help);
}
END_TEST

static char *text(struct editor *e)
{
	static char buf[4096];
	char *t = editor_text(e);

	snprintf(buf, sizeof buf, "%s", t);
	free(t);
	return buf;
}

START_TEST(editor_edits)
{
	struct editor e;

	editor_init(&e, 1, 0);
	ck_assert_int_eq(editor_set(&e, "{\n  \"a\": 1\n}"), 0);
	ck_assert_uint_eq(e.nlines, 3);
	editor_key(&e, HK_DOWN, 8);
	editor_key(&e, HK_END, 8);
	ck_assert_int_eq(editor_insert(&e, ",\n  \"é\": \"ü\"", strlen(",\n  \"é\": \"ü\"")), 0);
	ck_assert_str_eq(text(&e), "{\n  \"a\": 1,\n  \"é\": \"ü\"\n}");
	ck_assert_uint_eq(e.row, 2);
	ck_assert_uint_eq(editor_cursor_x(&e), 10);
	editor_key(&e, HK_BACKSPACE, 8);   /* the closing quote */
	editor_key(&e, HK_BACKSPACE, 8);   /* ü, two bytes at once */
	ck_assert_str_eq(text(&e), "{\n  \"a\": 1,\n  \"é\": \"\n}");
	editor_key(&e, HK_HOME, 8);
	editor_key(&e, HK_BACKSPACE, 8);   /* joins with the line above */
	ck_assert_str_eq(text(&e), "{\n  \"a\": 1,  \"é\": \"\n}");
	ck_assert_uint_eq(e.row, 1);
	editor_key(&e, HK_END, 8);
	editor_key(&e, HK_DELETE, 8);      /* joins the next line */
	ck_assert_str_eq(text(&e), "{\n  \"a\": 1,  \"é\": \"}");
	editor_key(&e, HK_UP, 8);
	ck_assert_uint_eq(e.row, 0);
	ck_assert_uint_eq(e.col, 1);
	editor_free(&e);
}
END_TEST

START_TEST(editor_limits_and_scroll)
{
	struct editor e;
	char line[300];

	editor_init(&e, 0, 10);
	ck_assert_int_eq(editor_insert(&e, "ab\ncd\tx\x01", 8), 0);
	ck_assert_str_eq(text(&e), "abcd\tx");   /* one line: no break, no control */
	ck_assert_int_eq(editor_insert(&e, "123456", 6), -1);
	ck_assert_str_eq(text(&e), "abcd\tx");
	ck_assert_int_eq(editor_key(&e, HK_ENTER, 8), 0);
	editor_free(&e);

	editor_init(&e, 1, 0);
	memset(line, 'x', 200);
	line[200] = '\0';
	editor_set(&e, line);
	editor_key(&e, HK_END, 8);
	editor_scroll(&e, 5, 60);
	ck_assert_uint_eq(e.left, 141);
	for (int i = 0; i < 30; i++)
		editor_insert(&e, "\n", 1);
	editor_scroll(&e, 5, 60);
	ck_assert_uint_eq(e.top, 26);
	editor_key(&e, HK_PGUP, 10);
	editor_scroll(&e, 5, 60);
	ck_assert_uint_eq(e.row, 20);
	ck_assert_uint_eq(e.top, 20);
	editor_free(&e);
}
END_TEST

static const char generic[] = "{\n  \"title\": \"$Title\",\n  \"message\": \"$Event\"\n}";

/* The verdict line under the payload (static storage). */
static const char *verdict(const struct form *f)
{
	static char shown[1024];
	struct sbuf v;

	sbuf_init(&v);
	template_verdict_summary(&f->verdict, &v);
	snprintf(shown, sizeof shown, "%s", sbuf_text(&v));
	sbuf_release(&v);
	return shown;
}

static void type(struct form *f, const char *s)
{
	form_type(f, s, strlen(s));
}

START_TEST(form_new_webhook)
{
	struct catalog *cat = tu_catalog();
	struct form f;
	struct webhook wh;
	char err[ERR_MAX];

	ck_assert_int_eq(form_open(&f, cat, NULL, generic, err), 0);
	ck_assert_int_eq(f.focus, FF_NAME);
	ck_assert(f.verdict.ok);
	/* Save with nothing filled: every bad field listed, focus on the first. */
	f.focus = FF_TIMEOUT;
	ck_assert_uint_eq(form_build(&f, &wh), 3);
	webhook_clear(&wh);
	ck_assert_int_eq(f.focus, FF_NAME);
	ck_assert_int_eq(f.problems[0].field, WF_NAME);
	ck_assert_int_eq(f.problems[1].field, WF_URL);
	ck_assert_int_eq(f.problems[2].field, WF_EVENTS);
	type(&f, "ops ☂");
	form_key(&f, HK_TAB);
	ck_assert_int_eq(f.focus, FF_URL);
	type(&f, "https://hooks.slack.com/services/T0/B0/X");
	form_key(&f, HK_DOWN);
	ck_assert_int_eq(f.focus, FF_EVENTS);
	form_key(&f, ' ');                  /* High Severity Alarm */
	ck_assert_str_eq(catalog_event(cat, (size_t)f.rows[0].event)->id, "alarm.high_severity");
	ck_assert_uint_eq(form_build(&f, &wh), 0);
	ck_assert_str_eq(wh.name, "ops ☂");
	ck_assert_uint_eq(wh.nevents, 1);
	ck_assert_int_eq(wh.timeout, 10);
	ck_assert(wh.enabled && wh.verify_tls);
	webhook_clear(&wh);

	/* Live validation turns ✗ and back ✓ while typing. */
	f.focus = FF_PAYLOAD;
	form_key(&f, HK_DOWN);
	form_key(&f, HK_END);
	form_key(&f, HK_BACKSPACE);         /* the comma */
	ck_assert(!f.verdict.ok);
	ck_assert_str_eq(verdict(&f), "✗ line 3, column 3: ',' or '}' expected after the value (is a ',' missing at "
			 "the end of line 2?)");
	type(&f, ",");
	ck_assert(f.verdict.ok);
	ck_assert_str_eq(verdict(&f), "✓ valid JSON · $Title ✓ · $Event ✓");
	form_close(&f);
	catalog_free(cat);
}
END_TEST

/* The destination warning follows the URL, the payload and the format,
 * and never stops the save. */
START_TEST(form_destination_warning_is_live)
{
	struct catalog *cat = tu_catalog();
	struct form f;
	struct webhook wh;
	char err[ERR_MAX];

	ck_assert_int_eq(form_open(&f, cat, NULL, generic, err), 0);
	f.focus = FF_URL;
	type(&f, "http://127.0.0.1:9/services/hooks.slack.com");
	ck_assert_str_eq(form_destination_warning(&f), "");
	ck_assert_int_eq(editor_set(&f.url, "https://hooks.slack.com/services/T0/B0/X"), 0);
	ck_assert_str_eq(form_destination_warning(&f),
			 "Slack needs \"text\" or \"blocks\" at the top level; this body has neither");
	ck_assert_int_eq(editor_set(&f.payload, "{\"text\": \"$Title $Event\"}"), 0);
	f.focus = FF_PAYLOAD;
	type(&f, " ");
	ck_assert(f.verdict.ok);
	ck_assert_str_eq(form_destination_warning(&f), "");
	ck_assert_int_eq(editor_set(&f.url, "https://dev1.service-now.com/api/now/table/incident"), 0);
	ck_assert_ptr_nonnull(strstr(form_destination_warning(&f), "short_description"));
	f.chosen[0] = 1;
	ck_assert_int_eq(editor_set(&f.name, "snow"), 0);
	ck_assert_uint_eq(form_build(&f, &wh), 0);
	webhook_clear(&wh);
	form_close(&f);
	catalog_free(cat);
}
END_TEST

START_TEST(form_groups_formats_secret)
{
	struct catalog *cat = tu_catalog();
	struct form f;
	struct webhook wh;
	char err[ERR_MAX];
	size_t audit = 0, det = 0, i;

	ck_assert_int_eq(form_open(&f, cat, NULL, generic, err), 0);
	for (i = 0; i < f.nrows; i++) {
		if (f.rows[i].event < 0 && strcmp(catalog_group(cat, f.rows[i].group)->name, "Audit Events") == 0)
			audit = i;
		if (f.rows[i].event < 0 && strcmp(catalog_group(cat, f.rows[i].group)->name, "Detection") == 0)
			det = i;
	}
	f.focus = FF_EVENTS;
	f.row = audit;
	form_key(&f, ' ');
	ck_assert_int_eq(form_row_state(&f, &f.rows[audit]), 2);
	f.row = audit + 2;
	form_key(&f, ' ');
	ck_assert_int_eq(form_row_state(&f, &f.rows[audit]), 1);
	f.focus = FF_FORMAT;
	form_key(&f, ' ');
	ck_assert_int_eq(f.format, FORMAT_SLACK);
	form_key(&f, ' ');                  /* Jira refused: audit events are chosen */
	ck_assert_int_eq(f.format, FORMAT_DEFAULT);
	ck_assert_ptr_nonnull(strstr(f.note, "Jira formatting is only for Detection"));
	f.focus = FF_EVENTS;
	form_key(&f, 'a');                  /* all on */
	form_key(&f, 'a');                  /* all off */
	f.row = det;
	form_key(&f, ' ');
	f.focus = FF_FORMAT;
	form_key(&f, HK_LEFT);
	ck_assert_int_eq(f.format, FORMAT_JIRA);
	f.focus = FF_SECRET;
	form_key(&f, 'g');
	ck_assert(f.secret && strncmp(f.secret, "whsec_", 6) == 0 && f.secret_shown);
	form_key(&f, HK_TAB);
	ck_assert(!f.secret_shown);
	f.focus = FF_HEADERS;
	type(&f, "X-A: 1\n\nX B: 2");
	f.focus = FF_NAME;
	type(&f, "n");
	f.focus = FF_URL;
	type(&f, "http://127.0.0.1:9/");
	ck_assert_uint_eq(form_build(&f, &wh), 1);
	ck_assert_int_eq(f.focus, FF_HEADERS);
	ck_assert_ptr_nonnull(strstr(f.problems[0].msg, "invalid character"));
	webhook_clear(&wh);
	form_close(&f);
	catalog_free(cat);
}
END_TEST

START_TEST(form_rotates_the_secret)
{
	static const char old[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
	static const char older[] = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
	struct catalog *cat = tu_catalog();
	struct webhook orig, wh;
	struct form f;
	char err[ERR_MAX];
	long long before = store_now_ms();

	webhook_init(&orig);
	orig.id = 7;
	orig.version = 3;
	orig.name = strdup("a");
	orig.url = strdup("http://127.0.0.1:9/");
	orig.payload = strdup(generic);
	orig.secret = strdup(old);
	orig.secret_previous = strdup(older);
	orig.secret_previous_until = before + 1000;
	webhook_set_events(&orig, "admin.login", cat, err);
	ck_assert_int_eq(keys_action(CTX_FORM_SECRET, 'R'), A_ROTATE);

	/* Saved untouched: the previous secret still in its grace stays. */
	ck_assert_int_eq(form_open(&f, cat, &orig, "", err), 0);
	ck_assert_uint_eq(form_build(&f, &wh), 0);
	ck_assert_str_eq(wh.secret_previous, older);
	ck_assert_int_eq(wh.secret_previous_until, before + 1000);
	webhook_clear(&wh);

	/* R: a new secret, shown; the saved one signs for 24h after Save and
	 * the older one is dropped. */
	f.focus = FF_SECRET;
	form_key(&f, 'R');
	ck_assert(f.secret && strcmp(f.secret, old) != 0 && strncmp(f.secret, "whsec_", 6) == 0);
	ck_assert(f.secret_shown && f.dirty);
	ck_assert_ptr_nonnull(strstr(f.note, "after Save the old one keeps signing for 24h"));
	ck_assert_uint_eq(form_build(&f, &wh), 0);
	ck_assert_str_eq(wh.secret, f.secret);
	ck_assert_str_eq(wh.secret_previous, old);
	ck_assert_int_ge(wh.secret_previous_until, before + ROTATE_GRACE_DEFAULT_MS);
	ck_assert_int_le(wh.secret_previous_until, store_now_ms() + ROTATE_GRACE_DEFAULT_MS);
	webhook_clear(&wh);

	/* g after R replaces without a grace; x removes it all. */
	form_key(&f, 'g');
	ck_assert_uint_eq(form_build(&f, &wh), 0);
	ck_assert_str_eq(wh.secret_previous, older);
	webhook_clear(&wh);
	form_key(&f, 'x');
	ck_assert_uint_eq(form_build(&f, &wh), 0);
	ck_assert_ptr_null(wh.secret);
	ck_assert_ptr_null(wh.secret_previous);
	webhook_clear(&wh);
	form_close(&f);

	/* Nothing saved to keep: R generates, and says so. */
	ck_assert_int_eq(form_open(&f, cat, NULL, generic, err), 0);
	f.focus = FF_SECRET;
	form_key(&f, 'R');
	ck_assert_ptr_nonnull(f.secret);
	ck_assert_ptr_nonnull(strstr(f.note, "no saved secret to keep signing"));
	ck_assert(!f.rotated);
	form_close(&f);
	webhook_clear(&orig);
	catalog_free(cat);
}
END_TEST

START_TEST(form_edit_keeps_identity)
{
	struct catalog *cat = tu_catalog();
	struct webhook orig, wh;
	struct form f;
	char err[ERR_MAX];

	webhook_init(&orig);
	orig.id = 7;
	orig.version = 3;
	orig.name = strdup("a");
	orig.url = strdup("http://127.0.0.1:9/");
	orig.payload = strdup(generic);
	orig.timeout = 30;
	webhook_set_events(&orig, "admin.login", cat, err);
	webhook_add_header(&orig, "X-A: 1", err);
	ck_assert_int_eq(form_open(&f, cat, &orig, "", err), 0);
	ck_assert(!f.dirty);
	ck_assert_uint_eq(form_build(&f, &wh), 0);
	ck_assert_int_eq(wh.id, 7);
	ck_assert_int_eq(wh.version, 3);
	ck_assert_int_eq(wh.timeout, 30);
	ck_assert_str_eq(wh.headers[0], "X-A: 1");
	webhook_clear(&wh);
	ck_assert_int_eq(form_key(&f, HK_ESC), FORM_CANCEL);
	ck_assert_int_eq(form_key(&f, HK_CTRL('s')), FORM_SAVE);
	form_close(&f);
	webhook_clear(&orig);
	catalog_free(cat);
}
END_TEST

/* The reproduction: a form opened on a webhook with "Authorization:
 * Bearer …" showed the token in clear. Credential headers are masked and
 * read-only until r reveals them; leaving the field masks them again. */
START_TEST(form_masks_credential_headers)
{
	struct catalog *cat = tu_catalog();
	struct webhook orig, wh;
	struct form f;
	char err[ERR_MAX], *shown;

	webhook_init(&orig);
	orig.name = strdup("a");
	orig.url = strdup("http://127.0.0.1:9/");
	orig.payload = strdup(generic);
	webhook_set_events(&orig, "admin.login", cat, err);
	webhook_add_header(&orig, "X-Team: soc", err);
	webhook_add_header(&orig, "Authorization: Bearer abcdefghijklmnop", err);
	ck_assert_int_eq(form_open(&f, cat, &orig, "", err), 0);
	ck_assert(form_headers_masked(&f));
	shown = form_headers_masked_text(&f);
	ck_assert_str_eq(shown, "X-Team: soc\nAuthorization: ****mnop");
	free(shown);
	while (f.focus != FF_HEADERS)
		form_key(&f, HK_TAB);
	ck_assert(!form_is_text(&f));
	form_key(&f, 'x');
	ck_assert_ptr_nonnull(strstr(f.note, "press r to reveal"));
	ck_assert(!f.dirty);
	form_key(&f, 'r');
	ck_assert(!form_headers_masked(&f));
	ck_assert(form_is_text(&f));
	form_key(&f, HK_TAB);
	ck_assert(form_headers_masked(&f));
	/* What is saved is the real value, never the mask. */
	ck_assert_uint_eq(form_build(&f, &wh), 0);
	ck_assert_str_eq(wh.headers[1], "Authorization: Bearer abcdefghijklmnop");
	webhook_clear(&wh);
	form_close(&f);
	webhook_clear(&orig);
	catalog_free(cat);
}
END_TEST

/* The reproduction: the Jira preset was Generic under another name, its
 * formatting never Jira. It picks Jira for detection events only, and
 * says why it keeps the formatting otherwise. */
START_TEST(form_jira_preset_picks_jira_for_detections)
{
	struct catalog *cat = tu_catalog();
	struct form f;
	char err[ERR_MAX];
	size_t i;

	ck_assert_int_eq(form_open(&f, cat, NULL, generic, err), 0);
	for (i = 0; i < catalog_count(cat); i++)
		f.chosen[i] = strncmp(catalog_event(cat, i)->id, "detection", 9) == 0;
	form_apply_preset(&f, "jira", generic, FORMAT_JIRA);
	ck_assert_int_eq(f.format, FORMAT_JIRA);
	ck_assert_ptr_nonnull(strstr(f.note, "with Jira formatting"));
	f.format = FORMAT_DEFAULT;
	for (i = 0; i < catalog_count(cat); i++)
		f.chosen[i] = strcmp(catalog_event(cat, i)->id, "alarm.high_severity") == 0 || f.chosen[i];
	form_apply_preset(&f, "jira", generic, FORMAT_JIRA);
	ck_assert_int_eq(f.format, FORMAT_DEFAULT);
	ck_assert_ptr_nonnull(strstr(f.note, "the Jira preset keeps Default formatting"));
	ck_assert_ptr_nonnull(strstr(f.note, "alarm.high_severity"));
	form_close(&f);
	catalog_free(cat);
}
END_TEST

START_TEST(list_filter_and_selection)
{
	struct listview lv;
	struct webhook *list = calloc(4, sizeof *list);
	const char *names[] = { "alpha", "Beta", "gamma", "zeta-beta" };
	size_t i;

	for (i = 0; i < 4; i++) {
		webhook_init(&list[i]);
		list[i].id = (long long)i + 1;
		list[i].name = strdup(names[i]);
	}
	listview_init(&lv);
	ck_assert_ptr_null(listview_selected(&lv));
	ck_assert_int_eq(listview_set(&lv, list, NULL, 4), 0);
	listview_move(&lv, A_DOWN, 2);
	listview_move(&lv, A_DOWN, 2);
	ck_assert_str_eq(listview_selected(&lv)->name, "gamma");
	ck_assert_uint_eq(lv.top, 1);
	ck_assert_int_eq(listview_filter(&lv, "BETA", NULL), 0);
	ck_assert_uint_eq(lv.nshown, 2);
	ck_assert_str_eq(listview_selected(&lv)->name, "Beta");
	listview_move(&lv, A_END, 2);
	ck_assert_str_eq(listview_selected(&lv)->name, "zeta-beta");
	listview_filter(&lv, "nothing", NULL);
	ck_assert_ptr_null(listview_selected(&lv));
	/* Drawing keeps the view in bounds (A_NONE) while a filter hides the
	 * chosen webhook and shows another: that must not choose the other. */
	listview_filter(&lv, "alpha", NULL);
	listview_move(&lv, A_NONE, 2);
	listview_filter(&lv, "", NULL);
	ck_assert_uint_eq(lv.nshown, 4);
	/* The reproduction: the selection jumped to another row after a
	 * rename or a filter (the next F8 then targeted a different webhook).
	 * It follows the webhook by id: back after the filter hid it... */
	ck_assert_str_eq(listview_selected(&lv)->name, "zeta-beta");
	/* ...and across a reload where it was renamed and sorts elsewhere. */
	{
		struct webhook *again = calloc(4, sizeof *again);
		const char *renamed[] = { "aardvark", "alpha", "Beta", "gamma" };
		const long long ids[] = { 4, 1, 2, 3 };

		for (i = 0; i < 4; i++) {
			webhook_init(&again[i]);
			again[i].id = ids[i];
			again[i].name = strdup(renamed[i]);
		}
		ck_assert_int_eq(listview_set(&lv, again, NULL, 4), 0);
		ck_assert_str_eq(listview_selected(&lv)->name, "aardvark");
		ck_assert_int_eq(listview_selected(&lv)->id, 4);
	}
	listview_free(&lv);
}
END_TEST

START_TEST(dialogs_answer_and_scroll)
{
	struct dialog d = { 0 };
	struct sbuf text;
	int i;

	sbuf_init(&text);
	for (i = 1; i <= 30; i++)
		sbuf_appendf(&text, "line %d\n", i);
	dialog_open(&d, DIALOG_TEXT, 7, "Help", sbuf_text(&text));
	sbuf_release(&text);
	ck_assert_uint_eq(dialog_lines(&d), 31);
	dialog_layout(&d, 80, 12);          /* 10 rows, 8 of text */
	ck_assert_uint_eq(d.page, 8);
	ck_assert_int_eq(dialog_key(&d, HK_DOWN), DIALOG_OPEN);
	ck_assert_uint_eq(d.scroll, 1);
	ck_assert_int_eq(dialog_key(&d, HK_END), DIALOG_OPEN);
	ck_assert_uint_eq(d.scroll, 23);
	ck_assert_int_eq(dialog_key(&d, HK_DOWN), DIALOG_OPEN);
	ck_assert_uint_eq(d.scroll, 23);   /* the last page stays in view */
	ck_assert_int_eq(dialog_key(&d, HK_HOME), DIALOG_OPEN);
	ck_assert_uint_eq(d.scroll, 0);
	ck_assert_int_eq(dialog_key(&d, HK_PGDN), DIALOG_OPEN);
	ck_assert_uint_eq(d.scroll, 8);
	/* Search: / types the query, Enter finds it, n the next. */
	ck_assert_int_eq(dialog_key(&d, '/'), DIALOG_OPEN);
	ck_assert_int_eq(d.searching, 1);
	dialog_key(&d, 'l');
	dialog_key(&d, 'I');
	dialog_key(&d, 'n');
	dialog_key(&d, 'e');
	dialog_key(&d, ' ');
	dialog_key(&d, '2');
	dialog_key(&d, HK_ENTER);
	ck_assert_int_eq(d.searching, 0);
	ck_assert_int_eq(d.match, 19);     /* "line 20", from the line shown first */
	dialog_key(&d, 'n');
	ck_assert_int_eq(d.match, 20);
	dialog_key(&d, 'N');
	ck_assert_int_eq(d.match, 19);
	dialog_key(&d, '/');
	dialog_key(&d, 'z');
	dialog_key(&d, HK_ENTER);
	ck_assert_str_eq(d.status, "no match for \"z\"");
	ck_assert_int_eq(dialog_key(&d, HK_ESC), 0);
	dialog_close(&d);

	/* A new search looks at the first line shown too, then on. */
	dialog_open(&d, DIALOG_TEXT, 7, "Find", "zero\nneedle one\nneedle two");
	dialog_layout(&d, 80, 24);
	dialog_key(&d, '/');
	dialog_key(&d, 'n');
	dialog_key(&d, 'e');
	dialog_key(&d, HK_ENTER);
	ck_assert_int_eq(d.match, 1);
	dialog_key(&d, 'n');
	ck_assert_int_eq(d.match, 2);
	dialog_close(&d);

	/* A long line wraps instead of being cut. */
	dialog_open(&d, DIALOG_TEXT, 7, "Long", "word word word word word word word word word word word word end");
	dialog_layout(&d, 40, 24);
	ck_assert_uint_eq(d.nshown, 3);
	ck_assert_ptr_nonnull(strstr(d.shown, "end"));
	dialog_close(&d);

	dialog_open(&d, DIALOG_CONFIRM, 1, "Delete", "Delete it?");
	ck_assert_int_eq(dialog_key(&d, HK_ENTER), 0);   /* the default is No */
	dialog_open(&d, DIALOG_CONFIRM, 1, "Delete", "Delete it?");
	ck_assert_int_eq(dialog_key(&d, 'y'), 1);
	dialog_close(&d);

	/* A choice longer than the box scrolls with its cursor. */
	dialog_open(&d, DIALOG_CHOICE, 2, "Pick", "");
	for (i = 0; i < 20; i++)
		dialog_add_choice(&d, "a choice");
	dialog_layout(&d, 80, 12);
	for (i = 0; i < 15; i++)
		dialog_key(&d, HK_DOWN);
	ck_assert_uint_eq(d.choice, 15);
	ck_assert_uint_ge(d.choice, d.scroll);
	ck_assert_uint_lt(d.choice, d.scroll + d.page);
	ck_assert_int_eq(dialog_key(&d, HK_ENTER), 15);
	dialog_close(&d);
}
END_TEST

/* hookman(1) lists every key: its KEYS section holds the key table's
 * text verbatim. When it does not, the table's is written to keys.man
 * to paste in. */
START_TEST(man_page_lists_every_key)
{
	struct sbuf man, page;
	char path[4096], buf[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "%s/../doc/hookman.1", getenv("HOOKMAN_DATADIR"));
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	sbuf_init(&page);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_appendn(&page, buf, n);
	fclose(f);
	sbuf_init(&man);
	keys_man(&man);
	if (!strstr(sbuf_text(&page), sbuf_text(&man))) {
		f = fopen("keys.man", "w");
		if (f) {
			fputs(sbuf_text(&man), f);
			fclose(f);
		}
		ck_abort_msg("%s does not list the keys as the key table has them; the table's text is in keys.man",
			     path);
	}
	sbuf_release(&man);
	sbuf_release(&page);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("models");

	tcase_add_test(tc, key_table);
	tcase_add_test(tc, editor_edits);
	tcase_add_test(tc, editor_limits_and_scroll);
	tcase_add_test(tc, form_new_webhook);
	tcase_add_test(tc, form_groups_formats_secret);
	tcase_add_test(tc, form_rotates_the_secret);
	tcase_add_test(tc, form_edit_keeps_identity);
	tcase_add_test(tc, form_masks_credential_headers);
	tcase_add_test(tc, form_jira_preset_picks_jira_for_detections);
	tcase_add_test(tc, list_filter_and_selection);
	tcase_add_test(tc, dialogs_answer_and_scroll);
	tcase_add_test(tc, man_page_lists_every_key);
	tcase_add_test(tc, form_destination_warning_is_live);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
