#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "err.h"
#include "event.h"
#include "testutil.h"

START_TEST(catalog_has_design_events)
{
	struct catalog *cat = tu_catalog();
	const struct catalog_event *e;

	ck_assert_uint_eq(catalog_count(cat), 18);
	ck_assert_uint_eq(catalog_group_count(cat), 9);
	e = catalog_find(cat, "alarm.high_severity");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->title, "HIGH SEVERITY ALARM DETECTED");
	ck_assert_str_eq(catalog_group(cat, e->group)->name, "High Severity Alarm");
	e = catalog_find(cat, "audit.upgrade");
	ck_assert_str_eq(e->title, "AUDIT EVENT: UPGRADE");
	ck_assert_str_eq(catalog_group(cat, e->group)->name, "Audit Events");
	ck_assert_uint_eq(catalog_group(cat, e->group)->count, 8);
	e = catalog_find(cat, "detection_group.updated");
	ck_assert_str_eq(e->title, "DETECTION GROUP UPDATED");
	ck_assert(catalog_group(cat, e->group)->jira);
	ck_assert(!catalog_group(cat, catalog_find(cat, "admin.login")->group)->jira);
	ck_assert_ptr_null(catalog_find(cat, "no.such"));
	catalog_free(cat);
}
END_TEST

/* One case style per kind of name, as DESIGN.md writes them: event titles
 * (what $Title becomes) in capitals, group names and their short forms in
 * title case (short joining words such as "with" in lower case). */
static int title_case(const char *s)
{
	static const char *const small[] = { "with ", "and ", "of ", "for ", NULL };
	const char *w;
	size_t k;

	for (w = s; *w; w = strchr(w, ' ') ? strchr(w, ' ') + 1 : w + strlen(w)) {
		for (k = 0; small[k] && strncmp(w, small[k], strlen(small[k])) != 0; k++)
			;
		if (!small[k] && !(*w >= 'A' && *w <= 'Z'))
			return 0;
	}
	return 1;
}

START_TEST(names_share_one_case_style)
{
	struct catalog *cat = tu_catalog();
	const char *p;
	size_t i;

	for (i = 0; i < catalog_count(cat); i++)
		for (p = catalog_event(cat, i)->title; *p; p++)
			ck_assert_msg(!(*p >= 'a' && *p <= 'z'), "title \"%s\" is not in capitals",
				      catalog_event(cat, i)->title);
	for (i = 0; i < catalog_group_count(cat); i++) {
		ck_assert_msg(title_case(catalog_group(cat, i)->name), "group \"%s\"", catalog_group(cat, i)->name);
		ck_assert_msg(title_case(catalog_group(cat, i)->shortname), "short name \"%s\"",
			      catalog_group(cat, i)->shortname);
	}
	catalog_free(cat);
}
END_TEST

START_TEST(every_event_has_a_sample)
{
	struct catalog *cat = tu_catalog();
	char err[ERR_MAX];
	size_t i;

	for (i = 0; i < catalog_count(cat); i++) {
		const char *id = catalog_event(cat, i)->id;
		json_t *s = event_sample(cat, id, err);

		ck_assert_msg(s != NULL, "%s: %s", id, err);
		ck_assert_str_eq(json_string_value(json_object_get(s, "type")), id);
		ck_assert_ptr_nonnull(json_string_value(json_object_get(s, "severity")));
		ck_assert_int_gt(json_object_size(json_object_get(s, "data")), 2);
		json_decref(s);
	}
	catalog_free(cat);
}
END_TEST

START_TEST(missing_datadir_is_explained)
{
	char err[ERR_MAX];
	struct catalog *cat = catalog_load("/nonexistent/hookman", err);

	ck_assert_ptr_null(cat);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/hookman/events.json"));
	ck_assert_ptr_nonnull(strstr(err, "HOOKMAN_DATADIR"));
}
END_TEST

START_TEST(duplicate_ids_are_refused)
{
	const char *dir = tu_tmpdir();
	char path[600], err[ERR_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/events.json", dir);
	f = fopen(path, "w");
	fputs("{\"groups\":[{\"name\":\"A\",\"events\":[{\"id\":\"a.x\",\"title\":\"X\"},"
	      "{\"id\":\"a.x\",\"title\":\"Y\"}]}]}", f);
	fclose(f);
	ck_assert_ptr_null(catalog_load(dir, err));
	ck_assert_ptr_nonnull(strstr(err, "\"a.x\" appears twice"));
	tu_rmtree(dir);
}
END_TEST

/* --events takes group ids (item 15 of "Trust in the front ends"): each
 * group is known by the part of its events' ids before the dot, several
 * catalog groups may share one (processing), and `hookman events` shows
 * them. */
START_TEST(group_ids)
{
	struct catalog *cat = tu_catalog();
	char chosen[18] = { 0 }, *ids;
	size_t i;

	ck_assert_str_eq(catalog_group(cat, 0)->id, "alarm");
	ck_assert_str_eq(catalog_group(cat, 1)->id, "event");
	for (i = 2; i <= 4; i++)
		ck_assert_str_eq(catalog_group(cat, i)->id, "processing");
	ck_assert_str_eq(catalog_group(cat, catalog_find(cat, "audit.reboot")->group)->id, "audit");
	ck_assert_str_eq(catalog_group(cat, catalog_find(cat, "detection_group.created")->group)->id,
			 "detection_group");
	ids = catalog_group_ids(cat, ", ");
	ck_assert_str_eq(ids, "alarm, event, processing, admin, audit, detection, detection_group");
	free(ids);
	ck_assert_uint_eq(catalog_select_group(cat, "processing", chosen), 3);
	for (i = 0; i < 18; i++)
		ck_assert_int_eq(chosen[i], i >= 2 && i <= 4);
	ck_assert_uint_eq(catalog_select_group(cat, "audit", chosen), 8);
	ck_assert_int_eq(chosen[6], 1);
	ck_assert_int_eq(chosen[13], 1);
	ck_assert_int_eq(chosen[14], 0);
	ck_assert_uint_eq(catalog_select_group(cat, "nope", chosen), 0);
	ck_assert_uint_eq(catalog_select_group(cat, "audit.create", chosen), 0);
	ck_assert_uint_eq(catalog_select_group(cat, "", chosen), 0);
	catalog_free(cat);
}
END_TEST

static void write_catalog(const char *dir, const char *json)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/events.json", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(json, f);
	fclose(f);
}

