#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "jsonsyntax.h"
#include "sbuf.h"
#include "template.h"
#include "testutil.h"
#include "treerender.h"

static int check(const char *t, struct template_verdict *v)
{
	return template_check(t, strlen(t), v, NULL);
}

START_TEST(valid_templates)
{
	struct template_verdict v;

	ck_assert_int_eq(check("{\"title\": \"$Title\", \"message\": \"$Event\"}", &v), 0);
	ck_assert(v.ok && v.has_title && v.has_event);
	ck_assert_int_eq(v.problem, TP_NONE);
	ck_assert_str_eq(v.msg, "");
	ck_assert_int_eq(check("{\"a\": {\"b\": [\"x $Title y\", {\"c\": \"$Event\"}]}}", &v), 0);
}
END_TEST

START_TEST(syntax_errors_have_positions)
{
	struct template_verdict v;
	const char *t = "{\n  \"title\": \"$Title\",\n  \"message\": }\n";

	ck_assert_int_eq(check(t, &v), -1);
	ck_assert_int_eq(v.problem, TP_SYNTAX);
	ck_assert_int_eq(v.line, 3);
	ck_assert_int_eq(v.column, 14);
	ck_assert_uint_eq(v.offset, 36);
	ck_assert_int_eq(v.at_end, 0);
	ck_assert_str_eq(v.msg, "a value expected after ':' on line 3, column 14");
	ck_assert_str_eq(v.what, "a value expected after ':'");
	ck_assert_int_eq(check("{\"a\": \"$Title $Event\"", &v), -1);
	ck_assert_str_eq(v.msg, "'}' missing at the end (the object opened on line 1 is not closed)");
	ck_assert_int_eq(v.at_end, 1);
	ck_assert_int_eq(v.line, 1);
	ck_assert_int_eq(v.column, 22);
	ck_assert_uint_eq(v.offset, 21);
	ck_assert_int_eq(check("{\"a\": \"$Title $Event\"} x", &v), -1);
	ck_assert_str_eq(v.msg, "unexpected 'x' on line 1, column 24 (the payload already ended on line 1, column 22)");
	ck_assert_int_eq(check("{\"a\": \"$Title\", \"a\": \"$Event\"}", &v), -1);
	ck_assert_str_eq(v.msg, "the key \"a\" on line 1, column 17 is already in this object "
			 "(a key may appear once in an object)");
	ck_assert_int_eq(v.problem, TP_SYNTAX);
	ck_assert_int_eq(check("{\"a\": \"\xff $Title $Event\"}", &v), -1);
	ck_assert_int_eq(v.problem, TP_ENCODING);
	ck_assert_str_eq(v.msg, "the payload is not UTF-8: byte 0xFF on line 1, column 8 (save it as UTF-8)");
	ck_assert_uint_eq(v.offset, 7);
}
END_TEST

START_TEST(empty_payload)
{
	struct template_verdict v;
	char err[ERR_MAX];

	ck_assert_int_eq(template_check("", 0, &v, err), -1);
	ck_assert_int_eq(v.problem, TP_EMPTY);
	ck_assert_str_eq(v.msg, "the payload is empty: start with {");
	ck_assert_str_eq(err, "the payload is empty: start with {");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_int_eq(check(" \n\t\r\n", &v), -1);
	ck_assert_int_eq(v.problem, TP_EMPTY);
	ck_assert_int_eq(v.line, 0);
}
END_TEST

/* One case per message: the sentence says what is wrong in plain words,
 * with the 1-based line and column (in characters) of the character at
 * fault, worked out by hookman's own scan rather than taken from
 * jansson's wording. */
