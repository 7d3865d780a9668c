/* Destination-aware checks (destination.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "destination.h"
#include "err.h"
#include "event.h"
#include "utf8.h"

/* Slack truncates a message's text above this many characters. */
#define SLACK_TEXT_MAX 40000

static const char *const names[] = { "", "slack", "teams", "teams-connector", "jira", "servicenow" };

const char *destination_name(enum destination d)
{
	return (size_t)d < sizeof names / sizeof *names ? names[d] : "";
}

/* host[0..n) is domain or one of its subdomains (case-insensitive), so that
 * "hooks.slack.com.evil.example" and "evilhooks.slack.com" are not Slack. */
static int host_is(const char *host, size_t n, const char *domain, int subdomains)
{
	size_t d = strlen(domain);

	if (n == d)
		return strncasecmp(host, domain, n) == 0;
	return subdomains && n > d && host[n - d - 1] == '.' && strncasecmp(host + n - d, domain, d) == 0;
}

enum destination destination_for_url(const char *url)
{
	const char *p, *host, *end, *path, *at;
	size_t n;

	if (!url || !(p = strstr(url, "://")))
		return DEST_NONE;
	host = p + 3;
	path = host + strcspn(host, "/?#");
	/* Userinfo ends at the last '@' of the authority. */
	for (at = host; at < path; at++)
		if (*at == '@')
			host = at + 1;
	end = host;
	while (end < path && *end != ':')
		end++;
	n = (size_t)(end - host);
	if (n && host[n - 1] == '.')
		n--;
	if (host_is(host, n, "hooks.slack.com", 0))
		return DEST_SLACK;
	if (host_is(host, n, "logic.azure.com", 1) || host_is(host, n, "powerplatform.com", 1))
		return DEST_TEAMS;
	if (host_is(host, n, "webhook.office.com", 1))
		return DEST_TEAMS_CONNECTOR;
	if ((host_is(host, n, "atlassian.net", 1) || host_is(host, n, "atlassian.com", 1)) &&
	    strstr(path, "/automation/webhooks/"))
		return DEST_JIRA;
	if (host_is(host, n, "service-now.com", 1) && strncmp(path, "/api/now/table/", 15) == 0)
		return DEST_SERVICENOW;
	return DEST_NONE;
}

enum destination destination_parse(const char *name)
{
	size_t i;

	for (i = 1; name && i < sizeof names / sizeof *names; i++)
		if (strcmp(name, names[i]) == 0)
			return (enum destination)i;
	return destination_for_url(name);
}

/* One warning line; 0, or -1 when memory ran out. */
static int warn(struct sbuf *w, int *count, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int warn(struct sbuf *w, int *count, const char *fmt, ...)
{
	va_list ap;
	int rc;

	(*count)++;
	va_start(ap, fmt);
	rc = sbuf_vappendf(w, fmt, ap);
	va_end(ap);
	return rc < 0 || sbuf_append(w, "\n") < 0 ? -1 : 0;
}

static int check_slack(json_t *o, struct sbuf *w, int *count)
{
	json_t *text = json_object_get(o, "text");
	size_t bad;
	long chars;

	if (!text && !json_object_get(o, "blocks"))
		return warn(w, count, "Slack needs \"text\" or \"blocks\" at the top level; this body has neither");
	if (text && !json_is_string(text))
		return warn(w, count, "Slack needs \"text\" to be a string");
	if (text) {
		chars = utf8_check(json_string_value(text), json_string_length(text), &bad);
		if (chars > SLACK_TEXT_MAX)
			return warn(w, count, "Slack cuts \"text\" above 40,000 characters; this is %ld", chars);
	}
	return 0;
}

static int is_adaptive_card(json_t *a)
{
	json_t *ct = json_object_get(a, "contentType");

	return json_is_string(ct) && strcmp(json_string_value(ct), "application/vnd.microsoft.card.adaptive") == 0 &&
	       json_is_object(json_object_get(a, "content"));
}

static int check_teams(json_t *o, struct sbuf *w, int *count)
{
	json_t *atts = json_object_get(o, "attachments"), *a;
	size_t i;

	json_array_foreach(atts, i, a)
		if (is_adaptive_card(a))
			return 0;
	return warn(w, count, "Teams Workflows needs \"attachments\" with an Adaptive Card (an item with \"contentType\" "
		    "application/vnd.microsoft.card.adaptive and a \"content\" object); the Teams preset has one");
}

static int check_teams_connector(json_t *o, struct sbuf *w, int *count)
{
	if (json_object_get(o, "text") || json_object_get(o, "sections"))
		return 0;
	return warn(w, count, "the Office 365 connector (retired) needs \"text\" or \"sections\" at the top level; "
		    "this body has neither");
}

/* Jira Automation reads {{webhookData.KEY}} where KEY is a smart-value name:
 * letters, digits and '_'. A dot would read a nested key and a space or
 * other character ends the name, so such a top-level key cannot be read. */
static int check_jira(json_t *o, struct sbuf *w, int *count)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		const char *c;

		(void)v;
		for (c = key; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
			      *c == '_'))
				break;
		if (*c || !*key) {
			if (warn(w, count, "Jira Automation reads {{webhookData.KEY}} from top-level keys of letters, "
				 "digits and _: \"%s\" cannot be read; rename it", key) < 0)
				return -1;
		}
	}
	return 0;
}

static int check_servicenow(json_t *o, struct sbuf *w, int *count)
{
	if (json_is_string(json_object_get(o, "short_description")))
		return 0;
	return warn(w, count, "ServiceNow's Table API needs \"short_description\" (a string) at the top level to "
		    "title the record; this body has none");
}

int destination_check(enum destination d, const char *text, size_t len, struct sbuf *warnings)
{
	json_t *o;
	int count = 0, rc = 0;

	if (d == DEST_NONE)
		return 0;
	o = json_loadb(text, len, 0, NULL);
	if (!json_is_object(o))
		rc = warn(warnings, &count, "%s expects a JSON object; this body is not one", destination_name(d));
	else if (d == DEST_SLACK)
		rc = check_slack(o, warnings, &count);
	else if (d == DEST_TEAMS)
		rc = check_teams(o, warnings, &count);
	else if (d == DEST_TEAMS_CONNECTOR)
		rc = check_teams_connector(o, warnings, &count);
	else if (d == DEST_JIRA)
		rc = check_jira(o, warnings, &count);
	else
		rc = check_servicenow(o, warnings, &count);
	json_decref(o);
	return rc < 0 ? -1 : count;
}

int destination_check_payload(enum destination d, const struct catalog *cat, const char *type,
			      const char *payload, enum format f, struct sbuf *warnings, char *err)
{
	struct event ev;
	char *body;
	int n;

	if (d == DEST_NONE)
		return 0;
	if (event_init(&ev, cat, type ? type : catalog_event(cat, 0)->id, NULL, NULL, err) < 0)
		return -1;
	body = format_render(payload, f, &ev, err);
	event_clear(&ev);
	if (!body)
		return -1;
	n = destination_check(d, body, strlen(body), warnings);
	free(body);
	if (n < 0)
		err_oom(err, "checking the body against its destination");
	return n;
}
