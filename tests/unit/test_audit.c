#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "datadir.h"
#include "holds.h"
#include "rotate.h"
#include "schema.h"
#include "testutil.h"

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

static struct catalog *cat;
static struct store *st;
static struct audit au;

static void setup(void)
{
	char err[ERR_MAX];

	unsetenv("SSH_CONNECTION");
	cat = tu_catalog();
	st = tu_store_open(err);
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_msg(audit_attach(&au, st, datadir_resolve(NULL), "cli", err) == 0, "%s", err);
}

static void teardown(void)
{
	audit_detach(&au);
	tu_store_close(st);
	catalog_free(cat);
}

static long long q(const char *sql)
{
	return tu_count(st, sql);
}

static void fill(struct webhook *wh, const char *name, const char *events)
{
	char err[ERR_MAX];

	webhook_init(wh);
	wh->name = strdup(name);
	wh->url = strdup("https://hooks.slack.com/services/T0001/B0001/abcdefghijkl");
	wh->payload = strdup("{\"t\": \"$Title\", \"m\": \"$Event\"}");
	wh->secret = strdup(SECRET);
	ck_assert_int_eq(webhook_set_events(wh, events, cat, err), 0);
}

static long long add(const char *name, const char *events)
{
	struct webhook wh;
	char err[ERR_MAX];
	long long id;

	fill(&wh, name, events);
	ck_assert_msg(store_webhook_insert(st, &wh, err) == 0, "%s", err);
	id = wh.id;
	webhook_clear(&wh);
	return id;
}

/* What audit_each gave: the webhook and the data of each entry, up to 8. */
struct seen {
	size_t n;
	char webhook[8][128], action[8][16];
	json_t *data[8];
};

static int collect(void *ctx, const struct audit_entry *e, char *err)
{
	struct seen *s = ctx;

	(void)err;
	ck_assert_uint_lt(s->n, 8);
	snprintf(s->webhook[s->n], sizeof s->webhook[0], "%s", e->webhook ? e->webhook : "");
	snprintf(s->action[s->n], sizeof s->action[0], "%s", e->action);
	s->data[s->n] = json_loads(e->data, 0, NULL);
	ck_assert_ptr_nonnull(s->data[s->n]);
	s->n++;
	return 0;
}

static void seen_free(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		json_decref(s->data[i]);
}

/* The data of the newest entry, parsed. */
static json_t *last_data(void)
{
	struct seen s = { 0 };
	char err[ERR_MAX];

	ck_assert_msg(audit_each(st, 0, NULL, 1, collect, &s, err) == 0, "%s", err);
	ck_assert_uint_eq(s.n, 1);
	return s.data[0];
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

START_TEST(each_change_is_recorded_and_fired_to_its_subscribers)
{
	struct webhook wh;
	char err[ERR_MAX];

	add("siem", "audit");                  /* every audit event */
	add("creates only", "audit.create");
	add("alarms", "alarm.high_severity");
	ck_assert_int_eq(q("SELECT count(*) FROM audit WHERE action = 'create'"), 3);
	/* siem hears of its own creation and of the two after it; "creates
	 * only" of itself and of alarms; alarms of nothing. */
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
			   "WHERE w.name = 'siem'"), 3);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
			   "WHERE w.name = 'creates only'"), 2);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
			   "WHERE w.name = 'alarms'"), 0);
	ck_assert_uint_eq(au.queued, 5);
	/* Each entry is linked to the event it fired, of its type. */
	ck_assert_int_eq(q("SELECT count(*) FROM audit a JOIN events e ON e.id = a.event_id "
			   "WHERE e.type = 'audit.' || a.action"), 3);

	ck_assert_int_eq(store_webhook_get(st, "alarms", &wh, err), 0);
	wh.timeout = 30;
	wh.enabled = 0;
	ck_assert_msg(store_webhook_update(st, &wh, err) == 0, "%s", err);
	webhook_clear(&wh);
	ck_assert_int_eq(store_webhook_delete(st, "alarms", NULL, err), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id "
			   "JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'siem' AND e.type = 'audit.update'"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id "
			   "JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'siem' AND e.type = 'audit.delete'"), 1);
	/* The title says what happened, for a chat message that shows only it. */
	ck_assert_int_eq(q("SELECT count(*) FROM events WHERE type = 'audit.delete' AND title LIKE "
			   "'AUDIT EVENT: DELETE: deleted webhook \"alarms\" (% via cli)'"), 1);
}
END_TEST