START_TEST(syntax_messages_in_plain_words)
{
	static const struct {
		const char *text;
		int line, column;
		const char *msg;
	} cases[] = {
		{ "{\n \"a\": \"$Title\",\n \"b\": \"$Event\" \"c\": 1}", 3, 16,
		  "',' or '}' expected after the value on line 3, column 16" },
		{ "{\n \"a\": \"$Title\",\n \"b\": \"$Event\"\n \"c\": 1}", 4, 2,
		  "',' or '}' expected after the value on line 4, column 2 (is a ',' missing at the end of line 3?)" },
		{ "[\"$Title\" 1]", 1, 11, "',' or ']' expected after the value on line 1, column 11" },
		{ "{\"t\": \"$Title\", \"e\": [\"$Event\"", 1, 31,
		  "']' missing at the end (the array opened on line 1 is not closed)" },
		{ "{\n \"a\": \"$Title\n}", 2, 7,
		  "a string is not closed on line 2, column 7 (a string ends on the line it starts on; "
		  "write \\n for a line break)" },
		{ "{\"a\": \"$Title", 1, 7, "a string is not closed on line 1, column 7" },
		{ "{\"t\": \"$Title\",\n \"e\": \"$Event\",\n\n   ,}", 4, 4,
		  "a key in double quotes expected after ',' on line 4, column 4" },
		{ "{\"t\": \"$Title\",\n \"e\": \"$Event\"\n,}", 3, 1,
		  "unexpected ',' on line 3, column 1 (a trailing comma is not allowed in JSON)" },
		{ "{\"t\": [\"$Title\",\n \"$Event\",\n ]}", 2, 10,
		  "unexpected ',' on line 2, column 10 (a trailing comma is not allowed in JSON)" },
		{ "{\n \"title\" \"$Title\"}", 2, 10, "':' expected after the key on line 2, column 10" },
		{ "{\"t\": \"$Title\"]", 1, 15,
		  "']' on line 1, column 15 does not match the '{' on line 1, column 1 (an object ends with '}')" },
		{ "{\"t\": [\"$Title\"}", 1, 16,
		  "'}' on line 1, column 16 does not match the '[' on line 1, column 7 (an array ends with ']')" },
		{ "{\"t\": \"$Title\"}\n}", 2, 1,
		  "unexpected '}' on line 2, column 1 (the payload already ended on line 1, column 15)" },
		{ "{'t': \"$Title\"}", 1, 2, "a key in single quotes on line 1, column 2 (keys use straight double quotes \")" },
		{ "{title: \"$Title\"}", 1, 2, "unquoted key 'title' on line 1, column 2 (keys must be in double quotes)" },
		{ "{\"t\": '$Title'}", 1, 7, "text in single quotes on line 1, column 7 (JSON strings use double quotes \")" },
		{ "{\"t\": “$Title”}", 1, 7,
		  "text in curly quotes on line 1, column 7 (JSON strings use straight double quotes \")" },
		{ "{\"t\": $Title}", 1, 7, "a value expected after ':' on line 1, column 7" },
		{ "{\"t\": Title}", 1, 7, "unquoted text 'Title' on line 1, column 7 (text must be in double quotes)" },
		{ "{\"t\": True}", 1, 7, "'True' is not a JSON value on line 1, column 7 (write true in lower case)" },
		{ "{\"n\": NULL}", 1, 7, "'NULL' is not a JSON value on line 1, column 7 (write null in lower case)" },
		{ "{\"n\": 007}", 1, 7, "a number with a leading zero on line 1, column 7 (write 7, not 007)" },
		{ "{\"n\": .25}", 1, 7, "a number starting with '.' on line 1, column 7 (write 0.25, not .25)" },
		{ "{\"n\": +1}", 1, 7, "a number starting with '+' on line 1, column 7 (leave the '+' out)" },
		{ "{\"n\": 1.}", 1, 9, "a digit expected after '.' on line 1, column 9" },
		{ "{\"n\": -x}", 1, 8, "a digit expected after '-' on line 1, column 8" },
		{ "{\"n\": 1e+}", 1, 10, "a digit expected in the exponent on line 1, column 10" },
		{ "{\"n\": 1.", 1, 9, "a digit missing after '.' at the end" },
		{ "{\"t\": \"a\tb\"}", 1, 9, "a tab inside a string on line 1, column 9 (write it as \\t)" },
		{ "{\"t\": \"a\x01\"}", 1, 9,
		  "a control character (U+0001) inside a string on line 1, column 9 (write it as \\u0001)" },
		{ "{\"t\": \"C:\\dir\"}", 1, 10, "unknown escape '\\d' on line 1, column 10 (write \\\\ for a backslash)" },
		{ "{\"t\": \"it\\'s\"}", 1, 10,
		  "unknown escape \\' on line 1, column 10 (a single quote needs no backslash in JSON)" },
		{ "{\"t\": \"a\\\nb\"}", 1, 9,
		  "a backslash before U+000A on line 1, column 9 (write \\\\ for a backslash)" },
		{ "{\"t\": \"\\u00g9\"}", 1, 8, "'\\u' needs four hex digits on line 1, column 8" },
		{ "{\"t\": \"\\u0000\"}", 1, 8,
		  "'\\u0000' on line 1, column 8 is not allowed (a string cannot hold a NUL character)" },
		{ "{\"t\": \"\\uD83D!\"}", 1, 8,
		  "'\\uD83D' on line 1, column 8 is half a surrogate pair: a \\uDC00 to \\uDFFF escape must follow it" },
		{ "{\"t\": \"\\uDE80\"}", 1, 8,
		  "'\\uDE80' on line 1, column 8 is half a surrogate pair: a \\uD800 to \\uDBFF escape must come before it" },
		{ "{\"t\":\xc2\xa0\"$Title\"}", 1, 6,
		  "a value expected after ':' on line 1, column 6 "
		  "(found U+00A0, a no-break space, which JSON does not count as a blank)" },
		{ "\xef\xbb\xbf{\"t\": \"$Title\"}", 1, 1,
		  "unexpected U+FEFF on line 1, column 1 (a byte order mark; a payload starts with {)" },
		{ "{\"t\"", 1, 5, "':' missing at the end (after the key on line 1, column 2)" },
		{ "{\"t\":\n", 1, 6, "a value missing at the end (after the ':' on line 1, column 5)" },
		{ "{\"n\": 99999999999999999999}", 1, 7,
		  "the number on line 1, column 7 is too large (put it in quotes to send it as text)" },
	};
	struct template_verdict v;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_msg(check(cases[i].text, &v) == -1, "case %zu accepted", i);
		ck_assert_msg(v.problem == TP_SYNTAX, "case %zu: problem %d", i, v.problem);
		ck_assert_msg(strcmp(v.msg, cases[i].msg) == 0, "case %zu: \"%s\"", i, v.msg);
		ck_assert_msg(v.line == cases[i].line && v.column == cases[i].column,
			      "case %zu: line %d, column %d", i, v.line, v.column);
	}
}
END_TEST

/* Columns count characters from 1; the display column counts terminal
 * cells the way the payload editor draws them (a wide character takes 2,
 * a tab 1), and the offset is the byte the interface highlights. */
START_TEST(positions_in_characters_cells_and_bytes)
{
	struct template_verdict v;
	const char *t = "{\"名前\": \"é\" x}";

	/* Cell widths are the locale's (wcwidth), as on the interface. */
	const char *wide = setlocale(LC_CTYPE, "C.UTF-8");

	ck_assert_int_eq(check(t, &v), -1);
	ck_assert_int_eq(v.line, 1);
	ck_assert_int_eq(v.column, 12);
	ck_assert_int_eq(v.display_column, wide ? 14 : 12);
	ck_assert_uint_eq(v.offset, 16);
	ck_assert_int_eq(t[v.offset], 'x');
	t = "{\n\t\"t\":\t\"$Title\",\n\t\"e\": \"$Event\",\n}";
	ck_assert_int_eq(check(t, &v), -1);
	ck_assert_int_eq(v.line, 3);
	ck_assert_int_eq(v.column, 15);
	ck_assert_int_eq(v.display_column, 15);
	ck_assert_int_eq(t[v.offset], ',');
	/* Text that stops too soon: just after the last thing written. */
	t = "{\"t\": [1, 2\n\n  \n";
	ck_assert_int_eq(check(t, &v), -1);
	ck_assert(v.at_end);
	ck_assert_int_eq(v.line, 1);
	ck_assert_int_eq(v.column, 12);
	ck_assert_uint_eq(v.offset, 11);
}
END_TEST

