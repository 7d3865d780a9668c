#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "header.h"
#include "secret.h"
#include "testutil.h"
#include "transfer.h"
#include "utf8.h"
#include "webhook.h"

/* call must write its error into e, which the macro declares. Every
 * refusal here is of the input: ERR_INVALID. */
#define REFUSED(call, needle) do { \
	char e[ERR_MAX] = ""; \
	ck_assert_int_eq(call, -1); \
	ck_assert_msg(strstr(e, needle) != NULL, "expected \"%s\" in \"%s\"", needle, e); \
	ck_assert_int_eq(err_kind(e), ERR_INVALID); \
} while (0)

START_TEST(names)
{
	char big[400];

	ck_assert_int_eq(webhook_check_name("ops-slack", NULL), 0);
	ck_assert_int_eq(webhook_check_name("Alertes sécurité 🚨", NULL), 0);
	memset(big, 'a', 100);
	big[100] = '\0';
	ck_assert_int_eq(webhook_check_name(big, NULL), 0);
	/* 100 two-byte characters are 100 characters, not 200. */
	for (int i = 0; i < 100; i++)
		memcpy(big + 2 * i, "é", 2);
	big[200] = '\0';
	ck_assert_int_eq(webhook_check_name(big, NULL), 0);
	memcpy(big + 200, "é", 3);
	REFUSED(webhook_check_name(big, e), "101 characters; the limit is 100");
	REFUSED(webhook_check_name("", e), "name is empty");
	REFUSED(webhook_check_name(NULL, e), "name is empty");
	REFUSED(webhook_check_name("tab\there", e), "control character (U+0009)");
	REFUSED(webhook_check_name("c1\xc2\x85", e), "control character (U+0085)");
	REFUSED(webhook_check_name("bad\xc3(", e), "not valid UTF-8");
	REFUSED(webhook_check_name("over\xc0\xaflong", e), "not valid UTF-8");
	REFUSED(webhook_check_name("surrogate\xed\xa0\x80", e), "not valid UTF-8");
	REFUSED(webhook_check_name(" padded", e), "starts or ends with a space");
	/* The position counts characters, not bytes: "é" is one. */
	REFUSED(webhook_check_name("\xc3\xa9\x01", e), "control character (U+0001) at character 2;");
}
END_TEST

/* Reproduction: hookman add --name "$(printf 'rm \342\200\256evil')" was
 * accepted, and U+202E (right-to-left override) makes every list show it as
 * "rm live". Every bidirectional formatting character is refused in names,
 * named as U+XXXX with its position in characters. */
/* Reproduction (review of issue 14): "a\u200bb" was accepted and shows as
 * "ab"; two different names both showed as "a b" in list and in the audit
 * record. Invisible characters are refused in names, named as U+XXXX. */
START_TEST(names_refuse_invisible_characters)
{
	static const struct { const char *name, *needle; } bad[] = {
		{ "a\xe2\x80\x8b" "b", "invisible character (U+200B) at character 2;" },
		{ "a\xe2\x80\x8c" "b", "(U+200C)" },
		{ "a\xe2\x81\xa0" "b", "(U+2060)" },
		{ "\xef\xbb\xbf" "ab", "(U+FEFF) at character 1;" },
		{ "a\xc2\xad" "b", "(U+00AD)" },
		{ "a\xf3\xa0\x81\x81" "b", "(U+E0041)" },
		{ "a\xe2\x80\xa8" "b", "(U+2028)" },
		{ "a\xe2\x80\xa9" "b", "(U+2029)" },
	};
	char e[ERR_MAX];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		e[0] = '\0';
		ck_assert_int_eq(webhook_check_name(bad[i].name, e), -1);
		ck_assert_msg(strstr(e, bad[i].needle), "%s: %s", bad[i].needle, e);
		ck_assert_int_eq(err_kind(e), ERR_INVALID);
	}
	/* Visible letters of any script stay allowed, and the zero-width
	 * joiner U+200D, which joined emoji need (see the bidi test). */
	ck_assert_int_eq(webhook_check_name("D\xc3\xa9tections \xf0\x9f\x9a\xa8", e), 0);
	ck_assert_int_eq(webhook_check_name("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", e), 0);
}
END_TEST

