#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fanout.h"
#include "format.h"
#include "testutil.h"

/* The function that renders a body for a format (fanout_render before the
 * escaping moved into the format; run with fanout_render to see the bug). */
#define RENDER format_render

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

/* format_default writes the object itself (a fan-out renders it once per
 * event): byte for byte what jansson wrote, escapes and UTF-8 included. */
START_TEST(default_is_what_jansson_writes)
{
	struct catalog *cat = tu_catalog();
	struct event ev;
	char err[ERR_MAX], *s, *want;
	json_t *data = json_loads("{\"host\": \"a\\u0001b\\\\c\\\"d\\n\\t/é✓\", \"n\": [1, 2.5, null, true], "
				  "\"o\": {\"k\": \"\\u007f\"}}", 0, NULL), *o;

	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(event_init(&ev, cat, "alarm.high_severity", "He said \"hi\" \\ é ✓ </x>", data, err), 0);
	s = format_event(&ev, FORMAT_DEFAULT, err);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "id", ev.uid, "type", ev.type, "title", ev.title,
		      "severity", ev.severity, "time", ev.time, "data", ev.data);
	want = json_dumps(o, JSON_COMPACT);
	ck_assert_str_eq(s, want);
	json_decref(o);
	free(want);
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
	/* Between letters and digits the phrase marks are plain text. */
	ck_assert_ptr_nonnull(strstr(s, "- **Url:** https://console.example/detections/DET-104233\n"));
	ck_assert_ptr_nonnull(strstr(s, ev.uid));
	free(s);
	event_clear(&ev);
	ck_assert_int_eq(event_init(&ev, cat, "detection_group.updated", NULL, NULL, err), 0);
	s = format_event(&ev, FORMAT_JIRA, err);
	ck_assert_ptr_nonnull(strstr(s, "- **ID:** DGR-2291\n"));
	ck_assert_ptr_nonnull(strstr(s, "- **Changed:** \\[\"detections\",\"status\"\\]"));
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
	body = format_render("{\"text\": \"*$Title*\\nDetails: $Event\"}", FORMAT_SLACK, &ev, err);
	j = json_loads(body, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "text")),
			 "*Alarm \"A\" &amp; &lt;b&gt;*\nDetails: Alarm \"A\" &amp; &lt;b&gt;");
	json_decref(j);
	free(body);
	body = format_render("{\"title\": \"$Title\", \"message\": \"$Event\"}", FORMAT_DEFAULT, &ev, err);
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

/* Issue "Trust in the front ends", item 6. Reproduction before the fix:
 *   hookman add --name s --url http://127.0.0.1:9/ --events admin.login --preset slack
 *   hookman fire admin.login --title 'Disk <!here> & <b>'
 * posted {"text":"*Disk <!here> & <b>*\nDetails: Disk &lt;!here&gt; ..."}:
 * $Event was escaped but $Title was pasted raw, so Slack saw <!here> (a
 * channel-wide mention). Escaping is the format's: both placeholders. */
START_TEST(slack_escapes_title_and_event)
{
	struct catalog *cat = tu_catalog();
	struct event ev;
	char err[ERR_MAX], *body;
	json_t *j;

	ck_assert_int_eq(event_init(&ev, cat, "admin.login", "Disk <!here> & <b>", NULL, err), 0);
	body = RENDER("{\"text\": \"*$Title*\\nDetails: $Event\"}", FORMAT_SLACK, &ev, err);
	ck_assert_msg(body != NULL, "%s", err);
	j = json_loads(body, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "text")),
			 "*Disk &lt;!here&gt; &amp; &lt;b&gt;*\nDetails: Disk &lt;!here&gt; &amp; &lt;b&gt;");
	json_decref(j);
	free(body);
	/* default: JSON escaping only, the title as given. */
	body = RENDER("{\"t\": \"$Title\", \"m\": \"$Event\"}", FORMAT_DEFAULT, &ev, err);
	j = json_loads(body, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "t")), "Disk <!here> & <b>");
	json_decref(j);
	free(body);
	event_clear(&ev);
	catalog_free(cat);
}
END_TEST

/* Item 6 for jira. Reproduction before the fix: a detection named
 * "*x* [click|http://evil]" fired to a jira webhook gave the line
 * "- **Name:** *x* [click|http://evil]", which Jira renders as bold text
 * and a link. Every value (and the title, and labels made from data keys)
 * is now escaped for Jira wiki markup: a backslash before each character
 * Jira's renderer unescapes, "&#92;" for a backslash (two backslashes are
 * a line break in Jira), "&amp;" for "&", and line breaks become spaces so
 * that no value starts a line ("h1. ", "bq. "). */
