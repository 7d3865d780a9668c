#include "template.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sbuf.h"
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
		err_setk(err, ERR_INVALID, "%s", v->msg);
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

/* Lexical rendering. The template has passed jansson's check, so the text
 * is one well-formed JSON value: outside string tokens it is copied byte
 * for byte (numbers, literals, spacing), and inside each string token —
 * keys included — placeholders are replaced. A string token is read as
 * units: one raw byte, or one escape sequence (\n, \", \uXXXX). A
 * placeholder is six units that decode to "$Title" or "$Event", so an
 * operator who wrote "\u0024Title" gets it replaced, as the tree walk
 * (and template_check) always saw it; units that are not part of a
 * placeholder keep the operator's spelling. */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The unit at t[i] (inside a string token ending before t[len]): its
 * length, and in *ch the ASCII character it decodes to, or -1 when it
 * decodes to anything else (non-ASCII, or the closing quote). */
static size_t unit_at(const char *t, size_t i, size_t len, int *ch)
{
	static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	const char *p;
	int k, v = 0;

	*ch = -1;
	if (t[i] == '"')
		return 0;
	if (t[i] != '\\' || i + 1 >= len) {
		if (!((unsigned char)t[i] & 0x80))
			*ch = (unsigned char)t[i];
		return 1;
	}
	if (t[i + 1] == 'u') {
		if (i + 6 > len)
			return len - i;
		for (k = 2; k < 6; k++) {
			if (hexval(t[i + k]) < 0)
				return 2;
			v = v * 16 + hexval(t[i + k]);
		}
		if (v < 0x80)
			*ch = v;
		return 6;
	}
	for (p = simple; *p; p += 2)
		if (*p == t[i + 1]) {
			*ch = (unsigned char)p[1];
			break;
		}
	return 2;
}

/* When the units from t[i] decode to "$Title" or "$Event", the raw length
 * they take and which one (1 title, 2 event); else 0. */
static size_t placeholder_at(const char *t, size_t i, size_t len, int *which)
{
	size_t start = i, n;
	int k, ch, title = 1, event = 1;

	for (k = 0; k < 6 && i < len; k++) {
		n = unit_at(t, i, len, &ch);
		if (n == 0 || ch < 0)
			return 0;
		title = title && ch == "$Title"[k];
		event = event && ch == "$Event"[k];
		if (!title && !event)
			return 0;
		i += n;
	}
	if (k < 6)
		return 0;
	*which = title ? 1 : 2;
	return i - start;
}

/* Append s as the inside of a JSON string: quotes, backslashes and
 * control characters escaped, everything else (UTF-8 included) as is. */
static void append_json_text(struct sbuf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" :
				  c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b" :
				  c == '\f' ? "\\f" : NULL;

		if (!esc && c >= 0x20)
			continue;
		sbuf_appendn(b, run, (size_t)(s - run));
		if (esc)
			sbuf_append(b, esc);
		else
			sbuf_appendf(b, "\\u%04x", c);
		run = s + 1;
	}
	sbuf_appendn(b, run, (size_t)(s - run));
}

/* One pass over the text: every replacement is appended and never read
 * again, so a title holding "$Event" stays as it is. */
static char *substitute_lexically(const char *t, size_t len, const char *title, const char *event)
{
	struct sbuf b;
	size_t i = 0, copied = 0, n;
	int which;

	sbuf_init(&b);
	while (i < len) {
		if (t[i++] != '"')
			continue;
		while (i < len && t[i] != '"') {
			int ch;

			n = placeholder_at(t, i, len, &which);
			if (n == 0) {
				i += unit_at(t, i, len, &ch);
				continue;
			}
			sbuf_appendn(&b, t + copied, i - copied);
			append_json_text(&b, which == 1 ? title : event);
			i += n;
			copied = i;
		}
		i++;   /* the closing quote */
	}
	sbuf_appendn(&b, t + copied, len - copied);
	return sbuf_take(&b);
}

char *template_render(const char *text, size_t len, const char *title,
		      const char *event, char *err)
{
	struct template_verdict v;
	json_t *root;
	size_t bad;
	char *body;

	/* Both end up inside JSON strings, which must be UTF-8. */
	if (utf8_check(title, strlen(title), &bad) < 0) {
		err_setk(err, ERR_INVALID, "the title is not valid UTF-8 (byte %zu)", bad + 1);
		return NULL;
	}
	if (utf8_check(event, strlen(event), &bad) < 0) {
		err_setk(err, ERR_INVALID, "the event text is not valid UTF-8 (byte %zu)", bad + 1);
		return NULL;
	}
	/* jansson judges the template (the lexical pass relies on it being
	 * well-formed); the body is then made from the text itself, so the
	 * receiver gets the operator's numbers, keys, order and spacing. */
	root = parse(text, len, &v);
	if (!root) {
		err_setk(err, ERR_INVALID, "%s", v.msg);
		return NULL;
	}
	json_decref(root);
	body = substitute_lexically(text, len, title, event);
	return body ? body : err_oom(err, "render");
}