START_TEST(names_refuse_bidi_controls)
{
	static const struct { const char *name, *needle; } bad[] = {
		{ "rm \xe2\x80\xae" "evil", "bidirectional control character (U+202E) at character 4;" },
		{ "\xe2\x80\xaax", "(U+202A) at character 1;" },
		{ "a\xe2\x80\xab", "(U+202B) at character 2;" },
		{ "a\xe2\x80\xac" "b", "(U+202C)" },
		{ "a\xe2\x80\xad" "b", "(U+202D)" },
		{ "\xc3\xa9\xc3\xa9\xe2\x81\xa6x", "(U+2066) at character 3;" },
		{ "a\xe2\x81\xa7" "b", "(U+2067)" },
		{ "a\xe2\x81\xa8" "b", "(U+2068)" },
		{ "a\xe2\x81\xa9", "(U+2069)" },
		{ "a\xe2\x80\x8e" "b", "(U+200E)" },
		{ "a\xe2\x80\x8f" "b", "(U+200F)" },
		{ "a\xd8\x9c" "b", "(U+061C)" },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char e[ERR_MAX] = "";

		ck_assert_int_eq(webhook_check_name(bad[i].name, e), -1);
		ck_assert_msg(strstr(e, bad[i].needle) && strstr(e, "name has a bidirectional control character"),
			      "%zu: \"%s\"", i, e);
	}
	/* Right-to-left text itself, and its neighbours in the table, are fine. */
	ck_assert_int_eq(webhook_check_name("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d ops", NULL), 0);
	ck_assert_int_eq(webhook_check_name("\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a", NULL), 0);
	ck_assert_int_eq(webhook_check_name("a\xe2\x80\xaf" "b", NULL), 0);   /* U+202F, a space */
	ck_assert_int_eq(webhook_check_name("a\xe2\x81\xa5" "b", NULL), 0);   /* U+2065, unassigned */
	ck_assert_int_eq(webhook_check_name("a\xe2\x80\x8d" "b", NULL), 0);   /* U+200D, ZWJ in emoji */
	ck_assert(utf8_is_bidi_control(0x202E));
	ck_assert(!utf8_is_bidi_control(0x2029));
}
END_TEST

START_TEST(urls)
{
	ck_assert_int_eq(webhook_check_url("https://hooks.slack.com/services/T0/B0/X", NULL), 0);
	ck_assert_int_eq(webhook_check_url("http://127.0.0.1:8080/hook?x=1", NULL), 0);
	ck_assert_int_eq(webhook_check_url("HTTPS://user:pass@example.com", NULL), 0);
	ck_assert_int_eq(webhook_check_url("http://[::1]:9000/x", NULL), 0);
	REFUSED(webhook_check_url("ftp://example.com/x", e), "scheme \"ftp\" is not allowed");
	REFUSED(webhook_check_url("file:///etc/passwd", e), "scheme \"file\" is not allowed");
	REFUSED(webhook_check_url("example.com/hook", e), "has no scheme");
	REFUSED(webhook_check_url("https://", e), "has no host");
	REFUSED(webhook_check_url("https:///path", e), "has no host");
	REFUSED(webhook_check_url("https://user@/path", e), "has no host");
	REFUSED(webhook_check_url("https://exa mple.com/", e), "space at position 12");
	REFUSED(webhook_check_url("https://example.com/\r\nX: y", e), "control character (0x0D)");
	REFUSED(webhook_check_url("https://exämple.com/", e), "non-ASCII");
	REFUSED(webhook_check_url("http://host:99999/", e), "port \"99999\"");
	REFUSED(webhook_check_url("http://host:/", e), "port \"\"");
	REFUSED(webhook_check_url("http://[::1/", e), "IPv6");
	REFUSED(webhook_check_url("", e), "URL is empty");
}
END_TEST