START_TEST(nesting_limit)
{
	struct template_verdict v;
	struct sbuf b;
	int i;

	sbuf_init(&b);
	sbuf_append(&b, "{\"t\": \"$Title $Event\", \"n\": ");
	for (i = 1; i < JSONSYNTAX_MAX_DEPTH; i++)
		sbuf_append(&b, "[");
	for (i = 1; i < JSONSYNTAX_MAX_DEPTH; i++)
		sbuf_append(&b, "]");
	sbuf_append(&b, "}");
	ck_assert_int_eq(check(sbuf_text(&b), &v), 0);
	sbuf_release(&b);
	sbuf_append(&b, "{\"t\": \"$Title $Event\", \"n\": ");
	for (i = 0; i < JSONSYNTAX_MAX_DEPTH; i++)
		sbuf_append(&b, "[");
	ck_assert_int_eq(check(sbuf_text(&b), &v), -1);
	ck_assert_int_eq(v.column, 29 + JSONSYNTAX_MAX_DEPTH - 1);
	ck_assert_str_eq(v.what, "'[' nested too deeply (JSON here may nest 2048 levels at most)");
	sbuf_release(&b);
}
END_TEST

START_TEST(not_an_object)
{
	struct template_verdict v;
	char err[ERR_MAX];

	ck_assert_int_eq(template_check("[\"$Title\", \"$Event\"]", 20, &v, err), -1);
	ck_assert_str_eq(err, "payload must be a JSON object, not an array");
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_int_eq(v.problem, TP_NOT_OBJECT);
	ck_assert_int_eq(check("\n  \"$Title $Event\"", &v), -1);
	ck_assert_str_eq(v.msg, "payload must be a JSON object, not a string");
	ck_assert_int_eq(v.line, 2);
	ck_assert_int_eq(v.column, 3);
	ck_assert_int_eq(check("42", &v), -1);
	ck_assert_str_eq(v.msg, "payload must be a JSON object, not a number");
}
END_TEST

START_TEST(placeholders_required_in_values)
{
	struct template_verdict v;

	ck_assert_int_eq(check("{\"title\": \"$Title\"}", &v), -1);
	ck_assert_int_eq(v.problem, TP_NO_PLACEHOLDER);
	ck_assert_int_eq(v.line, 0);
	ck_assert(v.has_title && !v.has_event);
	ck_assert_ptr_nonnull(strstr(v.msg, "payload has no $Event placeholder"));
	ck_assert_int_eq(check("{\"m\": \"$Event\"}", &v), -1);
	ck_assert_ptr_nonnull(strstr(v.msg, "payload has no $Title placeholder"));
	ck_assert_int_eq(check("{}", &v), -1);
	ck_assert_ptr_nonnull(strstr(v.msg, "no $Title and no $Event"));
	/* In a key only, or outside strings, it does not count. */
	ck_assert_int_eq(check("{\"$Title\": \"$Event\"}", &v), -1);
	ck_assert_int_eq(check("{\"t\": \"$title\", \"m\": \"$Event\"}", &v), -1);
}
END_TEST

START_TEST(size_limit)
{
	struct template_verdict v;
	size_t n = 1024 * 1024 + 5;
	char *big = malloc(n + 1);

	memset(big, ' ', n);
	memcpy(big, "{\"t\": \"$Title $Event\"}", 22);
	big[n] = '\0';
	ck_assert_int_eq(template_check(big, n, &v, NULL), -1);
	ck_assert_str_eq(v.msg, "payload is 1048581 bytes; the limit is 262144 (256 KiB)");
	ck_assert_int_eq(v.problem, TP_TOO_LARGE);
	ck_assert_int_eq(template_check(big, TEMPLATE_MAX, &v, NULL), 0);
	free(big);
}
END_TEST

static void summary_is(const char *text, const char *want)
{
	struct template_verdict v;
	struct sbuf b;

	check(text, &v);
	sbuf_init(&b);
	template_verdict_summary(&v, &b);
	ck_assert_str_eq(sbuf_text(&b), want);
	sbuf_release(&b);
}

START_TEST(summary_line)
{
	char *big = malloc(TEMPLATE_MAX + 2);

	summary_is("{\"t\": \"$Title\", \"m\": \"$Event\"}", "✓ valid JSON · $Title ✓ · $Event ✓");
	summary_is("{\n \"t\": \"$Title\",\n \"m\": \"$Event\" \"x\": 1}",
		   "✗ line 3, column 16: ',' or '}' expected after the value");
	summary_is("{\"t\": \"$Title\",}", "✗ line 1, column 15: unexpected ',' (a trailing comma is not allowed in JSON)");
	summary_is("{\"t\": \"$Title\"", "✗ '}' missing at the end (the object opened on line 1 is not closed)");
	summary_is("{\"t\": \"$Title\"}",
		   "✗ JSON fine, but $Event is missing (the receiver would get no event text)");
	summary_is("{\"m\": \"$Event\"}", "✗ JSON fine, but $Title is missing (the receiver would get no title)");
	summary_is("{\"n\": 1}",
		   "✗ JSON fine, but $Title and $Event are missing (the receiver would get neither title nor event text)");
	summary_is("[\"$Title\", \"$Event\"]", "✗ payload must be a JSON object, not an array");
	summary_is("", "✗ the payload is empty: start with {");
	summary_is("{\"t\": \"\xc3\x28\"}", "✗ line 1, column 8: the payload is not UTF-8: byte 0xC3 (save it as UTF-8)");
	memset(big, ' ', TEMPLATE_MAX + 1);
	big[TEMPLATE_MAX + 1] = '\0';
	summary_is(big, "✗ payload is 262145 bytes; the limit is 262144 (256 KiB)");
	free(big);
}
END_TEST

