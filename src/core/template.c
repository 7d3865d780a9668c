#include "template.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "utf8.h"

static const char *kind_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	default: return "an object";
	}
}

static void scan_values(const json_t *j, struct template_verdict *v)
{
	const char *key;
	json_t *val;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_STRING:
		if (strstr(json_string_value(j), "$Title"))
			v->has_title = 1;
		if (strstr(json_string_value(j), "$Event"))
			v->has_event = 1;
		break;
	case JSON_OBJECT:
		json_object_foreach((json_t *)j, key, val)
			scan_values(val, v);
		break;
	case JSON_ARRAY:
		json_array_foreach(j, i, val)
			scan_values(val, v);
		break;
	default:
		break;
	}
}

/* 1-based line and column (in characters) of a byte offset. */
static void position(const char *text, size_t off, struct template_verdict *v)
{
	size_t i;

	v->offset = off;
	v->line = 1;
	v->column = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			v->line++;
			v->column = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			v->column++;
		}
	}
}

static json_t *parse(const char *text, size_t len, struct template_verdict *v)
{
	json_error_t jerr;
	json_t *root;
	size_t bad;

	memset(v, 0, sizeof *v);
	if (len > TEMPLATE_MAX) {
		snprintf(v->msg, sizeof v->msg, "payload is %zu bytes; the limit is %d (256 KiB)",
			 len, TEMPLATE_MAX);
		return NULL;
	}
	for (bad = 0; bad < len && strchr(" \t\r\n", text[bad]) && text[bad]; bad++)
		;
	if (bad == len) {
		snprintf(v->msg, sizeof v->msg, "payload is empty; write a JSON object with $Title and $Event, or pick a preset");
		return NULL;
	}
	if (utf8_check(text, len, &bad) < 0) {
		position(text, bad, v);
		snprintf(v->msg, sizeof v->msg, "line %d, column %d: invalid UTF-8 (byte 0x%02X); save the payload as UTF-8",
			 v->line, v->column, (unsigned char)text[bad]);
		return NULL;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root) {
		v->line = jerr.line;
		v->column = jerr.column;
		v->offset = jerr.position > 0 ? (size_t)jerr.position - 1 : 0;
		if (jerr.line > 0)
			snprintf(v->msg, sizeof v->msg, "line %d, column %d: %s",
				 jerr.line, jerr.column, jerr.text);
		else
			snprintf(v->msg, sizeof v->msg, "%s", jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		snprintf(v->msg, sizeof v->msg, "payload must be a JSON object, not %s", kind_name(root));
		json_decref(root);
		return NULL;
	}
	scan_values(root, v);
	if (!v->has_title || !v->has_event) {
		snprintf(v->msg, sizeof v->msg, "payload has no %s placeholder%s",
			 !v->has_title && !v->has_event ? "$Title and no $Event" :
			 !v->has_title ? "$Title" : "$Event",
			 " (put it inside a string value, e.g. \"message\": \"$Event\")");
		json_decref(root);
		return NULL;
	}
	v->ok = 1;
	return root;
}

int template_check(const char *text, size_t len, struct template_verdict *v, char *err)
{
	json_t *root = parse(text, len, v);

	if (!root) {
		err_set(err, "%s", v->msg);
		return -1;
	}
	json_decref(root);
	return 0;
}

char *template_substitute(const char *s, size_t len, const char *title,
			  const char *event, size_t *outlen)
{
	size_t tl = strlen(title), el = strlen(event), cap = len + 1, n = 0, i = 0;
	char *out;

	/* Size exactly first: one pass to count, one to copy. */
	for (i = 0; i + 6 <= len; i++) {
		if (s[i] != '$')
			continue;
		if (memcmp(s + i + 1, "Title", 5) == 0) {
			cap += tl;
			i += 5;
		} else if (memcmp(s + i + 1, "Event", 5) == 0) {
			cap += el;
			i += 5;
		}
	}
	out = malloc(cap);
	if (!out)
		return NULL;
	for (i = 0; i < len;) {
		if (s[i] == '$' && i + 6 <= len && memcmp(s + i + 1, "Title", 5) == 0) {
			memcpy(out + n, title, tl);
			n += tl;
			i += 6;
		} else if (s[i] == '$' && i + 6 <= len && memcmp(s + i + 1, "Event", 5) == 0) {
			memcpy(out + n, event, el);
			n += el;
			i += 6;
		} else {
			out[n++] = s[i++];
		}
	}
	out[n] = '\0';
	if (outlen)
		*outlen = n;
	return out;
}

static json_t *render_node(json_t *j, const char *title, const char *event);

static json_t *render_object(json_t *j, const char *title, const char *event)
{
	json_t *out = json_object(), *val, *nv;
	const char *key;
	char *nk;

	if (!out)
		return NULL;
	json_object_foreach(j, key, val) {
		nk = template_substitute(key, strlen(key), title, event, NULL);
		nv = render_node(val, title, event);
		if (!nk || !nv) {
			free(nk);
			json_decref(nv);
			json_decref(out);
			return NULL;
		}
		/* json_object_set_new() takes nv even when it fails. */
		if (json_object_set_new(out, nk, nv) < 0) {
			free(nk);
			json_decref(out);
			return NULL;
		}
		free(nk);
	}
	return out;
}

static json_t *render_node(json_t *j, const char *title, const char *event)
{
	json_t *out, *val, *nv;
	size_t i, n;
	char *s;

	switch (json_typeof(j)) {
	case JSON_STRING:
		s = template_substitute(json_string_value(j), json_string_length(j), title, event, &n);
		if (!s)
			return NULL;
		out = json_stringn(s, n);
		free(s);
		return out;
	case JSON_OBJECT:
		return render_object(j, title, event);
	case JSON_ARRAY:
		out = json_array();
		if (!out)
			return NULL;
		json_array_foreach(j, i, val) {
			nv = render_node(val, title, event);
			if (!nv || json_array_append_new(out, nv) < 0) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	default:
		return json_incref(j);
	}
}

char *template_render(const char *text, size_t len, const char *title,
		      const char *event, char *err)
{
	struct template_verdict v;
	json_t *root, *out;
	size_t bad;
	char *body;

	/* Both end up inside JSON strings, which must be UTF-8. */
	if (utf8_check(title, strlen(title), &bad) < 0) {
		err_set(err, "the title is not valid UTF-8 (byte %zu)", bad + 1);
		return NULL;
	}
	if (utf8_check(event, strlen(event), &bad) < 0) {
		err_set(err, "the event text is not valid UTF-8 (byte %zu)", bad + 1);
		return NULL;
	}
	root = parse(text, len, &v);
	if (!root) {
		err_set(err, "%s", v.msg);
		return NULL;
	}
	out = render_node(root, title, event);
	json_decref(root);
	if (!out)
		return err_oom(err, "render");
	body = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	if (!body)
		return err_oom(err, "render");
	return body;
}
