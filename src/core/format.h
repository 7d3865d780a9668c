/* How $Event is rendered for a webhook: the event formatting setting. */
#ifndef HOOKMAN_FORMAT_H
#define HOOKMAN_FORMAT_H

#include "event.h"

enum format { FORMAT_DEFAULT, FORMAT_SLACK, FORMAT_JIRA };

/* "default", "slack", "jira". */
const char *format_name(enum format f);

/* Parse a format name. Returns 0, or -1 with err naming the choices. */
int format_parse(const char *name, enum format *out, char *err);

/* The text $Event becomes for this event:
 *  default: the event as a compact JSON string (id, type, title, severity,
 *           time, data);
 *  slack:   the title only, with &, < and > escaped for Slack mrkdwn;
 *  jira:    markdown lines with the detection's metadata.
 * Returns a string the caller frees, or NULL with err set. */
char *format_event(const struct event *ev, enum format f, char *err);

/* Escape &, < and > as Slack requires. Returns a new string or NULL. */
char *format_slack_escape(const char *s);

#endif