START_TEST(an_update_lists_what_changed_masked)
{
	struct webhook wh;
	char err[ERR_MAX], *text;
	json_t *data, *ch;

	setenv("SSH_CONNECTION", "203.0.113.9 52144 10.0.0.2 22", 1);
	audit_detach(&au);
	ck_assert_int_eq(audit_attach(&au, st, datadir_resolve(NULL), "tui", err), 0);
	add("slack", "alarm.high_severity");
	ck_assert_int_eq(store_webhook_get(st, "slack", &wh, err), 0);
	free(wh.url);
	wh.url = strdup("https://hooks.slack.com/services/T0002/B0002/mnopqrstuvwx");
	ck_assert_int_eq(webhook_add_header(&wh, "Authorization: Bearer s3cr3t-t0ken-value", err), 0);
	free(wh.secret);
	wh.secret = strdup("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
	ck_assert_msg(store_webhook_update(st, &wh, err) == 0, "%s", err);
	webhook_clear(&wh);
	data = last_data();
	ck_assert_str_eq(str(data, "action"), "update");
	ck_assert_str_eq(str(data, "object"), "updated webhook \"slack\": url, secret, headers");
	ck_assert_str_eq(str(data, "via"), "tui");
	ck_assert_str_eq(str(data, "source_ip"), "203.0.113.9");
	ck_assert_str_eq(str(json_object_get(data, "who"), "ssh_client"), "203.0.113.9");
	ck_assert_str_eq(str(data, "webhook"), "slack");
	ck_assert_uint_eq(json_array_size(json_object_get(data, "changes")), 3);
	ch = json_array_get(json_object_get(data, "changes"), 0);
	ck_assert_str_eq(str(ch, "field"), "url");
	ck_assert_str_eq(str(ch, "from"), "https://hooks.slack.com/services/T0\xe2\x80\xa6/****");
	/* No credential in the clear, anywhere in the entry. */
	text = json_dumps(data, 0);
	ck_assert_ptr_null(strstr(text, "abcdefghijkl"));
	ck_assert_ptr_null(strstr(text, "mnopqrstuvwx"));
	ck_assert_ptr_null(strstr(text, "s3cr3t-t0ken"));
	ck_assert_ptr_null(strstr(text, "MfKQ9r8GKYqrTwjUPD8ILPZIo2"));
	ck_assert_ptr_nonnull(strstr(text, "whsec_****LaSw"));
	free(text);
	json_decref(data);
	ck_assert_int_eq(q("SELECT count(*) FROM events WHERE data LIKE '%s3cr3t%' OR data LIKE '%mnopqrstuvwx%'"), 0);
}
END_TEST

START_TEST(renames_and_toggles_read_as_such)
{
	struct webhook wh;
	char err[ERR_MAX];
	json_t *data;

	add("old", "alarm.high_severity");
	ck_assert_int_eq(store_webhook_get(st, "old", &wh, err), 0);
	free(wh.name);
	wh.name = strdup("new");
	ck_assert_int_eq(store_webhook_update(st, &wh, err), 0);
	data = last_data();
	ck_assert_str_eq(str(data, "object"), "renamed webhook \"old\" to \"new\"");
	json_decref(data);
	wh.enabled = 0;
	ck_assert_int_eq(store_webhook_update(st, &wh, err), 0);
	data = last_data();
	ck_assert_str_eq(str(data, "object"), "disabled webhook \"new\"");
	json_decref(data);
	/* A save that changes nothing records nothing. */
	ck_assert_int_eq(store_webhook_update(st, &wh, err), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM audit"), 3);
	webhook_clear(&wh);
	/* The webhook's entries are found under its name now, across the
	 * rename, and under its old name. */
	{
		struct seen s = { 0 }, old = { 0 };

		ck_assert_int_eq(audit_each(st, 0, "NEW", 0, collect, &s, err), 0);
		ck_assert_uint_eq(s.n, 3);
		ck_assert_str_eq(s.action[0], "create");
		ck_assert_str_eq(s.webhook[0], "old");
		seen_free(&s);
		ck_assert_int_eq(audit_each(st, 0, "old", 0, collect, &old, err), 0);
		ck_assert_uint_eq(old.n, 3);
		seen_free(&old);
	}
}
END_TEST

START_TEST(a_refused_change_records_and_fires_nothing)
{
	struct webhook wh, stale;
	char err[ERR_MAX];
	long long entries, events;

	add("siem", "audit");
	add("taken", "alarm.high_severity");
	entries = q("SELECT count(*) FROM audit");
	events = q("SELECT count(*) FROM events");
	fill(&wh, "TAKEN", "alarm.high_severity");
	ck_assert_int_eq(store_webhook_insert(st, &wh, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_EXISTS);
	webhook_clear(&wh);
	ck_assert_int_eq(store_webhook_get(st, "taken", &stale, err), 0);
	ck_assert_int_eq(store_webhook_get(st, "taken", &wh, err), 0);
	wh.timeout = 20;
	ck_assert_int_eq(store_webhook_update(st, &wh, err), 0);
	stale.timeout = 30;
	ck_assert_int_eq(store_webhook_update(st, &stale, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_CONFLICT);
	ck_assert_int_eq(q("SELECT count(*) FROM audit"), entries + 1);
	ck_assert_int_eq(q("SELECT count(*) FROM events"), events + 1);
	/* A change the caller's transaction rolls back leaves no trace either. */
	ck_assert_int_eq(store_begin(st, err), 0);
	add("rolled back", "alarm.high_severity");
	store_rollback(st);
	ck_assert_int_eq(q("SELECT count(*) FROM audit"), entries + 1);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries"), events + 1);
	webhook_clear(&wh);
	webhook_clear(&stale);
}
END_TEST

START_TEST(a_change_that_cannot_be_recorded_is_not_made)
{
	struct webhook wh;
	char err[ERR_MAX];

	audit_detach(&au);
	ck_assert_int_eq(audit_attach(&au, st, "/nonexistent/hookman-data", "cli", err), 0);
	fill(&wh, "unrecorded", "alarm.high_severity");
	ck_assert_int_eq(store_webhook_insert(st, &wh, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/hookman-data"));
	webhook_clear(&wh);
	ck_assert_int_eq(q("SELECT count(*) FROM webhooks"), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM audit"), 0);
}
END_TEST

START_TEST(a_rotation_is_an_update_of_the_secret)
{
	struct rotation r;
	char err[ERR_MAX];
	json_t *data;

	add("rot", "alarm.high_severity");
	ck_assert_msg(rotate_secret(st, "rot", 3600000, store_now_ms(), &r, err) == 0, "%s", err);
	data = last_data();
	ck_assert_str_eq(str(data, "object"), "updated webhook \"rot\": secret, previous secret");
	/* The old secret's end is part of it: a later end would keep it valid. */
	ck_assert(strncmp(str(json_array_get(json_object_get(data, "changes"), 1), "to"), "whsec_****LaSw until ", 21) == 0);
	json_decref(data);
}
END_TEST

START_TEST(login_logout_and_downloads_are_recorded)
{
	struct webhook wh;
	char err[ERR_MAX];
	json_t *data;

	add("siem", "audit.login,audit.download");
	ck_assert_int_eq(audit_record(&au, "login", NULL, err, "opened the interface"), 0);
	ck_assert_int_eq(store_webhook_get(st, "siem", &wh, err), 0);
	ck_assert_int_eq(audit_record(&au, "download", &wh, err, "revealed the URL and secrets of webhook \"%s\"",
				      wh.name), 0);
	webhook_clear(&wh);
	data = last_data();
	ck_assert_str_eq(str(data, "action"), "download");
	ck_assert_str_eq(str(data, "actor"), au.who.user);
	ck_assert_str_eq(str(json_object_get(data, "who"), "host"), au.who.host);
	ck_assert(strncmp(str(data, "audit_id"), "aud_", 4) == 0);
	json_decref(data);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id "
			   "WHERE e.type IN ('audit.login', 'audit.download')"), 2);
}
END_TEST

/* The store taken back to version 7 (what v8 added goes) and opened
 * again, which upgrades it; not attached yet. SQLite's schema versions:
 * a PostgreSQL store starts at the newest. */
static void reopen_from_version_7(void)
{
	audit_detach(&au);
	tu_exec(st, "DROP TABLE audit");
	tu_exec(st, "ALTER TABLE webhooks DROP COLUMN refs");
	tu_exec(st, "PRAGMA user_version=7");
	st = tu_store_reopen(st);
	ck_assert_int_eq(store_upgraded_from(st), 7);
}

START_TEST(an_upgrade_is_recorded_and_fired_once)
{
	char err[ERR_MAX];
	json_t *data;

	add("siem", "audit.upgrade");
	reopen_from_version_7();
	ck_assert_int_eq(audit_attach(&au, st, datadir_resolve(NULL), "hookmand", err), 0);
	data = last_data();
	ck_assert_str_eq(str(data, "action"), "upgrade");
	ck_assert_ptr_nonnull(strstr(str(data, "object"), "from schema version 7 to "));
	json_decref(data);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id "
			   "WHERE e.type = 'audit.upgrade'"), 1);
	/* Attaching again fires nothing more. */
	audit_detach(&au);
	ck_assert_int_eq(audit_attach(&au, st, datadir_resolve(NULL), "cli", err), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM events WHERE type = 'audit.upgrade'"), 1);
}
END_TEST

START_TEST(an_upgrade_recorded_without_the_catalog_fires_later)
{
	char err[ERR_MAX];

	add("siem", "audit.upgrade");
	reopen_from_version_7();
	ck_assert_int_eq(audit_attach(&au, st, "/nonexistent/hookman-data", "hookmand", err), -1);
	audit_detach(&au);
	ck_assert_int_eq(q("SELECT count(*) FROM audit WHERE action = 'upgrade' AND event_id IS NULL"), 1);
	ck_assert_int_eq(audit_attach(&au, st, datadir_resolve(NULL), "cli", err), 0);
	ck_assert_int_eq(q("SELECT count(*) FROM audit WHERE action = 'upgrade' AND event_id IS NOT NULL"), 1);
	ck_assert_int_eq(q("SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id "
			   "WHERE e.type = 'audit.upgrade'"), 1);
}
END_TEST

START_TEST(who_is_read_from_the_process_not_trusted_text)
{
	struct actor a;
	char phrase[512];
	json_t *o;

	setenv("SSH_CONNECTION", "2001:db8::7 40022 2001:db8::1 22", 1);
	actor_detect(&a, "cli");
	ck_assert_str_eq(a.ssh_client, "2001:db8::7");
	actor_phrase(&a, phrase, sizeof phrase);
	ck_assert_ptr_nonnull(strstr(phrase, "(ssh 2001:db8::7)"));
	setenv("SSH_CONNECTION", "$(reboot) 1 2 3", 1);
	actor_detect(&a, "cli");
	ck_assert_str_eq(a.ssh_client, "");
	setenv("SSH_CONNECTION", "deadbeef 1 2 3", 1);
	actor_detect(&a, "cli");
	ck_assert_str_eq(a.ssh_client, "");
	setenv("SSH_CONNECTION", "fe80::1%eth0 40022 fe80::2%eth0 22", 1);
	actor_detect(&a, "cli");
	ck_assert_str_eq(a.ssh_client, "fe80::1%eth0");
	/* sudo -u svc: who ran sudo is named, whatever the account. */
	setenv("SUDO_USER", "alice", 1);
	actor_detect(&a, "cli");
	ck_assert_str_eq(a.sudo_user, strcmp(a.user, "alice") ? "alice" : "");
	unsetenv("SUDO_USER");
	setenv("SSH_CONNECTION", "$(reboot) 1 2 3", 1);
	actor_detect(&a, "cli");
	ck_assert_str_eq(a.via, "cli");
	ck_assert_int_eq(a.uid, (long long)getuid());
	o = actor_to_json(&a);
	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_null(json_object_get(o, "ssh_client"));
	json_decref(o);
}
END_TEST

START_TEST(a_long_name_keeps_the_title_within_bounds)
{
	char name[NAME_MAX_CHARS * 3 + 1], err[ERR_MAX];
	struct webhook wh;
	size_t i;

	/* A rename between two names of 100 three-byte characters says more
	 * than a title holds: it is cut on a character, at 200. */
	for (i = 0; i < NAME_MAX_CHARS; i++)
		memcpy(name + 3 * i, "\xe2\x82\xac", 3);
	name[3 * NAME_MAX_CHARS] = '\0';
	add("siem", "audit");
	add(name, "alarm.high_severity");
	ck_assert_int_eq(store_webhook_get(st, name, &wh, err), 0);
	for (i = 0; i < NAME_MAX_CHARS; i++)
		memcpy(wh.name + 3 * i, "\xe2\x82\xa4", 3);
	ck_assert_int_eq(store_webhook_update(st, &wh, err), 0);
	webhook_clear(&wh);
	ck_assert_int_eq(q("SELECT count(*) FROM events WHERE type = 'audit.update' AND length(title) = 200 "
			   "AND title LIKE 'AUDIT EVENT: UPDATE: renamed webhook %'"), 1);
}
END_TEST

START_TEST(the_list_filters_by_time_and_keeps_the_newest)
{
	struct seen s = { 0 }, none = { 0 };
	char err[ERR_MAX];

	add("a", "alarm.high_severity");
	add("b", "alarm.high_severity");
	add("c", "alarm.high_severity");
	ck_assert_int_eq(audit_each(st, 0, NULL, 2, collect, &s, err), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.webhook[0], "b");
	ck_assert_str_eq(s.webhook[1], "c");
	seen_free(&s);
	ck_assert_int_eq(audit_each(st, store_now_ms() + 60000, NULL, 0, collect, &none, err), 0);
	ck_assert_uint_eq(none.n, 0);
}
END_TEST

/* Review finds: each was a change or a secret shown with no trace. */
START_TEST(what_the_review_found_unrecorded_is_recorded)
{
	struct hold_target t = { NULL, "audit.delete" };
	struct hold_set_result hr;
	struct webhook wh;
	long long queued, dropped;
	char err[ERR_MAX];
	json_t *data;

	add("siem", "audit");
	/* A hold on the record's own event type. */
	ck_assert_msg(holds_set(st, &t, store_now_ms(), 0, 1, &hr, err) == 0, "%s", err);
	data = last_data();
	ck_assert_str_eq(str(data, "object"), "held event type audit.delete until released, dropping new deliveries");
	json_decref(data);
	ck_assert_int_eq(holds_release(st, &t, store_now_ms(), &queued, &dropped, err), 0);
	data = last_data();
	ck_assert_str_eq(str(data, "object"), "released the hold on event type audit.delete");
	json_decref(data);
	/* A rename does not hide a new URL. */
	ck_assert_int_eq(store_webhook_get(st, "siem", &wh, err), 0);
	free(wh.name);
	wh.name = strdup("siem2");
	free(wh.url);
	wh.url = strdup("http://127.0.0.1:9/elsewhere");
	ck_assert_int_eq(store_webhook_update(st, &wh, err), 0);
	data = last_data();
	ck_assert_str_eq(str(data, "object"), "renamed webhook \"siem\" to \"siem2\" and changed url");
	json_decref(data);
	/* A later end for a rotated-out secret is a change. */
	wh.secret_previous = strdup("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
	wh.secret_previous_until = store_now_ms() + 3600000;
	ck_assert_int_eq(store_webhook_update(st, &wh, err), 0);
	wh.secret_previous_until += 86400000LL * 3650;
	ck_assert_int_eq(store_webhook_update(st, &wh, err), 0);
	data = last_data();
	ck_assert_str_eq(str(json_array_get(json_object_get(data, "changes"), 0), "field"), "previous secret");
	json_decref(data);
	/* What a phrase quotes need not be UTF-8 or free of controls. */
	ck_assert_int_eq(audit_record(&au, "download", &wh, err, "exported to %s", "/tmp/\xff\x1b[2Jx\xe2\x80\xaejson.txt"), 0);
	data = last_data();
	ck_assert_str_eq(str(data, "object"), "exported to /tmp/??[2Jx?json.txt");
	ck_assert_str_eq(str(data, "webhook"), "siem2");
	json_decref(data);
	webhook_clear(&wh);
	/* Hand-fired audit events hookman fires itself are refused; the
	 * host's own (a reboot) are not. */
	ck_assert_int_eq(audit_check_fire("audit.delete", err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "hookman test NAME --event audit.delete"));
	ck_assert_int_eq(audit_check_fire("audit.reboot", err), 0);
	ck_assert_int_eq(audit_check_fire("admin.login", err), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("audit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, each_change_is_recorded_and_fired_to_its_subscribers);
	tcase_add_test(tc, an_update_lists_what_changed_masked);
	tcase_add_test(tc, renames_and_toggles_read_as_such);
	tcase_add_test(tc, a_refused_change_records_and_fires_nothing);
	tcase_add_test(tc, a_change_that_cannot_be_recorded_is_not_made);
	tcase_add_test(tc, a_rotation_is_an_update_of_the_secret);
	tcase_add_test(tc, login_logout_and_downloads_are_recorded);
	/* Upgrades from SQLite's older schemas. */
	if (tu_backend_is_sqlite()) {
		tcase_add_test(tc, an_upgrade_is_recorded_and_fired_once);
		tcase_add_test(tc, an_upgrade_recorded_without_the_catalog_fires_later);
	}
	tcase_add_test(tc, who_is_read_from_the_process_not_trusted_text);
	tcase_add_test(tc, a_long_name_keeps_the_title_within_bounds);
	tcase_add_test(tc, the_list_filters_by_time_and_keeps_the_newest);
	tcase_add_test(tc, what_the_review_found_unrecorded_is_recorded);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
