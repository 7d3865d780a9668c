#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "destination.h"
#include "err.h"
#include "format.h"
#include "testutil.h"

START_TEST(urls_by_host_and_path)
{
	static const struct { const char *url; enum destination d; } cases[] = {
		{ "https://hooks.slack.com/services/T0/B0/xyz", DEST_SLACK },
		{ "https://HOOKS.Slack.COM/services/T0/B0/xyz", DEST_SLACK },
		{ "https://hooks.slack.com:443/services/T0", DEST_SLACK },
		{ "https://hooks.slack.com./services/T0", DEST_SLACK },
		{ "https://user:pw@hooks.slack.com/services/T0", DEST_SLACK },
		{ "https://hooks.slack.com.evil.example/services/T0", DEST_NONE },
		{ "https://evilhooks.slack.com/services/T0", DEST_NONE },
		{ "https://hooks.slack.com@evil.example/services/T0", DEST_NONE },
		{ "https://evil.example/?u=https://hooks.slack.com/", DEST_NONE },
		{ "http://127.0.0.1:8080/hooks.slack.com/services/T0", DEST_NONE },
		{ "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke", DEST_TEAMS },
		{ "https://default1234.56.environment.api.powerplatform.com/powerautomate/automations/direct", DEST_TEAMS },
		{ "https://logic.azure.com.evil.example/workflows/", DEST_NONE },
		{ "https://contoso.webhook.office.com/webhookb2/abc", DEST_TEAMS_CONNECTOR },
		{ "https://api-private.atlassian.com/automation/webhooks/jira/a/b/c", DEST_JIRA },
		{ "https://example.atlassian.net/rest/api/3/issue", DEST_NONE },
		{ "http://127.0.0.1:9/automation/webhooks/jira/a", DEST_NONE },
		{ "https://dev1234.service-now.com/api/now/table/incident", DEST_SERVICENOW },
		{ "https://dev1234.service-now.com/api/x_acme/hook", DEST_NONE },
		{ "http://127.0.0.1:9/api/now/table/incident", DEST_NONE },
		{ "not a url", DEST_NONE },
		{ NULL, DEST_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		ck_assert_msg(destination_for_url(cases[i].url) == cases[i].d, "%s", cases[i].url ? cases[i].url : "NULL");
	ck_assert_int_eq(destination_parse("slack"), DEST_SLACK);
	ck_assert_int_eq(destination_parse("teams-connector"), DEST_TEAMS_CONNECTOR);
	ck_assert_int_eq(destination_parse("https://hooks.slack.com/x"), DEST_SLACK);
	ck_assert_int_eq(destination_parse("Slack"), DEST_NONE);
	ck_assert_str_eq(destination_name(DEST_SERVICENOW), "servicenow");
}
END_TEST

/* The warnings for body as d, "" when none. */
static char *check(enum destination d, const char *body, int want)
{
	struct sbuf w;

	sbuf_init(&w);
	ck_assert_int_eq(destination_check(d, body, strlen(body), &w), want);
	return sbuf_take(&w);
}

START_TEST(each_rule_says_what_is_wrong)
{
	struct sbuf big;
	char *s;
	int i;

	s = check(DEST_SLACK, "{\"title\": \"x\"}", 1);
	ck_assert_str_eq(s, "Slack needs \"text\" or \"blocks\" at the top level; this body has neither\n");
	free(s);
	free(check(DEST_SLACK, "{\"blocks\": []}", 0));
	free(check(DEST_SLACK, "{\"text\": \"x\"}", 0));
	sbuf_init(&big);
	sbuf_append(&big, "{\"text\": \"");
	for (i = 0; i < 40001; i++)
		sbuf_append(&big, "é");
	sbuf_append(&big, "\"}");
	s = check(DEST_SLACK, sbuf_text(&big), 1);
	ck_assert_str_eq(s, "Slack cuts \"text\" above 40,000 characters; this is 40001\n");
	free(s);
	sbuf_release(&big);
	s = check(DEST_TEAMS, "{\"text\": \"x\"}", 1);
	ck_assert_ptr_nonnull(strstr(s, "Teams Workflows needs \"attachments\" with an Adaptive Card"));
	free(s);
	free(check(DEST_TEAMS, "{\"attachments\": [{\"contentType\": \"application/vnd.microsoft.card.adaptive\", "
			       "\"content\": {}}]}", 0));
	free(check(DEST_TEAMS_CONNECTOR, "{\"sections\": []}", 0));
	s = check(DEST_TEAMS_CONNECTOR, "{\"t\": 1}", 1);
	ck_assert_ptr_nonnull(strstr(s, "needs \"text\" or \"sections\""));
	free(s);
	s = check(DEST_JIRA, "{\"ok_1\": 1, \"x y\": 2, \"a.b\": 3}", 2);
	ck_assert_ptr_nonnull(strstr(s, "\"x y\" cannot be read"));
	ck_assert_ptr_nonnull(strstr(s, "\"a.b\" cannot be read"));
	ck_assert_ptr_null(strstr(s, "ok_1"));
	free(s);
	s = check(DEST_SERVICENOW, "{\"title\": \"x\"}", 1);
	ck_assert_str_eq(s, "ServiceNow's Table API needs \"short_description\" (a string) at the top level to title "
			    "the record; this body has none\n");
	free(s);
	free(check(DEST_SERVICENOW, "{\"short_description\": \"x\"}", 0));
	free(check(DEST_NONE, "[1]", 0));
	s = check(DEST_SLACK, "[1]", 1);
	ck_assert_str_eq(s, "slack expects a JSON object; this body is not one\n");
	free(s);
}
END_TEST

/* Each preset, rendered with a sample event, fits its own service. The
 * ServiceNow preset ({"title", "message"}) is for an inbound endpoint of
 * one's own, not the Table API, so its URL is not classified; as the Table
 * API it is warned about. */
START_TEST(presets_fit_their_service)
{
	static const struct { const char *preset; enum destination d; int want; } cases[] = {
		{ "slack", DEST_SLACK, 0 }, { "teams", DEST_TEAMS, 0 }, { "teams-connector", DEST_TEAMS_CONNECTOR, 0 },
		{ "jira", DEST_JIRA, 0 }, { "servicenow", DEST_SERVICENOW, 1 },
	};
	struct catalog *cat = tu_catalog();
	struct event ev;
	enum format f;
	char err[ERR_MAX], *payload, *body;
	size_t i;

	ck_assert_int_eq(event_init(&ev, cat, "detection.created", NULL, NULL, err), 0);
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		ck_assert_int_eq(datadir_preset(getenv("HOOKMAN_DATADIR"), cases[i].preset, &payload, &f, err), 0);
		body = format_render(payload, f, &ev, err);
		ck_assert_msg(body != NULL, "%s", err);
		free(check(cases[i].d, body, cases[i].want));
		free(body);
		free(payload);
	}
	event_clear(&ev);
	catalog_free(cat);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("destination");
	TCase *tc = tcase_create("destination");

	tcase_add_test(tc, urls_by_host_and_path);
	tcase_add_test(tc, each_rule_says_what_is_wrong);
	tcase_add_test(tc, presets_fit_their_service);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
