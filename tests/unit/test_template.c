#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "template.h"
#include "testutil.h"

static int check(const char *t, struct template_verdict *v)
{
	return template_check(t, strlen(t), v, NULL);
}

START_TEST(valid_templates)
{
	struct template_verdict v;

	ck_assert_int_eq(check("{\"title\": \"$Title\", \"message\": \"$Event\"}", &v), 0);
	ck_assert(v.ok && v.has_title && v.has_event);
	ck_assert_int_eq(check("{\"a\": {\"b\": [\"x $Title y\", {\"c\": \"$Event\"}]}}", &v), 0);
}
END_TEST

START_TEST(syntax_errors_have_positions)
{
	struct template_verdict v;
	const char *t = "{\n  \"title\": \"$Title\",\n  \"message\": }\n";

	ck_assert_int_eq(check(t, &v), -1);
	ck_assert_int_eq(v.line, 3);
	ck_assert_int_eq(v.column, 14);
	ck_assert_str_eq(v.msg, "line 3, column 14: unexpected token near '}'");
	ck_assert_int_eq(check("{\"a\": \"$Title $Event\"", &v), -1);
	ck_assert_ptr_nonnull(strstr(v.msg, "line 1, column 21"));
	ck_assert_int_eq(check("", &v), -1);
	ck_assert_ptr_nonnull(strstr(v.msg, "payload is empty"));
	ck_assert_int_eq(check("{\"a\": \"$Title $Event\"} x", &v), -1);
	ck_assert_ptr_nonnull(strstr(v.msg, "end of file expected"));
	ck_assert_int_eq(check("{\"a\": \"$Title\", \"a\": \"$Event\"}", &v), -1);
	ck_assert_ptr_nonnull(strstr(v.msg, "duplicate object key"));
	ck_assert_int_eq(check("{\"a\": \"\xff $Title $Event\"}", &v), -1);
	ck_assert_str_eq(v.msg, "line 1, column 8: invalid UTF-8 (byte 0xFF); save the payload as UTF-8");
}
END_TEST

START_TEST(not_an_object)
{
	struct template_verdict v;
	char err[ERR_MAX];

	ck_assert_int_eq(template_check("[\"$Title\", \"$Event\"]", 20, &v, err), -1);
	ck_assert_str_eq(err, "payload must be a JSON object, not an array");
	ck_assert_int_eq(check("\"$Title $Event\"", &v), -1);
	ck_assert_str_eq(v.msg, "payload must be a JSON object, not a string");
	ck_assert_int_eq(check("42", &v), -1);
	ck_assert_str_eq(v.msg, "payload must be a JSON object, not a number");
}
END_TEST

START_TEST(placeholders_required_in_values)
{
	struct template_verdict v;

	ck_assert_int_eq(check("{\"title\": \"$Title\"}", &v), -1);
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
	ck_assert_int_eq(template_check(big, TEMPLATE_MAX, &v, NULL), 0);
	free(big);
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

	tcase_add_test(check_tc, valid_templates);
	tcase_add_test(check_tc, syntax_errors_have_positions);
	tcase_add_test(check_tc, not_an_object);
	tcase_add_test(check_tc, placeholders_required_in_values);
	tcase_add_test(check_tc, size_limit);
	tcase_add_test(render_tc, render_replaces_everywhere);
	tcase_add_test(render_tc, render_hostile_text);
	tcase_add_test(render_tc, render_refuses_invalid_utf8);
	tcase_add_test(render_tc, substitute_is_single_pass);
	suite_add_tcase(s, check_tc);
	suite_add_tcase(s, render_tc);
	return tu_run(s);
}