/* A deterministic mutator of small JSON texts for the property below. */
static unsigned long long mut_seed = 0x2545F4914F6CDD1DULL;

static unsigned mut_rnd(unsigned n)
{
	mut_seed ^= mut_seed << 13;
	mut_seed ^= mut_seed >> 7;
	mut_seed ^= mut_seed << 17;
	return (unsigned)(mut_seed % n);
}

static size_t mutate(char *buf, size_t len, size_t cap)
{
	static const char pieces[] = "{}[]\",:\\ \t\n\r0123456789.-+eEtrufalsnu'\x01";
	int m, muts = 1 + (int)mut_rnd(3);

	for (m = 0; m < muts; m++) {
		unsigned op = mut_rnd(3), at = mut_rnd((unsigned)len + 1);
		char c = pieces[mut_rnd(sizeof pieces - 1)];

		if (op == 0 && len + 1 < cap) {
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = c;
			len++;
		} else if (op == 1 && at < len) {
			memmove(buf + at, buf + at + 1, len - at - 1);
			len--;
		} else if (at < len) {
			buf[at] = c;
		}
	}
	buf[len] = '\0';
	return len;
}

/* Property: hookman's own syntax scan accepts exactly what jansson
 * accepts (jansson alone refuses a key twice and a number too large), so
 * the plain-words messages never refuse a good payload nor let a bad one
 * through; every refusal has a position inside the text and never falls
 * back on jansson's words ("near '…'"); and a ✗ summary never says
 * "valid". Reproduce a failure with the seed it prints. */
START_TEST(syntax_property_agrees_with_jansson)
{
	static const char *const bases[] = {
		"{\"title\": \"$Title\", \"message\": \"$Event\"}",
		"{\n  \"a\": [1, 2.5e-3, -0, true, false, null, {\"b\": \"\\u00e9\\uD83D\\uDE80\\n $Title\"}],\n"
		"  \"c\": {}, \"d\": \"$Event\"\n}",
		"[\"x\", [], [[]], {\"k\": -12.0E+5}]",
		"{\"a\":{\"b\":{\"c\":[0,1,2,\"$Title $Event\"]}}}",
	};
	struct template_verdict v;
	struct sbuf sum;
	char buf[256];
	int i;

	for (i = 0; i < 100000; i++) {
		const char *base = bases[mut_rnd(4)];
		unsigned long long seed = mut_seed;
		size_t len = mutate(memcpy(buf, base, strlen(base) + 1), strlen(base), sizeof buf);
		json_error_t jerr;
		json_t *j = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
		int rc = template_check(buf, len, &v, NULL);

		if (j)
			ck_assert_msg(v.problem != TP_SYNTAX, "seed %llx: refused (%s): %s", seed, v.msg, buf);
		else if (v.problem != TP_ENCODING)
			ck_assert_msg(v.problem == TP_SYNTAX || v.problem == TP_EMPTY,
				      "seed %llx: jansson refused (%s), hookman said %d: %s", seed, jerr.text,
				      v.problem, buf);
		if (v.problem == TP_SYNTAX) {
			ck_assert_msg(v.line > 0 && v.column > 0 && v.offset <= len, "seed %llx: %s", seed, buf);
			ck_assert_msg(!strstr(v.msg, "near '"), "seed %llx: jansson's words: %s", seed, v.msg);
		}
		sbuf_init(&sum);
		template_verdict_summary(&v, &sum);
		/* The mutated texts never hold the word "valid" themselves. */
		ck_assert_msg(strncmp(sbuf_text(&sum), rc == 0 ? "✓ " : "✗ ", 4) == 0 &&
			      (rc == 0 || !strstr(sbuf_text(&sum), "valid")), "seed %llx: %s", seed, sbuf_text(&sum));
		sbuf_release(&sum);
		json_decref(j);
	}
}
END_TEST

/* The live check's verdict must be template_check's, field by field. */
static void same_verdict(const char *text, const struct template_verdict *live,
			 const struct template_verdict *full, unsigned long long seed)
{
	ck_assert_msg(live->ok == full->ok && live->problem == full->problem && live->line == full->line &&
		      live->column == full->column && live->display_column == full->display_column &&
		      live->offset == full->offset && live->at_end == full->at_end &&
		      live->has_title == full->has_title && live->has_event == full->has_event &&
		      strcmp(live->what, full->what) == 0 && strcmp(live->msg, full->msg) == 0,
		      "seed %llx: live %d '%s' (%d:%d) vs full %d '%s' (%d:%d) for: %s", seed, live->problem,
		      live->msg, live->line, live->column, full->problem, full->msg, full->line, full->column, text);
}