START_TEST(events_and_format)
{
	struct catalog *cat = tu_catalog();
	struct webhook wh;
	char *det[] = { "detection.created", "detection_group.updated" };
	char *mixed[] = { "detection.created", "admin.login" };

	webhook_init(&wh);
	ck_assert_int_eq(webhook_set_events(&wh, "admin.login,alarm.high_severity,admin.login", cat, NULL), 0);
	/* Catalog order, duplicates folded. */
	ck_assert_uint_eq(wh.nevents, 2);
	ck_assert_str_eq(wh.events[0], "alarm.high_severity");
	ck_assert_str_eq(wh.events[1], "admin.login");
	ck_assert_int_eq(webhook_set_events(&wh, "all", cat, NULL), 0);
	ck_assert_uint_eq(wh.nevents, 18);
	REFUSED(webhook_set_events(&wh, "admin.login,nope", cat, e), "unknown event \"nope\"");
	ck_assert_uint_eq(wh.nevents, 18);   /* unchanged on error */
	REFUSED(webhook_set_events(&wh, "admin.login,,audit.create", cat, e), "empty event id");
	REFUSED(webhook_set_events(&wh, "", cat, e), "no events chosen");
	REFUSED(webhook_check_events(NULL, 0, cat, e), "at least one");
	/* "all" is also an item of a list. */
	ck_assert_int_eq(webhook_set_events(&wh, "admin.login,all", cat, NULL), 0);
	ck_assert_uint_eq(wh.nevents, 18);
	ck_assert_int_eq(webhook_check_format(FORMAT_JIRA, det, 2, cat, NULL), 0);
	REFUSED(webhook_check_format(FORMAT_JIRA, mixed, 2, cat, e),
		"jira formatting is only for Detection and Detection Group events, but \"admin.login\" (Admin Login) is chosen");
	ck_assert_int_eq(webhook_check_format(FORMAT_SLACK, mixed, 2, cat, NULL), 0);
	webhook_clear(&wh);
	catalog_free(cat);
}
END_TEST

/* Reproduction: hookman add --events audit said 'unknown event "audit"'
 * though the form offers Audit Events as one choice. A group id (the part
 * of its events' ids before the dot) stands for all of its events. */
START_TEST(events_by_group)
{
	struct catalog *cat = tu_catalog();
	struct webhook wh;

	webhook_init(&wh);
	ck_assert_int_eq(webhook_set_events(&wh, "audit", cat, NULL), 0);
	ck_assert_uint_eq(wh.nevents, 8);
	ck_assert_str_eq(wh.events[0], "audit.create");
	ck_assert_str_eq(wh.events[7], "audit.upgrade");
	/* processing spans three catalog groups; ids and groups mix, in
	 * catalog order, duplicates folded. */
	ck_assert_int_eq(webhook_set_events(&wh, "admin.login,processing,processing.failed", cat, NULL), 0);
	ck_assert_uint_eq(wh.nevents, 4);
	ck_assert_str_eq(wh.events[0], "processing.with_alarms");
	ck_assert_str_eq(wh.events[1], "processing.finished");
	ck_assert_str_eq(wh.events[2], "processing.failed");
	ck_assert_str_eq(wh.events[3], "admin.login");
	ck_assert_int_eq(webhook_set_events(&wh, "detection_group,detection", cat, NULL), 0);
	ck_assert_uint_eq(wh.nevents, 4);
	ck_assert_str_eq(wh.events[0], "detection.created");
	ck_assert_str_eq(wh.events[3], "detection_group.updated");
	ck_assert_int_eq(webhook_check_format(FORMAT_JIRA, wh.events, wh.nevents, cat, NULL), 0);
	ck_assert_int_eq(webhook_set_events(&wh, "alarm,event", cat, NULL), 0);
	ck_assert_uint_eq(wh.nevents, 2);
	ck_assert_int_eq(webhook_set_events(&wh, "audit,all", cat, NULL), 0);
	ck_assert_uint_eq(wh.nevents, 18);
	REFUSED(webhook_set_events(&wh, "audti", cat, e),
		"unknown event \"audti\"; use event ids (see 'hookman events'), groups (alarm, event, processing, admin, audit, detection, detection_group) or all");
	/* Group ids are whole words: no prefixes, no case folding. */
	REFUSED(webhook_set_events(&wh, "detect", cat, e), "unknown event \"detect\"");
	REFUSED(webhook_set_events(&wh, "Audit", cat, e), "unknown event \"Audit\"");
	REFUSED(webhook_set_events(&wh, "audit.", cat, e), "unknown event \"audit.\"");
	ck_assert_uint_eq(wh.nevents, 18);   /* unchanged on error */
	webhook_clear(&wh);
	catalog_free(cat);
}
END_TEST

