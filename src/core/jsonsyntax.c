#include "jsonsyntax.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

/* What the scanner waits for next. The grammar is small enough for a loop
 * over these and a stack of open brackets; no recursion, so no nesting
 * can exhaust the C stack. */
enum want {
	W_TOP,          /* the value the whole text is */
	W_VALUE,        /* a value after ':' */
	W_FIRST_ITEM,   /* a value or ']' after '[' */
	W_ITEM,         /* a value after ',' in an array */
	W_FIRST_KEY,    /* a key or '}' after '{' */
	W_KEY,          /* a key after ',' in an object */
	W_COLON,        /* ':' after a key */
	W_NEXT,         /* ',' or the closing bracket after a value; the end at the top */
};

struct scan {
	const char *t;
	size_t len, i;
	size_t open[JSONSYNTAX_MAX_DEPTH];   /* offsets of the '{' and '[' not yet closed */
	int depth;
	/* The last of each, for messages that point back at them. */
	size_t comma, colon, key, value_end;
	/* jsonsyntax_token_start: the last token that starts before stop. */
	size_t stop, last_token;
	struct jsonsyntax_error *e;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_word(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.';
}

static void token(struct scan *s, size_t at)
{
	if (at < s->stop)
		s->last_token = at;
}

void jsonsyntax_position(const char *text, size_t off, struct jsonsyntax_pos *p)
{
	size_t i = 0;
	unsigned cp;

	p->line = p->column = p->display_column = 1;
	while (i < off) {
		if (text[i] == '\n') {
			p->line++;
			p->column = p->display_column = 1;
			i++;
			continue;
		}
		i += utf8_decode(text + i, off - i, &cp);
		p->column++;
		/* The payload editor draws a tab as one cell. */
		p->display_column += cp == '\t' ? 1 : (int)utf8_cp_width(cp);
	}
}

static int line_of(const struct scan *s, size_t off)
{
	struct jsonsyntax_pos p;

	jsonsyntax_position(s->t, off, &p);
	return p.line;
}

/* "line 3, column 14" for a place a message points back to. */
static void where(const struct scan *s, size_t off, char *out, size_t size)
{
	struct jsonsyntax_pos p;

	jsonsyntax_position(s->t, off, &p);
	snprintf(out, size, "line %d, column %d", p.line, p.column);
}

/* Blanks that people paste from documents and chat, which JSON does not
 * count as blanks: said by name, since they cannot be seen. */
static const char *blank_name(unsigned cp)
{
	switch (cp) {
	case 0xA0: return "a no-break space";
	case 0xFEFF: return "a byte order mark";
	case 0x200B: return "a zero-width space";
	case 0x2028: return "a line separator";
	case 0x2029: return "a paragraph separator";
	case 0x3000: return "an ideographic space";
	default: return cp >= 0x2000 && cp <= 0x200A ? "a space" : NULL;
	}
}

/* A character that shows as itself on a terminal. */
static int visible(unsigned cp)
{
	return cp > 0x20 && !utf8_is_control(cp) && !utf8_is_bidi_control(cp) && !blank_name(cp) &&
	       cp != 0xAD && !(cp >= 0x200B && cp <= 0x200F) && !(cp >= 0x2060 && cp <= 0x2064) &&
	       !(cp >= 0xFE00 && cp <= 0xFE0F);
}

/* The character at s->t[at] as a message names it: 'x' when it can be
 * seen, else its code point ("U+00A0"); name receives what an invisible
 * blank is, or NULL. */
static void char_name(const struct scan *s, size_t at, char *out, size_t size, const char **name)
{
	unsigned cp;
	size_t n = utf8_decode(s->t + at, s->len - at, &cp);

	*name = blank_name(cp);
	if (cp == '\'')
		snprintf(out, size, "\"'\"");
	else if (visible(cp))
		snprintf(out, size, "'%.*s'", (int)n, s->t + at);
	else
		snprintf(out, size, "U+%04X", cp);
}

static int fail(struct scan *s, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct scan *s, size_t at, const char *fmt, ...)
{
	va_list ap;

	s->e->offset = at;
	s->e->at_end = 0;
	s->e->tail[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(s->e->head, sizeof s->e->head, fmt, ap);
	va_end(ap);
	return -1;
}

/* The same when the text stops too soon: nothing is at fault but the end,
 * which is placed just after the last thing written. */
static int fail_at_end(struct scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_at_end(struct scan *s, const char *fmt, ...)
{
	size_t end = s->len;
	va_list ap;

	while (end > 0 && is_blank(s->t[end - 1]))
		end--;
	s->e->offset = end;
	s->e->at_end = 1;
	s->e->tail[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(s->e->head, sizeof s->e->head, fmt, ap);
	va_end(ap);
	return -1;
}

/* Add what follows the position to the error just reported. */
static int explain(struct scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int explain(struct scan *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->e->tail, sizeof s->e->tail, fmt, ap);
	va_end(ap);
	return -1;
}

/* Name the offending character when it cannot be seen (a pasted no-break
 * space reads as a blank): the message would otherwise point at nothing. */
static int note_found(struct scan *s, size_t at)
{
	char what[32];
	const char *name;
	unsigned cp;

	utf8_decode(s->t + at, s->len - at, &cp);
	if (visible(cp))
		return -1;
	char_name(s, at, what, sizeof what, &name);
	return name ? explain(s, "(found %s, %s, which JSON does not count as a blank)", what, name)
		    : explain(s, "(found the invisible character %s)", what);
}

static char closer_of(char open)
{
	return open == '{' ? '}' : ']';
}

static int trailing_comma(struct scan *s)
{
	fail(s, s->comma, "unexpected ','");
	return explain(s, "(a trailing comma is not allowed in JSON)");
}

static int mismatch(struct scan *s)
{
	size_t o = s->open[s->depth - 1];
	char at[48];

	where(s, o, at, sizeof at);
	fail(s, s->i, "'%c'", s->t[s->i]);
	return explain(s, "does not match the '%c' on %s (%s ends with '%c')", s->t[o], at,
		       s->t[o] == '{' ? "an object" : "an array", closer_of(s->t[o]));
}

static int unclosed_string(struct scan *s, size_t start, int at_newline)
{
	fail(s, start, "a string is not closed");
	return at_newline ? explain(s, "(a string ends on the line it starts on; write \\n for a line break)") : -1;
}

static int control_in_string(struct scan *s, size_t start, unsigned char c)
{
	if (c == '\n' || c == '\r')
		return unclosed_string(s, start, 1);
	if (c == '\t') {
		fail(s, s->i, "a tab inside a string");
		return explain(s, "(write it as \\t)");
	}
	fail(s, s->i, "a control character (U+%04X) inside a string", c);
	return explain(s, "(write it as \\u%04x)", c);
}

/* The value of four hex digits at s->t[at], or -1. */
static long hex4(const struct scan *s, size_t at)
{
	long v = 0;
	size_t k;

	if (at + 4 > s->len)
		return -1;
	for (k = at; k < at + 4; k++) {
		char c = s->t[k];
		int d = is_digit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A \u escape at s->i (and its partner when it is half of a surrogate
 * pair). Leaves s->i on its last byte. */
static int scan_unicode_escape(struct scan *s)
{
	size_t at = s->i, low = at + 6;
	long cp = hex4(s, at + 2), lcp;

	if (cp < 0)
		return fail(s, at, "'\\u' needs four hex digits");
	if (cp == 0) {
		fail(s, at, "'\\u0000'");
		return explain(s, "is not allowed (a string cannot hold a NUL character)");
	}
	if (cp >= 0xDC00 && cp <= 0xDFFF) {
		fail(s, at, "'%.6s'", s->t + at);
		return explain(s, "is half a surrogate pair: a \\uD800 to \\uDBFF escape must come before it");
	}
	if (cp < 0xD800 || cp > 0xDBFF) {
		s->i = at + 5;
		return 0;
	}
	if (low + 1 < s->len && s->t[low] == '\\' && s->t[low + 1] == 'u') {
		lcp = hex4(s, low + 2);
		if (lcp < 0)
			return fail(s, low, "'\\u' needs four hex digits");
		if (lcp >= 0xDC00 && lcp <= 0xDFFF) {
			s->i = low + 5;
			return 0;
		}
	}
	fail(s, at, "'%.6s'", s->t + at);
	return explain(s, "is half a surrogate pair: a \\uDC00 to \\uDFFF escape must follow it");
}

/* An escape at s->i, inside the string that starts at start. Leaves s->i
 * on its last byte. */
static int scan_escape(struct scan *s, size_t start)
{
	size_t at = s->i;
	char what[32];
	const char *name;
	unsigned cp;
	size_t n;

	if (at + 1 >= s->len)
		return unclosed_string(s, start, 0);
	if (s->t[at + 1] != '\0' && strchr("\"\\/bfnrt", s->t[at + 1])) {
		s->i = at + 1;
		return 0;
	}
	if (s->t[at + 1] == 'u')
		return scan_unicode_escape(s);
	n = utf8_decode(s->t + at + 1, s->len - at - 1, &cp);
	if (cp == '\'') {
		fail(s, at, "unknown escape \\'");
		return explain(s, "(a single quote needs no backslash in JSON)");
	}
	if (visible(cp))
		fail(s, at, "unknown escape '\\%.*s'", (int)n, s->t + at + 1);
	else {
		char_name(s, at + 1, what, sizeof what, &name);
		fail(s, at, "a backslash before %s", what);
	}
	return explain(s, "(write \\\\ for a backslash)");
}

/* A string token at s->i (a key or a value). */
static int scan_string(struct scan *s)
{
	size_t start = s->i;

	token(s, start);
	for (s->i++; s->i < s->len; s->i++) {
		unsigned char c = (unsigned char)s->t[s->i];

		if (c == '"') {
			s->i++;
			s->value_end = s->i;
			return 0;
		}
		if (c == '\\' && scan_escape(s, start) < 0)
			return -1;
		if (c < 0x20)
			return control_in_string(s, start, c);
	}
	return unclosed_string(s, start, 0);
}

static int digit_expected(struct scan *s, const char *after)
{
	if (s->i == s->len)
		return fail_at_end(s, "a digit missing %s at the end", after);
	fail(s, s->i, "a digit expected %s", after);
	return note_found(s, s->i);
}

static void skip_digits(struct scan *s)
{
	while (s->i < s->len && is_digit(s->t[s->i]))
		s->i++;
}

static int leading_zero(struct scan *s)
{
	size_t z = s->i, d;

	while (z < s->len && s->t[z] == '0')
		z++;
	for (d = z; d < s->len && is_digit(s->t[d]); d++)
		;
	fail(s, s->i, "a number with a leading zero");
	if (d == z)
		return explain(s, "(write 0)");
	return explain(s, "(write %.*s, not %.*s)", (int)(d - z > 20 ? 20 : d - z), s->t + z,
		       (int)(d - s->i > 24 ? 24 : d - s->i), s->t + s->i);
}

/* A number token at s->i, as jansson reads one: an optional '-', 0 or
 * digits without a leading zero, a fraction, an exponent. */
static int scan_number(struct scan *s)
{
	token(s, s->i);
	if (s->t[s->i] == '-')
		s->i++;
	if (s->i == s->len || !is_digit(s->t[s->i]))
		return digit_expected(s, "after '-'");
	if (s->t[s->i] == '0' && s->i + 1 < s->len && is_digit(s->t[s->i + 1]))
		return leading_zero(s);
	skip_digits(s);
	if (s->i < s->len && s->t[s->i] == '.') {
		s->i++;
		if (s->i == s->len || !is_digit(s->t[s->i]))
			return digit_expected(s, "after '.'");
		skip_digits(s);
	}
	if (s->i < s->len && (s->t[s->i] == 'e' || s->t[s->i] == 'E')) {
		s->i++;
		if (s->i < s->len && (s->t[s->i] == '+' || s->t[s->i] == '-'))
			s->i++;
		if (s->i == s->len || !is_digit(s->t[s->i]))
			return digit_expected(s, "in the exponent");
		skip_digits(s);
	}
	s->value_end = s->i;
	return 0;
}

/* A word at s->i: true, false or null, as jansson reads them (a run of
 * letters, compared whole); anything else is text without quotes. */
static int scan_word(struct scan *s)
{
	static const char *const literals[] = { "true", "false", "null" };
	size_t at = s->i, n = 0, shown = 0, k;

	token(s, at);
	while (at + n < s->len && is_alpha(s->t[at + n]))
		n++;
	for (k = 0; k < 3; k++)
		if (n == strlen(literals[k]) && memcmp(s->t + at, literals[k], n) == 0) {
			s->i += n;
			s->value_end = s->i;
			return 0;
		}
	for (k = 0; k < 3; k++)
		if (n == strlen(literals[k]) && strncasecmp(s->t + at, literals[k], n) == 0) {
			fail(s, at, "'%.*s' is not a JSON value", (int)n, s->t + at);
			return explain(s, "(write %s in lower case)", literals[k]);
		}
	while (at + shown < s->len && is_word(s->t[at + shown]))
		shown++;
	fail(s, at, "unquoted text '%.*s%s'", (int)(shown > 24 ? 24 : shown), s->t + at, shown > 24 ? "…" : "");
	return explain(s, "(text must be in double quotes)");
}

/* Something in a value's place that cannot start one: the likely mistakes
 * first (quotes of the wrong kind, a number written loosely, a comma left
 * before a closing bracket), then what was expected there. */
static int value_expected(struct scan *s, enum want w)
{
	char c = s->t[s->i], what[32];
	const char *name;
	unsigned cp;
	size_t d;

	utf8_decode(s->t + s->i, s->len - s->i, &cp);
	if (c == '\'' || cp == 0x2018 || cp == 0x2019) {
		fail(s, s->i, "text in single quotes");
		return explain(s, "(JSON strings use double quotes \")");
	}
	if (cp == 0x201C || cp == 0x201D) {
		fail(s, s->i, "text in curly quotes");
		return explain(s, "(JSON strings use straight double quotes \")");
	}
	if (c == '.' && s->i + 1 < s->len && is_digit(s->t[s->i + 1])) {
		for (d = s->i + 1; d < s->len && is_digit(s->t[d]) && d - s->i < 20; d++)
			;
		fail(s, s->i, "a number starting with '.'");
		return explain(s, "(write 0%.*s, not %.*s)", (int)(d - s->i), s->t + s->i, (int)(d - s->i),
			       s->t + s->i);
	}
	if (c == '+') {
		fail(s, s->i, "a number starting with '+'");
		return explain(s, "(leave the '+' out)");
	}
	if (w == W_ITEM && c == ']')
		return trailing_comma(s);
	if ((c == ']' || c == '}') && s->depth > 0 && c != closer_of(s->t[s->open[s->depth - 1]]))
		return mismatch(s);
	if (w == W_TOP) {
		char_name(s, s->i, what, sizeof what, &name);
		fail(s, s->i, "unexpected %s", what);
		return name ? explain(s, "(%s; a payload starts with {)", name) : explain(s, "(a payload starts with {)");
	}
	fail(s, s->i, w == W_VALUE ? "a value expected after ':'" :
		      w == W_ITEM ? "a value expected after ','" : "a value or ']' expected");
	return note_found(s, s->i);
}

static int key_expected(struct scan *s, enum want w)
{
	char c = s->t[s->i];
	unsigned cp;
	size_t n = 0;

	utf8_decode(s->t + s->i, s->len - s->i, &cp);
	if (w == W_KEY && c == '}')
		return trailing_comma(s);
	if (c == ']')
		return mismatch(s);
	if (c == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D) {
		fail(s, s->i, c == '\'' || cp < 0x201C ? "a key in single quotes" : "a key in curly quotes");
		return explain(s, "(keys use straight double quotes \")");
	}
	while (s->i + n < s->len && is_word(s->t[s->i + n]))
		n++;
	if (n > 0) {
		fail(s, s->i, "unquoted key '%.*s%s'", (int)(n > 24 ? 24 : n), s->t + s->i, n > 24 ? "…" : "");
		return explain(s, "(keys must be in double quotes)");
	}
	fail(s, s->i, w == W_FIRST_KEY ? "a key in double quotes or '}' expected" :
		      "a key in double quotes expected after ','");
	return note_found(s, s->i);
}

static int starts_value(char c)
{
	return c == '"' || c == '{' || c == '[' || c == '-' || is_digit(c) || is_alpha(c);
}

/* After a value inside brackets: a ',' or the closing bracket. A value
 * on a later line is most likely a ',' forgotten at the end of the line
 * before, so the message asks about it. */
static int next_expected(struct scan *s)
{
	char c = s->t[s->i], close = closer_of(s->t[s->open[s->depth - 1]]);
	int vline, cline;

	if (c == ']' || c == '}')
		return mismatch(s);
	fail(s, s->i, "',' or '%c' expected after the value", close);
	if (!starts_value(c))
		return note_found(s, s->i);
	vline = line_of(s, s->value_end - 1);
	cline = line_of(s, s->i);
	return cline > vline ? explain(s, "(is a ',' missing at the end of line %d?)", vline) : -1;
}

static int text_after_end(struct scan *s)
{
	char what[32], at[48];
	const char *name;

	char_name(s, s->i, what, sizeof what, &name);
	where(s, s->value_end - 1, at, sizeof at);
	fail(s, s->i, "unexpected %s", what);
	return name ? explain(s, "(%s; the payload already ended on %s)", name, at)
		    : explain(s, "(the payload already ended on %s)", at);
}

/* The text ended while w was awaited. */
static int ended(struct scan *s, enum want w)
{
	char at[48];
	size_t o;

	if (w == W_TOP)
		return fail_at_end(s, "the payload is empty");
	if (w == W_COLON) {
		where(s, s->key, at, sizeof at);
		fail_at_end(s, "':' missing at the end");
		return explain(s, "(after the key on %s)", at);
	}
	if (w == W_VALUE) {
		where(s, s->colon, at, sizeof at);
		fail_at_end(s, "a value missing at the end");
		return explain(s, "(after the ':' on %s)", at);
	}
	o = s->open[s->depth - 1];
	fail_at_end(s, "'%c' missing at the end", closer_of(s->t[o]));
	return explain(s, "(the %s opened on line %d is not closed)", s->t[o] == '{' ? "object" : "array",
		       line_of(s, o));
}

static int open_bracket(struct scan *s)
{
	if (s->depth == JSONSYNTAX_MAX_DEPTH) {
		fail(s, s->i, "'%c' nested too deeply", s->t[s->i]);
		return explain(s, "(JSON here may nest %d levels at most)", JSONSYNTAX_MAX_DEPTH);
	}
	token(s, s->i);
	s->open[s->depth++] = s->i++;
	return 0;
}

static void close_bracket(struct scan *s)
{
	token(s, s->i);
	s->depth--;
	s->value_end = ++s->i;
}

/* A value at s->i: 0 when it was a string, number or literal, 1 when it
 * opened brackets, -1 on error. */
static int scan_value(struct scan *s, enum want w)
{
	char c = s->t[s->i];

	if (c == '{' || c == '[')
		return open_bracket(s) < 0 ? -1 : 1;
	if (c == '"')
		return scan_string(s);
	if (c == '-' || is_digit(c))
		return scan_number(s);
	if (is_alpha(c))
		return scan_word(s);
	return value_expected(s, w);
}

/* Where a value or key goes; the new state, or -1. */
static int step_value(struct scan *s, enum want w)
{
	int r;

	if (w == W_FIRST_ITEM && s->t[s->i] == ']') {
		close_bracket(s);
		return W_NEXT;
	}
	r = scan_value(s, w);
	if (r < 0)
		return -1;
	if (r == 0)
		return W_NEXT;
	return s->t[s->open[s->depth - 1]] == '{' ? W_FIRST_KEY : W_FIRST_ITEM;
}

static int step_key(struct scan *s, enum want w)
{
	if (w == W_FIRST_KEY && s->t[s->i] == '}') {
		close_bracket(s);
		return W_NEXT;
	}
	if (s->t[s->i] != '"')
		return key_expected(s, w);
	s->key = s->i;
	return scan_string(s) < 0 ? -1 : W_COLON;
}

static int step_colon(struct scan *s)
{
	if (s->t[s->i] != ':') {
		fail(s, s->i, "':' expected after the key");
		return note_found(s, s->i);
	}
	token(s, s->i);
	s->colon = s->i++;
	return W_VALUE;
}

static int step_next(struct scan *s)
{
	char c = s->t[s->i], open;

	if (s->depth == 0)
		return text_after_end(s);
	open = s->t[s->open[s->depth - 1]];
	if (c == ',') {
		token(s, s->i);
		s->comma = s->i++;
		return open == '{' ? W_KEY : W_ITEM;
	}
	if (c != closer_of(open))
		return next_expected(s);
	close_bracket(s);
	return W_NEXT;
}

static int scan_text(struct scan *s)
{
	int w = W_TOP;

	for (;;) {
		while (s->i < s->len && is_blank(s->t[s->i]))
			s->i++;
		if (s->i == s->len)
			return w == W_NEXT && s->depth == 0 ? 0 : ended(s, (enum want)w);
		switch (w) {
		case W_FIRST_KEY:
		case W_KEY:
			w = step_key(s, (enum want)w);
			break;
		case W_COLON:
			w = step_colon(s);
			break;
		case W_NEXT:
			w = step_next(s);
			break;
		default:
			w = step_value(s, (enum want)w);
			break;
		}
		if (w < 0)
			return -1;
	}
}

static void scan_init(struct scan *s, const char *text, size_t len, struct jsonsyntax_error *e)
{
	s->t = text;
	s->len = len;
	s->i = 0;
	s->depth = 0;
	s->comma = s->colon = s->key = s->value_end = 0;
	s->stop = s->last_token = 0;
	s->e = e;
}

int jsonsyntax_check(const char *text, size_t len, struct jsonsyntax_error *e)
{
	struct scan s;

	memset(e, 0, sizeof *e);
	scan_init(&s, text, len, e);
	return scan_text(&s);
}

size_t jsonsyntax_token_start(const char *text, size_t len, size_t pos)
{
	struct jsonsyntax_error e;
	struct scan s;

	scan_init(&s, text, len, &e);
	s.stop = pos;
	scan_text(&s);
	return s.last_token;
}