START_TEST(live_check_cases)
{
	static const char *const texts[] = {
		"{\"title\": \"$Title\", \"message\": \"$Event\"}",
		"{\"a\": \"$Title\", \"\\u0061\": \"$Event\"}",           /* a key twice, one escaped */
		"{\"a\": {\"a\": \"$Title\"}, \"b\": [{\"a\": 1}, {\"a\": \"$Event\"}]}",
		"{\"\\u00e9\": 1, \"\u00c3\u00a9\": 2, \"t\": \"$Title $Event\"}",   /* é twice */
		"{\"$Title\": \"$Event\"}",                              /* a key is no value */
		"{\"t\": \"\\u0024Title\", \"e\": \"$Ev\\u0065nt\"}",
		"{\"t\": \"$Title\", \"e\": \"$Event\", \"n\": 123456789012345678901234}",
		"{\"t\": \"$Title\", \"e\": \"$Event\", \"n\": -9223372036854775809}",
		"{\"t\": \"$Title\", \"e\": \"$Event\", \"n\": 9223372036854775807}",
		"{\"t\": \"$Title\", \"e\": \"$Event\", \"r\": 1.7e308, \"s\": 1e309, \"u\": 1e-400}",
		"[\"$Title\", \"$Event\"]", " \"$Title\"", "12", "-1e999", "true", "null", "\n{}",
	};
	struct template_verdict live, full;
	struct sbuf b;
	size_t k;
	int n, dup;

	for (k = 0; k < sizeof texts / sizeof *texts; k++) {
		ck_assert_int_eq(template_check_live(texts[k], strlen(texts[k]), &live, NULL),
				 template_check(texts[k], strlen(texts[k]), &full, NULL));
		same_verdict(texts[k], &live, &full, 0);
	}
	/* Objects with many keys (compared sorted, not pairwise) and more
	 * open keys than the scan holds without allocating, with and without
	 * a key twice, first or last. */
	for (n = 10; n <= 1000; n *= 10)
		for (dup = -1; dup <= 1; dup++) {
			int i;

			sbuf_init(&b);
			sbuf_append(&b, "{\"t\": \"$Title\", \"e\": \"$Event\", \"o\": {");
			for (i = 0; i < n; i++)
				sbuf_appendf(&b, "\"k%d\": %d, ", i, i);
			sbuf_appendf(&b, "\"%s\": {\"k0\": 1}}}", dup < 0 ? "k0" : dup ? "k9" : "last");
			ck_assert_int_eq(template_check_live(sbuf_text(&b), b.len, &live, NULL),
					 template_check(sbuf_text(&b), b.len, &full, NULL));
			same_verdict(sbuf_text(&b), &live, &full, 0);
			ck_assert_int_eq(full.ok, dup == 0);
			sbuf_release(&b);
		}
}
END_TEST

/* Property: over runs of random edits (characters, line breaks, quotes,
 * brackets, keys, escapes, placeholders, numbers too large), each step
 * building on the last as typing does, the live verdict is template_check's
 * for every text. Reproduce a failure with the seed it prints. */
START_TEST(live_check_property_equals_full_check)
{
	static const char *const bases[] = {
		"{\"title\": \"$Title\", \"message\": \"$Event\"}",
		"{\n  \"a\": \"$Title\",\n  \"b\": {\"a\": \"$Event\"},\n  \"c\": [{\"a\": 1}, {\"a\": 2}]\n}\n",
		"{\"\\u0061\": \"\\u0024Title\", \"b\": \"$Ev\\u0065nt\", \"\u00e9\": [true, null]}",
		"{\"n\": 123456789012345678, \"r\": 1.5e300, \"t\": \"$Title\", \"e\": \"$Event\"}",
		"[\"$Title\", {\"k\": \"$Event\", \"k2\": [1, 2.5, -0.0]}]",
	};
	static const char *const pieces[] = {
		"\"", "{", "}", "[", "]", ",", ":", "\n", " ", "\\", "\"a\": 1, ", "\"k\": \"$Title\", ",
		"\"$Event\"", "\\u0024", "\\u0061", "$Title", "$Event", "Title", "123456789012345678901",
		"1e400", "0.5e-999", "-", "\u00e9", "\"a\"", "null", "[1, ", "x", "\t", "9",
	};
	struct template_verdict live, full;
	char buf[512];
	size_t len = 0;
	int step;

	for (step = 0; step < 20000; step++) {
		unsigned long long seed = mut_seed;
		unsigned at;

		if (step % 200 == 0 || mut_rnd(16) == 0) {
			const char *b = bases[mut_rnd(sizeof bases / sizeof *bases)];

			len = strlen(b);
			memcpy(buf, b, len);
		}
		at = mut_rnd((unsigned)len + 1);
		if (mut_rnd(3) == 0) {
			size_t n = 1 + mut_rnd(3);

			n = at + n > len ? len - at : n;
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
		} else {
			const char *p = pieces[mut_rnd(sizeof pieces / sizeof *pieces)];
			size_t n = strlen(p);

			if (len + n < sizeof buf) {
				memmove(buf + at + n, buf + at, len - at);
				memcpy(buf + at, p, n);
				len += n;
			}
		}
		buf[len] = '\0';
		ck_assert_int_eq(template_check_live(buf, len, &live, NULL), template_check(buf, len, &full, NULL));
		same_verdict(buf, &live, &full, seed);
	}
}
END_TEST

static json_t *render_parse(const char *tmpl, const char *title, const char *event)
{
	char err[ERR_MAX], *out = template_render(tmpl, strlen(tmpl), title, event, err);
	json_error_t jerr;
	json_t *j;

	ck_assert_msg(out != NULL, "render: %s", err);
	j = json_loads(out, 0, &jerr);
	ck_assert_msg(j != NULL, "output is not JSON: %s: %s", jerr.text, out);
	free(out);
	return j;
}

START_TEST(render_replaces_everywhere)
{
	json_t *j = render_parse("{\"$Title\": \"[$Title] $Event/$Event\", \"n\": 1, \"a\": [\"$Event\", true, null]}",
				 "T", "E");

	ck_assert_str_eq(json_string_value(json_object_get(j, "T")), "[T] E/E");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "n")), 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "a"), 0)), "E");
	ck_assert(json_is_true(json_array_get(json_object_get(j, "a"), 1)));
	json_decref(j);
}
END_TEST

