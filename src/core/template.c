#include "template.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "jsonscan.h"
#include "jsonsyntax.h"
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

/* Place the verdict's position at byte off. */
static void locate(const char *text, size_t off, struct template_verdict *v)
{
	struct jsonsyntax_pos p;

	jsonsyntax_position(text, off, &p);
	v->offset = off;
	v->line = p.line;
	v->column = p.column;
	v->display_column = p.display_column;
}

/* Whether the sentence says where: only for a character at fault. */
static int placed(const struct template_verdict *v)
{
	return (v->problem == TP_SYNTAX || v->problem == TP_ENCODING) && !v->at_end;
}

/* Fill the verdict's sentences: what is wrong, then where (when a
 * character is at fault), then what follows: "',' or '}' expected after
 * the value" + " on line 3, column 14" + " (…)". */
static void say(struct template_verdict *v, enum template_problem problem, const char *head,
		const char *tail)
{
	const char *sep = tail[0] ? " " : "";

	v->problem = problem;
	snprintf(v->what, sizeof v->what, "%s%s%s", head, sep, tail);
	if (placed(v))
		snprintf(v->msg, sizeof v->msg, "%s on line %d, column %d%s%s", head, v->line, v->column,
			 sep, tail);
	else
		snprintf(v->msg, sizeof v->msg, "%s", v->what);
}

/* Which placeholders a valid object lacks: 1 $Title, 2 $Event, 3 both. */
static int missing(const struct template_verdict *v)
{
	return (v->has_title ? 0 : 1) | (v->has_event ? 0 : 2);
}

static void say_missing(struct template_verdict *v)
{
	static const char *const which[] = { "", "$Title", "$Event", "$Title and no $Event" };
	static const char *const example[] = {
		"", "\"title\": \"$Title\"", "\"message\": \"$Event\"",
		"\"title\": \"$Title\", \"message\": \"$Event\""
	};
	char head[160];

	snprintf(head, sizeof head, "payload has no %s placeholder (put it inside a string value, e.g. %s)",
		 which[missing(v)], example[missing(v)]);
	say(v, TP_NO_PLACEHOLDER, head, "");
}

/* What jansson alone refuses in text that has JSON's syntax: a key twice
 * in one object, a number too large to hold. Said at the token jansson
 * stopped after; anything else keeps jansson's own words. */
static void parse_failed(const char *text, size_t len, const json_error_t *jerr,
			 struct template_verdict *v)
{
	size_t pos = jerr->position > 0 ? (size_t)jerr->position : 0, at, shown;
	char head[160];

	if (pos > len)
		pos = len;
	at = jsonsyntax_token_start(text, len, pos);
	switch (json_error_code(jerr)) {
	case json_error_duplicate_key:
		locate(text, at, v);
		/* A long key is cut, on a character's first byte. */
		for (shown = pos - at; shown > 60 || (shown < pos - at && (text[at + shown] & 0xC0) == 0x80);)
			shown--;
		snprintf(head, sizeof head, "the key %.*s%s", (int)shown, text + at, shown < pos - at ? "…\"" : "");
		say(v, TP_SYNTAX, head, "is already in this object (a key may appear once in an object)");
		break;
	case json_error_numeric_overflow:
		locate(text, at, v);
		say(v, TP_SYNTAX, "the number", "is too large (put it in quotes to send it as text)");
		break;
	default:
		locate(text, pos > 0 ? pos - 1 : 0, v);
		say(v, TP_SYNTAX, jerr->text, "");
		break;
	}
}

static int blank_only(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || !text[i])
			return 0;
	return 1;
}

/* The steps that need no parse: size, blank, encoding, syntax. 0 when the
 * text may go to jansson. */
