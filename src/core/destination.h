/* Destination-aware checks: which service a webhook URL names, and whether
 * a rendered body has the shape that service accepts. Advice only: nothing
 * here refuses a webhook or a delivery. */
#ifndef HOOKMAN_DESTINATION_H
#define HOOKMAN_DESTINATION_H

#include <stddef.h>

#include "catalog.h"
#include "format.h"
#include "sbuf.h"

enum destination {
	DEST_NONE,            /* not a service hookman knows */
	DEST_SLACK,           /* hooks.slack.com */
	DEST_TEAMS,           /* Teams Workflows: Power Automate / Logic Apps hosts */
	DEST_TEAMS_CONNECTOR, /* *.webhook.office.com, the retired Office 365 connector */
	DEST_JIRA,            /* Jira Automation: an Atlassian host, path /automation/webhooks/ */
	DEST_SERVICENOW,      /* ServiceNow Table API: *.service-now.com, path /api/now/table/ */
};

/* The service url names, by its host (case-insensitive, port and userinfo
 * ignored, an exact host or a subdomain of the service's domain) and, for
 * Jira and ServiceNow, its path. DEST_NONE for anything else, including
 * NULL, IP addresses and paths that only look like a service's. */
enum destination destination_for_url(const char *url);

/* "slack", "teams", "teams-connector", "jira", "servicenow"; "" for DEST_NONE. */
const char *destination_name(enum destination d);

/* The service named by name (one of destination_name's) or, failing that,
 * by a URL (destination_for_url). DEST_NONE when neither names one. */
enum destination destination_parse(const char *name);

/* Check a rendered body (text[0..len), JSON) against what d accepts. Each
 * warning is one line ending in "\n" appended to warnings, naming the key
 * and what the service expects. Returns the number of warnings (0 for
 * DEST_NONE or a body that fits), or -1 when memory ran out. A body that is
 * not a JSON object is itself one warning. */
int destination_check(enum destination d, const char *text, size_t len, struct sbuf *warnings);

/* The template payload rendered with format f and the catalog's sample
 * event of type (NULL: the catalog's first type), then destination_check'd
 * as d. Returns the number of warnings, or -1 with err set (unknown type,
 * a template that does not render, out of memory). */
int destination_check_payload(enum destination d, const struct catalog *cat, const char *type,
			      const char *payload, enum format f, struct sbuf *warnings, char *err);

#endif