START_TEST(secrets)
{
	char s[SECRET_MAX], s2[SECRET_MAX];
	unsigned char key[SECRET_MAX_BYTES];

	ck_assert_int_eq(secret_generate(s, NULL), 0);
	ck_assert_int_eq(secret_generate(s2, NULL), 0);
	ck_assert(strncmp(s, "whsec_", 6) == 0);
	ck_assert_str_ne(s, s2);
	ck_assert_int_eq(secret_check(s, NULL), 0);
	ck_assert_int_eq(secret_decode(s, key, NULL), 32);
	/* The Standard Webhooks example secret. */
	ck_assert_int_eq(secret_decode("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", key, NULL), 24);
	ck_assert_uint_eq(key[0], 0x31);
	REFUSED(secret_check("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", e), "must start with \"whsec_\"");
	REFUSED(secret_check("whsec_abc", e), "multiple of 4");
	REFUSED(secret_check("whsec_MfKQ9r8GKYqr!wjUPD8ILPZIo2LaLaSw", e), "not base64 at position 19");
	REFUSED(secret_check("whsec_YWJj", e), "3 bytes");
}
END_TEST

START_TEST(headers)
{
	char *name = NULL, *value = NULL, *norm;

	ck_assert_int_eq(header_parse("X-Env:  prod eu ", &name, &value, NULL), 0);
	ck_assert_str_eq(name, "X-Env");
	ck_assert_str_eq(value, "prod eu");
	free(name);
	free(value);
	norm = header_normalize("Authorization:Bearer abc", NULL);
	ck_assert_str_eq(norm, "Authorization: Bearer abc");
	free(norm);
	REFUSED(header_parse("X-A: b\r\nX-Evil: 1", NULL, NULL, e), "line break");
	REFUSED(header_parse("X-A: b\nc", NULL, NULL, e), "line break");
	REFUSED(header_parse("content-type: text/plain", NULL, NULL, e), "Content-Type is set by hookman");
	REFUSED(header_parse("Host: evil", NULL, NULL, e), "Host is set by hookman");
	REFUSED(header_parse("Content-Length: 1", NULL, NULL, e), "Content-Length is set by hookman");
	REFUSED(header_parse("webhook-signature: v1,x", NULL, NULL, e), "webhook-signature is set by hookman");
	REFUSED(header_parse("NoColon", NULL, NULL, e), "has no colon");
	REFUSED(header_parse(": v", NULL, NULL, e), "empty name");
	REFUSED(header_parse("Bad Name: v", NULL, NULL, e), "invalid character at position 4");
	REFUSED(header_parse("X-A: \x01", NULL, NULL, e), "control character (0x01)");
	REFUSED(header_parse("X-A: \xff", NULL, NULL, e), "not valid UTF-8");
	/* Reproduction: --header "$(printf 'X-A: a\342\200\250X-B: 1')" was
	 * accepted; U+2028, U+2029 and NEL (U+0085, a C1 control) end a line
	 * for some parsers, so the value could read as a second header. */
	REFUSED(header_parse("X-A: ab\xe2\x80\xa8X-B: 1", NULL, NULL, e),
		"header X-A: value has a line separator (U+2028) at position 3");
	REFUSED(header_parse("X-A: \xe2\x80\xa9", NULL, NULL, e),
		"header X-A: value has a paragraph separator (U+2029) at position 1");
	REFUSED(header_parse("X-A: \xc3\xa9\xc2\x85", NULL, NULL, e),
		"header X-A: value has a control character (U+0085) at position 2");
	REFUSED(header_parse("X-A: \xc2\x9b", NULL, NULL, e), "control character (U+009B)");
	REFUSED(header_parse("X-A: \xc3\xa9\x7f", NULL, NULL, e), "control character (0x7F) at position 2");
	ck_assert_int_eq(header_parse("X-A: caf\xc3\xa9 \xe2\x80\xa9x", NULL, NULL, NULL), -1);
	ck_assert_int_eq(header_parse("X-A: caf\xc3\xa9\tok \xe2\x80\xa7", NULL, NULL, NULL), 0);   /* U+2027 */
	/* An error names the header, never its value: that may be a token. */
	REFUSED(header_parse("Authorization: Bearer s3cr3t\r\nX-Evil: 1", NULL, NULL, e),
		"header \"Authorization\" contains a line break");
	REFUSED(header_parse("Authorization Bearer s3cr3t", NULL, NULL, e), "header \"Authorization…\" has no colon");
	{
		char e[ERR_MAX];

		header_parse("Authorization: Bearer s3cr3t\r\n", NULL, NULL, e);
		ck_assert_ptr_null(strstr(e, "s3cr3t"));
		header_parse("Authorization Bearer s3cr3t", NULL, NULL, e);
		ck_assert_ptr_null(strstr(e, "s3cr3t"));
		webhook_check_url("hooks.slack.com/services/T0/B0/s3cr3t", e);
		ck_assert_str_eq(e, "URL \"hooks.slack.com…\" has no scheme; write it as https://host/path");
	}
}
END_TEST