START_TEST(render_hostile_text)
{
	static const char *const hostile[] = {
		"quote \" and backslash \\ and \\\" both",
		"new\nline\r\ttab",
		"controls \x01\x02\x1f\x7f",
		"emoji 🚨 and é and 中文",
		"\"}, \"injected\": {\"x\": \"",
		"$Event $Title recursion",
		"</script><b>&amp;",
	};
	const char *tmpl = "{\"title\": \"$Title\", \"message\": \"Details: $Event\"}";
	size_t i;
	char *big;
	json_t *j;

	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		char expect[256];

		j = render_parse(tmpl, hostile[i], hostile[i]);
		ck_assert_str_eq(json_string_value(json_object_get(j, "title")), hostile[i]);
		snprintf(expect, sizeof expect, "Details: %s", hostile[i]);
		ck_assert_str_eq(json_string_value(json_object_get(j, "message")), expect);
		ck_assert_uint_eq(json_object_size(j), 2);
		json_decref(j);
	}
	big = malloc(64 * 1024 + 1);
	for (i = 0; i < 64 * 1024; i++)
		big[i] = "a\"\\\n\x01z"[i % 6];
	big[64 * 1024] = '\0';
	j = render_parse(tmpl, "t", big);
	ck_assert_uint_eq(json_string_length(json_object_get(j, "message")), 64 * 1024 + 9);
	ck_assert_int_eq(memcmp(json_string_value(json_object_get(j, "message")) + 9, big, 64 * 1024), 0);
	json_decref(j);
	free(big);
}
END_TEST

/* Found by fuzz_template: a title that is not UTF-8 placed in a key made
 * json_object_set_new() fail, and the reference it had already released
 * was released again. Now such text is refused by name, keys or not. */
START_TEST(render_refuses_invalid_utf8)
{
	char err[ERR_MAX], *out;

	out = template_render("{\"k$Title\": \"$Title\", \"e\": \"$Event\"}", 34, "bad \x9c title", "{}", err);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(err, "the title is not valid UTF-8 (byte 5)");
	out = template_render("{\"e\": \"$Event\"}", 15, "t", "\xc3\x28", err);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(err, "the event text is not valid UTF-8 (byte 1)");
}
END_TEST

/* Issue "Trust in the front ends", item 4. Reproduction before the fix:
 *   hookman add --name n --url http://127.0.0.1:9/ --events admin.login \
 *     --payload '{"v": 1.10, "w": 0.1, "t": "$Title", "m": "$Event"}'
 *   hookman render n
 * printed {"v":1.1000000000000001,"w":0.10000000000000001,...}: the
 * template was parsed and serialized again, so the receiver got other
 * numbers, and other spacing, than the operator wrote. */
START_TEST(render_keeps_numbers_and_spacing)
{
	static const char tmpl[] =
		"{\n  \"v\": 1.10,  \"w\":0.1 ,\t\"big\": 12345678901234567, \"e\": 1E+02,\n"
		"  \"z\": -0.000, \"b\" : [ true,false , null ],\n"
		"  \"t\": \"[$Title]\", \"m\": \"$Event\", \"s\": \"caf\\u00e9 \\/ \\n\"\n}\n";
	static const char want[] =
		"{\n  \"v\": 1.10,  \"w\":0.1 ,\t\"big\": 12345678901234567, \"e\": 1E+02,\n"
		"  \"z\": -0.000, \"b\" : [ true,false , null ],\n"
		"  \"t\": \"[Disk \\\"full\\\"]\", \"m\": \"{\\\"a\\\":1}\", \"s\": \"caf\\u00e9 \\/ \\n\"\n}\n";
	char err[ERR_MAX], *out = template_render(tmpl, strlen(tmpl), "Disk \"full\"", "{\"a\":1}", err);

	ck_assert_msg(out != NULL, "render: %s", err);
	ck_assert_str_eq(out, want);
	free(out);
}
END_TEST

/* Placeholders are matched in the decoded string, as jansson's check sees
 * it, so an escaped "$" still counts; the rest of that string keeps the
 * operator's escapes. */
START_TEST(render_matches_escaped_placeholders)
{
	static const char tmpl[] = "{\"\\u0024Title\": \"x\\u0024Ti\\u0074le\\ty\", \"m\": \"$\\u0045vent\\u00e9\"}";
	char err[ERR_MAX], *out = template_render(tmpl, strlen(tmpl), "T", "E", err);

	ck_assert_msg(out != NULL, "render: %s", err);
	ck_assert_str_eq(out, "{\"T\": \"xT\\ty\", \"m\": \"E\\u00e9\"}");
	free(out);
}
END_TEST

/* A deterministic generator of valid templates for the properties below:
 * random nesting, numbers as an operator might write them, strings with
 * every kind of escape and near-miss placeholders, random whitespace. It
 * writes the template and, beside it, the text render must return: the
 * same bytes with each placeholder (literal or escaped) replaced by the
 * already JSON-escaped title or event. */
struct gen {
	unsigned long long seed;
	struct sbuf tmpl, want;
	const char *title_json, *event_json;   /* replacements, JSON-escaped */
	int keys;                              /* keys made so far, for uniqueness */
};

static unsigned rnd(struct gen *g, unsigned n)
{
	/* xorshift64*: reproducible from the seed printed on failure. */
	g->seed ^= g->seed >> 12;
	g->seed ^= g->seed << 25;
	g->seed ^= g->seed >> 27;
	return (unsigned)((g->seed * 2685821657736338717ULL) >> 33) % n;
}

static void both(struct gen *g, const char *s)
{
	sbuf_append(&g->tmpl, s);
	sbuf_append(&g->want, s);
}