START_TEST(jira_escapes_values)
{
	struct catalog *cat = tu_catalog();
	struct event ev;
	char err[ERR_MAX], *s, *body;
	json_t *data = json_pack("{s:s, s:s, s:s}",
				 "name", "*bold* _x_ {code} [evil|http://x] -s- +u+ ^p^ ~b~ !i! #n ??c?? |t| back\\slash a&b\nh1. next (y) @me 50%",
				 "host", "h1",
				 "odd_key*", "v");
	const char *heading = "### Det \\[x\\|http://evil\\] \\*\\!\\*\n";
	json_t *j;

	ck_assert_int_eq(event_init(&ev, cat, "detection.created", "Det [x|http://evil] *!*", data, err), 0);
	s = format_event(&ev, FORMAT_JIRA, err);
	ck_assert_msg(s != NULL, "%s", err);
	ck_assert_msg(strncmp(s, heading, strlen(heading)) == 0, "%s", s);
	ck_assert_msg(strstr(s, "\n- **Name:** \\*bold\\* \\_x\\_ \\{code\\} \\[evil\\|http://x\\] \\-s\\- \\+u\\+ "
			     "\\^p\\^ \\~b\\~ \\!i\\! \\#n \\?\\?c\\?\\? \\|t\\| back&#92;slash a&amp;b "
			     "h1. next \\(y\\) \\@me 50\\%\n") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "\n- **Odd key\\*:** v\n") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "\n- **Host:** h1\n") != NULL, "%s", s);
	free(s);
	/* $Title in a jira body is escaped the same way. */
	body = RENDER("{\"title\": \"$Title\", \"message\": \"$Event\"}", FORMAT_JIRA, &ev, err);
	ck_assert_msg(body != NULL, "%s", err);
	j = json_loads(body, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "title")), "Det \\[x\\|http://evil\\] \\*\\!\\*");
	json_decref(j);
	free(body);
	event_clear(&ev);
	catalog_free(cat);
}
END_TEST

/* Item 7: the Jira rule as delivery applies it, for test and render.
 * Reproduction before the fix: 'hookman test jt --event
 * alarm.high_severity' on a jira webhook sent Jira markdown for an alarm,
 * which fan-out never would (a jira webhook cannot subscribe to alarms). */
START_TEST(jira_fits_detection_events_only)
{
	struct catalog *cat = tu_catalog();
	char err[ERR_MAX];

	ck_assert_int_eq(format_fits(FORMAT_JIRA, cat, "detection.created", err), 0);
	ck_assert_int_eq(format_fits(FORMAT_JIRA, cat, "detection_group.updated", err), 0);
	ck_assert_int_eq(format_fits(FORMAT_DEFAULT, cat, "alarm.high_severity", err), 0);
	ck_assert_int_eq(format_fits(FORMAT_SLACK, cat, "admin.login", err), 0);
	ck_assert_int_eq(format_fits(FORMAT_JIRA, cat, "alarm.high_severity", err), -1);
	ck_assert_str_eq(err, "jira formatting is only for Detection and Detection Group events, "
			 "and \"alarm.high_severity\" (High Severity Alarm) is not one");
	ck_assert_int_eq(format_fits(FORMAT_JIRA, cat, "nope", err), -1);
	ck_assert_str_eq(err, "jira formatting is only for Detection and Detection Group events, "
			 "and \"nope\" is not in the catalog");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	catalog_free(cat);
}
END_TEST

/* One escaping function per format, the same for both placeholders. */
START_TEST(escape_per_format)
{
	char err[ERR_MAX], *s;

	s = format_escape(FORMAT_DEFAULT, "a & <b> *c* \\ \"d\"", err);
	ck_assert_str_eq(s, "a & <b> *c* \\ \"d\"");
	free(s);
	s = format_escape(FORMAT_SLACK, "<!channel> a&b <@U123> >", err);
	ck_assert_str_eq(s, "&lt;!channel&gt; a&amp;b &lt;@U123&gt; &gt;");
	free(s);
	s = format_escape(FORMAT_JIRA, "a\\*b ----\r\nbq. x &lt; [~admin] é🚨", err);
	ck_assert_str_eq(s, "a&#92;\\*b \\-\\-\\-\\-  bq. x &amp;lt; \\[\\~admin\\] é🚨");
	free(s);
	s = format_escape(FORMAT_JIRA, "snake_case a-b x^2 -a- a- _a *", err);
	ck_assert_str_eq(s, "snake_case a-b x^2 \\-a\\- a\\- \\_a \\*");
	free(s);
	s = format_escape(FORMAT_JIRA, "", err);
	ck_assert_str_eq(s, "");
	free(s);
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
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, default_is_compact_event_json);
	tcase_add_test(tc, default_is_what_jansson_writes);
	tcase_add_test(tc, slack_is_escaped_title);
	tcase_add_test(tc, jira_lists_detection_metadata);
	tcase_add_test(tc, rendered_bodies_per_preset);
	tcase_add_test(tc, format_names);
	tcase_add_test(tc, slack_escapes_title_and_event);
	tcase_add_test(tc, jira_escapes_values);
	tcase_add_test(tc, jira_fits_detection_events_only);
	tcase_add_test(tc, escape_per_format);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