/* A group id must stand for the whole group: a group whose events belong
 * to two families, or a family called "all" (which --events reserves), is
 * a catalog error. */
START_TEST(group_ids_are_checked)
{
	const char *dir = tu_tmpdir();
	char err[ERR_MAX];

	write_catalog(dir, "{\"groups\":[{\"name\":\"Mixed\",\"events\":[{\"id\":\"a.x\",\"title\":\"X\"},"
		      "{\"id\":\"b.y\",\"title\":\"Y\"}]}]}");
	ck_assert_ptr_null(catalog_load(dir, err));
	ck_assert_msg(strstr(err, "group \"Mixed\" holds \"a.x\" and \"b.y\"") != NULL, "%s", err);
	write_catalog(dir, "{\"groups\":[{\"name\":\"Every\",\"events\":[{\"id\":\"all.x\",\"title\":\"X\"}]}]}");
	ck_assert_ptr_null(catalog_load(dir, err));
	ck_assert_msg(strstr(err, "\"all.x\"") && strstr(err, "\"all\""), "%s", err);
	tu_rmtree(dir);
}
END_TEST

START_TEST(event_init_uses_sample_and_checks_input)
{
	struct catalog *cat = tu_catalog();
	struct event ev;
	char err[ERR_MAX];

	ck_assert_int_eq(event_init(&ev, cat, "detection.created", NULL, NULL, err), 0);
	ck_assert_str_eq(ev.title, "DETECTION CREATED");
	ck_assert_str_eq(ev.severity, "high");
	ck_assert(strncmp(ev.uid, "evt_", 4) == 0 && strlen(ev.uid) == 30);
	ck_assert_str_eq(json_string_value(json_object_get(ev.data, "host")), "dc-01.corp.example");
	event_clear(&ev);

	ck_assert_int_eq(event_init(&ev, cat, "admin.login", "Custom", json_pack("{s:s}", "severity", "critical"), err), 0);
	ck_assert_str_eq(ev.title, "Custom");
	ck_assert_str_eq(ev.severity, "critical");
	event_clear(&ev);

	ck_assert_int_eq(event_init(&ev, cat, "nope", NULL, NULL, err), -1);
	ck_assert_str_eq(err, "unknown event type \"nope\" (see 'hookman events' for the catalog)");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_int_eq(event_init(&ev, cat, "admin.login", "bad\x01title", NULL, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "control character"));
	ck_assert_int_eq(event_init(&ev, cat, "admin.login", "\xff", NULL, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not valid UTF-8"));
	ck_assert_int_eq(event_init(&ev, cat, "admin.login", NULL, json_array(), err), -1);
	ck_assert_str_eq(err, "event data must be a JSON object");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_ptr_null(catalog_sample(cat, "nope", err));
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	catalog_free(cat);
}
END_TEST

START_TEST(presets_match_the_design)
{
	struct catalog *cat = tu_catalog();
	char err[ERR_MAX], *payload;
	enum format f;
	json_t *j;

	ck_assert_int_eq(datadir_preset(catalog_datadir(cat), "slack", &payload, &f, err), 0);
	ck_assert_int_eq(f, FORMAT_SLACK);
	j = json_loads(payload, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "text")), "*$Title*\nDetails: $Event");
	json_decref(j);
	free(payload);
	/* Teams: the Workflows Adaptive Card; the retired connector's text apart. */
	ck_assert_int_eq(datadir_preset(catalog_datadir(cat), "teams", &payload, &f, err), 0);
	ck_assert_int_eq(f, FORMAT_DEFAULT);
	j = json_loads(payload, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "message");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "attachments"), 0),
							   "contentType")), "application/vnd.microsoft.card.adaptive");
	json_decref(j);
	free(payload);
	ck_assert_int_eq(datadir_preset(catalog_datadir(cat), "teams-connector", &payload, &f, err), 0);
	ck_assert_int_eq(f, FORMAT_DEFAULT);
	j = json_loads(payload, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "text")), "**$Title** \nDetails: $Event");
	json_decref(j);
	free(payload);
	ck_assert_int_eq(datadir_preset(catalog_datadir(cat), "servicenow", &payload, &f, err), 0);
	j = json_loads(payload, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "title")), "$Title");
	ck_assert_str_eq(json_string_value(json_object_get(j, "message")), "$Event");
	json_decref(j);
	free(payload);
	ck_assert_int_eq(datadir_preset(catalog_datadir(cat), "pagerduty", &payload, &f, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown preset \"pagerduty\""));
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	catalog_free(cat);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = tcase_create("catalog");

	tcase_add_test(tc, catalog_has_design_events);
	tcase_add_test(tc, names_share_one_case_style);
	tcase_add_test(tc, every_event_has_a_sample);
	tcase_add_test(tc, missing_datadir_is_explained);
	tcase_add_test(tc, duplicate_ids_are_refused);
	tcase_add_test(tc, group_ids);
	tcase_add_test(tc, group_ids_are_checked);
	tcase_add_test(tc, event_init_uses_sample_and_checks_input);
	tcase_add_test(tc, presets_match_the_design);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