static void gen_ws(struct gen *g)
{
	static const char *const ws[] = { "", "", "", " ", "\n  ", "\t", " \r\n", "  " };

	both(g, ws[rnd(g, 8)]);
}

static void gen_number(struct gen *g)
{
	static const char *const fixed[] = {
		"1.10", "0.1", "-0", "0.0", "1e2", "1E+02", "-0.000", "3.141592653589793238",
		"9007199254740993", "1.7976931348623157e308", "5e-324", "100", "2.50E-3",
	};
	char num[64];
	int n = 0, i, digits;

	if (rnd(g, 3) == 0) {
		both(g, fixed[rnd(g, sizeof fixed / sizeof fixed[0])]);
		return;
	}
	if (rnd(g, 3) == 0)
		num[n++] = '-';
	digits = 1 + (int)rnd(g, 9);
	num[n++] = digits == 1 ? (char)('0' + rnd(g, 10)) : (char)('1' + rnd(g, 9));
	for (i = 1; i < digits; i++)
		num[n++] = (char)('0' + rnd(g, 10));
	if (rnd(g, 2)) {
		num[n++] = '.';
		for (i = 0, digits = 1 + (int)rnd(g, 6); i < digits; i++)
			num[n++] = (char)('0' + rnd(g, 10));
	}
	if (rnd(g, 4) == 0) {
		num[n++] = rnd(g, 2) ? 'e' : 'E';
		if (rnd(g, 2))
			num[n++] = rnd(g, 2) ? '+' : '-';
		num[n++] = (char)('0' + rnd(g, 10));
		if (rnd(g, 2))
			num[n++] = (char)('0' + rnd(g, 10));
	}
	num[n] = '\0';
	both(g, num);
}

/* The inside of a string token. Near misses end in a character that is
 * not a letter so that no two pieces ever join into a placeholder. */
static void gen_string_body(struct gen *g, int placeholders)
{
	static const char *const pieces[] = {
		"plain text", " ", "Disk", "é", "🚨", "中文", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n",
		"\\r", "\\t", "\\u00e9", "\\u20AC", "\\uD83D\\uDE80", "\\u0041", "$Tit-", "$title ",
		"$EVENT!", "$ ", "$$ ", "$5", "{\\\"json\\\": [1]}", "<b>&amp;", "\\u0024Titl.",
	};
	static const char *const holders[] = {
		"$Title", "$Event", "\\u0024Title", "$\\u0054itle", "\\u0024\\u0045vent", "$Eve\\u006et",
	};
	unsigned i, n = rnd(g, 6);

	for (i = 0; i < n; i++) {
		unsigned k;

		if (placeholders && rnd(g, 4) == 0) {
			k = rnd(g, sizeof holders / sizeof holders[0]);
			sbuf_append(&g->tmpl, holders[k]);
			/* holders[] alternate between the two: T, E, T, T, E, E. */
			sbuf_append(&g->want, (k == 1 || k >= 4) ? g->event_json : g->title_json);
		} else {
			both(g, pieces[rnd(g, sizeof pieces / sizeof pieces[0])]);
		}
	}
}

static void gen_string(struct gen *g, int placeholders)
{
	both(g, "\"");
	gen_string_body(g, placeholders);
	both(g, "\"");
}

static void gen_value(struct gen *g, int depth);

static void gen_members(struct gen *g, int depth, unsigned n)
{
	unsigned i;
	char key[32];

	for (i = 0; i < n; i++) {
		if (i)
			both(g, ",");
		gen_ws(g);
		/* A unique prefix keeps keys distinct (duplicates are refused). */
		snprintf(key, sizeof key, "\"k%d", g->keys++);
		both(g, key);
		gen_string_body(g, 1);
		both(g, "\"");
		gen_ws(g);
		both(g, ":");
		gen_ws(g);
		gen_value(g, depth + 1);
		gen_ws(g);
	}
}

static void gen_value(struct gen *g, int depth)
{
	unsigned i, n, kind = rnd(g, depth < 5 ? 8 : 6);

	switch (kind) {
	case 0:
	case 1:
		gen_string(g, 1);
		break;
	case 2:
	case 3:
		gen_number(g);
		break;
	case 4:
		both(g, "true");
		break;
	case 5:
		both(g, rnd(g, 2) ? "false" : "null");
		break;
	case 6:
		both(g, "[");
		gen_ws(g);
		for (i = 0, n = rnd(g, 5); i < n; i++) {
			if (i)
				both(g, ",");
			gen_ws(g);
			gen_value(g, depth + 1);
			gen_ws(g);
		}
		both(g, "]");
		break;
	default:
		both(g, "{");
		gen_members(g, depth, rnd(g, 5));
		both(g, "}");
		break;
	}
}

/* A whole template: an object holding "$Title" and "$Event" as values
 * (so that it is valid) among random members, with whitespace around. */
static void gen_template(struct gen *g)
{
	unsigned before = rnd(g, 4), after = rnd(g, 4);

	sbuf_init(&g->tmpl);
	sbuf_init(&g->want);
	g->keys = 0;
	gen_ws(g);
	both(g, "{");
	gen_members(g, 0, before);
	both(g, before ? "," : "");
	gen_ws(g);
	sbuf_append(&g->tmpl, "\"t\": \"$Title\", \"e\":\"$Event\"");
	sbuf_appendf(&g->want, "\"t\": \"%s\", \"e\":\"%s\"", g->title_json, g->event_json);
	if (after) {
		both(g, ",");
		gen_members(g, 0, after);
	}
	both(g, "}");
	gen_ws(g);
}

/* Property: for any valid template, render changes nothing but the
 * placeholders: numbers, keys, order, spacing and the operator's escapes
 * reach the receiver byte for byte. The replacements here need no JSON
 * escaping, so the expected text does not depend on an escaping style.
 * Reproduce a failure with the seed it prints. */