static int check_text(const char *text, size_t len, struct template_verdict *v)
{
	struct jsonsyntax_error se;
	char head[96];
	size_t bad;

	if (len > TEMPLATE_MAX) {
		snprintf(head, sizeof head, "payload is %zu bytes; the limit is %d (256 KiB)", len, TEMPLATE_MAX);
		say(v, TP_TOO_LARGE, head, "");
		return -1;
	}
	if (blank_only(text, len)) {
		say(v, TP_EMPTY, "the payload is empty: start with {", "");
		return -1;
	}
	if (utf8_check(text, len, &bad) < 0) {
		locate(text, bad, v);
		snprintf(head, sizeof head, "the payload is not UTF-8: byte 0x%02X", (unsigned char)text[bad]);
		say(v, TP_ENCODING, head, "(save it as UTF-8)");
		return -1;
	}
	if (jsonsyntax_check(text, len, &se) < 0) {
		locate(text, se.offset, v);
		v->at_end = se.at_end;
		say(v, TP_SYNTAX, se.head, se.tail);
		return -1;
	}
	return 0;
}

/* The first non-blank byte: where the top value starts. */
static size_t value_start(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && strchr(" \t\r\n", text[i]) && text[i])
		i++;
	return i;
}

static json_t *parse(const char *text, size_t len, struct template_verdict *v)
{
	json_error_t jerr;
	json_t *root;
	char head[96];

	memset(v, 0, sizeof *v);
	if (check_text(text, len, v) < 0)
		return NULL;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root) {
		parse_failed(text, len, &jerr, v);
		return NULL;
	}
	if (!json_is_object(root)) {
		/* At the value's start, for the interface to highlight. */
		locate(text, value_start(text, len), v);
		snprintf(head, sizeof head, "payload must be a JSON object, not %s", kind_name(root));
		say(v, TP_NOT_OBJECT, head, "");
		json_decref(root);
		return NULL;
	}
	scan_values(root, v);
	if (missing(v)) {
		say_missing(v);
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

/* What a top value that is not an object is, from its first byte. */
static const char *kind_at(char c)
{
	switch (c) {
	case '[': return "an array";
	case '"': return "a string";
	case 't':
	case 'f': return "a boolean";
	case 'n': return "null";
	default: return "a number";
	}
}

int template_check_live(const char *text, size_t len, struct template_verdict *v, char *err)
{
	struct jsonscan_facts jf;
	char head[96];

	memset(v, 0, sizeof *v);
	if (check_text(text, len, v) < 0)
		goto refused;
	if (jsonscan_facts(text, len, &jf) < 0 || jf.needs_parse)
		return template_check(text, len, v, err);
	if (jf.top != '{') {
		locate(text, value_start(text, len), v);
		snprintf(head, sizeof head, "payload must be a JSON object, not %s", kind_at(jf.top));
		say(v, TP_NOT_OBJECT, head, "");
		goto refused;
	}
	v->has_title = jf.has_title;
	v->has_event = jf.has_event;
	if (missing(v)) {
		say_missing(v);
		goto refused;
	}
	v->ok = 1;
	return 0;
refused:
	err_setk(err, ERR_INVALID, "%s", v->msg);
	return -1;
}

void template_verdict_summary(const struct template_verdict *v, struct sbuf *out)
{
	static const char *const lack[] = {
		"",
		"$Title is missing (the receiver would get no title)",
		"$Event is missing (the receiver would get no event text)",
		"$Title and $Event are missing (the receiver would get neither title nor event text)",
	};

	if (v->ok)
		sbuf_append(out, "✓ valid JSON · $Title ✓ · $Event ✓");
	else if (v->problem == TP_NO_PLACEHOLDER)
		sbuf_appendf(out, "✗ JSON fine, but %s", lack[missing(v)]);
	else if (placed(v))
		sbuf_appendf(out, "✗ line %d, column %d: %s", v->line, v->column, v->what);
	else
		sbuf_appendf(out, "✗ %s", v->msg);
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
 * units: one raw byte, or one escape sequence (\n, \", \u00e9). A
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
			sbuf_append_json_text(&b, which == 1 ? title : event);
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
	/* The template is judged first (the lexical pass relies on it being
	 * well-formed), by the scan that gives template_check's verdicts
	 * without building a tree: a fan-out renders one body per delivery.
	 * The body is then made from the text itself, so the receiver gets
	 * the operator's numbers, keys, order and spacing. */
	if (template_check_live(text, len, &v, err) < 0)
		return NULL;
	body = substitute_lexically(text, len, title, event);
	return body ? body : err_oom(err, "render");
}
