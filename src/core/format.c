#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

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
	err_set(err, "unknown event formatting \"%s\" (choose default, slack or jira)", name);
	return -1;
}

char *format_slack_escape(const char *s)
{
	size_t n = 0, i;
	char *out, *p;

	for (i = 0; s[i]; i++)
		n += s[i] == '&' ? 5 : (s[i] == '<' || s[i] == '>') ? 4 : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (p = out, i = 0; s[i]; i++) {
		const char *rep = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : NULL;

		if (rep) {
			memcpy(p, rep, strlen(rep));
			p += strlen(rep);
		} else {
			*p++ = s[i];
		}
	}
	*p = '\0';
	return out;
}

static char *format_default(const struct event *ev, char *err)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "id", ev->uid, "type", ev->type,
			      "title", ev->title, "severity", ev->severity, "time", ev->time,
			      "data", ev->data);
	char *s;

	if (!o)
		return err_oom(err, "format");
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s ? s : err_oom(err, "format");
}

/* A growing text buffer for the markdown lines. */
struct buf {
	char *p;
	size_t len, cap;
	int failed;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* One "- **Label:** value" line; non-string values are written as JSON. */
static void jira_line(struct buf *b, const char *label, const json_t *val)
{
	char *text = NULL;
	const char *s;

	if (!val || json_is_null(val))
		return;
	if (json_is_string(val)) {
		s = json_string_value(val);
	} else {
		text = json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!text) {
			b->failed = 1;
			return;
		}
		s = text;
	}
	buf_str(b, "- **");
	buf_str(b, label);
	buf_str(b, ":** ");
	for (; *s; s++)
		buf_add(b, *s == '\n' || *s == '\r' ? " " : s, 1);
	buf_str(b, "\n");
	free(text);
}

static int is_key(const char *k, const char *const *keys)
{
	for (; *keys; keys++)
		if (strcmp(k, *keys) == 0)
			return 1;
	return 0;
}

/* "first_seen" -> "First seen", the way a person would title the field. */
static const char *pretty_label(const char *key, char *out, size_t size)
{
	size_t i;

	for (i = 0; key[i] && i + 1 < size; i++)
		out[i] = key[i] == '_' ? ' ' : key[i];
	out[i] = '\0';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
	return out;
}

static char *format_jira(const struct event *ev, char *err)
{
	static const char *const shown[] = { "name", "host", "detection_id", "group_id", NULL };
	struct buf b = { 0 };
	char label[128];
	const char *key;
	json_t *val, *sev = json_string(ev->severity), *tm = json_string(ev->time);
	json_t *evid = json_string(ev->uid);
	json_t *id = json_object_get(ev->data, "detection_id");

	if (!id)
		id = json_object_get(ev->data, "group_id");
	buf_str(&b, "### ");
	buf_str(&b, ev->title);
	buf_str(&b, "\n");
	jira_line(&b, "Name", json_object_get(ev->data, "name"));
	jira_line(&b, "Severity", sev);
	jira_line(&b, "Host", json_object_get(ev->data, "host"));
	jira_line(&b, "Time", tm);
	jira_line(&b, "ID", id);
	json_object_foreach(ev->data, key, val) {
		if (!is_key(key, shown))
			jira_line(&b, pretty_label(key, label, sizeof label), val);
	}
	jira_line(&b, "Event", evid);
	json_decref(sev);
	json_decref(tm);
	json_decref(evid);
	if (b.failed || !b.p) {
		free(b.p);
		return err_oom(err, "format");
	}
	if (b.len > 0 && b.p[b.len - 1] == '\n')
		b.p[--b.len] = '\0';
	return b.p;
}

char *format_event(const struct event *ev, enum format f, char *err)
{
	char *s;

	switch (f) {
	case FORMAT_SLACK:
		s = format_slack_escape(ev->title);
		return s ? s : err_oom(err, "format");
	case FORMAT_JIRA:
		return format_jira(ev, err);
	default:
		return format_default(ev, err);
	}
}