START_TEST(validate_reports_every_bad_field)
{
	struct catalog *cat = tu_catalog();
	struct webhook_problem probs[WF_COUNT];
	struct webhook wh;

	webhook_init(&wh);
	wh.name = strdup("");
	wh.url = strdup("ftp://x");
	wh.payload = strdup("[1]");
	wh.timeout = 0;
	ck_assert_uint_eq(webhook_validate(&wh, cat, probs, WF_COUNT), 5);
	ck_assert_int_eq(probs[0].field, WF_NAME);
	ck_assert_int_eq(probs[1].field, WF_URL);
	ck_assert_int_eq(probs[2].field, WF_EVENTS);
	ck_assert_int_eq(probs[3].field, WF_PAYLOAD);
	ck_assert_str_eq(probs[3].msg, "payload must be a JSON object, not an array");
	ck_assert_int_eq(probs[4].field, WF_TIMEOUT);
	ck_assert_str_eq(probs[4].msg, "timeout 0 s is out of range; choose 1 to 60 seconds");
	webhook_clear(&wh);
	catalog_free(cat);
}
END_TEST

static void count_report(void *ctx, const char *msg)
{
	(void)msg;
	(*(int *)ctx)++;
}

/* Import's refusals, of the document or of its entries, are the input's. */
START_TEST(import_refusals_are_invalid)
{
	static const char *const docs[] = {
		"{\"webhooks\": [", "[1]", "{\"redacted\": true, \"webhooks\": []}",
		"{\"webhooks\": [{\"name\": \"\"}]}",
	};
	struct catalog *cat = tu_catalog();
	struct webhook *list;
	char err[ERR_MAX];
	size_t i, n;
	int reports = 0;

	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		ck_assert_int_eq(transfer_parse(docs[i], strlen(docs[i]), "in.json", NULL, cat, &list, &n, count_report,
						&reports, err), -1);
		ck_assert_int_eq(err_kind(err), ERR_INVALID);
	}
	ck_assert_int_gt(reports, 0);
	ck_assert_msg(strstr(err, "problem") != NULL, "%s", err);
	catalog_free(cat);
}
END_TEST