START_TEST(render_property_text_kept_byte_for_byte)
{
	static const char *const titles[] = { "Disk full", "é 🚨 中", "$Event and $Title", "1.10", "" };
	static const char *const events[] = { "{}", "$Title", "e", "0.1 $Event" };
	struct gen g = { .seed = 0x9E3779B97F4A7C15ULL };
	struct template_verdict v;
	char err[ERR_MAX], *out;
	int i;

	for (i = 0; i < 3000; i++) {
		const char *title = titles[i % 5], *event = events[i % 4];
		unsigned long long seed = g.seed;

		g.title_json = title;
		g.event_json = event;
		gen_template(&g);
		ck_assert_msg(template_check(sbuf_text(&g.tmpl), g.tmpl.len, &v, NULL) == 0,
			      "seed %llx: the generator made an invalid template (%s): %s", seed, v.msg,
			      sbuf_text(&g.tmpl));
		out = template_render(sbuf_text(&g.tmpl), g.tmpl.len, title, event, err);
		ck_assert_msg(out != NULL, "seed %llx: render: %s", seed, err);
		ck_assert_msg(strcmp(out, sbuf_text(&g.want)) == 0,
			      "seed %llx: template\n%s\nrendered\n%s\nexpected\n%s", seed,
			      sbuf_text(&g.tmpl), out, sbuf_text(&g.want));
		free(out);
		sbuf_release(&g.tmpl);
		sbuf_release(&g.want);
	}
}
END_TEST

/* Property: with any title and event, hostile ones included (quotes,
 * backslashes, control characters, non-ASCII, a title holding "$Title"
 * or JSON that tries to close the string), the body parses to the tree
 * the old tree walk gave. Reproduce a failure with the seed it prints. */
START_TEST(render_property_same_tree_as_tree_walk)
{
	static const char *const hostile[] = {
		"quote \" and backslash \\ and \\\" both",
		"new\nline\r\ttab \b\f",
		"controls \x01\x02\x1f\x7f",
		"emoji 🚨 and é and 中文 \xe2\x80\xa8",
		"\"}, \"injected\": {\"x\": \"",
		"$Event $Title recursion $Title",
		"\\u0024Title",
		"</script><b>&amp; <!here>",
		"",
	};
	size_t nh = sizeof hostile / sizeof hostile[0];
	struct gen g = { .seed = 0xD1B54A32D192ED03ULL, .title_json = "", .event_json = "" };
	char err[ERR_MAX], *out;
	json_t *in, *got, *want;
	json_error_t jerr;
	int i;

	for (i = 0; i < 3000; i++) {
		const char *title = hostile[(size_t)i % nh], *event = hostile[(size_t)(i / 3) % nh];
		unsigned long long seed = g.seed;

		gen_template(&g);
		out = template_render(sbuf_text(&g.tmpl), g.tmpl.len, title, event, err);
		ck_assert_msg(out != NULL, "seed %llx: render: %s", seed, err);
		got = json_loads(out, 0, &jerr);
		ck_assert_msg(got != NULL, "seed %llx: not JSON (%s): %s", seed, jerr.text, out);
		in = json_loads(sbuf_text(&g.tmpl), 0, NULL);
		want = tree_render(in, title, event);
		ck_assert_msg(json_equal(got, want), "seed %llx: template\n%s\nrendered\n%s", seed,
			      sbuf_text(&g.tmpl), out);
		json_decref(in);
		json_decref(got);
		json_decref(want);
		free(out);
		sbuf_release(&g.tmpl);
		sbuf_release(&g.want);
	}
}
END_TEST

START_TEST(substitute_is_single_pass)
{
	size_t n;
	char *s = template_substitute("$Title|$Event|$Tit|$", 20, "$Event", "$Title", &n);

	ck_assert_str_eq(s, "$Event|$Title|$Tit|$");
	ck_assert_uint_eq(n, 20);
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("template");
	TCase *check_tc = tcase_create("check"), *render_tc = tcase_create("render");
	/* 100,000 mutated payloads: a second or two, ten times that under the
	 * sanitizers and more under valgrind, on a busy machine. */
	TCase *property_tc = tcase_create("property");

	tcase_set_timeout(property_tc, 300);

	tcase_add_test(check_tc, valid_templates);
	tcase_add_test(check_tc, syntax_errors_have_positions);
	tcase_add_test(check_tc, empty_payload);
	tcase_add_test(check_tc, syntax_messages_in_plain_words);
	tcase_add_test(check_tc, positions_in_characters_cells_and_bytes);
	tcase_add_test(check_tc, nesting_limit);
	tcase_add_test(check_tc, summary_line);
	tcase_add_test(property_tc, syntax_property_agrees_with_jansson);
	tcase_add_test(check_tc, live_check_cases);
	tcase_add_test(property_tc, live_check_property_equals_full_check);
	tcase_add_test(check_tc, not_an_object);
	tcase_add_test(check_tc, placeholders_required_in_values);
	tcase_add_test(check_tc, size_limit);
	tcase_add_test(render_tc, render_replaces_everywhere);
	tcase_add_test(render_tc, render_hostile_text);
	tcase_add_test(render_tc, render_refuses_invalid_utf8);
	tcase_add_test(render_tc, substitute_is_single_pass);
	tcase_add_test(render_tc, render_keeps_numbers_and_spacing);
	tcase_add_test(render_tc, render_matches_escaped_placeholders);
	tcase_add_test(render_tc, render_property_text_kept_byte_for_byte);
	tcase_add_test(render_tc, render_property_same_tree_as_tree_walk);
	suite_add_tcase(s, check_tc);
	suite_add_tcase(s, property_tc);
	suite_add_tcase(s, render_tc);
	return tu_run(s);
}
