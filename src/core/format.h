/* The event formatting setting: what $Title and $Event become for a
 * webhook, escaped for the destination the format names. */
#ifndef HOOKMAN_FORMAT_H
#define HOOKMAN_FORMAT_H

#include "event.h"

enum format { FORMAT_DEFAULT, FORMAT_SLACK, FORMAT_JIRA };

/* "default", "slack", "jira". */
const char *format_name(enum format f);

/* Parse a format name. Returns 0, or -1 with err naming the choices. */
int format_parse(const char *name, enum format *out, char *err);

/* Text made safe for the format's destination. Escaping belongs to the
 * format, and the renderer applies it to both placeholders:
 *  default: unchanged (the renderer's JSON escaping is all it needs);
 *  slack:   &, < and > as &amp;, &lt; and &gt;, as Slack requires in text
 *           (so "<!here>" cannot mention a channel);
 *  jira:    escaped for Jira wiki markup: a backslash before each
 *           character Jira's renderer unescapes (! # % ( ) @ [ ] { | }
 *           always; the phrase marks * _ - + ^ ~ ? unless they stand
 *           between two ASCII letters or digits, where Jira never reads
 *           them as markup: "DET-104233" stays), "&#92;" for a backslash
 *           (two backslashes are a line break in Jira), "&amp;" for &, and
 *           a space for each line break so that no value can start a
 *           line of markup ("h1. "). Each escape also reads as the plain
 *           character in CommonMark.
 * Returns a new string the caller frees, or NULL with err set (out of
 * memory). */
char *format_escape(enum format f, const char *s, char *err);

/* The text $Title becomes: the event's title, escaped by format_escape. */
char *format_title(const struct event *ev, enum format f, char *err);

/* The text $Event becomes for this event:
 *  default: the event as a compact JSON string (id, type, title, severity,
 *           time, data, and for a coalesced delivery "coalesced": {count,
 *           first, last, ids});
 *  slack:   the title only, escaped as format_escape does;
 *  jira:    markdown lines with the detection's metadata, every title,
 *           label and value in them escaped as format_escape does.
 * Returns a string the caller frees, or NULL with err set. */
char *format_event(const struct event *ev, enum format f, char *err);

/* The body a webhook with this payload and format gets for ev: the
 * template rendered (template_render) with format_title and format_event.
 * This is what delivery, test-send and preview send. Returns a string the
 * caller frees, or NULL with err set (bad template, out of memory). */
char *format_render(const char *payload, enum format f, const struct event *ev, char *err);

/* Whether delivery would ever send events of this catalog type with
 * format f: jira fits only the groups the catalog marks for it
 * (Detection, Detection Group); the others fit every type. Returns 0, or
 * -1 with err saying so, e.g. 'jira formatting is only for Detection and
 * Detection Group events, and "alarm.high_severity" (High Severity Alarm)
 * is not one'. An unknown type is refused the same way. */
int format_fits(enum format f, const struct catalog *cat, const char *type, char *err);

/* The formatting a preset asks for, given the events chosen: jira only
 * when every one of them fits it, else default, with why (ERR_MAX) saying
 * in one line why the preset keeps Default; the others as asked (why ""). */
enum format format_for_preset(enum format asked, const struct catalog *cat, char *const *events, size_t n,
			      char *why);

/* Escape &, < and > as Slack requires (format_escape with FORMAT_SLACK).
 * Returns a new string or NULL when memory runs out. */
char *format_slack_escape(const char *s);

#endif
