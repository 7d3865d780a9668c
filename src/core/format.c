#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sbuf.h"
#include "template.h"

static const char *const names[] = { "default", "slack", "jira" };

const char *format_name(enum format f)
{
	return names[f];
}

int format_parse(const char *name, enum format *out, char *err)
{
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum format)i;
			return 0;
		}
	err_setk(err, ERR_INVALID, "unknown event formatting \"%s\" (choose default, slack or jira)", name);
	return -1;
}

/* The characters Jira's wiki renderer takes back from a backslash escape
 * (Atlassian's BackslashEscapeRendererComponent; its escapeWiki() puts
 * literal text into markup the same way), '#' included. The phrase marks
 * among them (*bold*, _emphasis_, -deleted-, +inserted+, ^sup^, ~sub~,
 * ??citation??) only open after, and only close before, a character that
 * is not a letter or digit, so one standing between two ASCII letters or
 * digits is plain text and stays as written: "DET-104233",
 * "2026-11-28T09:14:02Z" and "evt_…" keep their look, and so do URLs.
 * The others (links, macros, images, tables, emoticons, lists, mentions)
 * work anywhere and are always escaped. */
static const char jira_phrase[] = "*_-+^~?";
static const char jira_always[] = "!#%()@[]{|}";

static int ascii_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Append s escaped for Slack: &, < and >. */
static void slack_escape_into(struct sbuf *b, const char *s)
{
	const char *run = s, *rep;

	for (; *s; s++) {
		rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : NULL;
		if (!rep)
			continue;
		sbuf_appendn(b, run, (size_t)(s - run));
		sbuf_append(b, rep);
		run = s + 1;
	}
	sbuf_appendn(b, run, (size_t)(s - run));
}

/* Append s escaped for Jira wiki markup (see format_escape). A backslash
 * cannot escape itself there ("\\" is a line break, and "\\*" would
 * leave the star live), so it becomes the entity Jira passes through. */
static void jira_escape_into(struct sbuf *b, const char *s)
{
	const char *start = s, *run = s, *rep;
	char pair[3] = { '\\', 0, 0 };

	for (; *s; s++) {
		if (*s == '\\') {
			rep = "&#92;";
		} else if (*s == '&') {
			rep = "&amp;";
		} else if (*s == '\n' || *s == '\r') {
			rep = " ";
		} else if (strchr(jira_always, *s) ||
			   (strchr(jira_phrase, *s) && !(s > start && ascii_alnum(s[-1]) && ascii_alnum(s[1])))) {
			pair[1] = *s;
			rep = pair;
		} else {
			continue;
		}
		sbuf_appendn(b, run, (size_t)(s - run));
		sbuf_append(b, rep);
		run = s + 1;
	}
	sbuf_appendn(b, run, (size_t)(s - run));
}

static void escape_into(struct sbuf *b, enum format f, const char *s)
{
	switch (f) {
	case FORMAT_SLACK:
		slack_escape_into(b, s);
		break;
	case FORMAT_JIRA:
		jira_escape_into(b, s);
		break;
	default:
		sbuf_append(b, s);
		break;
	}
}

char *format_escape(enum format f, const char *s, char *err)
{
	struct sbuf b;
	char *out;

	sbuf_init(&b);
	escape_into(&b, f, s);
	out = sbuf_take(&b);
	return out ? out : err_oom(err, "format");
}

char *format_slack_escape(const char *s)
{
	return format_escape(FORMAT_SLACK, s, NULL);
}

char *format_title(const struct event *ev, enum format f, char *err)
{
	return format_escape(f, ev->title, err);
}

/* The event as one JSON object, written here rather than through a
 * jansson tree: the data is already JSON text (struct event), and a
 * fan-out writes this once per event. Byte for byte what json_dumps gave. */
static char *format_default(const struct event *ev, char *err)
{
	static const char *const keys[] = { "id", "type", "title", "severity", "time" };
	const char *values[] = { ev->uid, ev->type, ev->title, ev->severity, ev->time };
	struct sbuf b;
	size_t i;
	char *s;

	sbuf_init(&b);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		sbuf_appendf(&b, "%s\"%s\":\"", i ? "," : "{", keys[i]);
		sbuf_append_json_text(&b, values[i]);
		sbuf_append(&b, "\"");
	}
	sbuf_append(&b, ",\"data\":");
	sbuf_append(&b, ev->data_text);
	if (ev->coalesced) {
		sbuf_append(&b, ",\"coalesced\":");
		sbuf_append(&b, ev->coalesced);
	}
	sbuf_append(&b, "}");
	s = sbuf_take(&b);
	return s ? s : err_oom(err, "format");
}

/* One "- **Label:** value" line, label and value escaped for Jira;
 * non-string values are written as JSON first. */
static void jira_line(struct sbuf *b, const char *label, const json_t *val)
{
	char *text = NULL;

	if (!val || json_is_null(val))
		return;
	if (!json_is_string(val)) {
		text = json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!text) {
			b->failed = 1;
			return;
		}
	}
	sbuf_append(b, "- **");
	jira_escape_into(b, label);
	sbuf_append(b, ":** ");
	jira_escape_into(b, text ? text : json_string_value(val));
	sbuf_append(b, "\n");
	free(text);
}