START_TEST(json_round_trip)
{
	struct catalog *cat = tu_catalog();
	struct webhook wh, back;
	json_t *j;
	char err[ERR_MAX];

	webhook_init(&wh);
	wh.name = strdup("Ops ☂");
	wh.url = strdup("https://hooks.slack.com/services/T01/B02/SECRETTOKEN");
	wh.payload = strdup("{\"text\": \"$Title $Event\"}");
	wh.secret = strdup("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	wh.format = FORMAT_SLACK;
	wh.timeout = 7;
	wh.verify_tls = 0;
	ck_assert_int_eq(webhook_set_events(&wh, "admin.login,audit.create", cat, NULL), 0);
	ck_assert_int_eq(webhook_add_header(&wh, "X-Env: prod", NULL), 0);
	j = webhook_to_json(&wh, 1);
	webhook_init(&back);
	ck_assert_int_eq(webhook_from_json(&back, j, err), 0);
	ck_assert_str_eq(back.name, wh.name);
	ck_assert_str_eq(back.url, wh.url);
	ck_assert_str_eq(back.secret, wh.secret);
	ck_assert_str_eq(back.payload, wh.payload);
	ck_assert_int_eq(back.format, FORMAT_SLACK);
	ck_assert_int_eq(back.timeout, 7);
	ck_assert_int_eq(back.verify_tls, 0);
	ck_assert_uint_eq(back.nevents, 2);
	ck_assert_str_eq(back.headers[0], "X-Env: prod");
	json_decref(j);
	webhook_clear(&back);

	j = webhook_to_json(&wh, 0);
	ck_assert_str_eq(json_string_value(json_object_get(j, "url")), "https://hooks.slack.com/services/T0…/****");
	ck_assert_str_eq(json_string_value(json_object_get(j, "secret")), "whsec_****LaSw");
	json_decref(j);

	j = json_pack("{s:s, s:s, s:s, s:i}", "name", "x", "url", "http://a", "payload", "{}", "timeout", 600);
	webhook_init(&back);
	ck_assert_int_eq(webhook_from_json(&back, j, err), -1);
	ck_assert_str_eq(err, "timeout 600 s is out of range; choose 1 to 60 seconds");
	json_decref(j);
	webhook_clear(&back);
	webhook_clear(&wh);
	catalog_free(cat);
}
END_TEST

START_TEST(pace_travels_and_is_checked)
{
	static const char good[] =
		"{\"webhooks\": [{\"name\": \"a\", \"url\": \"http://127.0.0.1:9/a\", \"events\": [\"admin.login\"], "
		"\"payload\": \"{\\\"t\\\": \\\"$Title\\\", \\\"e\\\": \\\"$Event\\\"}\", \"rate\": \"5/10s\", "
		"\"retry_schedule\": \"10s,1m\"}, "
		"{\"name\": \"old\", \"url\": \"http://127.0.0.1:9/b\", \"events\": [\"admin.login\"], "
		"\"payload\": \"{\\\"t\\\": \\\"$Title\\\", \\\"e\\\": \\\"$Event\\\"}\"}]}";
	struct catalog *cat = tu_catalog();
	struct webhook_problem probs[WF_COUNT];
	struct webhook *list, wh;
	char err[ERR_MAX];
	json_t *j;
	size_t n;
	int reports = 0;

	ck_assert_msg(transfer_parse(good, strlen(good), "in.json", NULL, cat, &list, &n, count_report, &reports, err) == 0,
		      "%s", err);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(list[0].rate_n, 5);
	ck_assert_int_eq(list[0].rate_ms, 10000);
	ck_assert_uint_eq(list[0].nretry, 2);
	ck_assert_int_eq(list[0].retry_ms[1], 60000);
	/* An export older than the fields: no rate, the global schedule. */
	ck_assert_int_eq(list[1].rate_n, 0);
	ck_assert_uint_eq(list[1].nretry, 0);
	j = webhook_to_json(&list[0], 0);
	ck_assert_str_eq(json_string_value(json_object_get(j, "rate")), "5/10s");
	ck_assert_str_eq(json_string_value(json_object_get(j, "retry_schedule")), "10s,1m");
	json_decref(j);
	j = webhook_to_json(&list[1], 0);
	ck_assert_ptr_null(json_object_get(j, "rate"));
	ck_assert_ptr_null(json_object_get(j, "retry_schedule"));
	json_decref(j);

	/* A bad value in a file is named; the rules catch a bad struct. */
	j = json_pack("{s:s, s:s, s:s, s:s}", "name", "x", "url", "http://a", "payload", "{}", "rate", "5/500ms");
	webhook_init(&wh);
	ck_assert_int_eq(webhook_from_json(&wh, j, err), -1);
	ck_assert_int_eq(err_kind(err), ERR_INVALID);
	ck_assert_msg(strstr(err, "rate \"5/500ms\": the period has an unknown unit") != NULL, "%s", err);
	json_decref(j);
	j = json_pack("{s:s, s:s, s:s, s:i}", "name", "x", "url", "http://a", "payload", "{}", "retry_schedule", 5);
	ck_assert_int_eq(webhook_from_json(&wh, j, err), -1);
	ck_assert_str_eq(err, "\"retry_schedule\" must be a string such as \"10s,1m,10m\"");
	json_decref(j);
	webhook_clear(&wh);
	webhook_copy(&wh, &list[0], err);
	wh.rate_ms = 10;
	wh.retry_ms[0] = 10;
	ck_assert_uint_eq(webhook_validate(&wh, cat, probs, WF_COUNT), 2);
	ck_assert_int_eq(probs[0].field, WF_RATE);
	ck_assert_int_eq(probs[1].field, WF_RETRY);
	ck_assert_str_eq(webhook_field_name(WF_RETRY), "retry schedule");
	webhook_clear(&wh);
	transfer_free(list, n);
	catalog_free(cat);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("fields");

	tcase_add_test(tc, names);
	tcase_add_test(tc, names_refuse_bidi_controls);
	tcase_add_test(tc, names_refuse_invisible_characters);
	tcase_add_test(tc, urls);
	tcase_add_test(tc, events_and_format);
	tcase_add_test(tc, events_by_group);
	tcase_add_test(tc, secrets);
	tcase_add_test(tc, headers);
	tcase_add_test(tc, validate_reports_every_bad_field);
	tcase_add_test(tc, json_round_trip);
	tcase_add_test(tc, import_refusals_are_invalid);
	tcase_add_test(tc, pace_travels_and_is_checked);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
