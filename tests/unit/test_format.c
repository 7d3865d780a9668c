#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fanout.h"
#include "format.h"
#include "testutil.h"

START_TEST(default_is_compact_event_json)
{
	struct catalog *cat = tu_catalog();
	struct event ev;
	char err[ERR_MAX], *s;
	json_t *j;

	ck_assert_int_eq(event_init(&ev, cat, "alarm.high_severity", NULL, NULL, err), 0);
	s = format_event(&ev, FORMAT_DEFAULT, err);
	ck_assert_ptr_null(strchr(s, '\n'));
	ck_assert_ptr_null(strstr(s, ", "));
	j = json_loads(s, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "id")), ev.uid);
	ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "alarm.high_severity");
	ck_assert_str_eq(json_string_value(json_object_get(j, "title")), "HIGH SEVERITY ALARM DETECTED");
	ck_assert_str_eq(json_string_value(json_object_get(j, "severity")), "high");
	ck_assert_str_eq(json_string_value(json_object_get(j, "time")), ev.time);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "data"), "host")), "web-prod-03");
	json_decref(j);
	free(s);
	event_clear(&ev);
	catalog_free(cat);
}
END_TEST

START_TEST(slack_is_escaped_title)
{
	struct catalog *cat = tu_catalog();
	struct event ev;
	char err[ERR_MAX], *s;

	ck_assert_int_eq(event_init(&ev, cat, "alarm.high_severity", NULL, NULL, err), 0);
	s = format_event(&ev, FORMAT_SLACK, err);
	ck_assert_str_eq(s, "HIGH SEVERITY ALARM DETECTED");
	free(s);
	event_clear(&ev);
	ck_assert_int_eq(event_init(&ev, cat, "admin.login", "A&B <admin> logged in >", NULL, err), 0);
	s = format_event(&ev, FORMAT_SLACK, err);
	ck_assert_str_eq(s, "A&amp;B &lt;admin&gt; logged in &gt;");
	free(s);
	event_clear(&ev);
	catalog_free(cat);
}
END_TEST

START_TEST(jira_lists_detection_metadata)
{
	struct catalog *cat = tu_catalog();
	struct event ev;
	char err[ERR_MAX], *s;

	ck_assert_int_eq(event_init(&ev, cat, "detection.created", NULL, NULL, err), 0);
	s = format_event(&ev, FORMAT_JIRA, err);
	ck_assert_msg(strncmp(s, "### DETECTION CREATED\n", 22) == 0, "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "- **Name:** Credential dumping via LSASS access\n"));
	ck_assert_ptr_nonnull(strstr(s, "- **Severity:** high\n"));
	ck_assert_ptr_nonnull(strstr(s, "- **Host:** dc-01.corp.example\n"));
	ck_assert_ptr_nonnull(strstr(s, "- **ID:** DET-104233\n"));
	ck_assert_ptr_nonnull(strstr(s, "- **Technique:** T1003.001\n"));
	ck_assert_ptr_nonnull(strstr(s, "- **Confidence:** 92\n"));
	ck_assert_ptr_nonnull(strstr(s, "- **Time:** "));
	ck_assert_ptr_nonnull(strstr(s, ev.uid));
	free(s);
	event_clear(&ev);
	ck_assert_int_eq(event_init(&ev, cat, "detection_group.updated", NULL, NULL, err), 0);
	s = format_event(&ev, FORMAT_JIRA, err);
	ck_assert_ptr_nonnull(strstr(s, "- **ID:** DGR-2291\n"));
	ck_assert_ptr_nonnull(strstr(s, "- **Changed:** [\"detections\",\"status\"]"));
	free(s);
	event_clear(&ev);
	catalog_free(cat);
}
END_TEST

START_TEST(rendered_bodies_per_preset)
{
	struct catalog *cat = tu_catalog();
	struct event ev;
	char err[ERR_MAX], *body;
	json_t *j;

	ck_assert_int_eq(event_init(&ev, cat, "alarm.high_severity", "Alarm \"A\" & <b>", NULL, err), 0);
	body = fanout_render("{\"text\": \"*$Title*\\nDetails: $Event\"}", FORMAT_SLACK, &ev, err);
	j = json_loads(body, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "text")),
			 "*Alarm \"A\" & <b>*\nDetails: Alarm \"A\" &amp; &lt;b&gt;");
	json_decref(j);
	free(body);
	body = fanout_render("{\"title\": \"$Title\", \"message\": \"$Event\"}", FORMAT_DEFAULT, &ev, err);
	j = json_loads(body, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "title")), "Alarm \"A\" & <b>");
	/* $Event is itself JSON text inside a string: parse it again. */
	json_t *inner = json_loads(json_string_value(json_object_get(j, "message")), 0, NULL);
	ck_assert_ptr_nonnull(inner);
	ck_assert_str_eq(json_string_value(json_object_get(inner, "title")), "Alarm \"A\" & <b>");
	json_decref(inner);
	json_decref(j);
	free(body);
	event_clear(&ev);
	catalog_free(cat);
}
END_TEST

START_TEST(format_names)
{
	enum format f;
	char err[ERR_MAX];

	ck_assert_int_eq(format_parse("jira", &f, err), 0);
	ck_assert_int_eq(f, FORMAT_JIRA);
	ck_assert_str_eq(format_name(FORMAT_SLACK), "slack");
	ck_assert_int_eq(format_parse("markdown", &f, err), -1);
	ck_assert_str_eq(err, "unknown event formatting \"markdown\" (choose default, slack or jira)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, default_is_compact_event_json);
	tcase_add_test(tc, slack_is_escaped_title);
	tcase_add_test(tc, jira_lists_detection_metadata);
	tcase_add_test(tc, rendered_bodies_per_preset);
	tcase_add_test(tc, format_names);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