static int is_key(const char *k, const char *const *keys)
{
	for (; *keys; keys++)
		if (strcmp(k, *keys) == 0)
			return 1;
	return 0;
}

/* "first_seen" -> "First seen", the way a person would title the field.
 * Returns a new string, or NULL when memory runs out. */
static char *pretty_label(const char *key)
{
	struct sbuf b;
	char *out;
	size_t i;

	sbuf_init(&b);
	sbuf_append(&b, key);
	out = sbuf_take(&b);
	for (i = 0; out && out[i]; i++)
		if (out[i] == '_')
			out[i] = ' ';
	if (out && out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
	return out;
}

static char *format_jira(const struct event *ev, char *err)
{
	static const char *const shown[] = { "name", "host", "detection_id", "group_id", NULL };
	struct sbuf b;
	const char *key;
	char *label, *out;
	json_t *val, *sev = json_string(ev->severity), *tm = json_string(ev->time);
	json_t *evid = json_string(ev->uid);
	json_t *id = json_object_get(ev->data, "detection_id");

	if (!id)
		id = json_object_get(ev->data, "group_id");
	sbuf_init(&b);
	sbuf_append(&b, "### ");
	jira_escape_into(&b, ev->title);
	sbuf_append(&b, "\n");
	jira_line(&b, "Name", json_object_get(ev->data, "name"));
	jira_line(&b, "Severity", sev);
	jira_line(&b, "Host", json_object_get(ev->data, "host"));
	jira_line(&b, "Time", tm);
	jira_line(&b, "ID", id);
	json_object_foreach(ev->data, key, val) {
		if (is_key(key, shown))
			continue;
		label = pretty_label(key);
		if (!label) {
			b.failed = 1;
			break;
		}
		jira_line(&b, label, val);
		free(label);
	}
	jira_line(&b, "Event", evid);
	json_decref(sev);
	json_decref(tm);
	json_decref(evid);
	out = sbuf_take(&b);
	if (!out)
		return err_oom(err, "format");
	if (out[0] && out[strlen(out) - 1] == '\n')
		out[strlen(out) - 1] = '\0';
	return out;
}

char *format_event(const struct event *ev, enum format f, char *err)
{
	switch (f) {
	case FORMAT_SLACK:
		return format_escape(FORMAT_SLACK, ev->title, err);
	case FORMAT_JIRA:
		return format_jira(ev, err);
	default:
		return format_default(ev, err);
	}
}

char *format_render(const char *payload, enum format f, const struct event *ev, char *err)
{
	char *title = format_title(ev, f, err), *text = title ? format_event(ev, f, err) : NULL;
	char *body = NULL;

	if (text)
		body = template_render(payload, strlen(payload), title, text, err);
	free(title);
	free(text);
	return body;
}

enum format format_for_preset(enum format asked, const struct catalog *cat, char *const *events, size_t n,
			      char *why)
{
	char err[ERR_MAX];
	size_t i;

	why[0] = '\0';
	for (i = 0; asked == FORMAT_JIRA && i < n; i++)
		if (format_fits(FORMAT_JIRA, cat, events[i], err) < 0) {
			err_set(why, "the Jira preset keeps Default formatting: %s", err);
			return FORMAT_DEFAULT;
		}
	if (asked == FORMAT_JIRA && n == 0) {
		err_set(why, "the Jira preset keeps Default formatting until events are chosen: Jira's layout is "
			"only for Detection and Detection Group events");
		return FORMAT_DEFAULT;
	}
	return asked;
}

int format_fits(enum format f, const struct catalog *cat, const char *type, char *err)
{
	const struct catalog_event *ce = catalog_find(cat, type);
	const struct catalog_group *g;
	struct sbuf rule;
	size_t i, n = 0, count = 0;

	if (f != FORMAT_JIRA)
		return 0;
	if (ce && catalog_group(cat, ce->group)->jira)
		return 0;
	/* The rule names the groups from the catalog, as the form does. */
	for (i = 0; i < catalog_group_count(cat); i++)
		count += catalog_group(cat, i)->jira ? 1 : 0;
	sbuf_init(&rule);
	for (i = 0; i < catalog_group_count(cat); i++) {
		g = catalog_group(cat, i);
		if (!g->jira)
			continue;
		if (n++)
			sbuf_append(&rule, n == count ? " and " : ", ");
		sbuf_append(&rule, g->name);
	}
	if (ce)
		err_setk(err, ERR_INVALID, "jira formatting is only for %s events, and \"%s\" (%s) is not one",
			 count ? sbuf_text(&rule) : "no", type, catalog_group(cat, ce->group)->name);
	else
		err_setk(err, ERR_INVALID, "jira formatting is only for %s events, and \"%s\" is not in the catalog",
			 count ? sbuf_text(&rule) : "no", type);
	sbuf_release(&rule);
	return -1;
}
